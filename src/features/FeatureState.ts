import type { FeatureSet } from './FeatureSet.ts';
import type { WindowLog } from './WindowLog.ts';

/**
 * The JSON form of one key's feature state (docs/features.md, "State format"): version 2 is one
 * flat array per group log (member features, columns, times, values) and one entry per
 * unwindowed feature; version 1 (one slot per feature, keyed by definition hash) is still read.
 */
export interface EncodedFeatureState {
  v: 2;
  /** The key's clock (latest event time), null for none. */
  c: number | null;
  /** Group logs: [members, columns, horizon, dropped, mergeAfter, absolute, times, …values]. */
  l: unknown[][];
  /** Other features' slots, by the first 8 hex digits of their definition hash. */
  s: Record<string, unknown>;
}

/**
 * One key's history for every feature of a set. Opaque; updated in place. `JSON.stringify`
 * gives its encoded form (it has `toJSON`), and `FeatureSet.load` takes that form back — so the
 * runtime can keep it in its key state as is.
 */
export class FeatureState {
  /** @internal */
  constructor(
    readonly owner: FeatureSet,
    /** @internal [clock, then WINDOW_SCALARS per windowed feature] */
    readonly num: number[],
    /** @internal shared log per log group (null until its first entry), then private logs */
    readonly logs: (WindowLog | null)[],
    /** @internal per windowed feature: exact-sum partials, min/max deque, value map, or null */
    readonly aux: unknown[],
    /** @internal per other feature (last, timeSince, age, unwindowed seen): its slot */
    readonly slots: unknown[],
  ) {
    for (let p = 0; p < logs.length; p++) {
      this.t.push(logs[p]?.t ?? null);
      this.cols.push(logs[p]?.cols ?? null);
    }
  }

  /** @internal per log: its times (what the hot path reads: one hop fewer than through `logs`) */
  readonly t: (number[] | null)[] = [];
  /** @internal per log: its columns */
  readonly cols: (unknown[][] | null)[] = [];

  /** @internal sets log `p` (p ≤ logs.length) */
  setLog(p: number, log: WindowLog): void {
    this.logs[p] = log;
    this.t[p] = log.t;
    this.cols[p] = log.cols;
  }

  /** @internal removes log `p` */
  removeLog(p: number): void {
    this.logs.splice(p, 1);
    this.t.splice(p, 1);
    this.cols.splice(p, 1);
  }

  /** @internal per windowed feature: index of its log in `logs`, when not its group's shared log */
  route: number[] | null = null;
  /** @internal per log: the windowed features it serves (only while `route` is set) */
  members: number[][] | null = null;

  toJSON(): EncodedFeatureState {
    return this.owner.encode(this);
  }
}
