import type { ValidationIssue } from '../errors.ts';
import type { FeatureDefinition, FeatureKind } from './types.ts';

type Need = 'required' | 'optional' | 'forbidden';

/** What each kind takes: a window, a field. */
export const KIND_RULES: Record<FeatureKind, { window: Need; field: Need; numeric: boolean }> = {
  count: { window: 'required', field: 'forbidden', numeric: false },
  sum: { window: 'required', field: 'required', numeric: true },
  avg: { window: 'required', field: 'required', numeric: true },
  min: { window: 'required', field: 'required', numeric: true },
  max: { window: 'required', field: 'required', numeric: true },
  distinctCount: { window: 'required', field: 'required', numeric: false },
  last: { window: 'optional', field: 'required', numeric: false },
  timeSince: { window: 'optional', field: 'forbidden', numeric: false },
  age: { window: 'forbidden', field: 'forbidden', numeric: false },
  seen: { window: 'optional', field: 'required', numeric: false },
};

export const FEATURE_NAME_RE = /^[a-z][a-z0-9_]*$/;
const FIELD_RE = /^[^.\s]+(\.[^.\s]+)*$/;
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

/** Checks one definition's shape against its kind; issues carry paths under `base`. */
export function checkKindRules(def: FeatureDefinition, base: (string | number)[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const rules = KIND_RULES[def.kind];
  if (rules === undefined) return [{ path: [...base, 'kind'], message: `unknown kind "${String(def.kind)}"` }];
  if (typeof def.name !== 'string' || !FEATURE_NAME_RE.test(def.name)) {
    issues.push({ path: [...base, 'name'], message: 'must match [a-z][a-z0-9_]* (lowercase letters, digits and underscores, a letter first)' });
  }
  if (def.window === undefined) {
    if (rules.window === 'required') issues.push({ path: [...base, 'window'], message: `required for ${def.kind} (e.g. "1h")` });
  } else if (rules.window === 'forbidden') {
    issues.push({ path: [...base, 'window'], message: `${def.kind} takes no window` });
  } else if (!Number.isSafeInteger(def.window) || def.window <= 0) {
    issues.push({ path: [...base, 'window'], message: 'must be a positive duration' });
  }
  if (def.field === undefined) {
    if (rules.field === 'required') issues.push({ path: [...base, 'field'], message: `required for ${def.kind} (the event field it reads)` });
  } else if (rules.field === 'forbidden') {
    issues.push({ path: [...base, 'field'], message: `${def.kind} reads no field` });
  } else if (!FIELD_RE.test(def.field) || def.field.split('.').some((p) => FORBIDDEN_SEGMENTS.has(p))) {
    issues.push({ path: [...base, 'field'], message: 'must be a dot path such as "amount" or "card.fingerprint"' });
  }
  if (def.eventTypes !== undefined && (def.eventTypes.length === 0 || def.eventTypes.some((t) => typeof t !== 'string' || t === ''))) {
    issues.push({ path: [...base, 'eventType'], message: 'must be a non-empty event type or list of them' });
  }
  for (const key of ['maxEntries', 'allowedLateness'] as const) {
    const v = def[key];
    if (v !== undefined && (!Number.isSafeInteger(v) || v < (key === 'maxEntries' ? 1 : 0))) {
      issues.push({ path: [...base, key], message: key === 'maxEntries' ? 'must be a positive integer' : 'must be a duration' });
    }
  }
  return issues;
}
