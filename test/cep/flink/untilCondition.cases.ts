// Port of FlinkCEP UntilConditionITCase (Pattern#until → `"until": Condition`).
// All 12 test methods of the upstream file are ported. Flink additionally asserts that one
// partial match (waiting at 'start') remains in NFAState afterwards; that internal check is not ported.
// The iterative until (sum of the prices already taken by 'middle' == 6) uses the `$stage` fact.

import { defineCase, feed, is, match, pattern, stageAgg, type FlinkCase, type Row } from './flinkCase.ts';

const S = 'UntilConditionITCase';

/** Flink's UNTIL_CONDITION: `value.getPrice() == 5.0`. */
const PRICE_IS_5 = { fact: 'price', operator: 'equal', value: 5.0 };
/** Flink: sum of ctx.getEventsForPattern("middle") prices == 6.0. */
const MIDDLE_SUM_IS_6 = stageAgg('middle', 'sum', 'equal', 6.0, { field: 'price' });

const start = { name: 'start', where: is('c') };
const endOnBreak = { name: 'end', contiguity: 'followedBy', where: PRICE_IS_5 };
const middle = (extra: Record<string, unknown>) => ({
  name: 'middle',
  contiguity: 'followedBy',
  where: is('a'),
  times: { min: 1 },
  until: PRICE_IS_5,
  ...extra,
});

const c = (ts: number): Row => ['c', 'c', 1.0, ts];
const a1 = (ts: number): Row => ['a1', 'a', 2.0, ts];
const a2 = (ts: number): Row => ['a2', 'a', 3.0, ts];
const a3 = (ts: number): Row => ['a3', 'a', 4.0, ts];
const brk = (ts: number): Row => ['breaking', 'a', 5.0, ts];
const ign = (ts: number): Row => ['ignored', 'a', 6.0, ts];

/** Matches start c, middle = each subset, end = breaking. */
function untilBreak(ids: (...l: string[]) => string[], subsets: string[][]) {
  return subsets.map((as) =>
    match({ start: ids('c'), ...(as.length > 0 ? { middle: ids(...as) } : {}), end: ids('breaking') }),
  );
}

/** Matches start c, middle = each subset (pattern ends with the loop). */
function loopOnly(ids: (...l: string[]) => string[], subsets: string[][]) {
  return subsets.map((ms) => match({ start: ids('c'), ...(ms.length > 0 ? { middle: ids(...ms) } : {}) }));
}

// c a a d a(5) a(6) — for the loops without a where
const withD = (): Row[] => [c(1), a1(3), a2(4), ['d', 'd', 1.0, 5], brk(6), ign(7)];

export const untilConditionCases: FlinkCase[] = [
  defineCase(S, 'testUntilConditionFollowedByOneOrMore', (name) => {
    const { events, ids } = feed([c(1), a1(3), a2(4), brk(6), ign(7)]);
    return {
      pattern: pattern(name, [start, middle({}), endOnBreak]),
      events,
      expected: untilBreak(ids, [['a1', 'a2'], ['a1']]),
    };
  }),

  defineCase(S, 'testUntilConditionFollowedByOneOrMoreCombinations', (name) => {
    const { events, ids } = feed([c(1), a1(3), a2(4), a3(5), brk(6), ign(7)]);
    return {
      pattern: pattern(name, [start, middle({ inner: 'any' }), endOnBreak]),
      events,
      expected: untilBreak(ids, [['a1', 'a2', 'a3'], ['a1', 'a2'], ['a1', 'a3'], ['a1']]),
    };
  }),

  defineCase(S, 'testUntilConditionFollowedByOneOrMoreConsecutive', (name) => {
    const { events, ids } = feed([c(1), a1(3), a2(4), brk(7), ign(8)]);
    return {
      pattern: pattern(name, [start, middle({ inner: 'strict' }), endOnBreak]),
      events,
      expected: untilBreak(ids, [['a1', 'a2'], ['a1']]),
    };
  }),

  defineCase(S, 'testUntilConditionFollowedByOneOrMoreConsecutive2', (name) => {
    const { events, ids } = feed([c(1), a1(3), ['b', 'b', 3.0, 4], a3(5), brk(7), ign(8)]);
    return {
      pattern: pattern(name, [start, middle({ inner: 'strict' }), endOnBreak]),
      events,
      expected: untilBreak(ids, [['a1']]),
    };
  }),

  defineCase(S, 'testUntilConditionFollowedByZeroOrMore', (name) => {
    const { events, ids } = feed([c(1), a1(3), a2(4), brk(6), ign(7)]);
    return {
      pattern: pattern(name, [start, middle({ optional: true }), endOnBreak]),
      events,
      expected: untilBreak(ids, [['a1', 'a2'], ['a1'], []]),
    };
  }),

  defineCase(S, 'testUntilConditionFollowedByZeroOrMoreCombinations', (name) => {
    const { events, ids } = feed([c(1), a1(3), a2(4), a3(5), brk(6), ign(7)]);
    return {
      pattern: pattern(name, [start, middle({ optional: true, inner: 'any' }), endOnBreak]),
      events,
      expected: untilBreak(ids, [['a1', 'a2', 'a3'], ['a1', 'a2'], ['a1', 'a3'], ['a1'], []]),
    };
  }),

  defineCase(S, 'testUntilConditionFollowedByZeroOrMoreConsecutive', (name) => {
    const { events, ids } = feed([c(1), a1(3), a2(4), brk(7), ign(8)]);
    return {
      pattern: pattern(name, [start, middle({ optional: true, inner: 'strict' }), endOnBreak]),
      events,
      expected: untilBreak(ids, [['a1', 'a2'], ['a1'], []]),
    };
  }),

  defineCase(S, 'testUntilConditionFollowedByAnyOneOrMore', (name) => {
    const { events, ids } = feed([c(1), a1(3), a2(4), brk(6), ['a3', 'a', 6.0, 7]]);
    return {
      pattern: pattern(name, [start, { ...middle({}), contiguity: 'followedByAny' }]),
      events,
      expected: loopOnly(ids, [['a1', 'a2'], ['a1'], ['a2'], ['a3']]),
    };
  }),

  defineCase(S, 'testUntilConditionFollowedByAnyZeroOrMore', (name) => {
    const { events, ids } = feed([c(1), a1(3), a2(4), brk(6), ['a3', 'a', 6.0, 7]]);
    return {
      pattern: pattern(name, [start, { ...middle({ optional: true }), contiguity: 'followedByAny' }]),
      events,
      expected: loopOnly(ids, [['a1', 'a2'], ['a1'], ['a2'], ['a3'], []]),
    };
  }),

  defineCase(S, 'testUntilConditionWithEmptyWhere', (name) => {
    const { events, ids } = feed(withD());
    return {
      pattern: pattern(name, [
        start,
        { name: 'middle', contiguity: 'followedBy', times: { min: 1 }, until: PRICE_IS_5 },
      ]),
      events,
      expected: loopOnly(ids, [['a1', 'a2', 'd'], ['a1', 'a2'], ['a1']]),
    };
  }),

  defineCase(S, 'testIterativeUntilConditionOneOrMore', (name) => {
    const { events, ids } = feed(withD());
    return {
      pattern: pattern(name, [
        start,
        { name: 'middle', contiguity: 'followedBy', times: { min: 1 }, until: MIDDLE_SUM_IS_6 },
      ]),
      events,
      expected: loopOnly(ids, [['a1', 'a2', 'd'], ['a1', 'a2'], ['a1']]),
    };
  }),

  defineCase(S, 'testIterativeUntilConditionZeroOrMore', (name) => {
    const { events, ids } = feed(withD());
    return {
      pattern: pattern(name, [
        start,
        { name: 'middle', contiguity: 'followedBy', times: { min: 1 }, optional: true, until: MIDDLE_SUM_IS_6 },
      ]),
      events,
      expected: loopOnly(ids, [['a1', 'a2', 'd'], ['a1', 'a2'], ['a1'], []]),
    };
  }),
];
