import type { ArgusEvent } from '../events/ArgusEvent.ts';
import type { Getter } from '../events/path.ts';
import { sumAdd, sumValue } from './exactSum.ts';
import {
  decodeCount,
  decodeTime,
  decodeTimes,
  decodeValues,
  encodeTime,
  isRecord,
  numberOf,
  primitiveOf,
  stateError,
  type Feature,
  type Path,
} from './Feature.ts';
import { BASE, CLOCK, HORIZON, LOW, LogSlot } from './LogSlot.ts';
import { upperBound } from './sortedSearch.ts';
import type { FeatureDescription, FeatureKind, FeatureOutput, FeatureValue, FieldValue } from './types.ts';

const COUNT = 0;
const SUM = 1;
const AVG = 2;
const MIN = 3;
const MAX = 4;
const DISTINCT = 5;
const SEEN = 6;
const OPS: Partial<Record<FeatureKind, number>> = { count: COUNT, sum: SUM, avg: AVG, min: MIN, max: MAX, distinctCount: DISTINCT, seen: SEEN };

/** Compact the log once this many entries at its head are dead and they are at least half of it. */
const COMPACT_AT = 32;

/**
 * `count`, `sum`, `avg`, `min`, `max`, `distinctCount` and windowed `seen`: an aggregate over the
 * key's entries with time in `(t − window, t]`.
 *
 * For an event in order (`t ≥` the latest time seen), the running aggregate over the live
 * window answers in O(1) amortised: counts, exact sums, a monotonic deque for min/max, a value →
 * multiplicity map for distinct values. An out-of-order event is answered by a scan of the
 * entries in its own window (binary search for the bounds), so it is exact too, as long as it is
 * within `allowedLateness` of the latest time; entries are kept that long after leaving the
 * window. Whether a value is exact is known per evaluation: it is exact iff every entry ever
 * dropped (by window, lateness or cap) is at or before the window start (`horizon ≤ t − window`).
 */
export class WindowFeature implements Feature<LogSlot> {
  private readonly op: number;
  private readonly storeVals: boolean;
  private readonly numeric: boolean;
  private readonly scratch: number[] = [];
  private readonly scratchSet = new Set<FieldValue>();

  constructor(
    readonly name: string,
    readonly kind: FeatureKind,
    readonly hash: string,
    readonly group: number,
    private readonly window: number,
    private readonly lateness: number,
    private readonly cap: number,
    private readonly get: Getter | undefined,
  ) {
    const op = OPS[kind];
    if (op === undefined) throw new Error(`WindowFeature cannot compute ${kind}`);
    this.op = op;
    this.storeVals = op !== COUNT;
    this.numeric = op === SUM || op === AVG || op === MIN || op === MAX;
  }

  create(): LogSlot {
    const s = new LogSlot(this.storeVals);
    const op = this.op;
    if (op === DISTINCT || op === SEEN) s.distinct = new Map();
    else if (op === SUM || op === AVG) s.partials = [];
    else if (op === MIN || op === MAX) s.dq = [];
    return s;
  }

  evaluate(s: LogSlot, event: ArgusEvent, out: FeatureOutput): boolean {
    const t = event.time;
    const from = t - this.window;
    let v: FeatureValue;
    if (t >= s.times[CLOCK] && from >= s.times[LOW]) {
      this.advance(s, from);
      v = this.current(s, event);
    } else {
      v = this.between(s, from, t, event);
    }
    out[this.name] = v;
    return s.times[HORIZON] <= from || (v === null && this.op === SEEN);
  }

  update(s: LogSlot, event: ArgusEvent, matched: boolean): void {
    const u = event.time;
    if (u > s.times[CLOCK]) s.times[CLOCK] = u;
    if (matched) {
      if (this.op === COUNT) this.insert(s, u, 0);
      else {
        const raw = this.get!(event.data);
        const x = this.numeric ? numberOf(raw) : primitiveOf(raw);
        if (x !== undefined) this.insert(s, u, x);
      }
    }
    this.settle(s);
  }

  expire(s: LogSlot, time: number): void {
    if (time > s.times[CLOCK]) s.times[CLOCK] = time;
    this.settle(s);
    if (s.head > BASE) this.compact(s); // an idle key: give the memory back
  }

  describe(s: LogSlot, time: number): FeatureDescription {
    const from = time - this.window;
    const value = this.op === SEEN ? this.distinctBetween(s, from, time) : this.between(s, from, time, undefined);
    return { kind: this.kind, value, exact: s.times[HORIZON] <= from, entries: s.times.length - s.head, dropped: s.dropped };
  }

  entries(s: LogSlot): number {
    return s.times.length - s.head;
  }

  isEmpty(s: LogSlot): boolean {
    return s.times.length === s.head;
  }

  encode(s: LogSlot): unknown {
    const o: Record<string, unknown> = { c: encodeTime(s.times[CLOCK]), l: encodeTime(s.times[LOW]), t: s.times.slice(s.head) };
    if (this.storeVals) o.v = s.vals.slice(s.head);
    if (s.times[HORIZON] !== -Infinity) o.z = s.times[HORIZON];
    if (s.dropped > 0) o.n = s.dropped;
    return o;
  }

  decode(json: unknown, at: Path): LogSlot {
    if (!isRecord(json)) throw stateError(at, 'must be an object');
    const s = this.create();
    const clock = decodeTime(json.c, -Infinity, [...at, 'c']);
    const low = decodeTime(json.l, -Infinity, [...at, 'l']);
    const horizon = decodeTime(json.z, -Infinity, [...at, 'z']);
    s.dropped = decodeCount(json.n, [...at, 'n']);
    const times = decodeTimes(json.t, [...at, 't']);
    if (times.length > 0 && times[times.length - 1]! > clock) throw stateError([...at, 't'], 'holds a time after the clock');
    s.times = [clock, low, horizon, ...times];
    if (this.storeVals) s.vals = [0, 0, 0, ...decodeValues(json.v, times.length, this.numeric, [...at, 'v'])];
    const n = s.times.length;
    s.aggStart = upperBound(s.times, BASE, n, low);
    for (let i = s.aggStart; i < n; i++) this.aggAdd(s, i);
    return s;
  }

  // ── running aggregate ──────────────────────────────────────────────────────────────────

  private current(s: LogSlot, event: ArgusEvent): FeatureValue {
    switch (this.op) {
      case COUNT:
        return s.times.length - s.aggStart;
      case SUM:
        return sumValue(s.partials!);
      case AVG: {
        const n = s.times.length - s.aggStart;
        return n === 0 ? null : sumValue(s.partials!) / n;
      }
      case MIN:
      case MAX:
        return s.dqHead < s.dq!.length ? s.vals[s.dq![s.dqHead]!]! : null;
      case DISTINCT:
        return s.distinct!.size;
      default: {
        const x = primitiveOf(this.get!(event.data));
        return x === undefined ? null : s.distinct!.has(x);
      }
    }
  }

  /** The value over `(from, to]` by a scan of the log (out-of-order events, describe); no mutation. */
  private between(s: LogSlot, from: number, to: number, event: ArgusEvent | undefined): FeatureValue {
    const times = s.times;
    const vals = s.vals;
    const lo = upperBound(times, s.head, times.length, from);
    const hi = upperBound(times, lo, times.length, to);
    switch (this.op) {
      case COUNT:
        return hi - lo;
      case SUM:
      case AVG: {
        const p = this.scratch;
        p.length = 0;
        for (let i = lo; i < hi; i++) sumAdd(p, vals[i] as number);
        if (this.op === SUM) return sumValue(p);
        return hi === lo ? null : sumValue(p) / (hi - lo);
      }
      case MIN:
      case MAX: {
        if (hi === lo) return null;
        let m = vals[lo] as number;
        for (let i = lo + 1; i < hi; i++) {
          const x = vals[i] as number;
          if (this.op === MIN ? x < m : x > m) m = x;
        }
        return m;
      }
      case DISTINCT:
        return this.distinctBetween(s, from, to);
      default: {
        const x = event === undefined ? undefined : primitiveOf(this.get!(event.data));
        if (x === undefined) return null;
        for (let i = lo; i < hi; i++) if (vals[i] === x) return true;
        return false;
      }
    }
  }

  private distinctBetween(s: LogSlot, from: number, to: number): number {
    const lo = upperBound(s.times, s.head, s.times.length, from);
    const hi = upperBound(s.times, lo, s.times.length, to);
    const set = this.scratchSet;
    for (let i = lo; i < hi; i++) set.add(s.vals[i]!);
    const n = set.size;
    set.clear();
    return n;
  }

  /** Adds an entry at its place in time order (after equal times), then enforces the cap. */
  private insert(s: LogSlot, u: number, x: FieldValue): void {
    const times = s.times;
    const end = times.length;
    let pos = end;
    let late = false;
    if (end === s.head || times[end - 1]! <= u) {
      times.push(u);
      if (this.storeVals) s.vals.push(x);
    } else {
      pos = upperBound(times, s.head, end, u);
      times.splice(pos, 0, u);
      if (this.storeVals) s.vals.splice(pos, 0, x);
      late = true;
    }
    const deque = this.op === MIN || this.op === MAX;
    if (u <= s.times[LOW]) {
      s.aggStart++; // before the aggregated range
      if (late && deque) this.dequeShift(s, pos);
    } else if (late && deque) {
      this.dequeShift(s, pos);
      this.dequeInsertLate(s, pos);
    } else {
      this.aggAdd(s, pos);
    }
    if (times.length - s.head > this.cap) this.dropHead(s);
  }

  /** The cap was hit: the oldest entry goes, and values reaching back to it become approximate. */
  private dropHead(s: LogSlot): void {
    const i = s.head;
    const t = s.times[i]!;
    if (t > s.times[HORIZON]) s.times[HORIZON] = t;
    if (i === s.aggStart) {
      this.aggRemove(s, i);
      s.aggStart++;
    }
    s.head = i + 1;
    s.dropped++;
  }

  /** Brings the aggregate to the window at the clock, and forgets what lateness no longer needs. */
  private settle(s: LogSlot): void {
    this.advance(s, s.times[CLOCK] - this.window);
    const bound = s.times[CLOCK] - this.window - this.lateness;
    const times = s.times;
    let h = s.head;
    const stop = s.aggStart;
    while (h < stop && times[h]! <= bound) h++;
    if (h > s.head) {
      const t = times[h - 1]!;
      if (t > s.times[HORIZON]) s.times[HORIZON] = t;
      s.head = h;
    }
    // Dead entries stay until there are enough of them to be worth a copy (no allocation here).
    if (s.head - BASE >= COMPACT_AT && 2 * (s.head - BASE) >= times.length - BASE) this.compact(s);
  }

  private advance(s: LogSlot, low: number): void {
    if (low <= s.times[LOW]) return;
    s.times[LOW] = low;
    const times = s.times;
    const end = times.length;
    let i = s.aggStart;
    while (i < end && times[i]! <= low) {
      this.aggRemove(s, i);
      i++;
    }
    s.aggStart = i;
  }

  private aggAdd(s: LogSlot, i: number): void {
    switch (this.op) {
      case COUNT:
        return;
      case SUM:
      case AVG:
        sumAdd(s.partials!, s.vals[i] as number);
        return;
      case MIN:
      case MAX:
        this.dequePush(s, i);
        return;
      default: {
        const m = s.distinct!;
        const x = s.vals[i]!;
        m.set(x, (m.get(x) ?? 0) + 1);
      }
    }
  }

  private aggRemove(s: LogSlot, i: number): void {
    switch (this.op) {
      case COUNT:
        return;
      case SUM:
      case AVG:
        sumAdd(s.partials!, -(s.vals[i] as number));
        return;
      case MIN:
      case MAX: {
        const dq = s.dq!;
        let h = s.dqHead;
        while (h < dq.length && dq[h]! <= i) h++;
        s.dqHead = h;
        return;
      }
      default: {
        const m = s.distinct!;
        const x = s.vals[i]!;
        const c = m.get(x)!;
        if (c <= 1) m.delete(x);
        else m.set(x, c - 1);
      }
    }
  }

  /** Appends index `i` (the newest entry) to the monotonic deque. */
  private dequePush(s: LogSlot, i: number): void {
    const dq = s.dq!;
    const vals = s.vals as number[];
    const v = vals[i]!;
    if (this.op === MAX) while (dq.length > s.dqHead && vals[dq[dq.length - 1]!]! <= v) dq.pop();
    else while (dq.length > s.dqHead && vals[dq[dq.length - 1]!]! >= v) dq.pop();
    dq.push(i);
  }

  /** An entry was inserted at `pos`: deque indices at or after it move up by one. */
  private dequeShift(s: LogSlot, pos: number): void {
    const dq = s.dq!;
    for (let k = dq.length - 1; k >= s.dqHead && dq[k]! >= pos; k--) dq[k] = dq[k]! + 1;
  }

  /**
   * A late entry at `pos` inside the aggregated range. The deque holds the indices whose value
   * beats every later one (strictly; on a tie the later entry outlives the earlier). The new
   * entry belongs in it iff it beats the best value after it, which is the first deque entry
   * after `pos`; then the entries before it that it beats leave.
   */
  private dequeInsertLate(s: LogSlot, pos: number): void {
    const dq = s.dq!;
    const vals = s.vals as number[];
    const v = vals[pos]!;
    const isMax = this.op === MAX;
    let k = s.dqHead;
    while (k < dq.length && dq[k]! < pos) k++;
    if (k < dq.length) {
      const next = vals[dq[k]!]!;
      if (isMax ? v <= next : v >= next) return; // dominated by a later entry
    }
    let j = k;
    while (j > s.dqHead && (isMax ? vals[dq[j - 1]!]! <= v : vals[dq[j - 1]!]! >= v)) j--;
    dq.splice(j, k - j, pos);
  }

  private compact(s: LogSlot): void {
    const h = s.head;
    const dead = h - BASE;
    const n = s.times.length;
    s.times.copyWithin(BASE, h);
    s.times.length = n - dead;
    if (this.storeVals) {
      s.vals.copyWithin(BASE, h);
      s.vals.length = n - dead;
    }
    s.aggStart -= dead;
    s.head = BASE;
    const dq = s.dq;
    if (dq !== null && dq.length > 0) {
      let j = 0;
      for (let i = s.dqHead; i < dq.length; i++) dq[j++] = dq[i]! - dead;
      dq.length = j;
      s.dqHead = 0;
    }
  }
}
