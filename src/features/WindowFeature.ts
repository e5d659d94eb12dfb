import type { Getter } from '../events/path.ts';
import { sumAdd, sumAddAt, sumValue, sumValueAt } from './exactSum.ts';
import { upperBoundAt } from './sortedSearch.ts';
import type { FeatureKind, FeatureValue, FieldValue } from './types.ts';
import { COL_HORIZON, END, HEAD, HORIZON, LAST, OFF } from './WindowLog.ts';

export const COUNT = 0;
export const SUM = 1;
export const AVG = 2;
export const MIN = 3;
export const MAX = 4;
export const DISTINCT = 5;
const OPS: Partial<Record<FeatureKind, number>> = { count: COUNT, sum: SUM, avg: AVG, min: MIN, max: MAX, distinctCount: DISTINCT };

/** Scalars of one windowed feature in the key's arena, from its offset. */
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
 * sum/avg partials and min/max deques live in the arena, in a block of VEC_SLOTS + 1 (their
 * count first, then the items); a key whose partials or deque outgrow it moves them to its aux
 * array (count -1) for good — exact sums of money rarely need more than 3 partials, a monotonic
 * deque over random values holds a few.
 */
export const VEC_SLOTS = 8;

/**
 * `count`, `sum`, `avg`, `min`, `max` and `distinctCount`: an aggregate over the key's entries
 * with time in `(t − window, t]`, read from the log of its group (one log per event types +
 * filter + cap; one column per field).
 *
 * For an event in order (`t ≥` the key's clock), the running aggregate over the live window
 * answers in O(1) amortised: counts, exact sums, a monotonic deque for min/max, a value →
 * multiplicity map for distinct values. An out-of-order event is answered by a scan of the
 * entries in its own window (binary search for the bounds), so it is exact too, as long as it is
 * within `allowedLateness` of the clock; the log keeps entries that long after they leave the
 * longest window of its group. A value is exact iff every entry ever dropped (by retention or
 * cap) is at or before the window start (`horizon ≤ t − window`).
 *
 * Holds no per-key data: the key's arena (`a`: its scalars from `at`, its partials or deque in
 * the block at `vec`), its aux object (distinctCount's value map; the array its partials or deque
 * moved to if they outgrew the block) and its log (`L`/`X`, header at `h`) come in. Every instance
 * has the same class, so the calls from `FeatureSet` are monomorphic; the kind is a small int
 * (`op`).
 */
export class WindowFeature {
  readonly op: number;
  /** Reads a column (sum/avg/min/max: numeric; distinctCount: value). */
  readonly numeric: boolean;
  /** The definition-hash prefix that names it in an encoded state. */
  readonly tag: string;
  /** Offset of its column in an entry (1 + col), 0 for count. */
  readonly slot: number;
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
    /** Offset of its scalars in the key's arena. */
    readonly at: number,
    readonly window: number,
    readonly lateness: number,
    readonly get: Getter | undefined,
    /** Entry stride of its log group. */
    readonly S: number,
    /** Offset of its partials / deque block in the key's arena (-1: count, distinctCount). */
    readonly vec: number,
  ) {
    const op = OPS[kind];
    if (op === undefined) throw new Error(`WindowFeature cannot compute ${kind}`);
    this.op = op;
    this.tag = hash.slice(0, 8);
    this.numeric = op === SUM || op === AVG || op === MIN || op === MAX;
    this.slot = col + 1;
  }

  /** The feature's per-key aux object: distinctCount's map; for sum/avg/min/max the array the block moves to when it is outgrown; null for count. */
  createAux(): unknown {
    const op = this.op;
    if (op === DISTINCT) return new Map<FieldValue, number>();
    if (op === SUM || op === AVG || op === MIN || op === MAX) return [];
    return null;
  }

  /** Resets the scalars and aux and aggregates the log's entries after `clock − window` (L null: no log). */
  rebuild(a: Float64Array, aux: unknown, L: Float64Array | null, X: unknown[] | null, h: number, clock: number): void {
    const at = this.at;
    const low = clock - this.window;
    a[at + LOW] = low;
    this.reset(a, aux);
    if (L === null) {
      a[at + AGG] = 0;
      return;
    }
    const end = L[h + END]!;
    const start = upperBoundAt(L, L[h + OFF]!, this.S, L[h + HEAD]!, end, low);
    a[at + AGG] = start;
    for (let i = start; i < end; i++) this.aggAdd(a, aux, L, X, h, i);
  }

  /** Empties the aggregate (not LOW or AGG). */
  private reset(a: Float64Array, aux: unknown): void {
    a[this.at + N] = 0;
    a[this.at + DQH] = 0;
    if (this.op === DISTINCT) (aux as Map<FieldValue, number>).clear();
    else if (aux !== null) {
      (aux as number[]).length = 0;
      a[this.vec] = 0; // back in the arena
    }
  }

  // ── the partials / deque block: in the arena (count ≥ 0) or moved to the aux array (-1) ──

  private vlen(a: Float64Array, aux: unknown): number {
    const n = a[this.vec]!;
    return n >= 0 ? n : (aux as number[]).length;
  }

  private vget(a: Float64Array, aux: unknown, k: number): number {
    return a[this.vec]! >= 0 ? a[this.vec + 1 + k]! : (aux as number[])[k]!;
  }

  private vset(a: Float64Array, aux: unknown, k: number, x: number): void {
    if (a[this.vec]! >= 0) a[this.vec + 1 + k] = x;
    else (aux as number[])[k] = x;
  }

  private vsetLen(a: Float64Array, aux: unknown, n: number): void {
    if (a[this.vec]! >= 0) a[this.vec] = n;
    else (aux as number[]).length = n;
  }

  /** Room for one more item: a full block drops the deque's dead head, or moves to the aux array. */
  private vroom(a: Float64Array, aux: unknown): void {
    const v = this.vec;
    const n = a[v]!;
    if (n < VEC_SLOTS) return; // (also -1: the aux array grows by itself)
    const q = this.op === MIN || this.op === MAX ? a[this.at + DQH]! : 0;
    if (q > 0) {
      a.copyWithin(v + 1, v + 1 + q, v + 1 + n);
      a[v] = n - q;
      a[this.at + DQH] = 0;
      return;
    }
    const arr = aux as number[];
    arr.length = 0;
    for (let j = 0; j < n; j++) arr.push(a[v + 1 + j]!);
    a[v] = -1;
  }

  private addPartial(a: Float64Array, aux: unknown, x: number): void {
    this.vroom(a, aux);
    const v = this.vec;
    if (a[v]! >= 0) a[v] = sumAddAt(a, v + 1, a[v]!, x);
    else sumAdd(aux as number[], x);
  }

  private sumNow(a: Float64Array, aux: unknown): number {
    const v = this.vec;
    return a[v]! >= 0 ? sumValueAt(a, v + 1, a[v]!) : sumValue(aux as number[]);
  }

  /** Value of an empty history. */
  empty(): FeatureValue {
    const op = this.op;
    return op === COUNT || op === SUM || op === DISTINCT ? 0 : null;
  }

  /** The value for an event at `time` over its prior history. */
  value(a: Float64Array, aux: unknown, L: Float64Array, X: unknown[] | null, h: number, time: number): FeatureValue {
    const from = time - this.window;
    if (time >= a[0]! && from >= a[this.at + LOW]!) {
      // in order: nothing in the window if the last entry is at or before its start
      if (L[h + LAST]! <= from) return this.empty();
      this.advance(a, aux, L, X, h, from);
      return this.current(a, aux, L, X, h);
    }
    return this.between(L, X, h, from, time);
  }

  /** Whether the value at `time` has every entry of its window (none was dropped after its start). */
  exactAt(L: Float64Array, h: number, time: number): boolean {
    const from = time - this.window;
    return L[h + HORIZON]! <= from && (this.col < 0 || L[h + COL_HORIZON + this.col]! <= from);
  }

  // ── running aggregate ──────────────────────────────────────────────────────────────────

  private current(a: Float64Array, aux: unknown, L: Float64Array, X: unknown[] | null, h: number): FeatureValue {
    const at = this.at;
    switch (this.op) {
      case COUNT:
        return L[h + END]! - a[at + AGG]!;
      case SUM:
        return this.sumNow(a, aux);
      case AVG: {
        const n = a[at + N]!;
        return n === 0 ? null : this.sumNow(a, aux) / n;
      }
      case MIN:
      case MAX: {
        const q = a[at + DQH]!;
        return q < this.vlen(a, aux) ? L[L[h + OFF]! + this.vget(a, aux, q) * this.S + this.slot]! : null;
      }
      default: // DISTINCT
        return (aux as Map<FieldValue, number>).size;
    }
  }

  /** The value over `(from, to]` by a scan of the log (out-of-order events, describe); no mutation. */
  between(L: Float64Array, X: unknown[] | null, h: number, from: number, to: number): FeatureValue {
    const S = this.S;
    const off = L[h + OFF]!;
    const end = L[h + END]!;
    const lo = upperBoundAt(L, off, S, L[h + HEAD]!, end, from);
    const hi = upperBoundAt(L, off, S, lo, end, to);
    const base = off + this.slot;
    switch (this.op) {
      case COUNT:
        return hi - lo;
      case SUM:
      case AVG: {
        const p = this.scratch;
        p.length = 0;
        let n = 0;
        for (let i = lo; i < hi; i++) {
          const x = L[base + i * S]!;
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
        let m = NaN;
        for (let i = lo; i < hi; i++) {
          const x = L[base + i * S]!;
          if (x === x && (m !== m || (this.op === MIN ? x < m : x > m))) m = x;
        }
        return m === m ? m : null;
      }
      default: {
        // DISTINCT
        const set = this.scratchSet;
        for (let i = lo; i < hi; i++) {
          const x = X![base + i * S] as FieldValue | undefined;
          if (x !== undefined) set.add(x);
        }
        const n = set.size;
        set.clear();
        return n;
      }
    }
  }

  /** An entry was inserted at `pos` of the log (`late`: not at its end). */
  inserted(a: Float64Array, aux: unknown, L: Float64Array, X: unknown[] | null, h: number, pos: number, late: boolean): void {
    const at = this.at;
    const u = L[L[h + OFF]! + pos * this.S]!;
    const deque = this.op === MIN || this.op === MAX;
    if (u <= a[at + LOW]!) {
      a[at + AGG] = a[at + AGG]! + 1; // before the aggregated range
      if (late && deque) this.dequeShift(a, aux, pos);
    } else if (late && deque) {
      this.dequeShift(a, aux, pos);
      this.dequeInsertLate(a, aux, L, h, pos);
    } else {
      this.aggAdd(a, aux, L, X, h, pos);
    }
  }

  /** The log's head entry `i` is about to be dropped (cap). */
  dropping(a: Float64Array, aux: unknown, L: Float64Array, X: unknown[] | null, h: number, i: number): void {
    const at = this.at;
    if (i === a[at + AGG]!) {
      this.aggRemove(a, aux, L, X, h, i);
      a[at + AGG] = i + 1;
    }
  }

  /** The log dropped `dead` entries before its first live one and moved the rest down. */
  compacted(a: Float64Array, aux: unknown, dead: number): void {
    const at = this.at;
    a[at + AGG] = a[at + AGG]! - dead;
    if (this.op === MIN || this.op === MAX) {
      let j = 0;
      const n = this.vlen(a, aux);
      for (let i = a[at + DQH]!; i < n; i++) this.vset(a, aux, j++, this.vget(a, aux, i) - dead);
      this.vsetLen(a, aux, j);
      a[at + DQH] = 0;
    }
  }

  /** Moves the aggregate's low edge to the window at the key's clock. */
  settle(a: Float64Array, aux: unknown, L: Float64Array, X: unknown[] | null, h: number): void {
    this.advance(a, aux, L, X, h, a[0]! - this.window);
  }

  /** Moves the aggregate's low edge to `low` (never back). */
  private advance(a: Float64Array, aux: unknown, L: Float64Array, X: unknown[] | null, h: number, low: number): void {
    const at = this.at;
    if (low <= a[at + LOW]!) return;
    a[at + LOW] = low;
    const end = L[h + END]!;
    let i = a[at + AGG]!;
    if (i >= end) return; // nothing aggregated
    if (L[h + LAST]! <= low) {
      // every entry leaves: no need to read them
      a[at + AGG] = end;
      if (this.op !== COUNT) this.reset(a, aux);
      return;
    }
    const S = this.S;
    const off = L[h + OFF]!;
    if (this.op === COUNT) {
      while (i < end && L[off + i * S]! <= low) i++;
    } else {
      while (i < end && L[off + i * S]! <= low) {
        this.aggRemove(a, aux, L, X, h, i);
        i++;
      }
    }
    a[at + AGG] = i;
  }

  private aggAdd(a: Float64Array, aux: unknown, L: Float64Array, X: unknown[] | null, h: number, i: number): void {
    const e = L[h + OFF]! + i * this.S + this.slot;
    switch (this.op) {
      case COUNT:
        return;
      case SUM:
      case AVG: {
        const x = L[e]!;
        if (x === x) {
          this.addPartial(a, aux, x);
          a[this.at + N] = a[this.at + N]! + 1;
        }
        return;
      }
      case MIN:
      case MAX: {
        const x = L[e]!;
        if (x === x) this.dequePush(a, aux, L, h, i, x);
        return;
      }
      default: {
        const x = X![e] as FieldValue | undefined;
        if (x !== undefined) {
          const m = aux as Map<FieldValue, number>;
          m.set(x, (m.get(x) ?? 0) + 1);
        }
      }
    }
  }

  private aggRemove(a: Float64Array, aux: unknown, L: Float64Array, X: unknown[] | null, h: number, i: number): void {
    switch (this.op) {
      case COUNT:
        return;
      case SUM:
      case AVG: {
        const x = L[L[h + OFF]! + i * this.S + this.slot]!;
        if (x === x) {
          this.addPartial(a, aux, -x);
          a[this.at + N] = a[this.at + N]! - 1;
        }
        return;
      }
      case MIN:
      case MAX: {
        const n = this.vlen(a, aux);
        let q = a[this.at + DQH]!;
        while (q < n && this.vget(a, aux, q) <= i) q++;
        a[this.at + DQH] = q;
        return;
      }
      default: {
        const x = X![L[h + OFF]! + i * this.S + this.slot] as FieldValue | undefined;
        if (x !== undefined) {
          const m = aux as Map<FieldValue, number>;
          const c = m.get(x)!;
          if (c <= 1) m.delete(x);
          else m.set(x, c - 1);
        }
      }
    }
  }

  /** Appends index `i` (the newest entry, value `v`) to the monotonic deque. */
  private dequePush(a: Float64Array, aux: unknown, L: Float64Array, h: number, i: number, v: number): void {
    this.vroom(a, aux);
    const base = L[h + OFF]! + this.slot;
    const S = this.S;
    const q = a[this.at + DQH]!;
    let n = this.vlen(a, aux);
    if (this.op === MAX) while (n > q && L[base + this.vget(a, aux, n - 1) * S]! <= v) n--;
    else while (n > q && L[base + this.vget(a, aux, n - 1) * S]! >= v) n--;
    this.vset(a, aux, n, i);
    this.vsetLen(a, aux, n + 1);
  }

  /** An entry was inserted at `pos`: deque indices at or after it move up by one. */
  private dequeShift(a: Float64Array, aux: unknown, pos: number): void {
    const q = a[this.at + DQH]!;
    for (let k = this.vlen(a, aux) - 1; k >= q && this.vget(a, aux, k) >= pos; k--) this.vset(a, aux, k, this.vget(a, aux, k) + 1);
  }

  /**
   * A late entry at `pos` inside the aggregated range. The deque holds the indices whose value
   * beats every later one (strictly; on a tie the later entry outlives the earlier). The new
   * entry belongs in it iff it beats the best value after it, which is the first deque entry
   * after `pos`; then the entries before it that it beats leave.
   */
  private dequeInsertLate(a: Float64Array, aux: unknown, L: Float64Array, h: number, pos: number): void {
    const base = L[h + OFF]! + this.slot;
    const S = this.S;
    const v = L[base + pos * S]!;
    if (v !== v) return; // missing value: not an entry of this feature
    this.vroom(a, aux);
    const isMax = this.op === MAX;
    const q = a[this.at + DQH]!;
    const n = this.vlen(a, aux);
    let k = q;
    while (k < n && this.vget(a, aux, k) < pos) k++;
    if (k < n) {
      const next = L[base + this.vget(a, aux, k) * S]!;
      if (isMax ? v <= next : v >= next) return; // dominated by a later entry
    }
    let j = k;
    while (j > q && (isMax ? L[base + this.vget(a, aux, j - 1) * S]! <= v : L[base + this.vget(a, aux, j - 1) * S]! >= v)) j--;
    // replace items [j, k) by pos
    if (j === k) {
      for (let m = n; m > k; m--) this.vset(a, aux, m, this.vget(a, aux, m - 1));
      this.vset(a, aux, k, pos);
      this.vsetLen(a, aux, n + 1);
    } else {
      this.vset(a, aux, j, pos);
      const gone = k - j - 1;
      if (gone > 0) {
        for (let m = k; m < n; m++) this.vset(a, aux, m - gone, this.vget(a, aux, m));
        this.vsetLen(a, aux, n - gone);
      }
    }
  }
}
