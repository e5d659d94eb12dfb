import type { ReplayReport } from '../Report.ts';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
/** Hourly buckets up to this span (7 days), then daily. */
export const MAX_HOURLY_SPAN_MS = 7 * DAY_MS;
/** At most this many buckets: beyond 1,000 days a bucket is a whole number of days. */
export const MAX_BUCKETS = 1_000;
/** Distinct raw buckets kept while counting before they are merged into coarser ones. */
const MAX_RAW_BUCKETS = 100_000;

export type Timeline = ReplayReport['timeline'];

/**
 * Decisions counted by event-time bucket. Counts by hour while reading (memory grows with the
 * time span, not the events; a pathological span merges into coarser buckets), then `finish`
 * picks the bucket size from the range: an hour up to 7 days, else a day (or whole days so that
 * there are at most 1,000 buckets). Buckets are contiguous from the first to the last, aligned
 * on multiples of the bucket size since the epoch (UTC).
 */
export class TimelineTally {
  private unitMs = HOUR_MS;
  private counts = new Map<number, [number, number, number]>();
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;

  /** `outcome`: 0 allow, 1 review, 2 deny. */
  add(time: number, outcome: 0 | 1 | 2): void {
    if (time < this.min) this.min = time;
    if (time > this.max) this.max = time;
    const start = Math.floor(time / this.unitMs) * this.unitMs;
    let c = this.counts.get(start);
    if (c === undefined) {
      c = [0, 0, 0];
      this.counts.set(start, c);
      if (this.counts.size > MAX_RAW_BUCKETS) this.coarsen();
    }
    c[outcome]++;
  }

  private coarsen(): void {
    const unit = this.unitMs === HOUR_MS ? DAY_MS : this.unitMs * 10;
    this.counts = regroup(this.counts, unit);
    this.unitMs = unit;
  }

  finish(): Timeline {
    if (this.counts.size === 0) return { bucketMs: HOUR_MS, buckets: [] };
    const span = this.max - this.min;
    let bucketMs = span <= MAX_HOURLY_SPAN_MS ? HOUR_MS : DAY_MS;
    if (bucketMs < this.unitMs) bucketMs = this.unitMs;
    const first = Math.floor(this.min / bucketMs) * bucketMs;
    const n = Math.floor(this.max / bucketMs) - Math.floor(this.min / bucketMs) + 1;
    if (n > MAX_BUCKETS) bucketMs *= Math.ceil(n / MAX_BUCKETS);
    // Buckets are whole raw units, so regrouping is exact.
    if (bucketMs % this.unitMs !== 0) bucketMs = Math.ceil(bucketMs / this.unitMs) * this.unitMs;
    const grouped = bucketMs === this.unitMs ? this.counts : regroup(this.counts, bucketMs);
    const start = Math.floor(first / bucketMs) * bucketMs;
    const last = Math.floor(this.max / bucketMs) * bucketMs;
    const buckets: Timeline['buckets'] = [];
    for (let t = start; t <= last; t += bucketMs) {
      const c = grouped.get(t);
      buckets.push({ start: t, allow: c?.[0] ?? 0, review: c?.[1] ?? 0, deny: c?.[2] ?? 0 });
    }
    return { bucketMs, buckets };
  }
}

function regroup(counts: Map<number, [number, number, number]>, unit: number): Map<number, [number, number, number]> {
  const out = new Map<number, [number, number, number]>();
  for (const [t, c] of counts) {
    const start = Math.floor(t / unit) * unit;
    const o = out.get(start);
    if (o === undefined) out.set(start, [c[0], c[1], c[2]]);
    else {
      o[0] += c[0];
      o[1] += c[1];
      o[2] += c[2];
    }
  }
  return out;
}
