// Port of FlinkCEP TimesOrMoreITCase (Pattern#timesOrMore(n) → `"times": {"min": n}`).
// All 11 test methods of the upstream file are ported; none skipped.

import { defineCase, feed, is, match, pattern, type FlinkCase, type Row } from './flinkCase.ts';

const S = 'TimesOrMoreITCase';

// ConsecutiveData: c, a(2), a(3), a(4), b
const c = (ts: number): Row => ['c', 'c', 1.0, ts];
const a1 = (ts: number): Row => ['a1', 'a', 2.0, ts];
const a2 = (ts: number): Row => ['a2', 'a', 3.0, ts];
const a3 = (ts: number): Row => ['a3', 'a', 4.0, ts];
const b = (ts: number): Row => ['b', 'b', 5.0, ts];
const f = (label: string, ts: number): Row => [label, 'f', 1.0, ts];

// c f a f a a b
const fSeparated = (): Row[] => [c(1), f('f1', 2), a1(3), f('f2', 4), a2(5), a3(6), b(7)];

const start = { name: 'start', where: is('c') };
const end1 = { name: 'end1', contiguity: 'followedBy', where: is('b') };
const middle = (contiguity: string, extra: Record<string, unknown>) => ({
  name: 'middle',
  contiguity,
  where: is('a'),
  times: { min: 2 },
  ...extra,
});

function expectMiddles(ids: (...l: string[]) => string[], subsets: string[][]) {
  return subsets.map((as) =>
    match({ start: ids('c'), ...(as.length > 0 ? { middle: ids(...as) } : {}), end1: ids('b') }),
  );
}

export const timesOrMoreCases: FlinkCase[] = [
  defineCase(S, 'testTimesOrMore', (name) => {
    const { events, ids } = feed([c(1), a1(2), a2(3), a3(4), b(6)]);
    return {
      pattern: pattern(name, [start, middle('followedBy', { inner: 'any' }), end1]),
      events,
      expected: expectMiddles(ids, [
        ['a1', 'a2', 'a3'],
        ['a1', 'a2'],
        ['a1', 'a3'],
      ]),
    };
  }),

  defineCase(S, 'testTimesOrMoreNonStrict', (name) => {
    const { events, ids } = feed(fSeparated());
    return {
      pattern: pattern(name, [start, middle('followedByAny', { inner: 'any' }), end1]),
      events,
      expected: expectMiddles(ids, [
        ['a1', 'a2', 'a3'],
        ['a1', 'a2'],
        ['a1', 'a3'],
        ['a2', 'a3'],
      ]),
    };
  }),

  defineCase(S, 'testTimesOrMoreStrict', (name) => {
    const { events, ids } = feed(fSeparated());
    return {
      pattern: pattern(name, [start, { ...middle('followedByAny', { inner: 'strict' }), times: 2 }, end1]),
      events,
      expected: expectMiddles(ids, [['a2', 'a3']]),
      note: "Flink's test body uses times(2).consecutive(), not timesOrMore; ported as written.",
    };
  }),

  defineCase(S, 'testTimesOrMoreStrictOptional', (name) => {
    const { events, ids } = feed(fSeparated());
    return {
      pattern: pattern(name, [start, middle('followedByAny', { inner: 'strict', optional: true }), end1]),
      events,
      expected: expectMiddles(ids, [['a2', 'a3'], []]),
    };
  }),

  defineCase(S, 'testTimesOrMoreStrictOptional2', (name) => {
    const { events, ids } = feed([c(1), a1(3), a2(5), a3(6), b(7)]);
    return {
      pattern: pattern(name, [start, middle('next', { inner: 'strict', optional: true }), end1]),
      events,
      expected: expectMiddles(ids, [['a1', 'a2', 'a3'], ['a1', 'a2'], []]),
    };
  }),

  defineCase(S, 'testTimesOrMoreNonStrictOptional', (name) => {
    const { events, ids } = feed([c(1), f('f1', 2), b(7)]);
    return {
      pattern: pattern(name, [start, middle('followedBy', { optional: true }), end1]),
      events,
      expected: expectMiddles(ids, [[]]),
    };
  }),

  defineCase(S, 'testTimesOrMoreNonStrictOptional2', (name) => {
    const { events, ids } = feed(fSeparated());
    return {
      pattern: pattern(name, [start, middle('followedByAny', { inner: 'any', optional: true }), end1]),
      events,
      expected: expectMiddles(ids, [['a1', 'a2', 'a3'], ['a1', 'a2'], ['a1', 'a3'], ['a2', 'a3'], []]),
    };
  }),

  defineCase(S, 'testTimesOrMoreNonStrictOptional3', (name) => {
    const { events, ids } = feed(fSeparated());
    return {
      pattern: pattern(name, [start, middle('followedByAny', { optional: true }), end1]),
      events,
      expected: expectMiddles(ids, [['a1', 'a2', 'a3'], ['a1', 'a2'], ['a2', 'a3'], []]),
    };
  }),

  defineCase(S, 'testTimesOrMoreNonStrictWithNext', (name) => {
    const { events, ids } = feed([c(1), a1(2), f('f1', 3), a2(4), f('f2', 5), a3(6), b(7)]);
    return {
      pattern: pattern(name, [start, middle('next', { inner: 'any' }), end1]),
      events,
      expected: expectMiddles(ids, [
        ['a1', 'a2', 'a3'],
        ['a1', 'a2'],
        ['a1', 'a3'],
      ]),
    };
  }),

  defineCase(S, 'testTimesOrMoreNotStrictWithFollowedBy', (name) => {
    const { events, ids } = feed([c(1), a1(2), a2(4), a3(6), b(7)]);
    return {
      pattern: pattern(name, [start, middle('followedBy', {}), end1]),
      events,
      expected: expectMiddles(ids, [
        ['a1', 'a2', 'a3'],
        ['a1', 'a2'],
      ]),
    };
  }),

  defineCase(S, 'testTimesOrMoreNotStrictWithFollowedByAny', (name) => {
    const { events, ids } = feed([c(1), a1(2), a2(4), a3(6), b(7)]);
    return {
      pattern: pattern(name, [start, middle('followedByAny', { inner: 'any' }), end1]),
      events,
      expected: expectMiddles(ids, [
        ['a1', 'a2', 'a3'],
        ['a1', 'a2'],
        ['a2', 'a3'],
        ['a1', 'a3'],
      ]),
    };
  }),
];
