import type { FieldValue } from './types.ts';

/** `times[CLOCK]`: latest event time seen for the key (any event, matching or not). */
export const CLOCK = 0;
/** `times[LOW]`: the running aggregate covers entries with time > LOW. */
export const LOW = 1;
/** `times[HORIZON]`: latest time of any entry dropped (by the window, the lateness bound or the cap). */
export const HORIZON = 2;
/** Index of the first entry slot in `times` / `vals`. */
export const BASE = 3;

/**
 * One key's history for one windowed feature: the entries (event time, field value) that passed
 * the feature's filter, ascending by time, equal times in processing order. `times[head..]` are
 * live; `times[aggStart..]` (entries later than LOW) are summed up in the running aggregate.
 *
 * The three time scalars (CLOCK, LOW, HORIZON) live at the start of `times`: V8 keeps the
 * elements of a number array unboxed, whereas a double-valued object field is a separate heap
 * box — one more cache miss per feature per event on a cold key.
 */
export class LogSlot {
  /** [CLOCK, LOW, HORIZON, entry times…] */
  times: number[] = [-Infinity, -Infinity, -Infinity];
  /** Field values, parallel to `times` (first BASE unused; empty for `count` and `timeSince`). */
  vals: FieldValue[];
  head = BASE;
  aggStart = BASE;
  /** Entries dropped because the cap was hit. */
  dropped = 0;
  /** sum/avg: exact-sum partials of the aggregated values (null for other kinds). */
  partials: number[] | null = null;
  /** min/max: monotonic deque of indices into `times`/`vals` (null for other kinds). */
  dq: number[] | null = null;
  dqHead = 0;
  /** distinctCount / seen: aggregated value → number of entries with it. */
  distinct: Map<FieldValue, number> | null = null;

  constructor(withValues: boolean) {
    this.vals = withValues ? [0, 0, 0] : [];
  }
}
