export { confusion, ratio } from './confusion.ts';
export { labelValue } from './labelValue.ts';
export { scoreSweep, sweepTarget, scoreBucket, SWEEP_STEPS, type SweepPoint, type TargetResult } from './scoreSweep.ts';
export { TimelineTally, HOUR_MS, DAY_MS, MAX_BUCKETS, MAX_HOURLY_SPAN_MS, type Timeline } from './timeline.ts';
export { EventTally, type TypeCounts } from './EventTally.ts';
export { CatalogTally, type RuleInfo } from './CatalogTally.ts';
export { compareDeltas, type MetricSnapshot } from './compareDeltas.ts';
