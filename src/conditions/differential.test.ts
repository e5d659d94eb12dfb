/**
 * Differential test: Argus's compiled predicates against json-rules-engine 7.3.1 itself
 * (`allowUndefinedFacts: true`, the four Argus operators registered with `addOperator`), on random
 * condition trees and random facts. They must agree on every case json-rules-engine can evaluate;
 * where json-rules-engine throws (a TypeError such as `in` against a fact value that is not an
 * array), Argus must not throw.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Engine } from 'json-rules-engine';
import { compileCondition } from './compileCondition.ts';
import { addArgusOperators } from './operators.ts';

const FACTS = ['a', 'b', 'c', 'n', 's', 'arr', 'obj', 'missing'];
const KEYS = ['x', 'y', 'a b', '0', 'length'];
const STRINGS = ['', 'a', 'ab', 'abc', 'b', 'xyz', '5', '12abc', ' 7', '-3.5', '1e3', 'NaN', 'Infinity', 'true', 'null', 'x', 'a b'];
const PATHS = ['$', '$.x', '$.y', '$.x.y', '$[0]', '$[1]', '$.x[0]', "$['a b']", "$['0']", '$.length', '$.x.length', "$.y['a b']"];
const REGEXES = ['^a', 'b$', '\\d+', '^[a-c]+$', '5', '^$', 'x|y'];

const scalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -3, max: 12 }),
  fc.constantFrom(0.5, -0, 2.5, 1e21, 100),
  fc.constantFrom(...STRINGS),
  fc.boolean(),
  fc.constant(null),
);

const json: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: scalar, weight: 6 },
    { arbitrary: fc.array(tie('value'), { maxLength: 3 }), weight: 2 },
    { arbitrary: fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 3, noNullPrototype: true }), weight: 2 },
  ),
})).value;

const factsArb: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(
  fc.constantFrom(...FACTS.filter((f) => f !== 'missing')),
  json,
  { maxKeys: 7, noNullPrototype: true },
);

const NUMERIC = ['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'];
const STRINGY = ['startsWith', 'endsWith', 'includes'];
const OTHER = ['equal', 'notEqual', 'in', 'notIn', 'contains', 'doesNotContain'];

const factRef = fc.record(
  { fact: fc.constantFrom(...FACTS), path: fc.constantFrom(...PATHS) },
  { requiredKeys: ['fact'] },
);

function literalFor(op: string): fc.Arbitrary<unknown> {
  if (NUMERIC.includes(op)) return fc.oneof(fc.integer({ min: -3, max: 12 }), fc.constantFrom(0.5, 2.5, 100));
  if (STRINGY.includes(op)) return fc.constantFrom(...STRINGS);
  if (op === 'matches') return fc.constantFrom(...REGEXES);
  if (op === 'in' || op === 'notIn') return fc.array(scalar, { maxLength: 12 });
  return json;
}

const leaf: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    base: fc.constantFrom(...NUMERIC, ...STRINGY, ...OTHER, 'matches'),
    decorator: fc.oneof(
      { arbitrary: fc.constant(''), weight: 8 },
      { arbitrary: fc.constantFrom('someFact:', 'everyFact:', 'not:', 'swap:', 'someValue:', 'everyValue:', 'not:someFact:'), weight: 2 },
    ),
    useRef: fc.oneof({ arbitrary: fc.constant(false), weight: 3 }, { arbitrary: fc.constant(true), weight: 1 }),
    fact: fc.constantFrom(...FACTS),
    path: fc.option(fc.constantFrom(...PATHS), { nil: undefined, freq: 2 }),
  })
  .chain(({ base, decorator, useRef, fact, path }) => {
    let dec = decorator;
    // "matches" takes one literal regex: no value-shaping decorator, no fact-valued value.
    if (base === 'matches' && /swap|Value/.test(dec)) dec = '';
    const ref = useRef && base !== 'matches';
    let value: fc.Arbitrary<unknown>;
    if (ref) value = factRef;
    else if (dec.includes('Value')) value = fc.array(base === 'matches' ? literalFor(base) : json, { maxLength: 3 });
    else if (dec.startsWith('swap')) value = json;
    else value = literalFor(base);
    return value.map((v) => {
      const node: Record<string, unknown> = { fact, operator: dec + base, value: v };
      if (path !== undefined) node.path = path;
      return node;
    });
  });

const condition: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: leaf, weight: 5 },
    { arbitrary: fc.array(tie('node'), { maxLength: 4 }).map((all) => ({ all })), weight: 2 },
    { arbitrary: fc.array(tie('node'), { maxLength: 4 }).map((any) => ({ any })), weight: 2 },
    {
      // condition priorities only reorder evaluation; params are passed to (constant) facts
      arbitrary: fc
        .tuple(fc.constantFrom('all', 'any'), fc.array(tie('node'), { maxLength: 4 }), fc.integer({ min: 1, max: 3 }))
        .map(([op, kids, priority]) => ({
          [op]: kids.map((k, i) => (i % 2 === 0 && k !== null && typeof k === 'object' && 'fact' in k ? { ...k, priority, params: { p: i } } : k)),
          priority,
        })),
      weight: 1,
    },
    { arbitrary: tie('node').map((not) => ({ not })), weight: 1 },
  ),
})).node;

async function jre(cond: unknown, facts: Record<string, unknown>): Promise<boolean | 'throws'> {
  const engine = new Engine([], { allowUndefinedFacts: true });
  addArgusOperators(engine);
  engine.addRule({ conditions: { all: [structuredClone(cond)] } as never, event: { type: 'hit' } });
  try {
    const { events } = await engine.run(structuredClone(facts));
    return events.length === 1;
  } catch (err) {
    if (err instanceof TypeError) return 'throws';
    throw err;
  }
}

describe('compiled conditions agree with json-rules-engine', () => {
  it('on random condition trees and facts (2,000+ runs)', async () => {
    let compared = 0;
    let jreThrew = 0;
    await fc.assert(
      fc.asyncProperty(condition, fc.array(factsArb, { minLength: 3, maxLength: 3 }), async (cond, factSets) => {
        const predicate = compileCondition<Record<string, unknown>>(cond);
        for (const facts of factSets) {
          const ours = predicate(facts);
          const theirs = await jre(cond, facts);
          if (theirs === 'throws') {
            jreThrew++;
            expect(typeof ours).toBe('boolean');
            continue;
          }
          compared++;
          expect(ours, JSON.stringify({ cond, facts })).toBe(theirs);
        }
      }),
      { numRuns: 2500, seed: 20_240_611 },
    );
    expect(compared).toBeGreaterThan(5000);
    expect(jreThrew).toBeLessThan(compared / 5);
  });

  it('on random trees and facts with a fresh seed each run', async () => {
    await fc.assert(
      fc.asyncProperty(condition, factsArb, async (cond, facts) => {
        const theirs = await jre(cond, facts);
        if (theirs !== 'throws') expect(compileCondition<Record<string, unknown>>(cond)(facts)).toBe(theirs);
      }),
      { numRuns: 500 },
    );
  });
});
