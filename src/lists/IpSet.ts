import { parseAddress, wordMask, type IpRange } from './ipAddress.ts';

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
 * A set of addresses and CIDR ranges, matched by containment. Built once per change: the ranges
 * are sorted and merged into disjoint intervals `[lo, hi]`; a lookup parses the address into a
 * scratch buffer and binary-searches, allocating nothing.
 */
export class IpSet {
  /** Interval bounds, four words each. */
  private readonly lo: Uint32Array;
  private readonly hi: Uint32Array;
  readonly intervals: number;

  constructor(ranges: Iterable<IpRange>) {
    const list = [...ranges];
    list.sort((a, b) => compare(a.words, 0, b.words, 0));
    const lo = new Uint32Array(list.length * 4);
    const hi = new Uint32Array(list.length * 4);
    let n = 0;
    for (const r of list) {
      const start = n * 4;
      if (n > 0 && compare(r.words, 0, lo, start - 4) >= 0 && compare(r.words, 0, hi, start - 4) <= 0) {
        // Overlaps the previous interval (starts inside it): extend it if this one ends later.
        const end = new Uint32Array(4);
        for (let k = 0; k < 4; k++) end[k] = (r.words[k]! | ~wordMask(r.prefix, k)) >>> 0;
        if (compare(end, 0, hi, start - 4) > 0) hi.set(end, start - 4);
        continue;
      }
      for (let k = 0; k < 4; k++) {
        lo[start + k] = r.words[k]!;
        hi[start + k] = (r.words[k]! | ~wordMask(r.prefix, k)) >>> 0;
      }
      n++;
    }
    this.lo = lo;
    this.hi = hi;
    this.intervals = n;
  }

  /** Whether `value` is an address (string) inside one of the ranges. Anything else is not. */
  has(value: unknown): boolean {
    if (typeof value !== 'string' || this.intervals === 0 || !parseAddress(value, probe, 0)) return false;
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
