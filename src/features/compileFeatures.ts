import { compileCondition } from '../conditions/index.ts';
import { ConditionError, ValidationError, type ValidationIssue } from '../errors.ts';
import { AgeFeature } from './AgeFeature.ts';
import { canonicalJson, definitionHash, normaliseEventTypes } from './definitionHash.ts';
import { fieldGetter, type Feature } from './Feature.ts';
import { FeatureSet, type FilterGroup, type LogGroup } from './FeatureSet.ts';
import { checkKindRules, KIND_RULES } from './kindRules.ts';
import { LatestFeature } from './LatestFeature.ts';
import { RecentSeenFeature } from './RecentSeenFeature.ts';
import { SeenFeature } from './SeenFeature.ts';
import { DEFAULT_ALLOWED_LATENESS, DEFAULT_MAX_ENTRIES, type FeatureDefinition, type FeatureSetOptions } from './types.ts';
import { VEC_SLOTS, WINDOW_SCALARS, WindowFeature } from './WindowFeature.ts';

/**
 * Compiles definitions (from `parseFeatures`, or built in code) into a `FeatureSet`. Features
 * with the same event types and filter share one filter evaluation per event; windowed features
 * with the same event types, filter and cap also share one log per key. Throws
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
  const logGroups: LogGroup[] = [];
  const logGroupIndex = new Map<string, number>();
  const windowDefs: { def: FeatureDefinition; hash: string; group: number; lg: number; col: number; lateness: number }[] = [];
  const others: Feature[] = [];
  const order: { window: boolean; index: number }[] = [];
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
    const hash = definitionHash(def);
    const cap = def.maxEntries ?? options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    const lateness = def.allowedLateness ?? options.allowedLateness ?? DEFAULT_ALLOWED_LATENESS;
    const windowed = def.window !== undefined && WINDOW_KINDS.has(def.kind);
    if (!windowed) {
      order.push({ window: false, index: others.length });
      others.push(build(def, hash, group, cap, lateness));
      return;
    }
    const lgKey = `${group}/${cap}`;
    let lg = logGroupIndex.get(lgKey);
    if (lg === undefined) {
      lg = logGroups.length;
      logGroups.push({ fg: group, cap, retain: 0, fields: [], numeric: [], getters: [], colKeys: [], colRetain: [], members: [], header: 0, keysAll: '', usedAll: 0, tagsAll: '' });
      logGroupIndex.set(lgKey, lg);
    }
    const spec = logGroups[lg]!;
    const span = def.window! + lateness;
    if (span > spec.retain) spec.retain = span;
    let col = -1;
    if (def.field !== undefined) {
      const numeric = KIND_RULES[def.kind].numeric;
      const colKey = (numeric ? '#' : '') + def.field;
      col = spec.colKeys.indexOf(colKey);
      if (col < 0) {
        col = spec.colKeys.length;
        spec.colKeys.push(colKey);
        spec.fields.push(def.field);
        spec.numeric.push(numeric);
        spec.getters.push(fieldGetter(def.field));
        spec.colRetain.push(0);
      }
      if (span > spec.colRetain[col]!) spec.colRetain[col] = span;
    }
    const k = windowDefs.length;
    spec.members.push(k);
    order.push({ window: true, index: k });
    windowDefs.push({ def, hash, group, lg, col, lateness });
  });
  if (issues.length > 0) throw new ValidationError('features', issues);
  // a key's arena: its clock, each windowed feature's scalars (then, placed by FeatureSet, each
  // age, each shared log's header, and the logs' entries)
  let vec = 1 + WINDOW_SCALARS * windowDefs.length; // then the partials / deque blocks
  const windows = windowDefs.map(({ def, hash, group, lg, col, lateness }, k) => {
    const get = def.field === undefined ? undefined : fieldGetter(def.field);
    const S = 1 + logGroups[lg]!.numeric.length;
    const hasVec = ['sum', 'avg', 'min', 'max'].includes(def.kind);
    const w = new WindowFeature(def.name, def.kind, hash, group, lg, col, 1 + WINDOW_SCALARS * k, def.window!, lateness, get, S, hasVec ? vec : -1);
    if (hasVec) vec += 1 + VEC_SLOTS;
    return w;
  });
  for (const lg of logGroups) {
    lg.keysAll = lg.colKeys.join(' ');
    for (let c = 0; c < lg.colKeys.length && c < 31; c++) lg.usedAll |= 1 << c;
    lg.tagsAll = lg.members.map((k) => windows[k]!.tag).join('');
  }
  return new FeatureSet(
    defs.map((d) => ({ ...d })),
    windows,
    others,
    groups,
    logGroups,
    order,
  );
}

/** Kinds computed over a window of the group's shared log (when they have a window). */
const WINDOW_KINDS = new Set(['count', 'sum', 'avg', 'min', 'max', 'distinctCount']);

function build(def: FeatureDefinition, hash: string, group: number, cap: number, lateness: number): Feature {
  const get = def.field === undefined ? undefined : fieldGetter(def.field);
  switch (def.kind) {
    case 'age':
      return new AgeFeature(def.name, def.kind, hash, group);
    case 'last':
    case 'timeSince':
      return new LatestFeature(def.name, def.kind, hash, group, def.window ?? Infinity, lateness, cap, get);
    default:
      if (def.window !== undefined) return new RecentSeenFeature(def.name, def.kind, hash, group, def.window, lateness, cap, get!);
      return new SeenFeature(def.name, def.kind, hash, group, cap, get!);
  }
}
