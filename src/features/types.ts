/** A primitive event-field value that features remember (strings, finite numbers, booleans). */
export type FieldValue = string | number | boolean;

/** What a feature gives a rule: a number, a remembered field value, a boolean (`seen`), or null. */
export type FeatureValue = number | string | boolean | null;

/** Where `evaluate` writes: one property per feature name. */
export type FeatureOutput = Record<string, FeatureValue>;

export const FEATURE_KINDS = [
  'count',
  'sum',
  'avg',
  'min',
  'max',
  'distinctCount',
  'last',
  'timeSince',
  'age',
  'seen',
] as const;
export type FeatureKind = (typeof FEATURE_KINDS)[number];

/** Declared event fields: event type → dot path → type. */
export type FieldType = 'number' | 'string' | 'boolean';
export type EventDeclarations = Record<string, Record<string, FieldType>>;

/**
 * One feature, validated and normalised (durations in milliseconds, named filters resolved to
 * their condition). Plain data: it round-trips as JSON, and its hash identifies its state.
 */
export interface FeatureDefinition {
  name: string;
  kind: FeatureKind;
  description?: string;
  /** Sliding window in ms: history events with `t' > t − window` (and `t' ≤ t`). */
  window?: number;
  /** Dot path of the event field the feature reads (sum/avg/min/max/distinctCount/last/seen). */
  field?: string;
  /** Event types the feature counts (e.g. `["transaction"]`, `["match:card-testing"]`); absent = every type. */
  eventTypes?: string[];
  /** A json-rules-engine condition on the history event (its envelope); absent = every event. */
  filter?: unknown;
  /** The name of the reusable filter it came from, for display only (not part of the hash). */
  filterName?: string;
  /** Entries kept per key for this feature before the oldest are dropped (default 10,000). */
  maxEntries?: number;
  /**
   * How far (ms) behind the key's latest event time an out-of-order event can be and still get
   * exact values; entries are kept that much longer than the window (default 60,000).
   */
  allowedLateness?: number;
}

/** Defaults for definitions that do not set them. */
export interface FeatureSetOptions {
  maxEntries?: number;
  allowedLateness?: number;
}

export const DEFAULT_MAX_ENTRIES = 10_000;
export const DEFAULT_ALLOWED_LATENESS = 60_000;

/** What `describe` shows for one feature. */
export interface FeatureDescription {
  kind: FeatureKind;
  /** The value for an event at that time; for `seen`, the number of distinct values remembered. */
  value: FeatureValue;
  /** False when dropped entries (cap or lateness) may have changed the value. */
  exact: boolean;
  /** Entries this key holds for the feature. */
  entries: number;
  /** Entries dropped so far because the cap (`maxEntries`) was hit. */
  dropped: number;
}
