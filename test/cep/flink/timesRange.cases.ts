// Port of FlinkCEP TimesRangeITCase (Pattern#times(from, to) → `"times": {"min": from, "max": to}`).
// All 12 test methods of the upstream file are ported; none skipped.

import { defineCase, feed, is, match, pattern, type FlinkCase, type Row } from './flinkCase.ts';

const S = 'TimesRangeITCase';

// ConsecutiveData: c, a(2), a(3), a(4), b
const c = (ts: number): Row => ['c', 'c', 1.0, ts];
const a1 = (ts: number): Row => ['a1', 'a', 2.0, ts];
const a2 = (ts: number): Row => ['a2', 'a', 3.0, ts];
const a3 = (ts: number): Row => ['a3', 'a', 4.0, ts];
const b = (ts: number): Row => ['b', 'b', 5.0, ts];
const f = (label: string, ts: number): Row => [label, 'f', 1.0, ts];

const plain = (): Row[] => [c(1), a1(2), a2(3), a3(4), b(6)];
const fSeparated = (): Row[] => [c(1), f('f1', 2), a1(3), f('f2', 4), a2(5), a3(6), b(7)];
const fInterleaved = (): Row[] => [c(1), a1(2), f('f1', 3), a2(4), f('f2', 5), a3(6), b(7)];
const spaced = (): Row[] => [c(1), a1(2), a2(4), a3(6), b(7)];

/** start c; <contiguity> middle a with times {min, max} and extras; followedBy end1 b. */
function rangeCase(
  rows: Row[],
  contiguity: string,
  min: number,
  max: number,
  extra: Record<string, unknown>,
  subsets: string[][],
) {
  return (name: string) => {
    const { events, ids } = feed(rows);
    return {
      pattern: pattern(name, [
        { name: 'start', where: is('c') },
        { name: 'middle', contiguity, where: is('a'), times: { min, max }, ...extra },
        { name: 'end1', contiguity: 'followedBy', where: is('b') },
      ]),
      events,
      expected: subsets.map((as) =>
        match({ start: ids('c'), ...(as.length > 0 ? { middle: ids(...as) } : {}), end1: ids('b') }),
      ),
    };
  };
}

export const timesRangeCases: FlinkCase[] = [
  defineCase(
    S,
    'testTimesRange',
    rangeCase(plain(), 'next', 1, 3, { inner: 'any' }, [['a1', 'a2', 'a3'], ['a1', 'a2'], ['a1', 'a3'], ['a1']]),
  ),
  defineCase(
    S,
    'testTimesRangeFromZero',
    rangeCase(plain(), 'next', 0, 2, { inner: 'any' }, [['a1', 'a2'], ['a1', 'a3'], ['a1'], []]),
  ),
  defineCase(
    S,
    'testTimesRangeNonStrict',
    rangeCase(fSeparated(), 'followedByAny', 1, 3, { inner: 'any' }, [
      ['a1', 'a2', 'a3'],
      ['a1', 'a2'],
      ['a1', 'a3'],
      ['a2', 'a3'],
      ['a1'],
      ['a2'],
      ['a3'],
    ]),
  ),
  defineCase(
    S,
    'testTimesRangeStrict',
    rangeCase(fSeparated(), 'followedByAny', 0, 3, { inner: 'strict' }, [['a2', 'a3'], ['a1'], ['a2'], ['a3'], []]),
  ),
  defineCase(
    S,
    'testTimesRangeStrictOptional',
    rangeCase(fSeparated(), 'followedByAny', 1, 3, { inner: 'strict', optional: true }, [
      ['a2', 'a3'],
      ['a1'],
      ['a2'],
      ['a3'],
      [],
    ]),
  ),
  defineCase(
    S,
    'testTimesRangeStrictOptional1',
    rangeCase([c(1), a1(3), a2(5), a3(6), b(7)], 'next', 1, 3, { inner: 'strict', optional: true }, [
      ['a1', 'a2', 'a3'],
      ['a1', 'a2'],
      ['a1'],
      [],
    ]),
  ),
  defineCase(
    S,
    'testTimesRangeNonStrictOptional1',
    rangeCase([c(1), f('f1', 2), b(7)], 'followedBy', 1, 3, { optional: true }, [[]]),
  ),
  defineCase(
    S,
    'testTimesRangeNonStrictOptional2',
    rangeCase(fSeparated(), 'followedByAny', 2, 3, { inner: 'any', optional: true }, [
      ['a1', 'a2', 'a3'],
      ['a1', 'a2'],
      ['a1', 'a3'],
      ['a2', 'a3'],
      [],
    ]),
  ),
  defineCase(
    S,
    'testTimesRangeNonStrictOptional3',
    rangeCase(fSeparated(), 'followedByAny', 2, 3, { optional: true }, [
      ['a1', 'a2', 'a3'],
      ['a1', 'a2'],
      ['a2', 'a3'],
      [],
    ]),
  ),
  defineCase(
    S,
    'testTimesRangeNonStrictWithNext',
    rangeCase(fInterleaved(), 'next', 2, 3, { inner: 'any' }, [
      ['a1', 'a2', 'a3'],
      ['a1', 'a2'],
      ['a1', 'a3'],
    ]),
  ),
  defineCase(
    S,
    'testTimesRangeNotStrictWithFollowedBy',
    rangeCase(spaced(), 'followedBy', 2, 3, {}, [
      ['a1', 'a2', 'a3'],
      ['a1', 'a2'],
    ]),
  ),
  defineCase(
    S,
    'testTimesRangeNotStrictWithFollowedByAny',
    rangeCase(spaced(), 'followedByAny', 2, 3, { inner: 'any' }, [
      ['a1', 'a2', 'a3'],
      ['a1', 'a2'],
      ['a2', 'a3'],
      ['a1', 'a3'],
    ]),
  ),
];
