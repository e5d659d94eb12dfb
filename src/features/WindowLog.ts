/**
 * A log: one key's history for one log group (event types, filter, cap) — the times of the
 * events that passed the group's test, ascending, equal times in processing order, and one
 * column per field the group's windowed features read, index-aligned with the times.
 *
 * A log lives in an arena (`Arena.a`, a Float64Array): a header of scalars at offset `h`, and a
 * region of `CAP` entries from `OFF`, entry `i` at `OFF + i·S` (S = the group's stride, 1 +
 * columns): its time, then per column a finite number or NaN (numeric column; NaN = missing),
 * or, for a value column, the value at the same index of the arena's side array `Arena.x` (a
 * string, finite number or boolean; undefined = missing). Entries `[HEAD, END)` are live.
 *
 * The shared logs of a key sit in its `FeatureState` arena, after the header of every scalar of
 * the key (so that a cold key costs a few cache lines, not an object per array); a private log
 * (after a catalog reload or from the version-1 format) has an arena of its own with its header
 * at 0.
 */
/** Index of the first live entry. */
export const HEAD = 0;
/** One past the last entry. */
export const END = 1;
/** Latest time of any entry dropped (by retention or the cap). */
export const HORIZON = 2;
/** Entries dropped because the cap was hit. */
export const DROPPED = 3;
/** Time of the first live entry (Infinity: none). */
export const FIRST = 4;
/** Time of the last entry (-Infinity: none). */
export const LAST = 5;
/** Arena offset of the entry region. */
export const OFF = 6;
/** Capacity of the entry region, in entries. */
export const CAP = 7;
/** Then one per column: the latest time whose value the column no longer holds (a decoded state keeps a column only as far back as its features need). */
export const COL_HORIZON = 8;

/** Entries a log region starts with (a region grows by doubling, moving the arena: fewer, larger steps allocate less). */
export const INITIAL_CAP = 16;

/** Something holding an arena: a key's `FeatureState` or a private log. */
export interface Arena {
  a: Float64Array;
  x: unknown[] | null;
}

/** Writes a fresh header for a log with `columns` columns at `h` (its region: `off`, `cap` entries). */
export function initHeader(a: Float64Array, h: number, columns: number, off: number, cap: number): void {
  a[h + HEAD] = 0;
  a[h + END] = 0;
  a[h + HORIZON] = -Infinity;
  a[h + DROPPED] = 0;
  a[h + FIRST] = Infinity;
  a[h + LAST] = -Infinity;
  a[h + OFF] = off;
  a[h + CAP] = cap;
  for (let c = 0; c < columns; c++) a[h + COL_HORIZON + c] = -Infinity;
}

/**
 * Grows the region of the log whose header is at `heads[grown]` to hold at least `need` entries
 * (doubling), moving every region of the arena: `heads` lists the arena's log headers in region
 * order, `strides` their strides; regions start at `start`. Replaces `arena.a` (and `x`).
 */
export function growRegion(arena: Arena, start: number, heads: readonly number[], strides: readonly number[], grown: number, need: number): void {
  const a = arena.a;
  const x = arena.x;
  let total = start;
  for (let r = 0; r < heads.length; r++) {
    const h = heads[r]!;
    let cap = a[h + CAP]!;
    if (r === grown) cap = Math.max(need, cap * 2, 4);
    total += cap * strides[r]!;
  }
  const na = new Float64Array(total);
  na.set(a.subarray(0, start));
  const nx = x === null ? null : new Array<unknown>(total);
  if (x !== null) for (let i = 0; i < start; i++) nx![i] = x[i]; // (a key's aux objects live there)
  let off = start;
  for (let r = 0; r < heads.length; r++) {
    const h = heads[r]!;
    const S = strides[r]!;
    const old = a[h + OFF]!;
    const used = a[h + END]! * S;
    na.set(a.subarray(old, old + used), off);
    if (x !== null) for (let i = 0; i < used; i++) nx![off + i] = x[old + i];
    const cap = r === grown ? Math.max(need, a[h + CAP]! * 2, 4) : a[h + CAP]!;
    na[h + OFF] = off;
    na[h + CAP] = cap;
    off += cap * S;
  }
  arena.a = na;
  arena.x = nx;
}

/**
 * A log of its own (features born at a catalog reload, or read from the version-1 format): its
 * header at 0 of its own arena. Once the key's clock minus every member's window and lateness is
 * at or after `mergeAfter`, the members go back to the group's shared log.
 */
export class PrivateLog implements Arena {
  a: Float64Array;
  x: unknown[] | null;
  /** Its header offset (in its own arena). */
  readonly h = 0;
  readonly heads: readonly number[] = [0];
  readonly strides: readonly number[];

  constructor(
    /** Index of the log group. */
    readonly group: number,
    readonly columns: number,
    hasValues: boolean,
    public mergeAfter: number,
    cap = INITIAL_CAP,
  ) {
    const S = 1 + columns;
    this.strides = [S];
    const start = COL_HORIZON + columns;
    this.a = new Float64Array(start + cap * S);
    this.x = hasValues ? new Array<unknown>(start + cap * S) : null;
    initHeader(this.a, 0, columns, start, cap);
  }

  /** Region start (its header's size). */
  get start(): number {
    return COL_HORIZON + this.columns;
  }
}
