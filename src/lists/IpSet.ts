import { parseIPv4, parseIPv6, wordMask, type IpRange } from './ipAddress.ts';

const MAPPED_FIRST = Uint32Array.of(0, 0, 0xffff, 0);
const MAPPED_LAST = Uint32Array.of(0, 0, 0xffff, 0xffffffff);

/** Lookup scratch (the runtime is single-threaded and `has` is synchronous). */
const probe = new Uint32Array(4);

/** Compares the 128-bit values at `a[i..i+3]` and `b[j..j+3]`. */
function compare(a: Uint32Array, i: number, b: Uint32Array, j: number): number {
  for (let k = 0; k < 4; k++) {
    const x = a[i + k]!;
    const y = b[j + k]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * Indices `0..count-1` ordered by the 128-bit start at `starts[4i..4i+3]`. IPv4-only sets (the
 * usual case) sort one number per range natively: the address times 2^21 plus the index.
 */
function sortedOrder(starts: Uint32Array, count: number, allV4: boolean): ArrayLike<number> {
  if (allV4 && count <= 1 << 21) {
    const keys = new Float64Array(count);
    for (let i = 0; i < count; i++) keys[i] = starts[i * 4 + 3]! * 2097152 + i;
    keys.sort();
    const order = new Uint32Array(count);
    for (let i = 0; i < count; i++) order[i] = keys[i]! % 2097152;
    return order;
  }
  const order = Array.from({ length: count }, (_, i) => i);
  order.sort((a, b) => compare(starts, a * 4, starts, b * 4));
  return order;
}

/**
 * A set of addresses and CIDR ranges, matched by containment. Built once per change: the ranges
 * are sorted and merged into disjoint intervals `[lo, hi]`; a lookup parses the address into a
 * scratch buffer and binary-searches, allocating nothing.
 */
export class IpSet {
  /** Interval bounds, four words each. */
  private readonly lo: Uint32Array;
  private readonly hi: Uint32Array;
  readonly intervals: number;
  /** The intervals clipped to the IPv4-mapped space, as 32-bit IPv4 numbers: IPv4 lookups search these. */
  private readonly lo4: Uint32Array;
  private readonly hi4: Uint32Array;
  private readonly intervals4: number;

  constructor(ranges: Iterable<IpRange>) {
    const list = Array.isArray(ranges) ? (ranges as IpRange[]) : [...ranges];
    const count = list.length;
    // Every range's bounds in two flat arrays, then the indices in order of their start.
    const starts = new Uint32Array(count * 4);
    const ends = new Uint32Array(count * 4);
    let allV4 = true;
    for (let i = 0; i < count; i++) {
      const r = list[i]!;
      if (!r.v4) allV4 = false;
      for (let k = 0; k < 4; k++) {
        starts[i * 4 + k] = r.words[k]!;
        ends[i * 4 + k] = (r.words[k]! | ~wordMask(r.prefix, k)) >>> 0;
      }
    }
    const order = sortedOrder(starts, count, allV4);
    const lo = new Uint32Array(count * 4);
    const hi = new Uint32Array(count * 4);
    let n = 0;
    for (let j = 0; j < count; j++) {
      const i = order[j]! * 4;
      const last = (n - 1) * 4;
      if (n > 0 && compare(starts, i, hi, last) <= 0) {
        // Starts inside the previous interval: extend it if this range ends later.
        if (compare(ends, i, hi, last) > 0) for (let k = 0; k < 4; k++) hi[last + k] = ends[i + k]!;
        continue;
      }
      for (let k = 0; k < 4; k++) {
        lo[n * 4 + k] = starts[i + k]!;
        hi[n * 4 + k] = ends[i + k]!;
      }
      n++;
    }
    this.lo = lo;
    this.hi = hi;
    this.intervals = n;
    const lo4 = new Uint32Array(n);
    const hi4 = new Uint32Array(n);
    let n4 = 0;
    for (let j = 0; j < n; j++) {
      const at = j * 4;
      if (compare(hi, at, MAPPED_FIRST, 0) < 0 || compare(lo, at, MAPPED_LAST, 0) > 0) continue;
      lo4[n4] = compare(lo, at, MAPPED_FIRST, 0) < 0 ? 0 : lo[at + 3]!;
      hi4[n4] = compare(hi, at, MAPPED_LAST, 0) > 0 ? 0xffffffff : hi[at + 3]!;
      n4++;
    }
    this.lo4 = lo4;
    this.hi4 = hi4;
    this.intervals4 = n4;
  }

  /** Whether `value` is an address (string) inside one of the ranges. Anything else is not. */
  has(value: unknown): boolean {
    if (typeof value !== 'string') return false;
    if (value.indexOf(':') < 0) {
      const a = parseIPv4(value, 0, value.length);
      if (a < 0) return false;
      const lo4 = this.lo4;
      let low = 0;
      let high = this.intervals4 - 1;
      let found = -1;
      while (low <= high) {
        const mid = (low + high) >>> 1;
        if (lo4[mid]! <= a) {
          found = mid;
          low = mid + 1;
        } else high = mid - 1;
      }
      return found >= 0 && a <= this.hi4[found]!;
    }
    if (this.intervals === 0 || !parseIPv6(value, 0, value.length, probe, 0)) return false;
    // The last interval whose lo <= address.
    let low = 0;
    let high = this.intervals - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      if (compare(this.lo, mid * 4, probe, 0) <= 0) {
        found = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    return found >= 0 && compare(probe, 0, this.hi, found * 4) <= 0;
  }
}
