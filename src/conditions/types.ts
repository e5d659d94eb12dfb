/**
 * The one condition language of Argus (spec/patterns.md §7): json-rules-engine condition JSON
 * plus `startsWith`, `endsWith`, `includes`, `matches`, compiled once into synchronous closures.
 *
 * `C` is the evaluation context the caller passes at run time: for rules, the facts of one
 * decision; for pattern stages, the event under test and the partial match.
 */
export type Predicate<C = unknown> = (ctx: C) => boolean;
export type Accessor<C = unknown> = (ctx: C) => unknown;

/** A fact reference as written in a condition (`{"fact": "amount"}` or the `value: {"fact": …}` form). */
export interface FactRef {
  fact: string;
  /** json-rules-engine `path` (JSONPath subset: `$.a.b`, `$.a[0]`, `$['a b']`), applied to the fact's value. */
  path?: string;
  /** json-rules-engine `params` (used by the `$stage` fact of iterative pattern conditions). */
  params?: Record<string, unknown>;
}

/** A named list as a compiled condition holds it: a live set whose contents may change between evaluations. */
export interface ListRef {
  has(value: unknown): boolean;
}

export interface CompileOptions<C = unknown> {
  /**
   * Builds the accessor for a fact reference, once, at compile time. `at` is the field path of
   * the reference, for error messages. Throw a `ConditionError` for an unknown fact.
   * Default: `fact` is a dot path into the context object (`"device.id"`, own properties only).
   * The compiler applies `ref.path` to whatever the accessor returns (only to an object value, as
   * json-rules-engine does), so an accessor must NOT apply `path` itself.
   */
  fact?: (ref: FactRef, at: (string | number)[]) => Accessor<C>;
  /**
   * Resolves `{"list": name}` values of `in` / `notIn`, once, at compile time. `at` is the path of
   * the value, for error messages. Throw a `ConditionError` for an unknown list. The returned
   * reference is kept by the predicate, which calls `ref.has(factValue)` on every evaluation, so
   * changes to the list's contents are seen without recompiling. Without it, list values are an error.
   */
  list?: (name: string, at: (string | number)[]) => ListRef;
  /** Path prefix for error messages (e.g. `["stages", 2, "where"]`). */
  path?: (string | number)[];
  /** File the condition came from, for error messages. */
  file?: string;
}
