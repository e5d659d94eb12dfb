import type { ArgusEvent } from '../events/ArgusEvent.ts';
import type { Getter } from '../events/path.ts';
import {
  decodeCount,
  decodeTime,
  decodeTimes,
  decodeValues,
  encodeTime,
  isRecord,
  primitiveOf,
  stateError,
  type Feature,
  type Path,
} from './Feature.ts';
import { BASE, CLOCK, HORIZON, LOW, LogSlot } from './LogSlot.ts';
import { upperBound } from './sortedSearch.ts';
import type { FeatureDescription, FeatureKind, FeatureValue } from './types.ts';

const COMPACT_AT = 32;

/**
 * `last` (the field value of the latest matching event) and `timeSince` (ms since it): the latest
 * entry by time with `t' ≤ t` (ties: the later processed), within the optional window.
 *
 * Keeps every entry newer than `clock − allowedLateness` plus the newest one at or before it, so
 * that an out-of-order event within the lateness bound finds its own latest prior entry.
 */
export class LatestFeature implements Feature<LogSlot> {
  private readonly isLast: boolean;

  constructor(
    readonly name: string,
    readonly kind: FeatureKind,
    readonly hash: string,
    readonly group: number,
    /** Infinity when the feature has no window. */
    private readonly window: number,
    private readonly lateness: number,
    private readonly cap: number,
    private readonly get: Getter | undefined,
  ) {
    if (kind !== 'last' && kind !== 'timeSince') throw new Error(`LatestFeature cannot compute ${kind}`);
    this.isLast = kind === 'last';
  }

  create(): LogSlot {
    return new LogSlot(this.isLast);
  }

  evaluate(s: LogSlot, event: ArgusEvent, out: FeatureValue[], d: number): boolean {
    const t = event.time;
    const from = t - this.window;
    const times = s.times;
    const end = times.length;
    const i = t >= s.times[CLOCK] ? end - 1 : upperBound(times, s.head, end, t) - 1;
    if (i >= s.head && times[i]! > from) {
      out[d] = this.isLast ? s.vals[i]! : t - times[i]!;
      return true;
    }
    out[d] = null;
    return s.times[HORIZON] <= from;
  }

  update(s: LogSlot, event: ArgusEvent, matched: boolean): void {
    const u = event.time;
    if (u > s.times[CLOCK]) s.times[CLOCK] = u;
    if (matched) {
      if (!this.isLast) this.insert(s, u, undefined);
      else {
        const x = primitiveOf(this.get!(event.data));
        if (x !== undefined) this.insert(s, u, x);
      }
    }
    this.retain(s);
  }

  expire(s: LogSlot, time: number): void {
    if (time > s.times[CLOCK]) s.times[CLOCK] = time;
    this.retain(s);
    if (s.head > BASE) this.compact(s);
  }

  describe(s: LogSlot, time: number): FeatureDescription {
    const out: FeatureValue[] = [null];
    const exact = this.evaluate(s, { id: '', type: '', key: '', time, data: {} }, out, 0);
    const value: FeatureValue = out[0]!;
    return { kind: this.kind, value, exact, entries: s.times.length - s.head, dropped: s.dropped };
  }

  entries(s: LogSlot): number {
    return s.times.length - s.head;
  }

  isEmpty(s: LogSlot): boolean {
    return s.times.length === s.head;
  }

  /**
   * `[clock, horizon, dropped, time₀, (value₀,) time₁ − time₀, (value₁,) …]` (values for `last`);
   * undefined when there is nothing to keep.
   */
  encode(s: LogSlot): unknown {
    const times = s.times;
    if (times.length === s.head && times[HORIZON] === -Infinity && s.dropped === 0) return undefined;
    const o: unknown[] = [encodeTime(times[CLOCK]!), encodeTime(times[HORIZON]!), s.dropped];
    let prev = 0;
    for (let i = s.head; i < times.length; i++) {
      const d = times[i]! - prev;
      if (prev + d !== times[i]) return this.encodeV1(s); // a difference that does not add back exactly
      o.push(d);
      if (this.isLast) o.push(s.vals[i]);
      prev = times[i]!;
    }
    return o;
  }

  private encodeV1(s: LogSlot): unknown {
    const o: Record<string, unknown> = { c: encodeTime(s.times[CLOCK]!), t: s.times.slice(s.head) };
    if (this.isLast) o.v = s.vals.slice(s.head);
    if (s.times[HORIZON] !== -Infinity) o.z = s.times[HORIZON];
    if (s.dropped > 0) o.n = s.dropped;
    return o;
  }

  decode(json: unknown, at: Path): LogSlot {
    if (Array.isArray(json)) {
      const stride = this.isLast ? 2 : 1;
      if (json.length < 3 || (json.length - 3) % stride !== 0) throw stateError(at, 'must be [clock, horizon, dropped, time, …]');
      const t: unknown[] = [];
      const v: unknown[] = [];
      let prev = 0;
      for (let i = 3; i < json.length; i += stride) {
        const d = json[i];
        if (typeof d !== 'number' || d - d !== 0) throw stateError([...at, i], 'must be a finite number');
        prev += d;
        t.push(prev);
        if (this.isLast) v.push(json[i + 1]);
      }
      return this.decode({ c: json[0], z: json[1], n: json[2], t, ...(this.isLast ? { v } : {}) }, at);
    }
    // version 1 (and times that do not difference exactly): { c, t, v?, z?, n? }
    if (!isRecord(json)) throw stateError(at, 'must be an array or an object');
    const s = this.create();
    const clock = decodeTime(json.c, -Infinity, [...at, 'c']);
    const horizon = decodeTime(json.z, -Infinity, [...at, 'z']);
    s.dropped = decodeCount(json.n, [...at, 'n']);
    const times = decodeTimes(json.t, [...at, 't']);
    if (times.length > 0 && times[times.length - 1]! > clock) throw stateError([...at, 't'], 'holds a time after the clock');
    s.times = [clock, -Infinity, horizon, ...times];
    if (this.isLast) s.vals = [0, 0, 0, ...decodeValues(json.v, times.length, false, [...at, 'v'])];
    return s;
  }

  private insert(s: LogSlot, u: number, x: FeatureValue | undefined): void {
    const times = s.times;
    const end = times.length;
    if (end === s.head || times[end - 1]! <= u) {
      times.push(u);
      if (this.isLast) s.vals.push(x!);
    } else {
      const pos = upperBound(times, s.head, end, u);
      times.splice(pos, 0, u);
      if (this.isLast) s.vals.splice(pos, 0, x!);
    }
    if (times.length - s.head > this.cap) {
      const t = times[s.head]!;
      if (t > s.times[HORIZON]) s.times[HORIZON] = t;
      s.head++;
      s.dropped++;
    }
  }

  /** Drops entries out of every window and lateness, keeping the newest at or before `clock − lateness`. */
  private retain(s: LogSlot): void {
    const times = s.times;
    const end = times.length;
    const outOfWindow = s.times[CLOCK] - this.window - this.lateness;
    const settled = s.times[CLOCK] - this.lateness;
    let h = s.head;
    while (h < end && (times[h]! <= outOfWindow || (h + 1 < end && times[h + 1]! <= settled))) h++;
    if (h === s.head) return;
    const t = times[h - 1]!;
    if (t > s.times[HORIZON]) s.times[HORIZON] = t;
    s.head = h;
    if (h - BASE >= COMPACT_AT && 2 * (h - BASE) >= end - BASE) this.compact(s);
  }

  private compact(s: LogSlot): void {
    const times = s.times;
    const end = times.length;
    const h = s.head;
    times.copyWithin(BASE, h);
    times.length = end - (h - BASE);
    if (this.isLast) {
      s.vals.copyWithin(BASE, h);
      s.vals.length = end - (h - BASE);
    }
    s.head = BASE;
  }
}
