import type { FeatureSet } from './FeatureSet.ts';
import type { Arena, PrivateLog } from './WindowLog.ts';

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
 * gives its encoded form (it has `toJSON`; `FeatureSet.encodeText` writes the same text
 * directly), and `FeatureSet.load` takes that form back — so the runtime can keep it in its key
 * state as is.
 *
 * Layout (internal): one arena per key, `a` — a Float64Array holding the key's clock, every
 * windowed feature's scalars, every `age`, every shared log's header and then the shared logs'
 * entries (times and numeric columns, see WindowLog.ts) — and `x`, the side array holding the
 * value columns' values at the same indices, and under the header the features' objects.
 */
export class FeatureState implements Arena {
  /** @internal */
  constructor(
    readonly owner: FeatureSet,
    /** @internal the arena */
    public a: Float64Array,
    /**
     * @internal the side array, index-aligned with `a`: the values of the value columns and of
     * `last`; in its first slots (under the arena's header, where no value lives), per windowed
     * feature its exact-sum partials, min/max deque, value map or null, then per other feature
     * the value map of `seen` (null for age, last, timeSince: in the arena)
     */
    public x: unknown[],
  ) {}

  /** @internal per windowed feature: -1 (its group's shared log) or the index of its private log; null when every feature uses its shared log */
  route: number[] | null = null;
  /** @internal private logs (a catalog reload or the version-1 format) */
  privates: PrivateLog[] = [];
  /** @internal while `route` is set: per log group, the windowed features its shared log serves */
  shared: number[][] | null = null;
  /** @internal while `route` is set: per private log, the windowed features it serves */
  members: number[][] | null = null;

  toJSON(): EncodedFeatureState {
    return this.owner.encode(this);
  }

  /** `this.owner.encodeText(this)`: the same text as `JSON.stringify(this)`, written directly. */
  encodeText(): string {
    return this.owner.encodeText(this);
  }
}
