/** First index in `[lo, hi)` of the ascending `times` whose value is greater than `t` (hi if none). */
export function upperBound(times: readonly number[], lo: number, hi: number, t: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The same over entries of an arena region: entry `i`'s time at `a[off + i·S]`. */
export function upperBoundAt(a: Float64Array, off: number, S: number, lo: number, hi: number, t: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[off + mid * S]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
