/**
 * The JSONPath subset Argus accepts in a condition's `path` (json-rules-engine applies `path` to a
 * fact's value with jsonpath-plus, `wrap: false`). Supported: `$`, `.name`, `[n]`, `['name']`, in
 * any sequence: `$.a.b`, `$.a[0].b`, `$['a b'].c`. Anything else (wildcards, `..`, filters, unions,
 * slices, double quotes) is rejected at compile time, so every accepted path reads exactly what
 * jsonpath-plus reads:
 * - a step reads only an own property (jsonpath-plus checks `hasOwnProperty` too); a string has
 *   own `length` and own indices (`$.code[0]` is its first character), a number or boolean has none;
 * - a step from `null`/`undefined` gives `undefined`;
 * - the value found is returned as is (an array stays an array).
 */
export type PathGetter = (value: unknown) => unknown;

/** A parse failure: the message says what is wrong with the path. */
export interface PathParseResult {
  steps?: (string | number)[];
  error?: string;
}

const hasOwn = Object.prototype.hasOwnProperty;
const DOT_NAME = /^[A-Za-z_][A-Za-z0-9_-]*/;
const INDEX = /^\[(0|[1-9][0-9]{0,8})\]/;
const QUOTED = /^\['([^'"\\[\]()*,@~$^;]+)'\]/;

/** Parses a path of the supported subset into its steps (property names and array indices). */
export function parseJsonPath(path: string): PathParseResult {
  if (path[0] !== '$') return { error: 'must start with "$" (e.g. "$.a.b", "$.a[0]", "$[\'a b\']")' };
  const steps: (string | number)[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    let m: RegExpExecArray | null;
    if (rest[0] === '.' && rest[1] !== '.' && (m = DOT_NAME.exec(rest.slice(1))) !== null) {
      steps.push(m[0]);
      rest = rest.slice(1 + m[0].length);
    } else if ((m = INDEX.exec(rest)) !== null) {
      steps.push(Number(m[1]));
      rest = rest.slice(m[0].length);
    } else if ((m = QUOTED.exec(rest)) !== null && !m[1]!.includes('..')) {
      steps.push(m[1]!);
      rest = rest.slice(m[0].length);
    } else {
      return {
        error:
          `unsupported JSONPath at "${rest}": Argus accepts "$" followed by .name (letters, digits, "_", "-"), ` +
          `[index] or ['name'] steps only`,
      };
    }
  }
  return { steps };
}

function step(cur: unknown, key: string | number): unknown {
  if (cur === null || cur === undefined) return undefined;
  if (typeof cur === 'object') return hasOwn.call(cur, key) ? (cur as Record<string | number, unknown>)[key] : undefined;
  if (typeof cur === 'string') {
    if (key === 'length') return cur.length;
    if (typeof key === 'number') return key < cur.length ? cur[key] : undefined;
    // A quoted digit string names an index too ("$['0']").
    return hasOwn.call(cur, key) ? (cur as unknown as Record<string, unknown>)[key] : undefined;
  }
  return undefined;
}

/** Compiles parsed steps into a getter (no allocation per call). */
export function compileSteps(steps: readonly (string | number)[]): PathGetter {
  const n = steps.length;
  if (n === 0) return (v) => v;
  if (n === 1) {
    const a = steps[0]!;
    return (v) => step(v, a);
  }
  if (n === 2) {
    const a = steps[0]!;
    const b = steps[1]!;
    return (v) => step(step(v, a), b);
  }
  const all = steps.slice();
  return (v) => {
    let cur = v;
    for (let i = 0; i < n; i++) cur = step(cur, all[i]!);
    return cur;
  };
}
