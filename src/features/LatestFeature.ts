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
import { LogSlot } from './LogSlot.ts';
import { upperBound } from './sortedSearch.ts';
import type { FeatureDescription, FeatureKind, FeatureOutput, FeatureValue } from './types.ts';

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
    return new LogSlot();
  }

  evaluate(s: LogSlot, event: ArgusEvent, out: FeatureOutput): boolean {
    const t = event.time;
    const from = t - this.window;
    const times = s.times;
    const end = times.length;
    const i = t >= s.clock ? end - 1 : upperBound(times, s.head, end, t) - 1;
    if (i >= s.head && times[i]! > from) {
      out[this.name] = this.isLast ? s.vals[i]! : t - times[i]!;
      return true;
    }
    out[this.name] = null;
    return s.horizon <= from;
  }

  update(s: LogSlot, event: ArgusEvent, matched: boolean): void {
    const u = event.time;
    if (u > s.clock) s.clock = u;
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
    if (time > s.clock) s.clock = time;
    this.retain(s);
  }

  describe(s: LogSlot, time: number): FeatureDescription {
    const out: FeatureOutput = {};
    const exact = this.evaluate(s, { id: '', type: '', key: '', time, data: {} }, out);
    const value: FeatureValue = out[this.name]!;
    return { kind: this.kind, value, exact, entries: s.times.length - s.head, dropped: s.dropped };
  }

  entries(s: LogSlot): number {
    return s.times.length - s.head;
  }

  isEmpty(s: LogSlot): boolean {
    return s.times.length === s.head;
  }

  encode(s: LogSlot): unknown {
    const o: Record<string, unknown> = { c: encodeTime(s.clock), t: s.times.slice(s.head) };
    if (this.isLast) o.v = s.vals.slice(s.head);
    if (s.horizon !== -Infinity) o.z = s.horizon;
    if (s.dropped > 0) o.n = s.dropped;
    return o;
  }

  decode(json: unknown, at: Path): LogSlot {
    if (!isRecord(json)) throw stateError(at, 'must be an object');
    const s = new LogSlot();
    s.clock = decodeTime(json.c, -Infinity, [...at, 'c']);
    s.horizon = decodeTime(json.z, -Infinity, [...at, 'z']);
    s.dropped = decodeCount(json.n, [...at, 'n']);
    s.times = decodeTimes(json.t, [...at, 't']);
    const n = s.times.length;
    if (n > 0 && s.times[n - 1]! > s.clock) throw stateError([...at, 't'], 'holds a time after the clock');
    if (this.isLast) s.vals = decodeValues(json.v, n, false, [...at, 'v']);
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
      if (t > s.horizon) s.horizon = t;
      s.head++;
      s.dropped++;
    }
  }

  /** Drops entries out of every window and lateness, keeping the newest at or before `clock − lateness`. */
  private retain(s: LogSlot): void {
    const times = s.times;
    const end = times.length;
    const outOfWindow = s.clock - this.window - this.lateness;
    const settled = s.clock - this.lateness;
    let h = s.head;
    while (h < end && (times[h]! <= outOfWindow || (h + 1 < end && times[h + 1]! <= settled))) h++;
    if (h === s.head) return;
    const t = times[h - 1]!;
    if (t > s.horizon) s.horizon = t;
    s.head = h;
    if (h >= COMPACT_AT ? 2 * h >= end : h === end) {
      times.copyWithin(0, h);
      times.length = end - h;
      if (this.isLast) {
        s.vals.copyWithin(0, h);
        s.vals.length = end - h;
      }
      s.head = 0;
    }
  }
}
