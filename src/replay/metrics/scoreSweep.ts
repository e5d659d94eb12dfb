import type { LabelReport } from '../Report.ts';
import { ratio } from './confusion.ts';

/** Score thresholds of the sweep: 0, 1, …, 100. */
export const SWEEP_STEPS = 101;

export type SweepPoint = LabelReport['sweep'][number];
export type TargetResult = LabelReport['targets'][number];

/** Histogram bucket of a combined score (0–100): its integer part, clamped. */
export function scoreBucket(score: number): number {
  if (!(score > 0)) return 0;
  if (score >= 100) return 100;
  return Math.floor(score);
}

/**
 * The combined score as a classifier at every integer threshold t (flagged = score ≥ t), from
 * histograms of the labelled events' scores by `scoreBucket` (index 0..100): since t is an
 * integer, score ≥ t exactly when floor(score) ≥ t, so suffix sums give the exact counts.
 */
export function scoreSweep(positives: ArrayLike<number>, negatives: ArrayLike<number>): SweepPoint[] {
  let totalPos = 0;
  for (let i = 0; i < SWEEP_STEPS; i++) totalPos += positives[i] ?? 0;
  const out = new Array<SweepPoint>(SWEEP_STEPS);
  let tp = 0;
  let fp = 0;
  for (let t = SWEEP_STEPS - 1; t >= 0; t--) {
    tp += positives[t] ?? 0;
    fp += negatives[t] ?? 0;
    out[t] = { threshold: t, precision: ratio(tp, tp + fp), recall: ratio(tp, totalPos), flagged: tp + fp };
  }
  return out;
}

/**
 * The threshold that reaches a target, from a sweep:
 * - precision: the lowest threshold whose precision is ≥ the target (the most recall at that precision);
 * - recall: the highest threshold whose recall is still ≥ the target (the most precision at that recall).
 * `threshold` (and the figures) are null when no threshold reaches it.
 */
export function sweepTarget(sweep: readonly SweepPoint[], metric: 'precision' | 'recall', target: number): TargetResult {
  let found: SweepPoint | undefined;
  if (metric === 'precision') {
    for (let i = 0; i < sweep.length && found === undefined; i++) {
      const p = sweep[i]!.precision;
      if (p !== null && p >= target) found = sweep[i];
    }
  } else {
    for (let i = sweep.length - 1; i >= 0 && found === undefined; i--) {
      const r = sweep[i]!.recall;
      if (r !== null && r >= target) found = sweep[i];
    }
  }
  return {
    metric,
    target,
    threshold: found?.threshold ?? null,
    precision: found?.precision ?? null,
    recall: found?.recall ?? null,
  };
}
