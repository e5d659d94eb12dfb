import type { FieldValue } from './types.ts';

/**
 * One key's history for one windowed feature: the entries (event time, field value) that passed
 * the feature's filter, ascending by time, equal times in processing order. `times[head..]` are
 * live; `times[aggStart..]` (entries later than `low`) are summed up in the running aggregate.
 */
export class LogSlot {
  /** Latest event time seen for the key (any event, matching or not). */
  clock = -Infinity;
  /** Latest time of any entry dropped (by the window, the lateness bound or the cap). */
  horizon = -Infinity;
  /** The running aggregate covers entries with time > low. */
  low = -Infinity;
  /** Entries dropped because the cap was hit. */
  dropped = 0;
  times: number[] = [];
  /** Field values, parallel to `times` (empty for `count` and `timeSince`). */
  vals: FieldValue[] = [];
  head = 0;
  aggStart = 0;
  /** sum/avg: exact-sum partials of the aggregated values. */
  partials: number[] = [];
  /** min/max: monotonic deque of indices into `times`/`vals`. */
  dq: number[] = [];
  dqHead = 0;
  /** distinctCount / seen: aggregated value → number of entries with it. */
  distinct: Map<FieldValue, number> | null = null;
}
