/**
 * Operator semantics, reproduced from json-rules-engine 7.3.1 (`engine-default-operators.js`,
 * `operator.js`, `engine-default-operator-decorators.js`): an operator is `validator(factValue) &&
 * callback(factValue, value)`. Where json-rules-engine throws a TypeError (e.g. `in` whose value is
 * not an array or a string: `value.indexOf is not a function`, which rejects the whole run), the
 * Argus operator returns `false` instead: bad data never crashes a decision.
 */
export type OperatorFn = (factValue: unknown, value: unknown) => boolean;

const isArray = Array.isArray;

/**
 * json-rules-engine's `numberValidator`: `Number.parseFloat(factValue).toString() !== 'NaN'`.
 * Numbers: anything but NaN. Strings: a numeric prefix (`"12abc"` passes, `" 5"` passes).
 * null, undefined, booleans and plain objects never pass. Arrays pass when their string form
 * (`String([5])` is `"5"`) starts with a number.
 */
export function isNumberLike(v: unknown): boolean {
  if (typeof v === 'number') return v === v;
  if (typeof v === 'string') {
    const f = Number.parseFloat(v);
    return f === f;
  }
  if (isArray(v)) {
    const f = Number.parseFloat(v as unknown as string);
    return f === f;
  }
  return false;
}

/** `in` / `notIn`: json-rules-engine calls `value.indexOf(factValue)`, which also works on a string. */
function indexIn(a: unknown, b: unknown): number {
  if (isArray(b)) return b.indexOf(a);
  if (typeof b === 'string') return b.indexOf(a as string);
  return -2; // json-rules-engine throws here
}

export const BASE_OPERATORS: Readonly<Record<string, OperatorFn>> = {
  equal: (a, b) => a === b,
  notEqual: (a, b) => a !== b,
  in: (a, b) => indexIn(a, b) > -1,
  notIn: (a, b) => indexIn(a, b) === -1,
  contains: (a, b) => isArray(a) && a.indexOf(b) > -1,
  doesNotContain: (a, b) => isArray(a) && a.indexOf(b) === -1,
  lessThan: (a, b) => isNumberLike(a) && (a as number) < (b as number),
  lessThanInclusive: (a, b) => isNumberLike(a) && (a as number) <= (b as number),
  greaterThan: (a, b) => isNumberLike(a) && (a as number) > (b as number),
  greaterThanInclusive: (a, b) => isNumberLike(a) && (a as number) >= (b as number),
  // Argus additions: strings only, on both sides.
  startsWith: (a, b) => typeof a === 'string' && typeof b === 'string' && a.startsWith(b),
  endsWith: (a, b) => typeof a === 'string' && typeof b === 'string' && a.endsWith(b),
  includes: (a, b) => typeof a === 'string' && typeof b === 'string' && a.includes(b),
};

/** `matches`, for one regular expression compiled at compile time. */
export function matchesOperator(re: RegExp): OperatorFn {
  return (a) => typeof a === 'string' && re.test(a);
}

/** Every operator name a condition may use (before decorators). */
export const OPERATOR_NAMES: readonly string[] = [...Object.keys(BASE_OPERATORS), 'matches'];

export type DecoratorName = 'someFact' | 'everyFact' | 'someValue' | 'everyValue' | 'swap' | 'not';

/** json-rules-engine 7's default operator decorators (`someFact:equal`, `not:in`, …). */
export const DECORATORS: Readonly<Record<DecoratorName, (next: OperatorFn) => OperatorFn>> = {
  someFact: (next) => (a, b) => {
    if (!isArray(a)) return false;
    for (let i = 0; i < a.length; i++) if (next(a[i], b)) return true;
    return false;
  },
  everyFact: (next) => (a, b) => {
    if (!isArray(a)) return false;
    for (let i = 0; i < a.length; i++) if (!next(a[i], b)) return false;
    return true;
  },
  someValue: (next) => (a, b) => {
    if (!isArray(b)) return false; // json-rules-engine throws
    for (let i = 0; i < b.length; i++) if (next(a, b[i])) return true;
    return false;
  },
  everyValue: (next) => (a, b) => {
    if (!isArray(b)) return false; // json-rules-engine throws
    for (let i = 0; i < b.length; i++) if (!next(a, b[i])) return false;
    return true;
  },
  swap: (next) => (a, b) => next(b, a),
  not: (next) => (a, b) => !next(a, b),
};

export const DECORATOR_NAMES = Object.keys(DECORATORS) as DecoratorName[];

/**
 * The four Argus operators for a json-rules-engine `Engine` (used by the differential test and the
 * benchmark), with the same semantics as Argus (`matches` caches its compiled regexes by source).
 */
export function addArgusOperators(engine: { addOperator(name: string, cb: (a: any, b: any) => boolean): unknown }): void {
  engine.addOperator('startsWith', BASE_OPERATORS.startsWith!);
  engine.addOperator('endsWith', BASE_OPERATORS.endsWith!);
  engine.addOperator('includes', BASE_OPERATORS.includes!);
  const cache = new Map<string, RegExp>();
  engine.addOperator('matches', (a, b) => {
    if (typeof a !== 'string' || typeof b !== 'string') return false;
    let re = cache.get(b);
    if (re === undefined) cache.set(b, (re = new RegExp(b)));
    return re.test(a);
  });
}
