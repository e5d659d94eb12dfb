import type { Confusion } from '../Report.ts';

/** a / b, or null when b is 0 (the report's convention for an undefined ratio). */
export function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b;
}

/**
 * The confusion matrix of a classifier ("flagged" against the label) with its precision, recall
 * and F1. Precision is null when nothing was flagged, recall when there was no positive; F1 is
 * null when either is null, and 0 when both are 0.
 */
export function confusion(tp: number, fp: number, tn: number, fn: number): Confusion {
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  let f1: number | null = null;
  if (precision !== null && recall !== null) f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { tp, fp, tn, fn, precision, recall, f1 };
}
