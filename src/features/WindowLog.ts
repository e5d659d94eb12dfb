/** `t[HEAD]`: index of the first live entry. */
export const HEAD = 0;
/** `t[HORIZON]`: latest time of any entry dropped (by retention or the cap). */
export const HORIZON = 1;
/** `t[DROPPED]`: entries dropped because the cap was hit. */
export const DROPPED = 2;
/** Index of the first entry in `t` and in every column. */
export const BASE = 3;

/**
 * One key's history for one log group (event types, filter, cap): the times of the events that
 * passed the group's test, ascending, equal times in processing order, and one column per field
 * the group's windowed features read, index-aligned with the times. Numeric columns hold the
 * finite number or NaN (missing / not a number); value columns hold a string, finite number or
 * boolean, or undefined (missing / not a primitive).
 *
 * The three scalars live at the start of `t`: V8 keeps the elements of a number array unboxed,
 * whereas a double-valued object field is a separate heap box — one more cache miss per event on
 * a cold key.
 */
export class WindowLog {
  /** [HEAD, HORIZON, DROPPED, entry times…] */
  t: number[];
  /** One per column of the group (first BASE unused). */
  cols: unknown[][];
  /**
   * Private logs only (a catalog reload or an older state format): once the key's clock minus
   * every member's window and lateness is at or after this time, the members go back to the
   * group's shared log. -Infinity for the shared log.
   */
  mergeAfter: number;

  constructor(
    /** Index of the log group. */
    readonly group: number,
    numeric: readonly boolean[],
    mergeAfter = -Infinity,
  ) {
    this.t = [BASE, -Infinity, 0];
    this.cols = new Array(numeric.length);
    // A column's slot HORIZON: the latest time whose value the column no longer holds (an encoded
    // state keeps a column only as far back as its features' longest window and lateness).
    for (let c = 0; c < numeric.length; c++) this.cols[c] = numeric[c] ? [0, -Infinity, 0] : [undefined, -Infinity, undefined];
    this.mergeAfter = mergeAfter;
  }

  size(): number {
    return this.t.length - this.t[HEAD]!;
  }
}
