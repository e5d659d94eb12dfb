import { describe, expect, it } from 'vitest';
import { ConditionError, formatPath } from '../errors.ts';
import { compileCondition } from './compileCondition.ts';
import type { Accessor, FactRef } from './types.ts';

type Ctx = Record<string, unknown>;
const leaf = (fact: string, operator: string, value: unknown, extra: Record<string, unknown> = {}) => ({ fact, operator, value, ...extra });
const test = (cond: unknown, ctx: Ctx) => compileCondition<Ctx>(cond)(ctx);

function errorsOf(cond: unknown, options: Parameters<typeof compileCondition>[1] = {}): string[] {
  try {
    compileCondition(cond, options);
  } catch (err) {
    expect(err).toBeInstanceOf(ConditionError);
    return (err as ConditionError).issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
  }
  throw new Error('expected a ConditionError');
}

describe('operators', () => {
  it('equal / notEqual are strict (===)', () => {
    expect(test(leaf('a', 'equal', 5), { a: 5 })).toBe(true);
    expect(test(leaf('a', 'equal', 5), { a: '5' })).toBe(false);
    expect(test(leaf('a', 'equal', null), {})).toBe(false);
    expect(test(leaf('a', 'notEqual', 5), { a: '5' })).toBe(true);
    expect(test(leaf('a', 'notEqual', 5), {})).toBe(true);
  });

  it('numeric operators apply json-rules-engine number validator to the fact value', () => {
    expect(test(leaf('a', 'greaterThan', 10), { a: 11 })).toBe(true);
    expect(test(leaf('a', 'greaterThan', 10), { a: 10 })).toBe(false);
    expect(test(leaf('a', 'greaterThanInclusive', 10), { a: 10 })).toBe(true);
    expect(test(leaf('a', 'lessThan', 10), { a: 9.5 })).toBe(true);
    expect(test(leaf('a', 'lessThanInclusive', 10), { a: 10 })).toBe(true);
    // numeric strings are compared with JavaScript's coercion, as json-rules-engine does
    expect(test(leaf('a', 'greaterThan', 10), { a: '11' })).toBe(true);
    // "12abc" passes parseFloat but compares as NaN
    expect(test(leaf('a', 'greaterThan', 10), { a: '12abc' })).toBe(false);
    // null coerces to 0 in `<`, but the validator rejects it first
    expect(test(leaf('a', 'lessThan', 10), { a: null })).toBe(false);
    expect(test(leaf('a', 'lessThan', 10), { a: true })).toBe(false);
    expect(test(leaf('a', 'lessThan', 10), {})).toBe(false);
    // an array whose string form is numeric passes the validator: [5] < 10
    expect(test(leaf('a', 'lessThan', 10), { a: [5] })).toBe(true);
  });

  it('in / notIn against a list', () => {
    expect(test(leaf('a', 'in', ['US', 'CA']), { a: 'US' })).toBe(true);
    expect(test(leaf('a', 'in', ['US', 'CA']), { a: 'FR' })).toBe(false);
    expect(test(leaf('a', 'notIn', ['US', 'CA']), { a: 'FR' })).toBe(true);
    expect(test(leaf('a', 'notIn', ['US', 'CA']), {})).toBe(true);
    const big = Array.from({ length: 50 }, (_, i) => `c${i}`);
    expect(test(leaf('a', 'in', big), { a: 'c42' })).toBe(true);
    expect(test(leaf('a', 'in', big), { a: 'c50' })).toBe(false);
    expect(test(leaf('a', 'notIn', big), { a: 'c50' })).toBe(true);
  });

  it('in with a fact-valued list: a string list is searched as a substring, anything else is false', () => {
    const cond = leaf('a', 'in', { fact: 'list' });
    expect(test(cond, { a: 'b', list: ['a', 'b'] })).toBe(true);
    expect(test(cond, { a: 'bc', list: 'abcd' })).toBe(true);
    expect(test(cond, { a: 'b', list: 7 })).toBe(false); // json-rules-engine throws a TypeError here
    expect(test(cond, { a: 'b' })).toBe(false);
    expect(test(leaf('a', 'notIn', { fact: 'list' }), { a: 'b' })).toBe(false);
  });

  it('contains / doesNotContain need an array fact value', () => {
    expect(test(leaf('a', 'contains', 'x'), { a: ['x', 'y'] })).toBe(true);
    expect(test(leaf('a', 'contains', 'x'), { a: 'xyz' })).toBe(false);
    expect(test(leaf('a', 'doesNotContain', 'x'), { a: ['y'] })).toBe(true);
    expect(test(leaf('a', 'doesNotContain', 'x'), { a: 'y' })).toBe(false);
    expect(test(leaf('a', 'doesNotContain', 'x'), {})).toBe(false);
  });

  it('startsWith / endsWith / includes on strings only', () => {
    expect(test(leaf('e', 'endsWith', '@mailinator.com'), { e: 'bob@mailinator.com' })).toBe(true);
    expect(test(leaf('e', 'endsWith', '@mailinator.com'), { e: 'bob@example.com' })).toBe(false);
    expect(test(leaf('e', 'startsWith', '4111'), { e: '411111' })).toBe(true);
    expect(test(leaf('e', 'startsWith', '4111'), { e: 411111 })).toBe(false);
    expect(test(leaf('e', 'includes', 'curl'), { e: 'curl/8.1' })).toBe(true);
    expect(test(leaf('e', 'includes', 'curl'), { e: ['curl'] })).toBe(false);
    expect(test(leaf('e', 'startsWith', { fact: 'p' }), { e: 'abc', p: 'ab' })).toBe(true);
    expect(test(leaf('e', 'startsWith', { fact: 'p' }), { e: 'abc', p: 1 })).toBe(false);
  });

  it('matches tests a regular expression compiled once', () => {
    const cond = leaf('ua', 'matches', '(?:curl|python-requests|HeadlessChrome)');
    expect(test(cond, { ua: 'python-requests/2.31' })).toBe(true);
    expect(test(cond, { ua: 'Mozilla/5.0' })).toBe(false);
    expect(test(cond, { ua: 5 })).toBe(false);
    const p = compileCondition<Ctx>(leaf('a', 'matches', '^a'));
    // no global flag: repeated calls give the same answer
    expect([p({ a: 'ab' }), p({ a: 'ab' }), p({ a: 'ab' })]).toEqual([true, true, true]);
  });

  it('supports json-rules-engine 7 operator decorators', () => {
    expect(test(leaf('a', 'someFact:greaterThan', 5), { a: [1, 7] })).toBe(true);
    expect(test(leaf('a', 'everyFact:greaterThan', 5), { a: [1, 7] })).toBe(false);
    expect(test(leaf('a', 'everyFact:greaterThan', 5), { a: [] })).toBe(true);
    expect(test(leaf('a', 'someFact:equal', 5), { a: 5 })).toBe(false);
    expect(test(leaf('a', 'someValue:equal', [1, 2]), { a: 2 })).toBe(true);
    expect(test(leaf('a', 'everyValue:lessThan', [5, 9]), { a: 3 })).toBe(true);
    expect(test(leaf('a', 'swap:in', 'x'), { a: ['x'] })).toBe(true);
    expect(test(leaf('a', 'not:in', ['x']), { a: 'y' })).toBe(true);
    expect(test(leaf('a', 'not:someFact:matches', '^x'), { a: ['ya', 'yb'] })).toBe(true);
    expect(test(leaf('a', 'not:greaterThan', 5), { a: 'abc' })).toBe(true);
  });

  it('a fact-valued value is resolved like a fact, with its own path', () => {
    const cond = leaf('amount', 'greaterThan', { fact: 'limits', path: '$.EUR' });
    expect(test(cond, { amount: 600, limits: { EUR: 500 } })).toBe(true);
    expect(test(cond, { amount: 400, limits: { EUR: 500 } })).toBe(false);
    expect(test(leaf('a', 'equal', { fact: 'b' }), {})).toBe(true); // undefined === undefined
  });
});

describe('facts and paths', () => {
  it('reads a dot path fact, own properties only', () => {
    expect(test(leaf('device.id', 'equal', 'd1'), { device: { id: 'd1' } })).toBe(true);
    // the prototype's `toString` is never read: both sides are undefined
    expect(test(leaf('toString', 'equal', { fact: 'nothing' }), {})).toBe(true);
    expect(test(leaf('device.constructor', 'equal', { fact: 'nothing' }), { device: {} })).toBe(true);
  });

  it('applies $.a.b, $.a[0].b and $[\'a b\'] paths', () => {
    const ctx = { f: { a: { b: 1 }, list: [{ b: 2 }], 'a b': 3, s: 'xyz' } };
    expect(test(leaf('f', 'equal', 1, { path: '$.a.b' }), ctx)).toBe(true);
    expect(test(leaf('f', 'equal', 2, { path: '$.list[0].b' }), ctx)).toBe(true);
    expect(test(leaf('f', 'equal', 3, { path: "$['a b']" }), ctx)).toBe(true);
    expect(test(leaf('f', 'equal', 3, { path: '$.s.length' }), ctx)).toBe(true);
    expect(test(leaf('f', 'equal', 'x', { path: '$.s[0]' }), ctx)).toBe(true);
    expect(test(leaf('f', 'equal', { fact: 'nothing' }, { path: '$.constructor' }), ctx)).toBe(true);
    expect(test(leaf('f', 'notEqual', 1, { path: '$.constructor' }), ctx)).toBe(true);
  });

  it('a path on a non-object fact value returns the value itself (json-rules-engine)', () => {
    expect(test(leaf('f', 'equal', 5, { path: '$.x' }), { f: 5 })).toBe(true);
    expect(test(leaf('f', 'equal', null, { path: '$.x' }), { f: null })).toBe(true);
  });

  it('uses options.fact once per reference, at compile time, then applies path', () => {
    const seen: string[] = [];
    const fact = (ref: FactRef, at: (string | number)[]): Accessor<Ctx> => {
      seen.push(`${ref.fact}@${formatPath(at)}`);
      return (ctx) => ctx[`my_${ref.fact}`];
    };
    const p = compileCondition<Ctx>({ all: [leaf('x', 'equal', { fact: 'y', path: '$.v' })] }, { fact });
    expect(seen).toEqual(['x@all[0].fact', 'y@all[0].value.fact']);
    expect(p({ my_x: 1, my_y: { v: 1 } })).toBe(true);
    expect(seen).toHaveLength(2);
  });
});

describe('boolean nodes', () => {
  it('all / any / not, including json-rules-engine empty-array results (both true)', () => {
    const t = leaf('a', 'equal', 1);
    const f = leaf('a', 'equal', 2);
    const ctx = { a: 1 };
    expect(test({ all: [t, t, t, t, t] }, ctx)).toBe(true);
    expect(test({ all: [t, t, t, f] }, ctx)).toBe(false);
    expect(test({ any: [f, f, f, f, t] }, ctx)).toBe(true);
    expect(test({ any: [f, f] }, ctx)).toBe(false);
    expect(test({ not: f }, ctx)).toBe(true);
    expect(test({ all: [] }, ctx)).toBe(true);
    expect(test({ any: [] }, ctx)).toBe(true);
    expect(test({ any: [{ not: { all: [f] } }], priority: 2, name: 'x' }, ctx)).toBe(true);
  });
});

describe('compile errors carry the path inside the condition', () => {
  it('unknown operator, prefixed by options.path and located in the file', () => {
    let err: unknown;
    try {
      compileCondition({ all: [leaf('a', 'equal', 1), leaf('a', 'biggerThan', 1)] }, { path: ['stages', 2, 'where'], file: 'p.json' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConditionError);
    const e = err as ConditionError;
    expect(e.file).toBe('p.json');
    expect(e.code).toBe('INVALID_CONDITION');
    expect(formatPath(e.issues[0]!.path)).toBe('stages[2].where.all[1].operator');
    expect(e.message).toContain('p.json');
  });

  it.each([
    [leaf('a', 'matches', '(unclosed'), 'value: invalid regular expression'],
    [leaf('a', 'matches', { fact: 'b' }), 'value: "matches" needs a literal regular expression'],
    [leaf('a', 'someValue:matches', ['x']), 'value: "matches" cannot be combined'],
    [leaf('a', 'wrong:equal', 1), 'operator: unknown operator decorator "wrong"'],
    [leaf('a', 5 as unknown as string, 1), 'operator: must be an operator name'],
    [{ fact: 'a', operator: 'equal' }, 'value: required'],
    [{ operator: 'equal', value: 1 }, 'fact: required'],
    [{ fact: 'a', value: 1 }, 'operator: required'],
    [leaf('', 'equal', 1), 'fact: must be a non-empty string'],
    [leaf('a', 'in', 'US'), 'value: "in" needs an array value, got string "US" (for a substring test use "includes")'],
    [leaf('a', 'greaterThan', '10'), 'value: "greaterThan" needs a number value'],
    [leaf('a', 'endsWith', 5), 'value: "endsWith" needs a string value'],
    [leaf('a', 'everyValue:equal', 5), 'value: "everyValue" needs an array value'],
    [leaf('a', 'equal', 1, { path: '$..x' }), 'path: unsupported JSONPath'],
    [leaf('a', 'equal', 1, { path: 'a.b' }), 'path: must start with "$"'],
    [leaf('a', 'equal', 1, { path: '$["a"]' }), 'path: unsupported JSONPath'],
    [leaf('a', 'equal', 1, { path: '$.a[*]' }), 'path: unsupported JSONPath'],
    [leaf('a', 'equal', { fact: 'b', path: 7 }), 'value.path: must be a JSONPath string'],
    [leaf('a', 'equal', { fact: 'b', paht: '$.x' }), 'value.paht: unknown key "paht"'],
    [leaf('a', 'equal', 1, { operater: 'x' }), 'operater: unknown key "operater"'],
    [leaf('a', 'equal', 1, { params: [] }), 'params: must be an object'],
    [leaf('a', 'equal', 1, { priority: 0 }), 'priority: must be a positive integer'],
    [{ all: {} }, 'all: must be an array of conditions'],
    [{ not: [] }, 'not: must be one condition object'],
    [{ all: [], any: [] }, '(root): has all and any'],
    [{ condition: 'shared' }, 'condition: named condition references are not supported'],
    [{ all: [null] }, 'all[0]: must be a condition object'],
    ['x', '(root): must be a condition object'],
  ])('%j → %s', (cond, expected) => {
    const errors = errorsOf(cond);
    expect(errors.some((e) => e.startsWith(expected)), errors.join('\n')).toBe(true);
  });

  it('collects every problem of the tree', () => {
    const errors = errorsOf({ any: [leaf('a', 'nope', 1), { not: leaf('b', 'matches', '[') }] });
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^any\[0\]\.operator/);
    expect(errors[1]).toMatch(/^any\[1\]\.not\.value/);
  });

  it('a ConditionError thrown by options.fact joins the issues', () => {
    const fact = (ref: FactRef, at: (string | number)[]): Accessor<unknown> => {
      throw new ConditionError([{ path: at, message: `unknown fact "${ref.fact}"` }]);
    };
    const errors = errorsOf({ all: [leaf('zzz', 'equal', 1)] }, { fact, path: ['where'] });
    expect(errors).toEqual(['where.all[0].fact: unknown fact "zzz"']);
  });
});
