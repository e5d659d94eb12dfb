import { describe, expect, it } from 'vitest';
import { ConditionError, ValidationError } from '../errors.ts';
import { compileRuleSet, type FiredRule } from './compileRuleSet.ts';
import { parseRule } from './parseRule.ts';
import type { Predicate } from '../conditions/types.ts';
import type { RuleDefinition } from './RuleDefinition.ts';
import type { RuleFacts } from './RuleFacts.ts';

const mk = (id: string, conditions: unknown, over: Record<string, unknown> = {}) =>
  parseRule({
    id,
    version: 2,
    description: id,
    conditions,
    event: { type: 'flag', params: { score: 10, reason: id.toUpperCase().replace(/-/g, '_') } },
    ...over,
  });
const always = { all: [] };
const facts = (event: Record<string, unknown>, rest: Partial<RuleFacts> = {}): RuleFacts => ({
  event,
  features: {},
  matches: {},
  lists: {},
  ...rest,
});
const run = (set: ReturnType<typeof compileRuleSet>, type: string, f: RuleFacts) => {
  const out: FiredRule[] = [];
  set.evaluate(type, f, out);
  return out.map((x) => x.reason.rule);
};

describe('compileRuleSet', () => {
  it('runs only the rules that apply to the event type, in priority order then by id', () => {
    const set = compileRuleSet([
      mk('z-any', always),
      mk('b-login', always, { appliesTo: ['login'] }),
      mk('a-txn', always, { appliesTo: ['transaction'] }),
      mk('c-both', always, { appliesTo: ['transaction', 'login'], priority: 5 }),
    ]);
    expect(run(set, 'transaction', facts({}))).toEqual(['c-both', 'a-txn', 'z-any']);
    expect(run(set, 'login', facts({}))).toEqual(['c-both', 'b-login', 'z-any']);
    expect(run(set, 'refund', facts({}))).toEqual(['z-any']);
    expect(set.rulesFor('login')).toEqual(['c-both', 'b-login', 'z-any']);
  });

  it('reads event fields (dot paths), features, matches and lists', () => {
    const set = compileRuleSet([
      mk('amount', { all: [{ fact: 'amount', operator: 'greaterThan', value: 100 }] }),
      mk('card-country', { all: [{ fact: 'card.country', operator: 'equal', value: 'FR' }] }),
      mk('velocity', { all: [{ fact: 'features', path: '$.txn_count_1h', operator: 'greaterThan', value: 3 }] }),
      mk('velocity-dot', { all: [{ fact: 'features.txn_count_1h', operator: 'greaterThan', value: 3 }] }),
      mk('matched', { all: [{ fact: 'matches', path: "$['card-testing']", operator: 'equal', value: true }] }),
      mk('listed', { all: [{ fact: 'lists', path: '$.blocked_emails', operator: 'contains', value: { fact: 'email' } }] }),
    ]);
    const f = facts(
      { amount: 150, card: { country: 'FR' }, email: 'x@y.z' },
      { features: { txn_count_1h: 4 }, matches: { 'card-testing': true }, lists: { blocked_emails: ['x@y.z'] } },
    );
    expect(run(set, 'transaction', f).sort()).toEqual(['amount', 'card-country', 'listed', 'matched', 'velocity', 'velocity-dot']);
    expect(run(set, 'transaction', facts({ amount: 50, card: { country: 'DE' } }))).toEqual([]);
  });

  it('pushes one immutable FiredRule per rule, the same object every time', () => {
    const set = compileRuleSet([mk('a', always, { mode: 'shadow' })]);
    const out1: FiredRule[] = [];
    const out2: FiredRule[] = [];
    set.evaluate('x', facts({}), out1);
    set.evaluate('x', facts({}), out2);
    expect(out1[0]).toBe(out2[0]);
    expect(out1[0]).toMatchObject({ mode: 'shadow', reason: { rule: 'a', version: 2, action: 'flag', score: 10, reason: 'A' } });
    expect(Object.isFrozen(out1[0]!.reason)).toBe(true);
  });

  it("uses the conditions parseRule compiled (against the catalog's lists) instead of compiling them again", () => {
    const compiled = new Map<RuleDefinition, Predicate<RuleFacts>>();
    const big = { all: [{ fact: 'amount', operator: 'greaterThan', value: 100 }] };
    const listed = { all: [{ fact: 'country', operator: 'in', value: { list: 'blocked' } }] };
    const blocked = { has: (v: unknown) => v === 'IR' };
    const lists = (name: string) => {
      if (name !== 'blocked') throw new Error(`unknown list ${name}`);
      return blocked;
    };
    const doc = (id: string, conditions: unknown) => ({ id, version: 1, description: id, conditions, event: { type: 'flag', params: { score: 10, reason: id.toUpperCase() } } });
    const rules = [parseRule(doc('big', big), undefined, [], { compiled }), parseRule(doc('listed', listed), undefined, [], { list: lists, compiled })];
    expect([...compiled.keys()]).toEqual(rules);
    // The set runs the compiled predicates: the list is the one given to parseRule, not compiled again (no hook here).
    const set = compileRuleSet(rules, { compiled });
    expect(run(set, 'x', facts({ amount: 150, country: 'IR' })).sort()).toEqual(['big', 'listed']);
    expect(run(set, 'x', facts({ amount: 50, country: 'FR' }))).toEqual([]);
    // A stand-in predicate proves which one runs.
    const never = new Map<RuleDefinition, Predicate<RuleFacts>>([[rules[0]!, () => false], [rules[1]!, () => false]]);
    expect(run(compileRuleSet(rules, { compiled: never }), 'x', facts({ amount: 150, country: 'IR' }))).toEqual([]);
  });

  it('rejects duplicate ids and uncompilable conditions, naming the file', () => {
    expect(() => compileRuleSet([mk('a', always), mk('a', always)])).toThrow(ValidationError);
    const bad = { ...mk('a', always), conditions: { all: [{ fact: 'x', operator: 'nope', value: 1 }] }, file: 'rules/a.json' };
    try {
      compileRuleSet([bad]);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConditionError);
      expect((err as ConditionError).file).toBe('rules/a.json');
      expect((err as ConditionError).issues[0]!.path).toEqual(['conditions', 'all', 0, 'operator']);
    }
  });
});
