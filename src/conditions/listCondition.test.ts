import { describe, expect, it } from 'vitest';
import { ConditionError } from '../errors.ts';
import { ListRegistry } from '../lists/index.ts';
import { compileCondition } from './compileCondition.ts';
import type { CompileOptions } from './types.ts';

type Facts = Record<string, unknown>;

function registry(): ListRegistry {
  const r = new ListRegistry();
  const result = r.load([
    { file: 'rules/lists/blocked_ips.json', text: JSON.stringify({ description: 'd', kind: 'ip', items: ['10.0.0.0/8', '2001:db8::/32'] }) },
    { file: 'rules/lists/blocked_countries.json', text: JSON.stringify({ description: 'd', kind: 'string', items: ['IR', 'KP'] }) },
  ]);
  expect(result.ok).toBe(true);
  return r;
}

function issuesOf(condition: unknown, options: CompileOptions<Facts> = {}): { path: (string | number)[]; message: string }[] {
  try {
    compileCondition<Facts>(condition, options);
  } catch (err) {
    if (err instanceof ConditionError) return err.issues;
    throw err;
  }
  throw new Error('expected a ConditionError');
}

describe('conditions: in / notIn against a named list', () => {
  it('in and notIn call the list, by containment for ip lists', () => {
    const lists = registry();
    const blocked = compileCondition<Facts>({ fact: 'ip.address', operator: 'in', value: { list: 'blocked_ips' } }, { list: lists.hook });
    const allowed = compileCondition<Facts>({ fact: 'ip.address', operator: 'notIn', value: { list: 'blocked_ips' } }, { list: lists.hook });
    expect(blocked({ ip: { address: '10.9.9.9' } })).toBe(true);
    expect(allowed({ ip: { address: '10.9.9.9' } })).toBe(false);
    expect(blocked({ ip: { address: '2001:db8::42' } })).toBe(true);
    expect(blocked({ ip: { address: '8.8.8.8' } })).toBe(false);
    expect(allowed({ ip: { address: '8.8.8.8' } })).toBe(true);
    // A missing fact is not in the list (as a literal `in` with undefined).
    expect(blocked({})).toBe(false);
    expect(allowed({})).toBe(true);
  });

  it('works inside all / any / not and with a fact path', () => {
    const lists = registry();
    const cond = {
      any: [
        { fact: 'billing', path: '$.country', operator: 'in', value: { list: 'blocked_countries' } },
        { not: { fact: 'ip.address', operator: 'notIn', value: { list: 'blocked_ips' } } },
      ],
    };
    const p = compileCondition<Facts>(cond, { list: lists.hook });
    expect(p({ billing: { country: 'KP' }, ip: { address: '1.1.1.1' } })).toBe(true);
    expect(p({ billing: { country: 'FR' }, ip: { address: '10.0.0.1' } })).toBe(true);
    expect(p({ billing: { country: 'FR' }, ip: { address: '1.1.1.1' } })).toBe(false);
  });

  it('an API change or a file reload is visible through the same compiled predicate', () => {
    const lists = registry();
    const p = compileCondition<Facts>({ fact: 'country', operator: 'in', value: { list: 'blocked_countries' } }, { list: lists.hook });
    expect(p({ country: 'CU' })).toBe(false);
    lists.add('blocked_countries', ['CU']);
    expect(p({ country: 'CU' })).toBe(true);
    lists.remove('blocked_countries', ['CU']);
    expect(p({ country: 'CU' })).toBe(false);
    lists.load([
      { file: 'rules/lists/blocked_ips.json', text: JSON.stringify({ description: 'd', kind: 'ip', items: [] }) },
      { file: 'rules/lists/blocked_countries.json', text: JSON.stringify({ description: 'd', kind: 'string', items: ['CU'] }) },
    ]);
    expect(p({ country: 'CU' })).toBe(true);
    expect(p({ country: 'IR' })).toBe(false);
  });

  it('an unknown list is an error at the value path', () => {
    const lists = registry();
    expect(issuesOf({ all: [{ fact: 'ip', operator: 'in', value: { list: 'blocked_ip' } }] }, { list: lists.hook, path: ['conditions'] })).toEqual([
      { path: ['conditions', 'all', 0, 'value'], message: 'unknown list "blocked_ip" (known: blocked_countries, blocked_ips)' },
    ]);
  });

  it('a list value with any other operator, or a decorator, is an error', () => {
    const lists = registry();
    for (const operator of ['equal', 'contains', 'not:in', 'someFact:in']) {
      expect(issuesOf({ fact: 'ip', operator, value: { list: 'blocked_ips' } }, { list: lists.hook }), operator).toEqual([
        { path: ['operator'], message: `a list value ({"list": …}) works only with "in" and "notIn", got "${operator}"` },
      ]);
    }
  });

  it('without the hook, lists are not available', () => {
    expect(issuesOf({ fact: 'ip', operator: 'in', value: { list: 'blocked_ips' } })).toEqual([{ path: ['value'], message: 'lists are not available here' }]);
  });

  it('refuses malformed list references', () => {
    const lists = registry();
    expect(issuesOf({ fact: 'ip', operator: 'in', value: { list: 5 } }, { list: lists.hook })).toEqual([{ path: ['value', 'list'], message: 'must be a list name, got number 5' }]);
    expect(issuesOf({ fact: 'ip', operator: 'in', value: { list: 'blocked_ips', limit: 3 } }, { list: lists.hook })).toEqual([
      { path: ['value', 'limit'], message: 'unknown key "limit" in a list reference (allowed: list)' },
    ]);
    // `{fact, list}` is a fact reference with an unknown key, as before.
    expect(issuesOf({ fact: 'ip', operator: 'in', value: { fact: 'x', list: 'blocked_ips' } }, { list: lists.hook })[0]!.path).toEqual(['value', 'list']);
  });

  it('literal in / notIn arrays are unchanged', () => {
    const p = compileCondition<Facts>({ fact: 'c', operator: 'in', value: ['IR'] }, { list: registry().hook });
    expect(p({ c: 'IR' })).toBe(true);
    expect(issuesOf({ fact: 'c', operator: 'in', value: { other: 1 } })[0]!.message).toMatch(/"in" needs an array value/);
  });
});
