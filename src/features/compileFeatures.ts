import { compileCondition } from '../conditions/index.ts';
import { ConditionError, ValidationError, type ValidationIssue } from '../errors.ts';
import { AgeFeature } from './AgeFeature.ts';
import { canonicalJson, definitionHash, normaliseEventTypes } from './definitionHash.ts';
import { fieldGetter, type Feature } from './Feature.ts';
import { FeatureSet, type FilterGroup } from './FeatureSet.ts';
import { checkKindRules } from './kindRules.ts';
import { LatestFeature } from './LatestFeature.ts';
import { SeenFeature } from './SeenFeature.ts';
import { DEFAULT_ALLOWED_LATENESS, DEFAULT_MAX_ENTRIES, type FeatureDefinition, type FeatureSetOptions } from './types.ts';
import { WindowFeature } from './WindowFeature.ts';

/**
 * Compiles definitions (from `parseFeatures`, or built in code) into a `FeatureSet`. Features
 * with the same event types and filter share one filter evaluation per event. Throws
 * `ValidationError` (paths `[index, …]`) for a definition that does not hold together.
 */
export function compileFeatures(defs: readonly FeatureDefinition[], options: FeatureSetOptions = {}): FeatureSet {
  const issues: ValidationIssue[] = [];
  const names = new Set<string>();
  defs.forEach((def, i) => {
    issues.push(...checkKindRules(def, [i]));
    if (names.has(def.name)) issues.push({ path: [i, 'name'], message: `duplicate feature name "${def.name}"` });
    names.add(def.name);
  });
  if (issues.length > 0) throw new ValidationError('features', issues);

  const groups: FilterGroup[] = [];
  const groupIndex = new Map<string, number>();
  const features: Feature[] = [];
  defs.forEach((def, i) => {
    const types = normaliseEventTypes(def.eventTypes);
    const key = canonicalJson({ types: types ?? null, filter: def.filter ?? null });
    let group = groupIndex.get(key);
    if (group === undefined) {
      let filter: FilterGroup['filter'] = null;
      if (def.filter !== undefined) {
        try {
          filter = compileCondition<Readonly<Record<string, unknown>>>(def.filter, { path: [i, 'filter'] });
        } catch (err) {
          if (err instanceof ConditionError) issues.push(...err.issues);
          else throw err;
        }
      }
      group = groups.length;
      groups.push({ types: types ?? null, filter });
      groupIndex.set(key, group);
    }
    features.push(build(def, definitionHash(def), group, options));
  });
  if (issues.length > 0) throw new ValidationError('features', issues);
  return new FeatureSet(
    defs.map((d) => ({ ...d })),
    features,
    groups,
  );
}

function build(def: FeatureDefinition, hash: string, group: number, options: FeatureSetOptions): Feature {
  const cap = def.maxEntries ?? options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const lateness = def.allowedLateness ?? options.allowedLateness ?? DEFAULT_ALLOWED_LATENESS;
  const get = def.field === undefined ? undefined : fieldGetter(def.field);
  switch (def.kind) {
    case 'age':
      return new AgeFeature(def.name, def.kind, hash, group);
    case 'last':
    case 'timeSince':
      return new LatestFeature(def.name, def.kind, hash, group, def.window ?? Infinity, lateness, cap, get);
    case 'seen':
      if (def.window === undefined) return new SeenFeature(def.name, def.kind, hash, group, cap, get!);
      return new WindowFeature(def.name, def.kind, hash, group, def.window, lateness, cap, get);
    default:
      return new WindowFeature(def.name, def.kind, hash, group, def.window!, lateness, cap, get);
  }
}
