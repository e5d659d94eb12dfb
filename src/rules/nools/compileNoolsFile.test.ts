import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../errors.ts';
import { compileRuleSet, type FiredRule } from '../compileRuleSet.ts';
import { DEFAULT_POLICY } from '../DecisionPolicy.ts';
import { decide } from '../decide.ts';
import { parseRule } from '../parseRule.ts';
import type { RuleFacts } from '../RuleFacts.ts';
import { compileNoolsFile, type NoolsRuleSet } from './compileNoolsFile.ts';
import { nools } from './noolsLib.ts';
import { NoolsRuleError } from './NoolsRuleError.ts';

const FILE = 'rules/test.nools';

/** A rule with its comment block; `tags` are extra `@tag value` lines. */
function rule(name: string, tags: string, when: string, then: string): string {
  return `/**\n * @id ${name.toLowerCase()}\n * @version 1\n${tags}\n * @description Test rule ${name}.\n */\nrule ${name} {\n  when {\n    ${when};\n  }\n  then {\n    ${then}\n  }\n}\n`;
}

function facts(event: Record<string, unknown>, more: Partial<RuleFacts> = {}): RuleFacts {
  return { event, features: {}, matches: {}, lists: {}, ...more };
}

const open: NoolsRuleSet[] = [];
function compile(source: string, file = FILE): NoolsRuleSet {
  const set = compileNoolsFile(source, file);
  open.push(set);
  return set;
}
afterEach(() => {
  for (const s of open.splice(0)) s.dispose();
});

function fired(set: NoolsRuleSet, type: string, f: RuleFacts): FiredRule[] {
  const out: FiredRule[] = [];
  set.evaluate(type, f, out);
  return out;
}

function errorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return err as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('compileNoolsFile: firing', () => {
  const source = rule('Big', ' * @appliesTo transaction', "f: Facts f.event.amount >= 1000 && f.event.currency == 'USD'", "fire('review', 60, 'HIGH_AMOUNT');");

  it('fires on matching facts and not otherwise', () => {
    const set = compile(source);
    expect(fired(set, 'transaction', facts({ amount: 1500, currency: 'USD' })).map((f) => f.reason.reason)).toEqual(['HIGH_AMOUNT']);
    expect(fired(set, 'transaction', facts({ amount: 999, currency: 'USD' }))).toEqual([]);
    expect(fired(set, 'transaction', facts({ amount: 1500, currency: 'EUR' }))).toEqual([]);
  });

  it('evaluates synchronously: the outcome is in `out` when evaluate returns', () => {
    const set = compile(source);
    const out: FiredRule[] = [];
    const ret: unknown = set.evaluate('transaction', facts({ amount: 5000, currency: 'USD' }), out);
    expect(ret).toBeUndefined();
    expect(out).toHaveLength(1);
    expect(set.factCount()).toBe(0);
  });

  it('reads event fields, features, matches and lists', () => {
    const set = compile(
      rule('Ev', '', "f: Facts f.event.card.country == 'NG'", "fire('flag', 10, 'EVENT_FIELD');") +
        rule('Feat', '', 'f: Facts f.features.txn_count_1h >= 10', "fire('flag', 20, 'FEATURE');") +
        rule('Match', '', "f: Facts f.matches['card-testing'] > 0", "fire('flag', 30, 'MATCH');") +
        rule('List', '', 'f: Facts f.event.email in f.lists.blocked_emails', "fire('deny', 95, 'LISTED');"),
    );
    const all = facts(
      { card: { country: 'NG' }, email: 'x@spam.test' },
      { features: { txn_count_1h: 12 }, matches: { 'card-testing': 1 }, lists: { blocked_emails: ['x@spam.test'] } },
    );
    expect(fired(set, 'transaction', all).map((f) => f.reason.reason).sort()).toEqual(['EVENT_FIELD', 'FEATURE', 'LISTED', 'MATCH']);
    const none = facts(
      { card: { country: 'US' }, email: 'ok@example.com' },
      { features: { txn_count_1h: 2 }, matches: { 'card-testing': 0 }, lists: { blocked_emails: ['x@spam.test'] } },
    );
    expect(fired(set, 'transaction', none)).toEqual([]);
  });

  it('lets a then block choose among its declared outcomes; a rule fires once per event', () => {
    const set = compile(
      rule(
        'Tiered',
        '',
        'f: Facts f.event.amount > 100',
        "if (f.event.amount > 5000) { fire('deny', 90, 'HUGE'); } else { fire('review', 50, 'LARGE'); } fire('flag', 1, 'SECOND');",
      ),
    );
    expect(fired(set, 'transaction', facts({ amount: 9000 })).map((f) => f.reason.reason)).toEqual(['HUGE']);
    expect(fired(set, 'transaction', facts({ amount: 200 })).map((f) => f.reason.reason)).toEqual(['LARGE']);
    expect(set.rules[0]!.outcomes.map((o) => o.reason)).toEqual(['HUGE', 'LARGE', 'SECOND']);
  });

  it('runs a rule only on the event types of @appliesTo (none: every type)', () => {
    const set = compile(
      rule('OnlyLogin', ' * @appliesTo login, signup', 'f: Facts f.event.x == 1', "fire('flag', 5, 'LOGIN_ONLY');") +
        rule('Any', '', 'f: Facts f.event.x == 1', "fire('flag', 5, 'ANY_TYPE');"),
    );
    const reasons = (type: string): string[] => fired(set, type, facts({ x: 1 })).map((f) => f.reason.reason);
    expect(reasons('login')).toEqual(['ANY_TYPE', 'LOGIN_ONLY']);
    expect(reasons('signup')).toEqual(['ANY_TYPE', 'LOGIN_ONLY']);
    expect(reasons('transaction')).toEqual(['ANY_TYPE']);
    expect(set.rulesFor('login')).toEqual(['any', 'onlylogin']);
    expect(set.rulesFor('payout')).toEqual(['any']);
  });

  it('pushes outcomes in priority order, then by id, like compileRuleSet', () => {
    const set = compile(
      rule('Zeta', ' * @priority 1', 'f: Facts f.event.x == 1', "fire('flag', 5, 'Z');") +
        rule('Alpha', ' * @priority 1', 'f: Facts f.event.x == 1', "fire('flag', 5, 'A');") +
        rule('Top', ' * @priority 7', 'f: Facts f.event.x == 1', "fire('flag', 5, 'T');"),
    );
    expect(fired(set, 'transaction', facts({ x: 1 })).map((f) => f.reason.rule)).toEqual(['top', 'alpha', 'zeta']);
  });

  it('supports then blocks that assert derived facts, and halt()', () => {
    const set = compile(
      `define Signal { kind: null, constructor: function (kind) { this.kind = kind; } }\n` +
        rule('Emit', ' * @priority 5', 'f: Facts f.event.amount > 100', "assert(new Signal('big')); fire('flag', 10, 'EMIT');") +
        rule('OnSignal', '', "s: Signal s.kind == 'big'", "fire('review', 55, 'DERIVED'); halt();"),
    );
    expect(fired(set, 'transaction', facts({ amount: 500 })).map((f) => f.reason.reason)).toEqual(['EMIT', 'DERIVED']);
    expect(set.factCount()).toBe(0);
    expect(fired(set, 'transaction', facts({ amount: 5 }))).toEqual([]);
  });
});

describe('compileNoolsFile: outcomes like JSON rules', () => {
  const json = parseRule({
    id: 'high-amount',
    version: 3,
    description: 'High amount.',
    appliesTo: ['transaction'],
    priority: 2,
    conditions: { all: [{ fact: 'amount', operator: 'greaterThanInclusive', value: 1000 }] },
    event: { type: 'review', params: { score: 60, reason: 'HIGH_AMOUNT' } },
  });
  const jsonVelocity = parseRule({
    id: 'velocity',
    version: 1,
    description: 'Velocity.',
    conditions: { all: [{ fact: 'features.txn_count_1h', operator: 'greaterThanInclusive', value: 10 }] },
    event: { type: 'flag', params: { score: 40, reason: 'HIGH_VELOCITY' } },
  });
  const noolsSource =
    '/**\n * @id high-amount\n * @version 3\n * @appliesTo transaction\n * @priority 2\n * @description High amount.\n */\n' +
    "rule HighAmount {\n  when { f: Facts f.event.amount >= 1000; }\n  then { fire('review', 60, 'HIGH_AMOUNT'); }\n}\n";

  it('a nools rule yields the same FiredRule as the equivalent JSON rule', () => {
    const set = compile(noolsSource);
    const viaJson: FiredRule[] = [];
    compileRuleSet([json]).evaluate('transaction', facts({ amount: 1200 }), viaJson);
    const viaNools = fired(set, 'transaction', facts({ amount: 1200 }));
    expect(viaNools).toEqual(viaJson);
    expect(Object.isFrozen(viaNools[0])).toBe(true);
    expect(Object.isFrozen(viaNools[0]!.reason)).toBe(true);
  });

  it('decide() combines nools and JSON outcomes as it would all-JSON rules', () => {
    const set = compile(noolsSource);
    const f = facts({ amount: 1200 }, { features: { txn_count_1h: 11 } });
    const mixed: FiredRule[] = [];
    compileRuleSet([jsonVelocity]).evaluate('transaction', f, mixed);
    set.evaluate('transaction', f, mixed);
    const allJson: FiredRule[] = [];
    compileRuleSet([json, jsonVelocity]).evaluate('transaction', f, allJson);
    const a = decide(mixed, DEFAULT_POLICY);
    const b = decide(allJson, DEFAULT_POLICY);
    expect(a.decision).toBe('review');
    expect(a.decision).toBe(b.decision);
    expect(a.score).toBe(b.score);
    expect([...a.reasons].sort((x, y) => x.rule.localeCompare(y.rule))).toEqual([...b.reasons].sort((x, y) => x.rule.localeCompare(y.rule)));
  });

  it('a shadow rule is reported apart and never changes the decision', () => {
    const set = compile(rule('Shadowed', ' * @mode shadow', 'f: Facts f.event.amount > 0', "fire('deny', 100, 'WOULD_DENY');"));
    const out = fired(set, 'transaction', facts({ amount: 10 }));
    expect(out[0]!.mode).toBe('shadow');
    const d = decide(out, DEFAULT_POLICY);
    expect(d.decision).toBe('allow');
    expect(d.score).toBe(0);
    expect(d.reasons).toEqual([]);
    expect(d.shadow).toEqual([{ rule: 'shadowed', version: 1, action: 'deny', score: 100, reason: 'WOULD_DENY' }]);
  });
});

describe('compileNoolsFile: errors with file and line', () => {
  const good = rule('Good', '', 'f: Facts f.event.x == 1', "fire('flag', 5, 'GOOD');");

  it('reports a nools syntax error in a when block at its line', () => {
    const bad = good + rule('Broken', '', 'f: Facts f.event.amount >>= 3', "fire('flag', 5, 'BROKEN');");
    const err = errorOf(() => compileNoolsFile(bad, FILE));
    expect(err.file).toBe(FILE);
    expect(err.line).toBe(bad.split('\n').findIndex((l) => l.includes('>>=')) + 1);
    expect(err.message).toContain('Invalid expression');
    expect(err.issues[0]!.path).toEqual(['rule', 'Broken']);
  });

  it('reports a then block that is not JavaScript, and a malformed rule block', () => {
    const badThen = good + rule('BadThen', '', 'f: Facts f.event.x == 2', "if ((( fire('flag', 5, 'X');");
    expect(errorOf(() => compileNoolsFile(badThen, FILE)).line).toBe(badThen.split('\n').findIndex((l) => l.includes('if (((')) + 1);
    const badBlock = good.replace('when {', 'wen {');
    const err = errorOf(() => compileNoolsFile(badBlock, FILE));
    expect(err.line).toBe(badBlock.split('\n').findIndex((l) => l.includes('wen {')) + 1);
  });

  it('reports stray text, unbalanced braces and import at their line', () => {
    expect(errorOf(() => compileNoolsFile(`${good}\noops\n`, FILE)).line).toBe(good.split('\n').length + 1);
    expect(errorOf(() => compileNoolsFile(good.replace(/\}\n$/, '\n'), FILE)).message).toMatch(/unbalanced "\{" in rule Good/);
    const imp = errorOf(() => compileNoolsFile(`import("./other.nools");\n${good}`, FILE));
    expect([imp.line, imp.message]).toEqual([1, expect.stringContaining('import is not allowed')]);
  });

  it('reports metadata errors at the tag line (zod)', () => {
    const src = good.replace('@version 1', '@version one');
    const err = errorOf(() => compileNoolsFile(src, FILE));
    expect([err.file, err.line]).toEqual([FILE, 3]);
    expect(err.issues[0]).toEqual({ path: ['rule', 'Good', 'version'], message: 'must be a positive integer' });
    const mode = errorOf(() => compileNoolsFile(good.replace('@version 1', '@version 1\n * @mode loud'), FILE));
    expect([mode.line, mode.issues[0]!.path]).toEqual([4, ['rule', 'Good', 'mode']]);
    const unknown = errorOf(() => compileNoolsFile(good.replace('@version 1', '@version 1\n * @owner risk-team'), FILE));
    expect([unknown.line, unknown.issues[0]!.message]).toEqual([4, expect.stringContaining('unknown tag @owner')]);
  });

  it('reports a missing tag, a missing comment block and a duplicate id', () => {
    const noId = errorOf(() => compileNoolsFile(good.replace(' * @id good\n', ''), FILE));
    expect(noId.issues[0]).toEqual({ path: ['rule', 'Good', 'id'], message: '@id is required' });
    const noDoc = errorOf(() => compileNoolsFile(good.replace(/^\/\*\*[\s\S]*?\*\/\n/, ''), FILE));
    expect([noDoc.line, noDoc.issues[0]!.message]).toEqual([1, expect.stringContaining('needs a comment block')]);
    const dup = good + good.replace(/^rule Good /m, 'rule Good2 ');
    expect(errorOf(() => compileNoolsFile(dup, FILE)).message).toContain('duplicate rule id "good"');
  });

  it('reports invalid fire() outcomes at the call line', () => {
    const fireLine = good.split('\n').findIndex((l) => l.includes('fire(')) + 1;
    const action = errorOf(() => compileNoolsFile(good.replace("'flag'", "'block'"), FILE));
    expect([action.line, action.issues[0]!.path]).toEqual([fireLine, ['rule', 'Good', 'fire', 'action']]);
    const score = errorOf(() => compileNoolsFile(good.replace('5,', '150,'), FILE));
    expect(score.issues[0]).toEqual({ path: ['rule', 'Good', 'fire', 'score'], message: 'must be between 0 and 100' });
    const code = errorOf(() => compileNoolsFile(good.replace("'GOOD'", "'good one'"), FILE));
    expect(code.issues[0]!.path).toEqual(['rule', 'Good', 'fire', 'reason']);
    expect(errorOf(() => compileNoolsFile(good.replace("fire('flag', 5, 'GOOD');", 'fire(level, 5, "X");'), FILE)).message).toContain('literal arguments');
    expect(errorOf(() => compileNoolsFile(good.replace("fire('flag', 5, 'GOOD');", 'var x = 1;'), FILE)).message).toContain('must call fire');
  });

  it('rejects what Argus does not run: next(), salience, require, define Facts', () => {
    expect(errorOf(() => compileNoolsFile(good.replace("fire('flag'", "next(); fire('flag'"), FILE)).message).toContain('next()');
    expect(errorOf(() => compileNoolsFile(good.replace('  when {', '  salience: 5;\n  when {'), FILE)).message).toContain('@priority');
    expect(errorOf(() => compileNoolsFile(`global fs = require('fs');\n${good}`, FILE)).message).toContain('require() is not allowed');
    expect(errorOf(() => compileNoolsFile(`define Facts { x: 1 }\n${good}`, FILE)).message).toContain('fact type Argus provides');
  });

  it('leaves no flow registered when compilation fails', () => {
    const before = compileNoolsFile(good, FILE);
    before.dispose();
    errorOf(() => compileNoolsFile(good + rule('Broken', '', 'f: Facts f.event.amount >>= 3', "fire('flag', 5, 'B');"), FILE));
    const after = compile(good);
    // Flow names are numbered per compile: the failed compile left nothing between the two.
    const seq = (name: string): number => Number(/#(\d+):/.exec(name)![1]);
    for (let n = seq(before.flowNames[0]!) + 1; n < seq(after.flowNames[0]!); n++) {
      expect(nools.hasFlow(`argus:${FILE}#${n}:*`)).toBe(false);
    }
  });
});

describe('compileNoolsFile: sessions', () => {
  const source = rule('Big', '', 'f: Facts f.event.amount >= 1000', "fire('review', 60, 'HIGH_AMOUNT');");

  it('compiles the same file twice (reload); dispose() removes the old flows', () => {
    const first = compileNoolsFile(source, FILE);
    const second = compile(source);
    expect(second.flowNames).not.toEqual(first.flowNames);
    for (const n of first.flowNames) expect(nools.hasFlow(n)).toBe(true);
    first.dispose();
    for (const n of first.flowNames) expect(nools.hasFlow(n)).toBe(false);
    expect(() => first.evaluate('transaction', facts({ amount: 5000 }), [])).toThrow(/after dispose/);
    expect(fired(second, 'transaction', facts({ amount: 5000 }))).toHaveLength(1);
    first.dispose(); // idempotent
  });

  it('10,000 evaluations leave working memory as it was (only the current event is held)', () => {
    const set = compile(source);
    const out: FiredRule[] = [];
    let count = 0;
    for (let i = 0; i < 10_000; i++) {
      out.length = 0;
      set.evaluate('transaction', facts({ amount: i % 2 === 0 ? 5000 : 10 }), out);
      count += out.length;
      expect(set.factCount()).toBe(0);
    }
    expect(count).toBe(5000);
  });

  it('a rule that throws raises NoolsRuleError; the session recovers for the next event', () => {
    const set = compile(rule('Unsafe', '', "f: Facts f.event.card.country == 'US'", "fire('flag', 5, 'US_CARD');"));
    expect(() => set.evaluate('transaction', facts({ amount: 1 }), [])).toThrow(NoolsRuleError);
    expect(set.factCount()).toBe(0);
    expect(fired(set, 'transaction', facts({ card: { country: 'US' } })).map((f) => f.reason.reason)).toEqual(['US_CARD']);
    const guarded = compile(rule('Safe', '', "f: Facts (f.event.card && f.event.card.country == 'US')", "fire('flag', 5, 'US_CARD');"), 'rules/safe.nools');
    expect(fired(guarded, 'transaction', facts({ amount: 1 }))).toEqual([]);
  });

  it('a then block that throws names its rule', () => {
    const set = compile(rule('Thrower', '', 'f: Facts f.event.amount > 0', "f.event.nothing.here = 1; fire('flag', 5, 'X');"));
    try {
      set.evaluate('transaction', facts({ amount: 1 }), []);
      throw new Error('expected a NoolsRuleError');
    } catch (err) {
      expect(err).toBeInstanceOf(NoolsRuleError);
      expect((err as NoolsRuleError).rule).toBe('thrower');
      expect((err as NoolsRuleError).file).toBe(FILE);
    }
  });
});

describe('sample nools rules (rules/*.nools)', () => {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  const file = 'rules/velocity-signals.nools';

  it('compiles and fires on the history features it reads', () => {
    const set = compile(readFileSync(join(root, file), 'utf8'), file);
    expect(set.rules.map((r) => [r.id, r.mode])).toEqual([
      ['nools-rapid-spend-new-device', 'shadow'],
      ['nools-declines-then-card-switch', 'shadow'],
    ]);
    // A tag value continues on the following lines; @appliesTo is split on commas and spaces.
    expect(set.rules[0]!.description).toBe(
      'Five or more payments in the hour before from a device not seen in 30 days, and this payment is over 500; over 2,000 it goes to review.',
    );
    expect(set.rules[0]!.appliesTo).toEqual(['transaction']);
    const risky = facts(
      { amount: 2500, currency: 'USD' },
      { features: { txn_count_1h: 6, device_seen_30d: false, declined_count_1h: 4, distinct_cards_24h: 3 } },
    );
    expect(fired(set, 'transaction', risky).map((f) => [f.reason.reason, f.reason.action])).toEqual([
      ['RAPID_SPEND_NEW_DEVICE', 'review'],
      ['DECLINES_THEN_CARD_SWITCH', 'flag'],
    ]);
    const calm = facts({ amount: 2500 }, { features: { txn_count_1h: 1, device_seen_30d: true, declined_count_1h: 0, distinct_cards_24h: 1 } });
    expect(fired(set, 'transaction', calm)).toEqual([]);
    expect(fired(set, 'login', risky)).toEqual([]);
  });
});
