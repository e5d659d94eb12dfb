/** First index in `[lo, hi)` of the ascending `times` whose value is greater than `t` (hi if none). */
export function upperBound(times: readonly number[], lo: number, hi: number, t: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
