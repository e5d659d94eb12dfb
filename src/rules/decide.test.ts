import { describe, expect, it } from 'vitest';
import type { RuleAction } from '../runtime/types.ts';
import { decide } from './decide.ts';
import type { FiredRule } from './compileRuleSet.ts';
import type { DecisionPolicy } from './DecisionPolicy.ts';

const fired = (rule: string, action: RuleAction, score: number, mode: 'enforce' | 'shadow' = 'enforce'): FiredRule => ({
  reason: { rule, version: 1, action, score, reason: rule.toUpperCase() },
  mode,
  priority: 1,
});
const policy = (combine: DecisionPolicy['combine']): DecisionPolicy => ({ combine, reviewThreshold: 50, denyThreshold: 80 });

describe('decide', () => {
  it('no rule fired: allow with score 0', () => {
    expect(decide([], policy('noisyOr'))).toEqual({ decision: 'allow', score: 0, reasons: [], shadow: [] });
  });

  it('combines scores: sum capped at 100, max, noisyOr', () => {
    const f = [fired('a', 'flag', 50), fired('b', 'flag', 50), fired('c', 'flag', 20)];
    expect(decide(f, policy('sum')).score).toBe(100);
    expect(decide(f.slice(0, 1), policy('sum')).score).toBe(50);
    expect(decide(f, policy('max')).score).toBe(50);
    expect(decide(f, policy('noisyOr')).score).toBe(80); // 100·(1 − .5·.5·.8)
    expect(decide([fired('a', 'flag', 33.333)], policy('noisyOr')).score).toBe(33.33);
  });

  it('thresholds: ≥ deny → deny, ≥ review → review, else allow', () => {
    expect(decide([fired('a', 'flag', 80)], policy('max')).decision).toBe('deny');
    expect(decide([fired('a', 'flag', 79.99)], policy('max')).decision).toBe('review');
    expect(decide([fired('a', 'flag', 50)], policy('max')).decision).toBe('review');
    expect(decide([fired('a', 'flag', 49)], policy('max')).decision).toBe('allow');
    expect(decide([fired('a', 'flag', 30), fired('b', 'flag', 30)], policy('sum')).decision).toBe('review');
  });

  it('precedence: allow rule, then deny rule, then review rule, then the score', () => {
    const deny = fired('d', 'deny', 10);
    const review = fired('r', 'review', 5);
    const allow = fired('a', 'allow', 0);
    const heavy = fired('h', 'flag', 95);
    expect(decide([deny, review, heavy, allow], policy('max')).decision).toBe('allow');
    expect(decide([review, deny], policy('max')).decision).toBe('deny');
    expect(decide([review, heavy], policy('max')).decision).toBe('review');
    expect(decide([deny], policy('max'))).toMatchObject({ decision: 'deny', score: 10 });
    // the reported score still combines every enforced rule, allow included
    expect(decide([allow, heavy], policy('max'))).toMatchObject({ decision: 'allow', score: 95 });
  });

  it('shadow rules are reported apart and change neither the decision nor the score', () => {
    const base = [fired('f', 'flag', 30)];
    const withShadow = [fired('s1', 'deny', 100, 'shadow'), ...base, fired('s2', 'allow', 0, 'shadow')];
    const a = decide(base, policy('noisyOr'));
    const b = decide(withShadow, policy('noisyOr'));
    expect(b.decision).toBe(a.decision);
    expect(b.score).toBe(a.score);
    expect(b.reasons).toEqual(a.reasons);
    expect(b.shadow.map((r) => r.rule)).toEqual(['s1', 's2']);
  });

  it('reasons keep the evaluation order and carry rule, version, action, score and code', () => {
    const d = decide([fired('b', 'review', 40), fired('a', 'flag', 20)], policy('sum'));
    expect(d.reasons).toEqual([
      { rule: 'b', version: 1, action: 'review', score: 40, reason: 'B' },
      { rule: 'a', version: 1, action: 'flag', score: 20, reason: 'A' },
    ]);
  });
});
