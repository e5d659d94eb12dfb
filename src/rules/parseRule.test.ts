import { describe, expect, it } from 'vitest';
import { ConditionError, ValidationError, formatPath } from '../errors.ts';
import { parseRule } from './parseRule.ts';
import { loadRuleDocuments, parseRuleFile, isRuleFile } from './loadRuleDocuments.ts';
import { parsePolicy } from './DecisionPolicy.ts';

const rule = (over: Record<string, unknown> = {}) => ({
  id: 'high-amount',
  version: 1,
  description: 'Amount over 1,000',
  conditions: { all: [{ fact: 'amount', operator: 'greaterThan', value: 1000 }] },
  event: { type: 'review', params: { score: 40, reason: 'HIGH_AMOUNT' } },
  ...over,
});

function issuesOf(fn: () => unknown): { file?: string; issues: string[]; err: ValidationError } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    const e = err as ValidationError;
    return { file: e.file, err: e, issues: e.issues.map((i) => `${formatPath(i.path)}: ${i.message}`) };
  }
  throw new Error('expected a ValidationError');
}

describe('parseRule', () => {
  it('fills defaults: mode enforce, priority 1, all event types', () => {
    const r = parseRule(rule(), 'rules/high-amount.json');
    expect(r).toMatchObject({ id: 'high-amount', version: 1, mode: 'enforce', priority: 1, file: 'rules/high-amount.json' });
    expect(r.appliesTo).toBeUndefined();
    expect(parseRule(rule({ mode: 'shadow', appliesTo: ['transaction', 'transaction'] })).appliesTo).toEqual(['transaction']);
  });

  it.each([
    [{ id: 'High Amount' }, 'id: must match'],
    [{ version: 0 }, 'version: must be a positive integer'],
    [{ version: 1.5 }, 'version: must be a positive integer'],
    [{ description: undefined }, 'description:'],
    [{ mode: 'audit' }, 'mode:'],
    [{ appliesTo: [] }, 'appliesTo: must list at least one event type'],
    [{ priority: 0 }, 'priority: must be a positive integer'],
    [{ event: { type: 'block', params: { score: 1, reason: 'X' } } }, 'event.type:'],
    [{ event: { type: 'deny', params: { score: 120, reason: 'X' } } }, 'event.params.score: must be between 0 and 100'],
    [{ event: { type: 'deny', params: { score: 10, reason: 'high amount' } } }, 'event.params.reason: must be a stable code'],
    [{ event: { type: 'deny', params: { score: 10 } } }, 'event.params.reason:'],
    [{ colour: 'red' }, '(root):'],
    [{ conditions: { fact: 'amount', operator: 'equal', value: 1 } }, 'conditions: root must be exactly one of'],
  ])('%j is rejected at %s', (over, expected) => {
    const { file, issues } = issuesOf(() => parseRule(rule(over), 'r.json'));
    expect(file).toBe('r.json');
    expect(issues.some((i) => i.startsWith(expected)), issues.join('\n')).toBe(true);
  });

  it('a bad condition is a ConditionError with the path inside the rule document', () => {
    const bad = rule({ conditions: { all: [{ fact: 'amount', operator: 'greaterThan', value: 1 }, { fact: 'ua', operator: 'matches', value: '(' }] } });
    const { err, issues, file } = issuesOf(() => parseRule(bad, 'rules/x.json', ['rules', 4]));
    expect(err).toBeInstanceOf(ConditionError);
    expect(file).toBe('rules/x.json');
    expect(issues[0]).toMatch(/^rules\[4\]\.conditions\.all\[1\]\.value: invalid regular expression/);
  });

  it('rejects an empty segment in a dot-path fact', () => {
    const bad = rule({ conditions: { all: [{ fact: 'card..country', operator: 'equal', value: 'US' }] } });
    expect(issuesOf(() => parseRule(bad)).issues[0]).toMatch(/^conditions\.all\[0\]\.fact: "card\.\.country" is not a valid dot path/);
  });
});

describe('rule files and documents', () => {
  it('a file holds one rule or {"rules": [...]}, with paths under rules[i]', () => {
    expect(parseRuleFile(rule(), 'a.json').map((r) => r.id)).toEqual(['high-amount']);
    expect(parseRuleFile({ rules: [rule(), rule({ id: 'b' })] }, 'a.json').map((r) => r.id)).toEqual(['high-amount', 'b']);
    const { issues } = issuesOf(() => parseRuleFile({ rules: [rule(), rule({ version: -1 })] }, 'a.json'));
    expect(issues[0]).toMatch(/^rules\[1\]\.version:/);
  });

  it('only rules/*.json other than policy.json and features.json are rule files', () => {
    expect(isRuleFile('rules/high-amount.json')).toBe(true);
    expect(isRuleFile('rules/policy.json')).toBe(false);
    expect(isRuleFile('rules/features.json')).toBe(false);
    expect(isRuleFile('rules/README.md')).toBe(false);
  });

  it('loadRuleDocuments: ids unique across files, policy.json parsed, features.json ignored', () => {
    const { rules, policy } = loadRuleDocuments([
      { file: 'rules/a.json', json: rule({ id: 'a' }) },
      { file: 'rules/features.json', json: { features: [] } },
      { file: 'rules/policy.json', json: { combine: 'max', reviewThreshold: 30, denyThreshold: 70 } },
      { file: 'rules/b.json', json: { rules: [rule({ id: 'b' })] } },
    ]);
    expect(rules.map((r) => r.id)).toEqual(['a', 'b']);
    expect(policy).toEqual({ combine: 'max', reviewThreshold: 30, denyThreshold: 70 });
    expect(loadRuleDocuments([{ file: 'rules/a.json', json: rule() }]).policy.combine).toBe('noisyOr');
    const dup = issuesOf(() =>
      loadRuleDocuments([
        { file: 'rules/a.json', json: rule() },
        { file: 'rules/b.json', json: { rules: [rule({ id: 'x' }), rule()] } },
      ]),
    );
    expect(dup.file).toBe('rules/b.json');
    expect(dup.issues).toEqual(['rules[1].id: duplicate rule id "high-amount" (also in rules/a.json)']);
  });
});

describe('parsePolicy', () => {
  it('accepts the three combinations and rejects bad thresholds with their path', () => {
    for (const combine of ['sum', 'max', 'noisyOr']) expect(parsePolicy({ combine, reviewThreshold: 50, denyThreshold: 80 }).combine).toBe(combine);
    expect(issuesOf(() => parsePolicy({ combine: 'avg', reviewThreshold: 50, denyThreshold: 80 }, 'p.json')).issues[0]).toMatch(/^combine:/);
    expect(issuesOf(() => parsePolicy({ combine: 'sum', reviewThreshold: 90, denyThreshold: 80 })).issues).toEqual([
      'reviewThreshold: must not exceed denyThreshold (80)',
    ]);
    expect(issuesOf(() => parsePolicy({ combine: 'sum', reviewThreshold: 0, denyThreshold: 101 })).issues).toHaveLength(2);
    expect(issuesOf(() => parsePolicy({ combine: 'sum', reviewThreshold: 10 }, 'p.json')).file).toBe('p.json');
  });
});
