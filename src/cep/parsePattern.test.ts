import { describe, expect, it } from 'vitest';
import { ConditionError, MalformedPatternError, ValidationError, formatPath } from '../errors.ts';
import { parsePattern } from './parsePattern.ts';

const is = (name: string) => ({ fact: 'name', operator: 'equal', value: name });
const base = (stages: unknown[], extra: Record<string, unknown> = {}) => ({ id: 'p1', stages, ...extra });

/** The issues (path: message) of the error `parsePattern` throws. */
function issues(json: unknown, type: abstract new (...args: never[]) => ValidationError = ValidationError): string[] {
  try {
    parsePattern(json, 'patterns/p1.json');
  } catch (err) {
    expect(err).toBeInstanceOf(type);
    expect((err as ValidationError).file).toBe('patterns/p1.json');
    return (err as ValidationError).issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
  }
  throw new Error('expected parsePattern to throw');
}

describe('parsePattern: schema', () => {
  it('accepts a full pattern and normalises it', () => {
    const def = parsePattern(
      base(
        [
          { name: 'a', where: is('a') },
          { name: 'b', contiguity: 'followedByAny', where: is('b'), times: { min: 0, max: 3 }, within: '5m' },
          { name: 'c', contiguity: 'next', times: { min: 2 }, greedy: true, until: is('x') },
        ],
        { version: 2, within: '10m', afterMatch: { skipToLast: 'b' }, timeouts: true, emit: { alert: 'x' } },
      ),
    );
    expect(def.within).toBe(600_000);
    expect(def.afterMatch).toEqual({ kind: 'skipToLast', stage: 'b', throwOnMiss: false });
    expect(def.stages[1]).toMatchObject({ optional: true, times: { min: 1, max: 3 }, within: 300_000, contiguity: 'followedByAny' });
    expect(def.stages[2]!.times).toEqual({ min: 2, max: Infinity });
    expect(typeof def.stages[0]!.where).toBe('function');
  });

  it('reports schema errors with their path', () => {
    expect(issues({ id: 'Bad Id', stages: [] })).toEqual([
      'id: must match [a-z0-9][a-z0-9_.-]*',
      'stages: must hold at least one stage',
    ]);
    expect(issues(base([{ name: 'a' }, { name: 'b', contiguity: 'after' }]))[0]).toMatch(/^stages\[1\]\.contiguity: /);
    expect(issues(base([{ name: 'a:b' }]))).toEqual(['stages[0].name: must not contain ":"']);
    expect(issues(base([{ name: 'a', within: '10 minutes' }]))[0]).toMatch(/^stages\[0\]\.within: invalid duration/);
    expect(issues(base([{ name: 'a', times: { min: 3, max: 2 } }]))).toEqual(['stages[0].times.max: max must be at least min']);
    expect(issues(base([{ name: 'a', wehre: is('a') }]))[0]).toMatch(/wehre/);
    expect(issues(base([{ name: 'a', group: [{ name: 'b', times: 0 }] }]))[0]).toMatch(/^stages\[0\]\.group\[0\]\.times/);
  });

  it('reports condition errors under stages[i].where', () => {
    const msgs = issues(base([{ name: 'a' }, { name: 'b', where: { all: [is('b'), { fact: 'x', operator: 'bogus', value: 1 }] } }]), ConditionError);
    expect(msgs[0]).toMatch(/^stages\[1\]\.where\.all\[1\]\.operator: unknown operator/);
  });

  it('validates $stage params (iterative conditions)', () => {
    const cond = (params: unknown) => ({ fact: '$stage', params, operator: 'equal', value: 1 });
    expect(issues(base([{ name: 'a' }, { name: 'b', where: cond({ stage: 'zz', agg: 'sum', field: 'price' }) }]), ConditionError)).toEqual([
      'stages[1].where.params.stage: must name a stage of this pattern, got "zz"',
    ]);
    expect(issues(base([{ name: 'a' }, { name: 'b', where: cond({ stage: 'a', agg: 'sum' }) }]), ConditionError)).toEqual([
      'stages[1].where.params.field: required with agg "sum"',
    ]);
    expect(issues(base([{ name: 'a' }, { name: 'b', where: cond({ stage: 'a', agg: 'median', field: 'x' }) }]), ConditionError)[0]).toMatch(
      /^stages\[1\]\.where\.params\.agg: must be one of/,
    );
    expect(() => parsePattern(base([{ name: 'a' }, { name: 'b', where: cond({ stage: 'a', agg: 'count' }) }]))).not.toThrow();
  });
});

describe('parsePattern: FlinkCEP build-time checks', () => {
  const malformed = (json: unknown) => issues(json, MalformedPatternError);

  it('stage names are unique, groups included', () => {
    expect(malformed(base([{ name: 'a' }, { name: 'g', group: [{ name: 'a' }] }]))).toEqual([
      'stages[1].group[0].name: duplicate stage name "a" (also at stages.0.name)',
    ]);
  });

  it('no contiguity on the first stage of a pattern or of a group', () => {
    expect(malformed(base([{ name: 'a', contiguity: 'next' }]))).toEqual(['stages[0].contiguity: not allowed on the first stage of a pattern']);
    expect(malformed(base([{ name: 'a' }, { name: 'g', group: [{ name: 'b', contiguity: 'next' }] }]))).toEqual([
      'stages[1].group[0].contiguity: not allowed on the first stage of a group',
    ]);
  });

  it('NOT stages take no quantifier and cannot be optional', () => {
    expect(malformed(base([{ name: 'a' }, { name: 'b', contiguity: 'notNext', times: 2 }, { name: 'c' }]))).toEqual([
      'stages[1].times: a notNext stage takes no quantifier ("times")',
    ]);
    expect(malformed(base([{ name: 'a' }, { name: 'b', contiguity: 'notFollowedBy', optional: true }, { name: 'c' }]))).toEqual([
      'stages[1].optional: a notFollowedBy stage cannot be optional',
    ]);
  });

  it('no NOT stage after an optional one', () => {
    expect(malformed(base([{ name: 'a' }, { name: 'b', optional: true }, { name: 'c', contiguity: 'notNext' }, { name: 'd' }]))).toEqual([
      'stages[2].contiguity: a notNext stage cannot follow an optional stage ("b")',
    ]);
    expect(malformed(base([{ name: 'a' }, { name: 'b', times: { min: 0, max: 2 } }, { name: 'c', contiguity: 'notFollowedBy' }, { name: 'd' }]))).toHaveLength(1);
  });

  it('a trailing notFollowedBy needs a window', () => {
    expect(malformed(base([{ name: 'a' }, { name: 'b', contiguity: 'notFollowedBy' }]))).toEqual([
      'stages[1].contiguity: a pattern can end with notFollowedBy only with a "within" (on the pattern or on that stage)',
    ]);
    expect(() => parsePattern(base([{ name: 'a' }, { name: 'b', contiguity: 'notFollowedBy' }], { within: '5m' }))).not.toThrow();
    expect(() => parsePattern(base([{ name: 'a' }, { name: 'b', contiguity: 'notFollowedBy', within: '5m' }]))).not.toThrow();
  });

  it('no greedy group; greedy only with a variable quantifier', () => {
    expect(malformed(base([{ name: 'a' }, { name: 'g', times: { min: 1 }, greedy: true, group: [{ name: 'b' }] }]))).toEqual([
      'stages[1].greedy: a group cannot be greedy',
    ]);
    expect(malformed(base([{ name: 'a', times: 3, greedy: true }]))).toEqual([
      'stages[0].greedy: greedy needs a quantifier that takes a variable number of events',
    ]);
    expect(malformed(base([{ name: 'a', greedy: true }]))).toHaveLength(1);
  });

  it('until only on an unbounded loop', () => {
    expect(malformed(base([{ name: 'a', times: { min: 1, max: 3 }, until: is('x') }]))).toEqual([
      'stages[0].until: until is only allowed with an unbounded quantifier (times {"min": n})',
    ]);
  });

  it('a stage window no longer than the pattern window', () => {
    expect(malformed(base([{ name: 'a' }, { name: 'b', within: '20m' }], { within: '10m' }))).toEqual([
      'stages[1].within: a stage window (1200000 ms) cannot be longer than the pattern window (600000 ms)',
    ]);
  });

  it('skip-strategy stage names exist', () => {
    expect(malformed(base([{ name: 'a' }], { afterMatch: { skipToFirst: 'b' } }))).toEqual(['afterMatch.skipToFirst: no stage named "b"']);
  });

  it('collects every problem at once', () => {
    expect(malformed(base([{ name: 'a', contiguity: 'next' }, { name: 'a', times: 2, greedy: true }]))).toHaveLength(3);
  });
});
