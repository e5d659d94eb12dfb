/**
 * A log's header: scalars kept in the key's number array (`FeatureState.num`, from the log's
 * header offset), not in the log itself, so that evaluating a feature whose log holds nothing in
 * its window touches no memory beyond that array — on a cold key each array touched is a cache
 * miss.
 */
/** Index of the first live entry. */
export const HEAD = 0;
/** One past the last entry (the arrays' length). */
export const END = 1;
/** Latest time of any entry dropped (by retention or the cap). */
export const HORIZON = 2;
/** Entries dropped because the cap was hit. */
export const DROPPED = 3;
/** Time of the first live entry (Infinity: none). */
export const FIRST = 4;
/** Time of the last entry (-Infinity: none). */
export const LAST = 5;
/** Then one per column: the latest time whose value the column no longer holds (a decoded state keeps a column only as far back as its features need). */
export const COL_HORIZON = 6;

/** A fresh header for a log with `columns` columns. */
export function pushHeader(num: number[], columns: number): number {
  const at = num.length;
  num.push(0, 0, -Infinity, 0, Infinity, -Infinity);
  for (let c = 0; c < columns; c++) num.push(-Infinity);
  return at;
}

/**
 * One key's history for one log group (event types, filter, cap): the times of the events that
 * passed the group's test, ascending, equal times in processing order, and one column per field
 * the group's windowed features read, index-aligned with the times. Numeric columns hold the
 * finite number or NaN (missing / not a number); value columns hold a string, finite number or
 * boolean, or undefined (missing / not a primitive). Entries `[HEAD, END)` are live.
 */
export class WindowLog {
  t: number[] = [];
  cols: unknown[][];

  constructor(
    /** Index of the log group. */
    readonly group: number,
    columns: number,
    /** Offset of its header in the key's number array. */
    public h: number,
    /**
     * Private logs only (a catalog reload or an older state format): once the key's clock minus
     * every member's window and lateness is at or after this time, the members go back to the
     * group's shared log. -Infinity for the shared log.
     */
    public mergeAfter = -Infinity,
  ) {
    this.cols = [];
    for (let c = 0; c < columns; c++) this.cols.push([]);
  }
}
