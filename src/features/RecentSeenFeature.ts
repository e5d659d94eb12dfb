import type { ArgusEvent } from '../events/ArgusEvent.ts';
import type { Getter } from '../events/path.ts';
import { decodeCount, decodeTime, decodeTimes, decodeValues, encodeTime, isRecord, primitiveOf, stateError, type Feature, type Path } from './Feature.ts';
import type { FeatureDescription, FeatureKind, FeatureValue, FieldValue } from './types.ts';

/** A windowed seen's scalars in a key's arena, from its offset. */
export const R_CLOCK = 0;
export const R_HORIZON = 1;
export const R_PRUNED = 2;
export const R_DROPPED = 3;
export const R_SIZE = 4;
export const R_SWEPT = 5;
export const RECENT_HEADER = 6;

export class RecentSeenSlot {
  constructor(
    /** Value → its sighting times, ascending: every one after `clock − lateness`, and the latest at or before it. */
    readonly seen = new Map<FieldValue, number[]>(),
  ) {}

  /** The key's clock (latest event time seen; expire moves it too). */
  clock = -Infinity;
  /** Latest time of an entry dropped by the window (plus lateness) or the cap. */
  horizon = -Infinity;
  /** Latest time forgotten because a later sighting of the same value had settled. */
  pruned = -Infinity;
  /** Entries dropped because the cap was hit. */
  dropped = 0;
  /** Times held, over all values. */
  size = 0;
  /** Clock at the last sweep over every value. */
  swept = -Infinity;
}

/**
 * `seen` with a window: has the current event's value of `field` been seen in a prior matching
 * event with `t − window < t' ≤ t`? Instead of the full log, keeps per value only what such a
 * question can need within `allowedLateness`: every sighting after `clock − lateness` and the
 * latest one at or before it (older sightings of a value answer nothing its later one does not).
 * A value leaves once its latest sighting is out of the window plus lateness. So a user's 30-day
 * device history is a few (device, time) pairs, not 30 days of events.
 *
 * Exact for an event within `allowedLateness` of the key's clock; later than that, a `true` is
 * always right and a `false` is flagged when a forgotten sighting could have been in its window.
 */
export class RecentSeenFeature implements Feature<RecentSeenSlot> {
  constructor(
    readonly name: string,
    readonly kind: FeatureKind,
    readonly hash: string,
    readonly group: number,
    private readonly window: number,
    private readonly lateness: number,
    private readonly cap: number,
    private readonly get: Getter,
  ) {
    this.sweepEvery = Math.max(lateness, window / 8);
  }

  private readonly sweepEvery: number;

  create(): RecentSeenSlot {
    return new RecentSeenSlot();
  }

  describe(s: RecentSeenSlot, time: number): FeatureDescription {
    const from = time - this.window;
    let n = 0;
    for (const times of s.seen.values()) {
      let i = times.length - 1;
      while (i >= 0 && times[i]! > time) i--;
      if (i >= 0 && times[i]! > from) n++;
    }
    return { kind: this.kind, value: n, exact: s.horizon <= from && (time >= s.clock - this.lateness || s.pruned <= from), entries: s.size, dropped: s.dropped };
  }

  /** `[clock, horizon, pruned, dropped, value, count, time₀, time₁ − time₀, …, value, …]`; undefined when empty. */
  encode(s: RecentSeenSlot): unknown {
    if (s.size === 0 && s.horizon === -Infinity && s.dropped === 0) return undefined;
    const o: unknown[] = [encodeTime(s.clock), encodeTime(s.horizon), encodeTime(s.pruned), s.dropped];
    for (const [v, times] of s.seen) {
      o.push(v, times.length);
      let prev = 0;
      for (let i = 0; i < times.length; i++) {
        const d = times[i]! - prev;
        if (prev + d !== times[i]) return this.encodeAbsolute(s);
        o.push(d);
        prev = times[i]!;
      }
    }
    return o;
  }

  /** The same with absolute times and a negative count (times whose differences do not add back exactly). */
  private encodeAbsolute(s: RecentSeenSlot): unknown {
    const o: unknown[] = [encodeTime(s.clock), encodeTime(s.horizon), encodeTime(s.pruned), s.dropped];
    for (const [v, times] of s.seen) o.push(v, -times.length, ...times);
    return o;
  }

  decode(json: unknown, at: Path): RecentSeenSlot {
    const s = new RecentSeenSlot();
    if (isRecord(json)) {
      // version 1: the feature's own log { c, l, t, v, z?, n? }
      s.clock = decodeTime(json.c, -Infinity, [...at, 'c']);
      s.horizon = decodeTime(json.z, -Infinity, [...at, 'z']);
      s.dropped = decodeCount(json.n, [...at, 'n']);
      const times = decodeTimes(json.t, [...at, 't']);
      if (times.length > 0 && times[times.length - 1]! > s.clock) throw stateError([...at, 't'], 'holds a time after the clock');
      const vals = decodeValues(json.v, times.length, false, [...at, 'v']);
      for (let i = 0; i < times.length; i++) {
        const list = s.seen.get(vals[i]!);
        if (list === undefined) s.seen.set(vals[i]!, [times[i]!]);
        else list.push(times[i]!);
      }
      s.size = times.length;
      this.sweep(s);
      return s;
    }
    if (!Array.isArray(json) || json.length < 4) throw stateError(at, 'must be [clock, horizon, pruned, dropped, value, count, …times, …]');
    s.clock = decodeTime(json[0], -Infinity, [...at, 0]);
    s.horizon = decodeTime(json[1], -Infinity, [...at, 1]);
    s.pruned = decodeTime(json[2], -Infinity, [...at, 2]);
    s.dropped = decodeCount(json[3], [...at, 3]);
    let i = 4;
    while (i < json.length) {
      const v = primitiveOf(json[i]);
      const n = json[i + 1];
      if (v === undefined || s.seen.has(v)) throw stateError([...at, i], 'must be a string, number or boolean, once');
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n === 0 || i + 2 + Math.abs(n) > json.length) throw stateError([...at, i + 1], 'must be the number of times that follow');
      const times: number[] = [];
      let prev = 0;
      for (let j = 0; j < Math.abs(n); j++) {
        const d = json[i + 2 + j];
        if (typeof d !== 'number' || d - d !== 0) throw stateError([...at, i + 2 + j], 'must be a finite number');
        const x = n < 0 ? d : prev + d;
        if ((j > 0 && x < prev) || x > s.clock) throw stateError([...at, i + 2 + j], 'must be ascending and not after the clock');
        times.push(x);
        prev = x;
      }
      s.seen.set(v, times);
      s.size += times.length;
      i += 2 + Math.abs(n);
    }
    return s;
  }

  // ── in a key's arena: scalars from `h` (R_CLOCK…R_SWEPT), the value → sightings map apart ──

  evaluateAt(a: Float64Array, h: number, seen: Map<FieldValue, number[]>, event: ArgusEvent, out: FeatureValue[], d: number): boolean {
    const x = primitiveOf(this.get(event.data));
    if (x === undefined) {
      out[d] = null;
      return true;
    }
    const t = event.time;
    const from = t - this.window;
    const times = seen.get(x);
    // `update` usually follows with the same event: it reuses this lookup
    this.lastEvent = event;
    this.lastSeen = seen;
    this.lastValue = x;
    this.lastTimes = times;
    if (times !== undefined) {
      // the latest sighting at or before t
      let i = times.length - 1;
      while (i >= 0 && times[i]! > t) i--;
      if (i >= 0 && times[i]! > from) {
        out[d] = true;
        return true;
      }
    }
    out[d] = false;
    return a[h + R_HORIZON]! <= from && (t >= a[h + R_CLOCK]! - this.lateness || a[h + R_PRUNED]! <= from);
  }

  /** The last `evaluateAt`'s event, map, value and lookup (valid until the next `updateAt` or `expireAt`). */
  private lastEvent: ArgusEvent | null = null;
  private lastSeen: Map<FieldValue, number[]> | null = null;
  private lastValue: FieldValue | undefined = undefined;
  private lastTimes: number[] | undefined = undefined;

  updateAt(a: Float64Array, h: number, seen: Map<FieldValue, number[]>, event: ArgusEvent, matched: boolean): void {
    const cached = event === this.lastEvent && seen === this.lastSeen;
    this.lastEvent = null;
    this.lastSeen = null;
    const u = event.time;
    if (u > a[h + R_CLOCK]!) a[h + R_CLOCK] = u;
    if (matched) {
      const x = cached ? this.lastValue : primitiveOf(this.get(event.data));
      if (x !== undefined) {
        let times = cached ? this.lastTimes : seen.get(x);
        if (times === undefined) seen.set(x, (times = [u]));
        else {
          let i = times.length;
          while (i > 0 && times[i - 1]! > u) i--;
          if (i === times.length) times.push(u);
          else times.splice(i, 0, u);
          this.pruneAt(a, h, times);
        }
        a[h + R_SIZE] = a[h + R_SIZE]! + 1;
        if (a[h + R_SIZE]! > this.cap) this.dropOldestAt(a, h, seen);
      }
    }
    // now and then a sweep over every value (in between, a value is pruned when seen again)
    if (a[h + R_CLOCK]! - a[h + R_SWEPT]! >= this.sweepEvery) this.sweepAt(a, h, seen);
  }

  expireAt(a: Float64Array, h: number, seen: Map<FieldValue, number[]>, time: number): void {
    this.lastEvent = null;
    this.lastSeen = null;
    if (time > a[h + R_CLOCK]!) a[h + R_CLOCK] = time;
    this.sweepAt(a, h, seen);
  }

  describeAt(a: Float64Array, h: number, seen: Map<FieldValue, number[]>, time: number): FeatureDescription {
    return this.describe(this.toSlot(a, h, seen), time);
  }

  /** The slot (as `encode` takes it) of the arena's scalars and the map (shared, not copied). */
  toSlot(a: Float64Array, h: number, seen: Map<FieldValue, number[]>): RecentSeenSlot {
    const s = new RecentSeenSlot(seen);
    s.clock = a[h + R_CLOCK]!;
    s.horizon = a[h + R_HORIZON]!;
    s.pruned = a[h + R_PRUNED]!;
    s.dropped = a[h + R_DROPPED]!;
    s.size = a[h + R_SIZE]!;
    s.swept = a[h + R_SWEPT]!;
    return s;
  }

  /** Writes a slot's scalars into the arena; returns its map. */
  fromSlot(a: Float64Array, h: number, s: RecentSeenSlot): Map<FieldValue, number[]> {
    a[h + R_CLOCK] = s.clock;
    a[h + R_HORIZON] = s.horizon;
    a[h + R_PRUNED] = s.pruned;
    a[h + R_DROPPED] = s.dropped;
    a[h + R_SIZE] = s.size;
    a[h + R_SWEPT] = s.swept;
    return s.seen;
  }

  private pruneAt(a: Float64Array, h: number, times: number[]): void {
    const settled = a[h + R_CLOCK]! - this.lateness;
    let k = 0;
    while (k + 1 < times.length && times[k + 1]! <= settled) k++;
    if (k > 0) {
      if (times[k - 1]! > a[h + R_PRUNED]!) a[h + R_PRUNED] = times[k - 1]!;
      times.splice(0, k);
      a[h + R_SIZE] = a[h + R_SIZE]! - k;
    }
  }

  private sweepAt(a: Float64Array, h: number, seen: Map<FieldValue, number[]>): void {
    const s = this.toSlot(a, h, seen);
    this.sweep(s);
    this.fromSlot(a, h, s);
  }

  private dropOldestAt(a: Float64Array, h: number, seen: Map<FieldValue, number[]>): void {
    const s = this.toSlot(a, h, seen);
    this.dropOldest(s);
    this.fromSlot(a, h, s);
  }

  /** Keeps every sighting after `clock − lateness` and the latest one at or before it. */
  private prune(s: RecentSeenSlot, times: number[]): void {
    const settled = s.clock - this.lateness;
    let k = 0;
    while (k + 1 < times.length && times[k + 1]! <= settled) k++;
    if (k > 0) {
      if (times[k - 1]! > s.pruned) s.pruned = times[k - 1]!;
      times.splice(0, k);
      s.size -= k;
    }
  }

  /** Prunes every value, and forgets those whose latest sighting is out of the window plus lateness. */
  private sweep(s: RecentSeenSlot): void {
    s.swept = s.clock;
    const gone = s.clock - this.window - this.lateness;
    for (const [v, times] of s.seen) {
      const last = times[times.length - 1]!;
      if (last <= gone) {
        if (last > s.horizon) s.horizon = last;
        s.seen.delete(v);
        s.size -= times.length;
      } else this.prune(s, times);
    }
  }

  /** The cap was hit: the oldest sighting goes (a scan; only at the cap). */
  private dropOldest(s: RecentSeenSlot): void {
    let oldest: FieldValue | undefined;
    let t = Infinity;
    for (const [v, times] of s.seen) {
      if (times[0]! < t) {
        t = times[0]!;
        oldest = v;
      }
    }
    if (oldest === undefined) return;
    const times = s.seen.get(oldest)!;
    if (t > s.horizon) s.horizon = t;
    if (times.length === 1) s.seen.delete(oldest);
    else times.shift();
    s.size--;
    s.dropped++;
  }
}
