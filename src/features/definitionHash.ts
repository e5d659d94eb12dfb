import { createHash } from 'node:crypto';
import type { FeatureDefinition } from './types.ts';

/** JSON with object keys sorted, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** Event types, sorted and without duplicates (absent = every type). */
export function normaliseEventTypes(types: readonly string[] | undefined): string[] | undefined {
  return types === undefined ? undefined : [...new Set(types)].sort();
}

/**
 * Identifies what a feature's state means: kind, window, field, event types and filter (not the
 * name, description, cap or lateness). A catalog reload keeps the state of every feature whose
 * hash is unchanged — renaming a feature keeps its history; changing its filter starts afresh.
 */
export function definitionHash(def: FeatureDefinition): string {
  const text = canonicalJson({
    v: 1,
    kind: def.kind,
    window: def.window ?? null,
    field: def.field ?? null,
    eventTypes: normaliseEventTypes(def.eventTypes) ?? null,
    filter: def.filter ?? null,
  });
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
