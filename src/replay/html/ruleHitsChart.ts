import type { RuleStats } from '../Report.ts';
import { escapeHtml } from './escapeHtml.ts';
import { formatCount, formatRatio, px } from './format.ts';
import { niceTicks } from './niceTicks.ts';
import { COLORS } from './palette.ts';
import { svgFrame } from './svgFrame.ts';

const WIDTH = 880;
const ROW = 24;
const BAR = 16;
const M = { top: 24, right: 130, bottom: 30, left: 250 };
const MAX_LABEL = 32;

/** Rules ordered for display: most hits first, then by id. */
export function rulesByHits(rules: readonly RuleStats[]): RuleStats[] {
  return [...rules].sort((a, b) => (num(b.hits) - num(a.hits)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Rule hits as horizontal bars, one `<g data-rule data-mode>` per rule, most hits first.
 * Enforce rules are solid, shadow rules hatched (and labelled "shadow").
 */
export function ruleHitsChart(rules: readonly RuleStats[]): string {
  const sorted = rulesByHits(rules ?? []);
  const n = sorted.length;
  const plotW = WIDTH - M.left - M.right;
  const height = M.top + Math.max(n, 1) * ROW + M.bottom;
  const baseY = height - M.bottom;
  let maxHits = 0;
  for (const r of sorted) maxHits = Math.max(maxHits, num(r.hits));
  const { max, ticks } = niceTicks(maxHits);
  const out: string[] = [
    '<defs><pattern id="shadow-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">' +
      `<rect width="6" height="6" fill="#efe8f8"/><line x1="0" y1="0" x2="0" y2="6" stroke="${COLORS.shadow}" stroke-width="3"/></pattern></defs>`,
  ];

  for (const t of ticks) {
    const x = M.left + (t / max) * plotW;
    out.push(
      `<line x1="${px(x)}" x2="${px(x)}" y1="${M.top - 4}" y2="${baseY}" stroke="${COLORS.grid}"/>`,
      `<text class="tick" x="${px(x)}" y="${baseY + 16}" text-anchor="middle">${formatCount(t)}</text>`,
    );
  }
  out.push(
    `<rect x="${M.left}" y="6" width="12" height="10" fill="${COLORS.enforce}"/><text class="tick" x="${M.left + 16}" y="15">enforce</text>`,
    `<rect x="${M.left + 80}" y="6" width="12" height="10" fill="url(#shadow-hatch)" stroke="${COLORS.shadow}"/><text class="tick" x="${M.left + 96}" y="15">shadow</text>`,
  );

  if (n === 0) {
    out.push(`<text class="empty" x="${px(M.left + plotW / 2)}" y="${px(M.top + ROW / 2 + 4)}" text-anchor="middle">No rules in the catalog</text>`);
  }
  for (let i = 0; i < n; i++) {
    const r = sorted[i]!;
    const shadow = r.mode === 'shadow';
    const y = M.top + i * ROW + (ROW - BAR) / 2;
    const w = (num(r.hits) / max) * plotW;
    const name = `${r.id} v${r.version}`;
    const shown = name.length > MAX_LABEL ? name.slice(0, MAX_LABEL - 1) + '…' : name;
    const tip = `${name} (${shadow ? 'shadow' : 'enforce'}, ${r.action}): ${formatCount(r.hits)} hits, hit rate ${formatRatio(r.hitRate)}`;
    out.push(
      `<g data-rule="${escapeHtml(r.id)}" data-mode="${shadow ? 'shadow' : 'enforce'}"><title>${escapeHtml(tip)}</title>`,
      `<text class="label" x="${M.left - 8}" y="${px(y + BAR - 4)}" text-anchor="end">${escapeHtml(shown)}</text>`,
      `<rect class="bar" x="${M.left}" y="${px(y)}" width="${px(w)}" height="${BAR}" ` +
        (shadow ? `fill="url(#shadow-hatch)" stroke="${COLORS.shadow}"` : `fill="${COLORS.enforce}"`) + '/>',
      `<text class="value" x="${px(M.left + w + 6)}" y="${px(y + BAR - 4)}">${formatCount(r.hits)} · ${formatRatio(r.hitRate)}${shadow ? ' <tspan class="shadow-tag">shadow</tspan>' : ''}</text>`,
      '</g>',
    );
  }
  out.push(`<line x1="${M.left}" x2="${M.left}" y1="${M.top - 4}" y2="${baseY}" stroke="${COLORS.axis}"/>`);

  const shadows = sorted.filter((r) => r.mode === 'shadow').length;
  const desc = n === 0
    ? 'No rules.'
    : `${n} rules (${n - shadows} enforce, ${shadows} shadow); the most hits: ${sorted[0]!.id} with ${formatCount(sorted[0]!.hits)}.`;
  return svgFrame('rule-hits', 'Rule hits (enforce solid, shadow hatched)', desc, WIDTH, height, out.join(''));
}

function num(n: number): number {
  return Number.isFinite(n) ? n : 0;
}
