// Stage windows inside quantifiers — spec §4's deliberate difference from FlinkCEP.
// No upstream nfa ITCase exercises `times(n, windowTime)` / `timesOrMore(n, windowTime)`, so these
// cases are derived from NFAITCase.testSimplePatternWithTimeWindowNFAWithinPreviousAndCurrent's
// shape and follow the spec: a stage `within` bounds every event the stage takes (measured from
// the event the match took just before), where FlinkCEP drops the bound on the last occurrence of
// times(n) and on the looping part of timesOrMore.

import { defineCase, feed, is, match, pattern, type FlinkCase } from './flinkCase.ts';

const S = 'StageWindowDerived';

const SOURCE_NOTE =
  'Not an upstream test: derived for spec §4. FlinkCEP drops this per-take bound inside the quantifier ' +
  'and would also emit the longer match; Argus applies it to every take, deliberately.';

export const stageWindowCases: FlinkCase[] = [
  defineCase(S, 'testTimesStageWithinBoundsEveryTake', (name) => {
    const { events, ids } = feed([
      ['c1', 'c', 1.0, 1],
      ['a1', 'a', 2.0, 2],
      ['a2', 'a', 2.0, 4],
      ['a3', 'a', 2.0, 8], // 8 - 4 >= 3: the third take of c1's match is too late
      ['b1', 'b', 3.0, 9],
      ['c2', 'c', 1.0, 20],
      ['a4', 'a', 2.0, 21],
      ['a5', 'a', 2.0, 22],
      ['a6', 'a', 2.0, 23],
      ['b2', 'b', 3.0, 30],
    ]);
    return {
      pattern: pattern(name, [
        { name: 'start', where: is('c') },
        { name: 'middle', contiguity: 'followedBy', where: is('a'), times: 3, within: 3 },
        { name: 'end', contiguity: 'followedBy', where: is('b') },
      ]),
      events,
      expected: [match({ start: ids('c2'), middle: ids('a4', 'a5', 'a6'), end: ids('b2') })],
      note: SOURCE_NOTE,
    };
  }),

  defineCase(S, 'testTimesOrMoreStageWithinBoundsLoopingTakes', (name) => {
    const { events, ids } = feed([
      ['c', 'c', 1.0, 1],
      ['a1', 'a', 2.0, 2],
      ['a2', 'a', 2.0, 4],
      ['a3', 'a', 2.0, 9], // 9 - 4 >= 3: not taken by the loop
    ]);
    return {
      pattern: pattern(name, [
        { name: 'start', where: is('c') },
        { name: 'middle', contiguity: 'followedBy', where: is('a'), times: { min: 2 }, within: 3 },
      ]),
      events,
      expected: [match({ start: ids('c'), middle: ids('a1', 'a2') })],
      note: SOURCE_NOTE,
    };
  }),
];
