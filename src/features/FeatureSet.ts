import { ArgusError } from '../errors.ts';
import type { ArgusEvent } from '../events/ArgusEvent.ts';
import type { Predicate } from '../conditions/index.ts';
import { isRecord, stateError, type Feature } from './Feature.ts';
import { FeatureState, type EncodedFeatureState } from './FeatureState.ts';
import type { FeatureDefinition, FeatureDescription, FeatureOutput } from './types.ts';

/** Which events a group of features counts: event types (null = all) and a filter (null = none). */
export interface FilterGroup {
  types: string[] | null;
  filter: Predicate<Readonly<Record<string, unknown>>> | null;
}

/**
 * Compiled features (from `compileFeatures`). Holds no per-key data: a key's `FeatureState` comes
 * in and is updated in place. For each event of a key, in processing order:
 *
 *     featureSet.evaluate(state, event, out)   // out[name] = value over the PRIOR history
 *     featureSet.update(state, event)          // then the event joins the history
 *
 * (`observe` does both.) Every call is synchronous and allocation-free beyond the entries the
 * history itself needs.
 */
export class FeatureSet {
  readonly names: readonly string[];
  private readonly byName: Map<string, number>;
  private readonly matched: Uint8Array;

  /** @internal use compileFeatures */
  constructor(
    readonly definitions: readonly FeatureDefinition[],
    private readonly features: readonly Feature[],
    private readonly groups: readonly FilterGroup[],
  ) {
    this.names = features.map((f) => f.name);
    this.byName = new Map(this.names.map((n, i) => [n, i]));
    this.matched = new Uint8Array(groups.length);
  }

  /** The hash of a feature's definition: while it is unchanged, a reload keeps that feature's state. */
  definitionHash(name: string): string | undefined {
    const i = this.byName.get(name);
    return i === undefined ? undefined : this.features[i]!.hash;
  }

  /** An empty history. */
  create(): FeatureState {
    const slots: unknown[] = new Array(this.features.length);
    for (let i = 0; i < slots.length; i++) slots[i] = this.features[i]!.create();
    return new FeatureState(this, slots);
  }

  /**
   * The state to use with this set, from what a key holds: `undefined` (new key), a state of this
   * set (returned as is), a state of another set (after a catalog reload: slots of unchanged
   * definitions are kept, the others start empty), or the encoded JSON form.
   */
  load(raw: unknown): FeatureState {
    if (raw === undefined || raw === null) return this.create();
    if (raw instanceof FeatureState) return raw.owner === this ? raw : this.migrate(raw);
    return this.decode(raw);
  }

  /** Fills `out[name]` for every feature from the key's history before `event`. Returns false if any value may be approximate (names pushed to `approximate`). */
  evaluate(state: FeatureState, event: ArgusEvent, out: FeatureOutput, approximate?: string[]): boolean {
    if (state.owner !== this) throw foreignState();
    const features = this.features;
    const slots = state.slots;
    let exact = true;
    for (let i = 0; i < features.length; i++) {
      const f = features[i]!;
      if (!f.evaluate(slots[i], event, out)) {
        exact = false;
        if (approximate !== undefined) approximate.push(f.name);
      }
    }
    return exact;
  }

  /** Adds `event` to the key's history (and drops what has left every window). */
  update(state: FeatureState, event: ArgusEvent): FeatureState {
    if (state.owner !== this) throw foreignState();
    const groups = this.groups;
    const matched = this.matched;
    const type = event.type;
    const data = event.data;
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]!;
      let ok = true;
      const types = group.types;
      if (types !== null) {
        ok = false;
        for (let j = 0; j < types.length; j++) {
          if (types[j] === type) {
            ok = true;
            break;
          }
        }
      }
      if (ok && group.filter !== null) ok = group.filter(data);
      matched[g] = ok ? 1 : 0;
    }
    const features = this.features;
    const slots = state.slots;
    for (let i = 0; i < features.length; i++) {
      const f = features[i]!;
      f.update(slots[i], event, matched[f.group] === 1);
    }
    return state;
  }

  /** `evaluate` then `update`. */
  observe(state: FeatureState, event: ArgusEvent, out: FeatureOutput, approximate?: string[]): boolean {
    const exact = this.evaluate(state, event, out, approximate);
    this.update(state, event);
    return exact;
  }

  /** Event time has reached `time` for an idle key: drops every entry no window needs any more. */
  expire(state: FeatureState, time: number): FeatureState {
    if (state.owner !== this) throw foreignState();
    for (let i = 0; i < this.features.length; i++) this.features[i]!.expire(state.slots[i], time);
    return state;
  }

  /** True when the state holds nothing (the key's feature state can be deleted). */
  isEmpty(state: FeatureState): boolean {
    for (let i = 0; i < this.features.length; i++) if (!this.features[i]!.isEmpty(state.slots[i])) return false;
    return true;
  }

  /** Entries held, over all features. */
  size(state: FeatureState): number {
    let n = 0;
    for (let i = 0; i < this.features.length; i++) n += this.features[i]!.entries(state.slots[i]);
    return n;
  }

  /** Every feature's value for an event at `time` (for `GET /v1/keys/:key`); does not change the state. */
  describe(state: FeatureState, time: number): Record<string, FeatureDescription> {
    const s = state.owner === this ? state : this.load(state);
    const out: Record<string, FeatureDescription> = {};
    for (let i = 0; i < this.features.length; i++) out[this.names[i]!] = this.features[i]!.describe(s.slots[i], time);
    return out;
  }

  /** The JSON form (what `JSON.stringify(state)` writes). */
  encode(state: FeatureState): EncodedFeatureState {
    const f: Record<string, unknown> = {};
    for (let i = 0; i < this.features.length; i++) f[this.features[i]!.hash] = this.features[i]!.encode(state.slots[i]);
    return { v: 1, f };
  }

  /** Rebuilds a state from its JSON form. Slots of features whose definition changed start empty. */
  decode(json: unknown): FeatureState {
    if (!isRecord(json) || json.v !== 1 || !isRecord(json.f)) throw stateError([], 'must be {"v": 1, "f": {…}}');
    const f = json.f;
    const slots: unknown[] = new Array(this.features.length);
    for (let i = 0; i < slots.length; i++) {
      const feature = this.features[i]!;
      const slot = Object.prototype.hasOwnProperty.call(f, feature.hash) ? f[feature.hash] : undefined;
      slots[i] = slot === undefined ? feature.create() : feature.decode(slot, ['f', feature.hash]);
    }
    return new FeatureState(this, slots);
  }

  /** A state of an older set: reuse slots whose definition hash is unchanged. */
  private migrate(old: FeatureState): FeatureState {
    const oldSet = old.owner;
    const byHash = new Map<string, number>();
    oldSet.features.forEach((f, i) => {
      if (!byHash.has(f.hash)) byHash.set(f.hash, i);
    });
    const taken = new Set<number>();
    const slots: unknown[] = new Array(this.features.length);
    for (let i = 0; i < slots.length; i++) {
      const feature = this.features[i]!;
      const j = byHash.get(feature.hash);
      if (j === undefined) slots[i] = feature.create();
      else if (!taken.has(j)) {
        taken.add(j);
        slots[i] = old.slots[j];
      } else {
        // Two features with one definition: each needs its own copy of the slot.
        slots[i] = feature.decode(JSON.parse(JSON.stringify(oldSet.features[j]!.encode(old.slots[j]))), []);
      }
    }
    return new FeatureState(this, slots);
  }
}

function foreignState(): ArgusError {
  return new ArgusError('feature state belongs to another feature set: pass it through featureSet.load() first', {
    code: 'FEATURE_STATE_MISMATCH',
  });
}
