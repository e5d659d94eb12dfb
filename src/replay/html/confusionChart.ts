import type { Confusion } from '../Report.ts';
import { escapeHtml } from './escapeHtml.ts';
import { formatCount, formatShare, px } from './format.ts';
import { svgFrame } from './svgFrame.ts';

const WIDTH = 420;
const HEIGHT = 300;
const M = { top: 46, left: 110 };
const CELL_W = 150;
const CELL_H = 110;

const CELLS = [
  { key: 'tp', row: 0, col: 0, name: 'true positives', correct: true },
  { key: 'fn', row: 0, col: 1, name: 'false negatives', correct: false },
  { key: 'fp', row: 1, col: 0, name: 'false positives', correct: false },
  { key: 'tn', row: 1, col: 1, name: 'true negatives', correct: true },
] as const;

/**
 * The confusion matrix of a classifier against the label: rows are the label (fraud, legitimate),
 * columns the prediction (flagged, not flagged); one `<g data-cell="tp|fn|fp|tn">` per cell, shaded
 * by its share of the row (green when correct, red when wrong).
 */
export function confusionChart(c: Confusion, title: string): string {
  const rowTotals = [num(c.tp) + num(c.fn), num(c.fp) + num(c.tn)];
  const out: string[] = [
    `<text class="axis-label" x="${M.left + CELL_W}" y="14" text-anchor="middle">predicted</text>`,
    `<text class="label" x="${M.left + CELL_W / 2}" y="36" text-anchor="middle">flagged</text>`,
    `<text class="label" x="${M.left + CELL_W * 1.5}" y="36" text-anchor="middle">not flagged</text>`,
    `<text class="axis-label" transform="translate(16 ${M.top + CELL_H}) rotate(-90)" text-anchor="middle">label</text>`,
    `<text class="label" x="${M.left - 10}" y="${M.top + CELL_H / 2 + 4}" text-anchor="end">fraud</text>`,
    `<text class="label" x="${M.left - 10}" y="${M.top + CELL_H * 1.5 + 4}" text-anchor="end">legitimate</text>`,
  ];
  for (const cell of CELLS) {
    const count = num(c[cell.key]);
    const whole = rowTotals[cell.row]!;
    const share = whole > 0 ? count / whole : 0;
    const alpha = 0.08 + 0.82 * share;
    const fill = cell.correct ? `rgba(76,154,106,${px(alpha)})` : `rgba(200,66,59,${px(alpha)})`;
    const ink = alpha > 0.55 ? '#fff' : '#2b3137';
    const x = M.left + cell.col * CELL_W;
    const y = M.top + cell.row * CELL_H;
    out.push(
      `<g data-cell="${cell.key}"><title>${escapeHtml(`${cell.name}: ${formatCount(count)} (${formatShare(count, whole)} of the ${cell.row === 0 ? 'fraud' : 'legitimate'} events)`)}</title>`,
      `<rect x="${x}" y="${y}" width="${CELL_W}" height="${CELL_H}" fill="${fill}" stroke="#fff" stroke-width="2"/>`,
      `<text class="cell-count" x="${px(x + CELL_W / 2)}" y="${px(y + CELL_H / 2)}" text-anchor="middle" fill="${ink}">${formatCount(count)}</text>`,
      `<text class="cell-name" x="${px(x + CELL_W / 2)}" y="${px(y + CELL_H / 2 + 20)}" text-anchor="middle" fill="${ink}">${cell.key.toUpperCase()} · ${formatShare(count, whole)}</text>`,
      '</g>',
    );
  }
  const desc = `TP ${formatCount(c.tp)}, FP ${formatCount(c.fp)}, TN ${formatCount(c.tn)}, FN ${formatCount(c.fn)}.`;
  return svgFrame('confusion', title, desc, WIDTH, HEIGHT, out.join(''));
}

function num(n: number): number {
  return Number.isFinite(n) ? n : 0;
}
