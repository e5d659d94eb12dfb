import type { FeatureSet } from './FeatureSet.ts';

/** The JSON form of one key's feature state: slots keyed by definition hash. */
export interface EncodedFeatureState {
  v: 1;
  f: Record<string, unknown>;
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
    /** @internal one slot per feature, in the set's order */
    readonly slots: unknown[],
  ) {}

  toJSON(): EncodedFeatureState {
    return this.owner.encode(this);
  }
}
