import type { LabelReport } from '../Report.ts';
import { escapeHtml } from './escapeHtml.ts';
import { formatCount, formatRatio, px } from './format.ts';
import { COLORS } from './palette.ts';
import { svgFrame } from './svgFrame.ts';

const WIDTH = 560;
const HEIGHT = 420;
const M = { top: 20, right: 24, bottom: 48, left: 60 };
const GRID = [0, 0.2, 0.4, 0.6, 0.8, 1];

type SweepPoint = LabelReport['sweep'][number];

/** Sweep points that can be drawn: both precision and recall defined. */
export function curvePoints(sweep: readonly SweepPoint[]): (SweepPoint & { precision: number; recall: number })[] {
  return (sweep ?? []).filter(
    (p): p is SweepPoint & { precision: number; recall: number } => isNum(p.precision) && isNum(p.recall),
  );
}

/**
 * The precision/recall curve of the score threshold sweep: recall on x, precision on y, one
 * `<circle data-threshold>` per threshold with both defined, the target levels as dashed lines,
 * the thresholds that reach them ringed (`<g data-target>`), and the current decision as a diamond.
 */
export function prCurveChart(labels: LabelReport): string {
  const plotW = WIDTH - M.left - M.right;
  const plotH = HEIGHT - M.top - M.bottom;
  const X = (r: number) => M.left + r * plotW;
  const Y = (p: number) => M.top + (1 - p) * plotH;
  const points = curvePoints(labels.sweep);
  const out: string[] = [];

  for (const g of GRID) {
    out.push(
      `<line x1="${px(X(0))}" x2="${px(X(1))}" y1="${px(Y(g))}" y2="${px(Y(g))}" stroke="${COLORS.grid}"/>`,
      `<line x1="${px(X(g))}" x2="${px(X(g))}" y1="${px(Y(0))}" y2="${px(Y(1))}" stroke="${COLORS.grid}"/>`,
      `<text class="tick" x="${px(M.left - 6)}" y="${px(Y(g) + 4)}" text-anchor="end">${g * 100}%</text>`,
      `<text class="tick" x="${px(X(g))}" y="${px(Y(0) + 16)}" text-anchor="middle">${g * 100}%</text>`,
    );
  }
  out.push(
    `<rect x="${M.left}" y="${M.top}" width="${plotW}" height="${plotH}" fill="none" stroke="${COLORS.axis}"/>`,
    `<text class="axis-label" x="${px(M.left + plotW / 2)}" y="${HEIGHT - 8}" text-anchor="middle">recall</text>`,
    `<text class="axis-label" transform="translate(14 ${px(M.top + plotH / 2)}) rotate(-90)" text-anchor="middle">precision</text>`,
  );

  for (const t of labels.targets ?? []) {
    if (!isNum(t.target)) continue;
    const v = clamp01(t.target);
    const text = `${t.metric} ≥ ${formatRatio(t.target)}`;
    if (t.metric === 'precision') {
      out.push(
        `<line class="target-line" x1="${px(X(0))}" x2="${px(X(1))}" y1="${px(Y(v))}" y2="${px(Y(v))}" stroke="${COLORS.target}" stroke-dasharray="5 4"/>`,
        `<text class="target-text" x="${px(X(0) + 4)}" y="${px(Y(v) - 4)}">${escapeHtml(text)}</text>`,
      );
    } else {
      out.push(
        `<line class="target-line" x1="${px(X(v))}" x2="${px(X(v))}" y1="${px(Y(0))}" y2="${px(Y(1))}" stroke="${COLORS.target}" stroke-dasharray="5 4"/>`,
        `<text class="target-text" transform="translate(${px(X(v) - 4)} ${px(Y(0) - 4)}) rotate(-90)">${escapeHtml(text)}</text>`,
      );
    }
  }

  if (points.length === 0) {
    out.push(`<text class="empty" x="${px(M.left + plotW / 2)}" y="${px(M.top + plotH / 2)}" text-anchor="middle">No threshold flags any labelled event</text>`);
  } else {
    const line = points.map((p) => `${px(X(clamp01(p.recall)))},${px(Y(clamp01(p.precision)))}`).join(' ');
    out.push(`<polyline class="curve" points="${line}" fill="none" stroke="${COLORS.curve}" stroke-width="2"/>`);
    for (const p of points) {
      const tip = `threshold ${p.threshold}: precision ${formatRatio(p.precision)}, recall ${formatRatio(p.recall)}, ${formatCount(p.flagged)} flagged`;
      out.push(
        `<circle data-threshold="${escapeHtml(p.threshold)}" cx="${px(X(clamp01(p.recall)))}" cy="${px(Y(clamp01(p.precision)))}" r="2.5" fill="${COLORS.curve}"><title>${escapeHtml(tip)}</title></circle>`,
      );
    }
  }

  for (const t of labels.targets ?? []) {
    if (!isNum(t.threshold) || !isNum(t.precision) || !isNum(t.recall)) continue;
    const cx = X(clamp01(t.recall));
    const cy = Y(clamp01(t.precision));
    const tip = `lowest threshold with ${t.metric} ≥ ${formatRatio(t.target)}: ${t.threshold} (precision ${formatRatio(t.precision)}, recall ${formatRatio(t.recall)})`;
    out.push(
      `<g data-target="${escapeHtml(t.metric)}" data-threshold="${escapeHtml(t.threshold)}"><title>${escapeHtml(tip)}</title>`,
      `<circle cx="${px(cx)}" cy="${px(cy)}" r="7" fill="none" stroke="${COLORS.target}" stroke-width="2"/>`,
      `<text class="target-text" x="${px(cx + 10)}" y="${px(cy - 8)}">t=${escapeHtml(t.threshold)}</text></g>`,
    );
  }

  const d = labels.decision;
  if (d && isNum(d.precision) && isNum(d.recall)) {
    const cx = X(clamp01(d.recall));
    const cy = Y(clamp01(d.precision));
    out.push(
      `<g data-decision=""><title>${escapeHtml(`current decision (review + deny): precision ${formatRatio(d.precision)}, recall ${formatRatio(d.recall)}`)}</title>`,
      `<rect x="${px(cx - 6)}" y="${px(cy - 6)}" width="12" height="12" transform="rotate(45 ${px(cx)} ${px(cy)})" fill="${COLORS.decision}" stroke="#fff"/></g>`,
    );
  }

  const desc = points.length === 0
    ? 'No point of the threshold sweep has both precision and recall defined.'
    : `${points.length} thresholds from ${points[0]!.threshold} to ${points[points.length - 1]!.threshold}; recall ${formatRatio(points[0]!.recall)} down to ${formatRatio(points[points.length - 1]!.recall)}.`;
  return svgFrame('pr-curve', 'Precision/recall curve of the score threshold', desc, WIDTH, HEIGHT, out.join(''));
}

function isNum(n: unknown): n is number {
  return typeof n === 'number' && Number.isFinite(n);
}

function clamp01(n: number): number {
  return n < 0 ? 0 : n > 1 ? 1 : n;
}
