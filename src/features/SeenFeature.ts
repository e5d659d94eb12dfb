import type { ArgusEvent } from '../events/ArgusEvent.ts';
import type { Getter } from '../events/path.ts';
import { decodeCount, isRecord, primitiveOf, stateError, type Feature, type Path } from './Feature.ts';
import type { FeatureDescription, FeatureKind, FeatureValue, FieldValue } from './types.ts';

export class SeenSlot {
  constructor(
    /** Value → earliest event time it was seen at; ordered by last sighting (processing order). */
    readonly seen = new Map<FieldValue, number>(),
  ) {}
  /** Values forgotten because the cap was hit. */
  dropped = 0;
}

/**
 * `seen` without a window: has the current event's value of `field` been seen in a prior
 * matching event of the key with `t' ≤ t`? Remembers each value with the earliest time it was
 * seen, so it is exact for out-of-order events at any lateness. At the cap, the value least
 * recently seen (in processing order) is forgotten; from then on a `false` may be wrong (it is
 * reported as approximate), a `true` never is.
 */
export class SeenFeature implements Feature<SeenSlot> {
  constructor(
    readonly name: string,
    readonly kind: FeatureKind,
    readonly hash: string,
    readonly group: number,
    private readonly cap: number,
    private readonly get: Getter,
  ) {}

  create(): SeenSlot {
    return new SeenSlot();
  }

  // ── in a key's arena: the count of forgotten values at `h`, the map apart ──

  evaluateAt(a: Float64Array, h: number, seen: Map<FieldValue, number>, event: ArgusEvent, out: FeatureValue[], d: number): boolean {
    const x = primitiveOf(this.get(event.data));
    if (x === undefined) {
      out[d] = null;
      return true;
    }
    const first = seen.get(x);
    // `update` usually follows with the same event: it reuses this lookup
    this.lastEvent = event;
    this.lastSeen = seen;
    this.lastValue = x;
    this.lastFirst = first;
    if (first !== undefined && first <= event.time) {
      out[d] = true;
      return true;
    }
    out[d] = false;
    return a[h] === 0;
  }

  /** The last `evaluateAt`'s event, map, value and lookup (valid until the next `updateAt`). */
  private lastEvent: ArgusEvent | null = null;
  private lastSeen: Map<FieldValue, number> | null = null;
  private lastValue: FieldValue | undefined = undefined;
  private lastFirst: number | undefined = undefined;

  /**
   * Per map, a cursor from its least recently seen value, kept across evictions once the cap is
   * reached: a fresh `keys()` per eviction would step over every deleted slot at the front of
   * the map again (deletes leave holes until the map is rebuilt).
   */
  private readonly orders = new WeakMap<Map<FieldValue, number>, IterableIterator<FieldValue>>();

  updateAt(a: Float64Array, h: number, seen: Map<FieldValue, number>, event: ArgusEvent, matched: boolean): void {
    const cached = event === this.lastEvent && seen === this.lastSeen;
    this.lastEvent = null;
    this.lastSeen = null;
    if (!matched) return;
    let x: FieldValue | undefined;
    let first: number | undefined;
    if (cached) {
      x = this.lastValue;
      if (x === undefined) return;
      first = this.lastFirst;
    } else {
      x = primitiveOf(this.get(event.data));
      if (x === undefined) return;
      first = seen.get(x);
    }
    const u = event.time;
    if (first === undefined) {
      seen.set(x, u);
      if (seen.size > this.cap) {
        let order = this.orders.get(seen);
        if (order === undefined) this.orders.set(seen, (order = seen.keys()));
        let oldest = order.next();
        if (oldest.done === true) {
          this.orders.set(seen, (order = seen.keys()));
          oldest = order.next();
        }
        seen.delete(oldest.value!);
        a[h] = a[h]! + 1;
      }
    } else {
      seen.delete(x); // move to the end: most recently seen
      seen.set(x, first < u ? first : u);
    }
  }

  /** The slot (as `encode` takes it) of the arena's count and the map (shared, not copied). */
  toSlot(a: Float64Array, h: number, seen: Map<FieldValue, number>): SeenSlot {
    const s = new SeenSlot(seen);
    s.dropped = a[h]!;
    return s;
  }

  describe(s: SeenSlot, time: number): FeatureDescription {
    let n = 0;
    for (const t of s.seen.values()) if (t <= time) n++;
    return { kind: this.kind, value: n, exact: s.dropped === 0, entries: s.seen.size, dropped: s.dropped };
  }

  /** `[dropped, value₀, time₀, value₁, time₁ − time₀, …]` in recency order; undefined when there is nothing to keep. */
  encode(s: SeenSlot): unknown {
    if (s.seen.size === 0 && s.dropped === 0) return undefined;
    const m: (FieldValue | number)[] = [s.dropped];
    this.out = m;
    this.prev = 0;
    s.seen.forEach(this.put, this); // no closure, no entry arrays
    this.out = null;
    return m;
  }

  private out: (FieldValue | number)[] | null = null;
  private prev = 0;
  private put(t: number, v: FieldValue): void {
    this.out!.push(v, t - this.prev);
    this.prev = t;
  }

  decode(json: unknown, at: Path): SeenSlot {
    if (Array.isArray(json)) {
      const s = new SeenSlot();
      if (json.length % 2 !== 1) throw stateError(at, 'must be [dropped, value, time, …]');
      s.dropped = decodeCount(json[0], [...at, 0]);
      let prev = 0;
      for (let i = 1; i < json.length; i += 2) {
        const v = primitiveOf(json[i]);
        const d = json[i + 1];
        if (v === undefined) throw stateError([...at, i], 'must be a string, number or boolean');
        if (typeof d !== 'number' || d - d !== 0 || (prev + d) - (prev + d) !== 0) throw stateError([...at, i + 1], 'must be a finite time difference');
        prev += d;
        s.seen.set(v, prev);
      }
      return s;
    }
    // version 1: { m: [value, time, …], n? }
    if (!isRecord(json) || !Array.isArray(json.m) || json.m.length % 2 !== 0) {
      throw stateError(at, 'must be an object with "m": [value, time, …]');
    }
    const s = new SeenSlot();
    s.dropped = decodeCount(json.n, [...at, 'n']);
    const m = json.m;
    for (let i = 0; i < m.length; i += 2) {
      const v = primitiveOf(m[i]);
      const t = m[i + 1];
      if (v === undefined) throw stateError([...at, 'm', i], 'must be a string, number or boolean');
      if (typeof t !== 'number' || t - t !== 0) throw stateError([...at, 'm', i + 1], 'must be a finite time');
      s.seen.set(v, t);
    }
    return s;
  }
}
