import { ValidationError } from '../errors.ts';
import type { FeatureKind, FieldValue } from './types.ts';

export type Path = (string | number)[];

/**
 * A compiled feature other than the windowed aggregates (`WindowFeature`): `last`/`timeSince`
 * (LatestFeature), `seen` (SeenFeature, RecentSeenFeature with a window), `age` (AgeFeature).
 * Holds no per-key data: its scalars live in the key's arena, its map (seen) in the key's side
 * array, and `FeatureSet` dispatches to each class's arena methods by kind. The slot (`S`) is the
 * feature's state as one object, the form the state codec reads (`decode`) and writes
 * (`encode`, undefined when there is nothing worth writing).
 */
export interface Feature<S = unknown> {
  readonly name: string;
  readonly kind: FeatureKind;
  /** Definition hash: the state of a feature is kept across reloads while this is unchanged. */
  readonly hash: string;
  /** Index of the (event types, filter) group whose match result `update` receives. */
  readonly group: number;
  create(): S;
  encode(slot: S): unknown;
  /** Rebuilds a slot from `encode`'s output; throws ValidationError on malformed input. */
  decode(json: unknown, at: Path): S;
}

/** A field value features remember: strings, finite numbers (−0 as 0), booleans; else undefined. */
export function primitiveOf(v: unknown): FieldValue | undefined {
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number' && v - v === 0) return v + 0;
  return undefined;
}

/** A finite number (−0 as 0), else undefined. */
export function numberOf(v: unknown): number | undefined {
  return typeof v === 'number' && v - v === 0 ? v + 0 : undefined;
}

/** `-Infinity`/`Infinity` are not JSON: they encode as null. */
export function encodeTime(t: number): number | null {
  return t === Infinity || t === -Infinity ? null : t;
}

export function stateError(at: Path, message: string): ValidationError {
  return new ValidationError('feature state', [{ path: at, message }]);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A finite number, or null for the given infinity. */
export function decodeTime(v: unknown, ifNull: number, at: Path): number {
  if (v === null || v === undefined) return ifNull;
  if (typeof v !== 'number' || v - v !== 0) throw stateError(at, 'must be a finite number or null');
  return v;
}

export function decodeCount(v: unknown, at: Path): number {
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw stateError(at, 'must be a non-negative integer');
  return v;
}

/** An ascending array of finite numbers. */
export function decodeTimes(v: unknown, at: Path): number[] {
  if (!Array.isArray(v)) throw stateError(at, 'must be an array of times');
  let prev = -Infinity;
  for (let i = 0; i < v.length; i++) {
    const t = v[i];
    if (typeof t !== 'number' || t - t !== 0 || t < prev) throw stateError([...at, i], 'must be finite and not before the previous time');
    prev = t;
  }
  return v.slice() as number[];
}

export function decodeValues(v: unknown, n: number, numeric: boolean, at: Path): FieldValue[] {
  if (!Array.isArray(v) || v.length !== n) throw stateError(at, `must be an array of ${n} values`);
  for (let i = 0; i < n; i++) {
    const x = numeric ? numberOf(v[i]) : primitiveOf(v[i]);
    if (x === undefined) throw stateError([...at, i], numeric ? 'must be a finite number' : 'must be a string, number or boolean');
  }
  return v.slice() as FieldValue[];
}

/**
 * A getter for a validated dot path (no `__proto__`/`constructor`/`prototype` segment), faster
 * than `compilePath`'s own-property test on the hot path. It may return an inherited
 * `Object.prototype` member for a missing field — always a function, which every feature treats
 * as "no value", exactly as it treats `undefined`.
 */
export function fieldGetter(path: string): (data: unknown) => unknown {
  const parts = path.split('.');
  if (parts.length === 1) {
    const a = parts[0]!;
    return (o) => (o as Record<string, unknown>)[a];
  }
  if (parts.length === 2) {
    const [a, b] = parts as [string, string];
    return (o) => {
      const v = (o as Record<string, unknown>)[a];
      return v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[b] : undefined;
    };
  }
  return (o) => {
    let cur: unknown = o;
    for (let i = 0; i < parts.length; i++) {
      if (cur === null || typeof cur !== 'object') return undefined;
      cur = (cur as Record<string, unknown>)[parts[i]!];
    }
    return cur;
  };
}
