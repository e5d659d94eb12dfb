import type { FieldValue } from './types.ts';

/** `times[CLOCK]`: latest event time seen for the key (any event, matching or not). */
export const CLOCK = 0;
/** `times[HORIZON]`: latest time of any entry dropped (by the window, the lateness bound or the cap). */
export const HORIZON = 2;
/** Index of the first entry slot in `times` / `vals`. */
export const BASE = 3;

/**
 * A `last` / `timeSince` feature's state as one object: the form its encoded slot is read into
 * and written from (`LatestFeature.decode` / `encode`); in a key's state the same entries live in
 * the arena (`LatestFeature.toSlot` / `fromSlot`). `times[head..]` are the entries, ascending
 * (equal times in processing order), `vals` their values for `last`.
 */
export class LogSlot {
  /** [CLOCK, (unused), HORIZON, entry times…] */
  times: number[] = [-Infinity, -Infinity, -Infinity];
  /** Field values, parallel to `times` (first BASE unused; empty for `timeSince`). */
  vals: FieldValue[];
  head = BASE;
  /** Entries dropped because the cap was hit. */
  dropped = 0;

  constructor(withValues: boolean) {
    this.vals = withValues ? [0, 0, 0] : [];
  }
}
