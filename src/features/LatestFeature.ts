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
import { CLOCK, HORIZON, LogSlot } from './LogSlot.ts';
import { upperBoundAt } from './sortedSearch.ts';
import type { FeatureDescription, FeatureKind, FeatureValue, FieldValue } from './types.ts';
import { DROPPED, END, HEAD, HORIZON as L_HORIZON, OFF } from './WindowLog.ts';

/** In a key's arena, a latest feature has a header (region descriptor like a log's: HEAD, END, HORIZON, DROPPED, then its clock, OFF, CAP) and a region of entry times (values of `last` in the side array). */
export const L_CLOCK = 4;
export const LATEST_HEADER = 8;

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

  // ── in a key's arena (header at `h`; the region has room for one more entry when `update` inserts) ──

  /** Writes the value for `event` into `out[d]`; false if it may be approximate. */
  evaluateAt(a: Float64Array, x: unknown[] | null, h: number, event: ArgusEvent, out: FeatureValue[], d: number): boolean {
    const t = event.time;
    const from = t - this.window;
    const off = a[h + OFF]!;
    const end = a[h + END]!;
    const head = a[h + HEAD]!;
    const i = t >= a[h + L_CLOCK]! ? end - 1 : upperBoundAt(a, off, 1, head, end, t) - 1;
    if (i >= head && a[off + i]! > from) {
      out[d] = this.isLast ? (x![off + i] as FeatureValue) : t - a[off + i]!;
      return true;
    }
    out[d] = null;
    return a[h + L_HORIZON]! <= from;
  }

  /** The value of `event`'s field `last` keeps (undefined: none); timeSince: null. */
  entryValue(event: ArgusEvent): FeatureValue | undefined {
    return this.isLast ? primitiveOf(this.get!(event.data)) : null;
  }

  /** Adds the entry (time `u`, value `v`; undefined: not an entry) then drops what no event within the lateness needs. */
  updateAt(a: Float64Array, x: unknown[] | null, h: number, u: number, v: FeatureValue | undefined): void {
    if (u > a[h + L_CLOCK]!) a[h + L_CLOCK] = u;
    if (v !== undefined) {
      const off = a[h + OFF]!;
      const end = a[h + END]!;
      const head = a[h + HEAD]!;
      let pos = end;
      if (end !== head && a[off + end - 1]! > u) {
        pos = upperBoundAt(a, off, 1, head, end, u);
        a.copyWithin(off + pos + 1, off + pos, off + end);
        if (this.isLast) for (let j = off + end - 1; j >= off + pos; j--) x![j + 1] = x![j];
      }
      a[off + pos] = u;
      if (this.isLast) x![off + pos] = v;
      a[h + END] = end + 1;
      if (end + 1 - head > this.cap) {
        const t = a[off + head]!;
        if (t > a[h + L_HORIZON]!) a[h + L_HORIZON] = t;
        a[h + HEAD] = head + 1;
        a[h + DROPPED] = a[h + DROPPED]! + 1;
      }
    }
    this.retainAt(a, x, h);
  }

  expireAt(a: Float64Array, x: unknown[] | null, h: number, time: number): void {
    if (time > a[h + L_CLOCK]!) a[h + L_CLOCK] = time;
    this.retainAt(a, x, h);
    if (a[h + HEAD]! > 0) this.compactAt(a, x, h);
  }

  /** Drops entries out of every window and lateness, keeping the newest at or before `clock − lateness`. */
  private retainAt(a: Float64Array, x: unknown[] | null, h: number): void {
    const off = a[h + OFF]!;
    const end = a[h + END]!;
    const clock = a[h + L_CLOCK]!;
    const outOfWindow = clock - this.window - this.lateness;
    const settled = clock - this.lateness;
    const head = a[h + HEAD]!;
    let i = head;
    while (i < end && (a[off + i]! <= outOfWindow || (i + 1 < end && a[off + i + 1]! <= settled))) i++;
    if (i === head) return;
    const t = a[off + i - 1]!;
    if (t > a[h + L_HORIZON]!) a[h + L_HORIZON] = t;
    a[h + HEAD] = i;
    if (i >= COMPACT_AT && 2 * i >= end) this.compactAt(a, x, h);
  }

  /** Moves the live entries to the start of the region. */
  compactAt(a: Float64Array, x: unknown[] | null, h: number): void {
    const off = a[h + OFF]!;
    const end = a[h + END]!;
    const head = a[h + HEAD]!;
    a.copyWithin(off, off + head, off + end);
    if (this.isLast) {
      for (let j = 0; j < end - head; j++) x![off + j] = x![off + head + j];
      for (let j = end - head; j < end; j++) x![off + j] = undefined;
    }
    a[h + HEAD] = 0;
    a[h + END] = end - head;
  }

  describeAt(a: Float64Array, x: unknown[] | null, h: number, time: number): FeatureDescription {
    const out: FeatureValue[] = [null];
    const exact = this.evaluateAt(a, x, h, { id: '', type: '', key: '', time, data: {} }, out, 0);
    return { kind: this.kind, value: out[0]!, exact, entries: a[h + END]! - a[h + HEAD]!, dropped: a[h + DROPPED]! };
  }

  /** The slot (as `encode` takes it) of the arena's entries. */
  toSlot(a: Float64Array, x: unknown[] | null, h: number): LogSlot {
    const s = this.create();
    const off = a[h + OFF]!;
    s.times[CLOCK] = a[h + L_CLOCK]!;
    s.times[HORIZON] = a[h + L_HORIZON]!;
    s.dropped = a[h + DROPPED]!;
    for (let i = a[h + HEAD]!; i < a[h + END]!; i++) {
      s.times.push(a[off + i]!);
      if (this.isLast) s.vals.push(x![off + i] as FieldValue);
    }
    return s;
  }

  /** Writes a decoded slot into the arena (the region has room for its entries). */
  fromSlot(a: Float64Array, x: unknown[] | null, h: number, s: LogSlot): void {
    const off = a[h + OFF]!;
    a[h + L_CLOCK] = s.times[CLOCK]!;
    a[h + L_HORIZON] = s.times[HORIZON]!;
    a[h + DROPPED] = s.dropped;
    a[h + HEAD] = 0;
    let n = 0;
    for (let i = s.head; i < s.times.length; i++, n++) {
      a[off + n] = s.times[i]!;
      if (this.isLast) x![off + n] = s.vals[i];
    }
    a[h + END] = n;
  }

  /** Entries a decoded slot holds. */
  slotEntries(s: LogSlot): number {
    return s.times.length - s.head;
  }
}
