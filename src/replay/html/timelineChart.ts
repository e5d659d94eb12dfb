import type { ReplayReport } from '../Report.ts';
import { escapeHtml } from './escapeHtml.ts';
import { formatCount, formatDuration, formatTime, isWholeDays, px } from './format.ts';
import { niceTicks } from './niceTicks.ts';
import { COLORS } from './palette.ts';
import { svgFrame } from './svgFrame.ts';

const WIDTH = 880;
const HEIGHT = 280;
const M = { top: 14, right: 16, bottom: 42, left: 64 };
const OUTCOMES = ['allow', 'review', 'deny'] as const;
const X_LABELS = 6;

/**
 * Decisions over event time as stacked bars, one `<g data-bucket>` per bucket, one
 * `<rect data-outcome>` per non-zero outcome in it (allow at the bottom, deny on top).
 */
export function timelineChart(timeline: ReplayReport['timeline']): string {
  const buckets = timeline?.buckets ?? [];
  const n = buckets.length;
  const plotW = WIDTH - M.left - M.right;
  const plotH = HEIGHT - M.top - M.bottom;
  const baseY = M.top + plotH;
  const dateOnly = isWholeDays(timeline?.bucketMs);
  let maxTotal = 0;
  for (const b of buckets) maxTotal = Math.max(maxTotal, total(b));
  const { max, ticks } = niceTicks(maxTotal);
  const out: string[] = [];

  for (const t of ticks) {
    const y = baseY - (t / max) * plotH;
    out.push(
      `<line x1="${M.left}" x2="${WIDTH - M.right}" y1="${px(y)}" y2="${px(y)}" stroke="${COLORS.grid}"/>`,
      `<text class="tick" x="${M.left - 6}" y="${px(y + 4)}" text-anchor="end">${formatCount(t)}</text>`,
    );
  }

  if (n === 0) {
    out.push(`<text class="empty" x="${px(M.left + plotW / 2)}" y="${px(M.top + plotH / 2)}" text-anchor="middle">No decided events</text>`);
  } else {
    const band = plotW / n;
    const barW = band > 4 ? band * 0.8 : band; // no gaps once bars get thin
    const pad = (band - barW) / 2;
    for (let i = 0; i < n; i++) {
      const b = buckets[i]!;
      const x = M.left + i * band + pad;
      const label = `${formatTime(b.start, dateOnly)}: ${formatCount(total(b))} decisions — allow ${formatCount(b.allow)}, review ${formatCount(b.review)}, deny ${formatCount(b.deny)}`;
      out.push(`<g data-bucket="${i}"><title>${escapeHtml(label)}</title>`);
      let y = baseY;
      for (const outcome of OUTCOMES) {
        const count = b[outcome];
        if (!(count > 0)) continue;
        const h = (count / max) * plotH;
        y -= h;
        out.push(`<rect data-outcome="${outcome}" x="${px(x)}" y="${px(y)}" width="${px(barW)}" height="${px(h)}" fill="${COLORS[outcome]}"/>`);
      }
      out.push('</g>');
    }
    const every = Math.max(1, Math.ceil(n / X_LABELS));
    for (let i = 0; i < n; i += every) {
      const x = M.left + (i + 0.5) * band;
      out.push(
        `<line x1="${px(x)}" x2="${px(x)}" y1="${baseY}" y2="${baseY + 4}" stroke="${COLORS.axis}"/>`,
        `<text class="tick" x="${px(x)}" y="${baseY + 18}" text-anchor="middle">${escapeHtml(formatTime(buckets[i]!.start, dateOnly))}</text>`,
      );
    }
  }
  out.push(
    `<line x1="${M.left}" x2="${WIDTH - M.right}" y1="${baseY}" y2="${baseY}" stroke="${COLORS.axis}"/>`,
    `<text class="axis-label" x="${px(M.left + plotW / 2)}" y="${HEIGHT - 6}" text-anchor="middle">event time (UTC), buckets of ${escapeHtml(formatDuration(timeline?.bucketMs))}</text>`,
    `<text class="axis-label" transform="translate(14 ${px(M.top + plotH / 2)}) rotate(-90)" text-anchor="middle">decisions</text>`,
  );

  const desc = n === 0
    ? 'No decided events.'
    : `${n} buckets from ${formatTime(buckets[0]!.start, dateOnly)} to ${formatTime(buckets[n - 1]!.start, dateOnly)}; at most ${formatCount(maxTotal)} decisions in one bucket.`;
  return svgFrame('timeline', 'Decisions over event time, stacked by outcome', desc, WIDTH, HEIGHT, out.join(''));
}

function total(b: { allow: number; review: number; deny: number }): number {
  return num(b.allow) + num(b.review) + num(b.deny);
}

function num(n: number): number {
  return Number.isFinite(n) ? n : 0;
}
