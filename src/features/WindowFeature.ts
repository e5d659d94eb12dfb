import type { ArgusEvent } from '../events/ArgusEvent.ts';
import type { Getter } from '../events/path.ts';
import { sumAdd, sumValue } from './exactSum.ts';
import { upperBound } from './sortedSearch.ts';
import type { FeatureKind, FeatureValue, FieldValue } from './types.ts';
import { COL_HORIZON, END, HEAD, HORIZON, LAST } from './WindowLog.ts';

export const COUNT = 0;
export const SUM = 1;
export const AVG = 2;
export const MIN = 3;
export const MAX = 4;
export const DISTINCT = 5;
const OPS: Partial<Record<FeatureKind, number>> = { count: COUNT, sum: SUM, avg: AVG, min: MIN, max: MAX, distinctCount: DISTINCT };

/** Scalars of one windowed feature in the key's number array, from its offset. */
/** the running aggregate covers entries with time > LOW */
const LOW = 0;
/** index of the first aggregated entry */
const AGG = 1;
/** valid (non-missing) entries in the aggregate (for avg) */
const N = 2;
/** first live index of the min/max deque */
const DQH = 3;
export const WINDOW_SCALARS = 4;

/**
 * `count`, `sum`, `avg`, `min`, `max`, `distinctCount` and windowed `seen`: an aggregate over the
 * key's entries with time in `(t − window, t]`, read from the shared log of its group (one log
 * per event types + filter + cap; one column per field).
 *
 * For an event in order (`t ≥` the key's clock), the running aggregate over the live window
 * answers in O(1) amortised: counts, exact sums, a monotonic deque for min/max, a value →
 * multiplicity map for distinct values. An out-of-order event is answered by a scan of the
 * entries in its own window (binary search for the bounds), so it is exact too, as long as it is
 * within `allowedLateness` of the clock; the log keeps entries that long after they leave the
 * longest window of its group. A value is exact iff every entry ever dropped (by retention or
 * cap) is at or before the window start (`horizon ≤ t − window`).
 *
 * Holds no per-key data: the key's number array (`num`, from offset `at`), the feature's aux
 * object (partials / deque / map) and its log come in.
 */
export class WindowFeature {
  readonly op: number;
  /** Reads a column (sum/avg/min/max: numeric; distinctCount/seen: value). */
  readonly numeric: boolean;
  /** The definition-hash prefix that names it in an encoded state. */
  readonly tag: string;
  private readonly scratch: number[] = [];
  private readonly scratchSet = new Set<FieldValue>();

  constructor(
    readonly name: string,
    readonly kind: FeatureKind,
    readonly hash: string,
    /** Filter group (event types + filter). */
    readonly group: number,
    /** Log group (filter group + cap). */
    readonly logGroup: number,
    /** Column index in the log group (-1: none, for count). */
    readonly col: number,
    /** Offset of its scalars in the key's number array. */
    readonly at: number,
    readonly window: number,
    readonly lateness: number,
    readonly get: Getter | undefined,
  ) {
    const op = OPS[kind];
    if (op === undefined) throw new Error(`WindowFeature cannot compute ${kind}`);
    this.op = op;
    this.tag = hash.slice(0, 8);
    this.numeric = op === SUM || op === AVG || op === MIN || op === MAX;
  }

  /** The feature's per-key aux object (null for count). */
  createAux(): unknown {
    const op = this.op;
    if (op === DISTINCT) return new Map<FieldValue, number>();
    if (op === SUM || op === AVG || op === MIN || op === MAX) return [];
    return null;
  }

  /** Resets the scalars and aux and aggregates the log's entries after `clock − window` (log null: none). */
  rebuild(num: number[], h: number, aux: unknown, t: number[] | null, cols: unknown[][], clock: number): void {
    const at = this.at;
    const low = clock - this.window;
    num[at + LOW] = low;
    this.reset(num, aux);
    if (t === null) {
      num[at + AGG] = 0;
      return;
    }
    const start = upperBound(t, num[h + HEAD]!, t.length, low);
    num[at + AGG] = start;
    for (let i = start; i < t.length; i++) this.aggAdd(num, aux, t, cols, i);
  }

  /** Empties the aggregate (not LOW or AGG). */
  private reset(num: number[], aux: unknown): void {
    num[this.at + N] = 0;
    num[this.at + DQH] = 0;
    if (this.op === DISTINCT) (aux as Map<FieldValue, number>).clear();
    else if (aux !== null) (aux as number[]).length = 0;
  }

  /** Value of an empty history (no log yet). */
  empty(): FeatureValue {
    switch (this.op) {
      case COUNT:
      case SUM:
      case DISTINCT:
        return 0;
      default:
        return null;
    }
  }

  /** The value for `event` over its prior history; `clock`: the key's latest time. */
  value(num: number[], h: number, aux: unknown, t: number[] | null, cols: unknown[][], event: ArgusEvent): FeatureValue {
    // (doubles are read here, not passed: a double argument of a call that is not inlined is a heap allocation)
    const clock = num[0]!;
    const time = event.time;
    const from = time - this.window;
    if (t === null) return this.empty();
    if (time >= clock && from >= num[this.at + LOW]!) {
      // in order: nothing in the window if the last entry is at or before its start (no log access)
      if (num[h + LAST]! <= from) return this.empty();
      this.advance(num, h, aux, t, cols, from);
      return this.current(num, aux, t, cols, event);
    }
    return this.between(num, h, t, cols, from, time);
  }

  /** Whether the value at `time` has every entry of its window (none was dropped after its start). */
  exactAt(num: number[], h: number, time: number): boolean {
    const from = time - this.window;
    return num[h + HORIZON]! <= from && (this.col < 0 || num[h + COL_HORIZON + this.col]! <= from);
  }

  describeValue(num: number[], h: number, t: number[] | null, cols: unknown[][], time: number): FeatureValue {
    const from = time - this.window;
    if (t === null) return this.empty();
    return this.between(num, h, t, cols, from, time);
  }

  // ── running aggregate ──────────────────────────────────────────────────────────────────

  private current(num: number[], aux: unknown, t: number[], cols: unknown[][], event: ArgusEvent): FeatureValue {
    const at = this.at;
    switch (this.op) {
      case COUNT:
        return t.length - num[at + AGG]!;
      case SUM:
        return sumValue(aux as number[]);
      case AVG: {
        const n = num[at + N]!;
        return n === 0 ? null : sumValue(aux as number[]) / n;
      }
      case MIN:
      case MAX: {
        const dq = aux as number[];
        const h = num[at + DQH]!;
        return h < dq.length ? (cols[this.col]![dq[h]!] as number) : null;
      }
      default: // DISTINCT
        return (aux as Map<FieldValue, number>).size;
    }
  }

  /** The value over `(from, to]` by a scan of the log (out-of-order events, describe); no mutation. */
  between(num: number[], h: number, t: number[], cols: unknown[][], from: number, to: number): FeatureValue {
    const times = t;
    const lo = upperBound(times, num[h + HEAD]!, times.length, from);
    const hi = upperBound(times, lo, times.length, to);
    switch (this.op) {
      case COUNT:
        return hi - lo;
      case SUM:
      case AVG: {
        const vals = cols[this.col] as number[];
        const p = this.scratch;
        p.length = 0;
        let n = 0;
        for (let i = lo; i < hi; i++) {
          const x = vals[i]!;
          if (x === x) {
            sumAdd(p, x);
            n++;
          }
        }
        if (this.op === SUM) return sumValue(p);
        return n === 0 ? null : sumValue(p) / n;
      }
      case MIN:
      case MAX: {
        const vals = cols[this.col] as number[];
        let m = NaN;
        for (let i = lo; i < hi; i++) {
          const x = vals[i]!;
          if (x === x && (m !== m || (this.op === MIN ? x < m : x > m))) m = x;
        }
        return m === m ? m : null;
      }
      default: // DISTINCT
        return this.distinctBetween(num, h, t, cols, from, to);
    }
  }

  private distinctBetween(num: number[], h: number, t: number[], cols: unknown[][], from: number, to: number): number {
    const times = t;
    const lo = upperBound(times, num[h + HEAD]!, times.length, from);
    const hi = upperBound(times, lo, times.length, to);
    const vals = cols[this.col] as (FieldValue | undefined)[];
    const set = this.scratchSet;
    for (let i = lo; i < hi; i++) {
      const x = vals[i];
      if (x !== undefined) set.add(x);
    }
    const n = set.size;
    set.clear();
    return n;
  }

  /** An entry was inserted at `pos` (time `u`) of the log. */
  inserted(num: number[], aux: unknown, t: number[], cols: unknown[][], pos: number, late: boolean): void {
    const at = this.at;
    const u = t[pos]!;
    const deque = this.op === MIN || this.op === MAX;
    if (u <= num[at + LOW]!) {
      num[at + AGG] = num[at + AGG]! + 1; // before the aggregated range
      if (late && deque) this.dequeShift(num, aux as number[], pos);
    } else if (late && deque) {
      this.dequeShift(num, aux as number[], pos);
      this.dequeInsertLate(num, aux as number[], t, cols, pos);
    } else {
      this.aggAdd(num, aux, t, cols, pos);
    }
  }

  /** The log's head entry `i` is about to be dropped (cap). */
  dropping(num: number[], aux: unknown, t: number[], cols: unknown[][], i: number): void {
    const at = this.at;
    if (i === num[at + AGG]!) {
      this.aggRemove(num, aux, t, cols, i);
      num[at + AGG] = i + 1;
    }
  }

  /** The log dropped `dead` entries before its first live one and moved the rest down. */
  compacted(num: number[], aux: unknown, dead: number): void {
    const at = this.at;
    num[at + AGG] = num[at + AGG]! - dead;
    if (this.op === MIN || this.op === MAX) {
      const dq = aux as number[];
      let j = 0;
      for (let i = num[at + DQH]!; i < dq.length; i++) dq[j++] = dq[i]! - dead;
      dq.length = j;
      num[at + DQH] = 0;
    }
  }

  /** Moves the aggregate's low edge to the window at the key's clock. */
  settle(num: number[], h: number, aux: unknown, t: number[], cols: unknown[][]): void {
    this.advance(num, h, aux, t, cols, num[0]! - this.window);
  }

  /** Moves the aggregate's low edge to `low` (never back). */
  private advance(num: number[], h: number, aux: unknown, t: number[], cols: unknown[][], low: number): void {
    const at = this.at;
    if (low <= num[at + LOW]!) return;
    num[at + LOW] = low;
    const end = num[h + END]!;
    if (num[at + AGG]! >= end) return; // nothing aggregated
    if (num[h + LAST]! <= low) {
      // every entry leaves: no need to read them
      num[at + AGG] = end;
      if (this.op !== COUNT) {
        this.reset(num, aux);
      }
      return;
    }
    const times = t;
    let i = num[at + AGG]!;
    if (this.op === COUNT) {
      while (i < end && times[i]! <= low) i++;
    } else {
      while (i < end && times[i]! <= low) {
        this.aggRemove(num, aux, t, cols, i);
        i++;
      }
    }
    num[at + AGG] = i;
  }

  private aggAdd(num: number[], aux: unknown, t: number[], cols: unknown[][], i: number): void {
    switch (this.op) {
      case COUNT:
        return;
      case SUM:
      case AVG: {
        const x = (cols[this.col] as number[])[i]!;
        if (x === x) {
          sumAdd(aux as number[], x);
          num[this.at + N] = num[this.at + N]! + 1;
        }
        return;
      }
      case MIN:
      case MAX: {
        const x = (cols[this.col] as number[])[i]!;
        if (x === x) this.dequePush(num, aux as number[], t, cols, i);
        return;
      }
      default: {
        const x = cols[this.col]![i] as FieldValue | undefined;
        if (x !== undefined) {
          const m = aux as Map<FieldValue, number>;
          m.set(x, (m.get(x) ?? 0) + 1);
        }
      }
    }
  }

  private aggRemove(num: number[], aux: unknown, t: number[], cols: unknown[][], i: number): void {
    switch (this.op) {
      case COUNT:
        return;
      case SUM:
      case AVG: {
        const x = (cols[this.col] as number[])[i]!;
        if (x === x) {
          sumAdd(aux as number[], -x);
          num[this.at + N] = num[this.at + N]! - 1;
        }
        return;
      }
      case MIN:
      case MAX: {
        const dq = aux as number[];
        let h = num[this.at + DQH]!;
        while (h < dq.length && dq[h]! <= i) h++;
        num[this.at + DQH] = h;
        return;
      }
      default: {
        const x = cols[this.col]![i] as FieldValue | undefined;
        if (x !== undefined) {
          const m = aux as Map<FieldValue, number>;
          const c = m.get(x)!;
          if (c <= 1) m.delete(x);
          else m.set(x, c - 1);
        }
      }
    }
  }

  /** Appends index `i` (the newest entry) to the monotonic deque. */
  private dequePush(num: number[], dq: number[], t: number[], cols: unknown[][], i: number): void {
    const vals = cols[this.col] as number[];
    const v = vals[i]!;
    const h = num[this.at + DQH]!;
    if (this.op === MAX) while (dq.length > h && vals[dq[dq.length - 1]!]! <= v) dq.pop();
    else while (dq.length > h && vals[dq[dq.length - 1]!]! >= v) dq.pop();
    dq.push(i);
  }

  /** An entry was inserted at `pos`: deque indices at or after it move up by one. */
  private dequeShift(num: number[], dq: number[], pos: number): void {
    const h = num[this.at + DQH]!;
    for (let k = dq.length - 1; k >= h && dq[k]! >= pos; k--) dq[k] = dq[k]! + 1;
  }

  /**
   * A late entry at `pos` inside the aggregated range. The deque holds the indices whose value
   * beats every later one (strictly; on a tie the later entry outlives the earlier). The new
   * entry belongs in it iff it beats the best value after it, which is the first deque entry
   * after `pos`; then the entries before it that it beats leave.
   */
  private dequeInsertLate(num: number[], dq: number[], t: number[], cols: unknown[][], pos: number): void {
    const vals = cols[this.col] as number[];
    const v = vals[pos]!;
    if (v !== v) return; // missing value: not an entry of this feature
    const isMax = this.op === MAX;
    const h = num[this.at + DQH]!;
    let k = h;
    while (k < dq.length && dq[k]! < pos) k++;
    if (k < dq.length) {
      const next = vals[dq[k]!]!;
      if (isMax ? v <= next : v >= next) return; // dominated by a later entry
    }
    let j = k;
    while (j > h && (isMax ? vals[dq[j - 1]!]! <= v : vals[dq[j - 1]!]! >= v)) j--;
    dq.splice(j, k - j, pos);
  }
}

