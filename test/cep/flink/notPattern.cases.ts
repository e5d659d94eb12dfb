// Port of FlinkCEP NotPatternITCase (notNext / notFollowedBy, spec §2.1).
// All 29 test methods of the current upstream file are ported; none skipped.
//
// Deviations (see each case's note):
// - testIgnoreStateOfTimesWithNotFollowedBy and testTimesWithNotFollowedByAfter feed events whose
//   timestamps go backwards; Flink's NFA harness processes them in feed order regardless. The spec
//   processes a key's events in timestamp order, so these ports give timestamps 1, 2, 3, … in feed
//   order (the patterns have no window, so the timestamps do not matter to Flink's result).

import { defineCase, feed, is, match, pattern, type FlinkCase, type Row } from './flinkCase.ts';

const S = 'NotPatternITCase';

const RETIMED =
  "Flink feeds out-of-order timestamps and processes them in feed order; retimed 1, 2, 3, … in feed order " +
  'because the spec processes events in timestamp order (no window, so the result is unaffected).';

// NotFollowByData, fed with timestamps 0, 1, 2, …
const A_1 = ['A_1', 'a', 1.0] as const;
const B_1 = ['B_1', 'b', 2.0] as const;
const B_2 = ['B_2', 'b', 3.0] as const;
const B_3 = ['B_3', 'b', 4.0] as const;
const C_1 = ['C_1', 'c', 5.0] as const;
const B_4 = ['B_4', 'b', 6.0] as const;
const B_5 = ['B_5', 'b', 7.0] as const;
const B_6 = ['B_6', 'b', 8.0] as const;
const D_1 = ['D_1', 'd', 9.0] as const;

function fromZero(rows: (readonly [string, string, number])[]): Row[] {
  return rows.map(([label, name, price], i) => [label, name, price, i]);
}

// a, b* (followedBy or followedByAny) oneOrMore, notNext c, followedBy d
function notNextAfterOneOrMore(name: string, allMatches: boolean) {
  const f = feed(fromZero([A_1, B_1, C_1, B_2, D_1]));
  const p = pattern(name, [
    { name: 'a', where: is('a') },
    { name: 'b*', contiguity: allMatches ? 'followedByAny' : 'followedBy', where: is('b'), times: { min: 1 } },
    { name: 'not c', contiguity: 'notNext', where: is('c') },
    { name: 'd', contiguity: 'followedBy', where: is('d') },
  ]);
  return { ...f, pattern: p };
}

// a, b* oneOrMore (eager or allowCombinations), notFollowedBy c, followedBy d
function notFollowedByAfterOneOrMore(name: string, eager: boolean, allMatches: boolean) {
  const f = feed(fromZero([A_1, B_1, B_2, B_3, C_1, B_4, B_5, B_6, D_1]));
  const p = pattern(name, [
    { name: 'a', where: is('a') },
    {
      name: 'b*',
      contiguity: allMatches ? 'followedByAny' : 'followedBy',
      where: is('b'),
      times: { min: 1 },
      ...(eager ? {} : { inner: 'any' }),
    },
    { name: 'not c', contiguity: 'notFollowedBy', where: is('c') },
    { name: 'd', contiguity: 'followedBy', where: is('d') },
  ]);
  return { ...f, pattern: p };
}

// a, notFollowedBy c, b* oneOrMore (optional or not, eager or allowCombinations), followedBy d
function notFollowedByBeforeLoop(name: string, eager: boolean, allMatches: boolean, optional: boolean) {
  const f = feed(fromZero([A_1, B_1, C_1, B_4, B_5, B_6, D_1]));
  const p = pattern(name, [
    { name: 'a', where: is('a') },
    { name: 'not c', contiguity: 'notFollowedBy', where: is('c') },
    {
      name: 'b*',
      contiguity: allMatches ? 'followedByAny' : 'followedBy',
      where: is('b'),
      times: { min: 1 },
      ...(optional ? { optional: true } : {}),
      ...(eager ? {} : { inner: 'any' }),
    },
    { name: 'd', contiguity: 'followedBy', where: is('d') },
  ]);
  return { ...f, pattern: p };
}

/** Expected matches a, b*=[B_1, ...subset], d for each subset given. */
function withB1(ids: (...l: string[]) => string[], subsets: string[][]) {
  return subsets.map((bs) => match({ a: ids('A_1'), 'b*': ids('B_1', ...bs), d: ids('D_1') }));
}

const EAGER_AFTER_B1 = [['B_4', 'B_5', 'B_6'], ['B_4', 'B_5'], ['B_4'], []];
const COMBINATIONS_AFTER_B1 = [
  ['B_4', 'B_5', 'B_6'],
  ['B_4', 'B_6'],
  ['B_4', 'B_5'],
  ['B_4'],
  ['B_5', 'B_6'],
  ['B_5'],
  ['B_6'],
  [],
];

export const notPatternCases: FlinkCase[] = [
  defineCase(S, 'testNotNext', (name) => {
    const { events, ids } = feed([
      ['a1', 'a', 1.0, 1],
      ['c1', 'c', 2.0, 2],
      ['b1', 'b', 3.0, 3],
      ['c2', 'c', 4.0, 4],
      ['d', 'd', 4.0, 5],
    ]);
    return {
      pattern: pattern(name, [
        { name: 'start', where: is('a') },
        { name: 'notPattern', contiguity: 'notNext', where: is('b') },
        { name: 'middle', contiguity: 'followedByAny', where: is('c') },
        { name: 'end', contiguity: 'followedBy', where: is('d') },
      ]),
      events,
      expected: [
        match({ start: ids('a1'), middle: ids('c1'), end: ids('d') }),
        match({ start: ids('a1'), middle: ids('c2'), end: ids('d') }),
      ],
    };
  }),

  defineCase(S, 'testNotNextNoMatches', (name) => {
    const { events } = feed([
      ['a1', 'a', 1.0, 1],
      ['b1', 'b', 3.0, 2],
      ['c1', 'c', 2.0, 3],
      ['c2', 'c', 4.0, 4],
      ['d', 'd', 4.0, 5],
    ]);
    return {
      pattern: pattern(name, [
        { name: 'start', where: is('a') },
        { name: 'notPattern', contiguity: 'notNext', where: is('b') },
        { name: 'middle', contiguity: 'followedBy', where: is('c') },
        { name: 'end', contiguity: 'followedBy', where: is('d') },
      ]),
      events,
      expected: [],
    };
  }),

  defineCase(S, 'testNotNextNoMatchesAtTheEnd', (name) => {
    const { events } = feed([
      ['a1', 'a', 1.0, 1],
      ['c1', 'c', 2.0, 2],
      ['c2', 'c', 4.0, 3],
      ['d', 'd', 4.0, 4],
      ['b1', 'b', 3.0, 5],
    ]);
    return {
      pattern: pattern(name, [
        { name: 'start', where: is('a') },
        { name: 'middle', contiguity: 'followedByAny', where: is('c') },
        { name: 'end', contiguity: 'followedByAny', where: is('d') },
        { name: 'notPattern', contiguity: 'notNext', where: is('b') },
      ]),
      events,
      expected: [],
    };
  }),

  defineCase(S, 'testNotFollowedBy', (name) => {
    const { events, ids } = feed([
      ['a1', 'a', 1.0, 1],
      ['c1', 'c', 2.0, 2],
      ['b1', 'b', 3.0, 3],
      ['c2', 'c', 4.0, 4],
      ['d', 'd', 4.0, 5],
    ]);
    return {
      pattern: pattern(name, [
        { name: 'start', where: is('a') },
        { name: 'notPattern', contiguity: 'notFollowedBy', where: is('b') },
        { name: 'middle', contiguity: 'followedByAny', where: is('c') },
        { name: 'end', contiguity: 'followedBy', where: is('d') },
      ]),
      events,
      expected: [match({ start: ids('a1'), middle: ids('c1'), end: ids('d') })],
    };
  }),

  defineCase(S, 'testNotFollowedByBeforeOptional', (name) => {
    const { events, ids } = feed([
      ['a1', 'a', 1.0, 1],
      ['c1', 'c', 2.0, 2],
      ['b1', 'b', 3.0, 3],
      ['c2', 'c', 4.0, 4],
      ['d', 'd', 4.0, 5],
    ]);
    return {
      pattern: pattern(name, [
        { name: 'start', where: is('a') },
        { name: 'notPattern', contiguity: 'notFollowedBy', where: is('b') },
        { name: 'middle', contiguity: 'followedByAny', where: is('c'), optional: true },
        { name: 'end', contiguity: 'followedBy', where: is('d') },
      ]),
      events,
      expected: [match({ start: ids('a1'), middle: ids('c1'), end: ids('d') })],
    };
  }),

  defineCase(S, 'testTimesWithNotFollowedBy', (name) => {
    const { events } = feed([
      ['a1', 'a', 1.0, 1],
      ['b1', 'b', 2.0, 2],
      ['c', 'c', 3.0, 3],
      ['b2', 'b', 4.0, 4],
      ['d', 'd', 4.0, 5],
    ]);
    return {
      pattern: pattern(name, [
        { name: 'start', where: is('a') },
        { name: 'middle', contiguity: 'followedByAny', where: is('b'), times: 2 },
        { name: 'notPattern', contiguity: 'notFollowedBy', where: is('c') },
        { name: 'end', contiguity: 'followedBy', where: is('d') },
      ]),
      events,
      expected: [],
    };
  }),

  defineCase(S, 'testIgnoreStateOfTimesWithNotFollowedBy', (name) => {
    // Flink timestamps in feed order: 1, 2, 1, 3, 2, 4, 5
    const { events, ids } = feed([
      ['a1', 'a', 1.0],
      ['d1', 'd', 6.0],
      ['e', 'e', 2.0],
      ['b1', 'b', 4.0],
      ['c1', 'c', 3.0],
      ['c2', 'c', 5.0],
      ['d2', 'd', 7.0],
    ]);
    return {
      pattern: pattern(name, [
        { name: 'start', where: is('a') },
        { name: 'notPattern', contiguity: 'notFollowedBy', where: is('b') },
        { name: 'middle', contiguity: 'followedByAny', where: is('c'), times: 2, optional: true },
        { name: 'end', contiguity: 'followedBy', where: is('d') },
      ]),
      events,
      expected: [match({ start: ids('a1'), end: ids('d1') })],
      note: RETIMED,
    };
  }),

  defineCase(S, 'testTimesWithNotFollowedByAfter', (name) => {
    // Flink timestamps in feed order: 1, 2, 1, 3, 3, 2, 5
    const { events } = feed([
      ['a1', 'a', 1.0],
      ['d1', 'd', 7.0],
      ['e', 'e', 2.0],
      ['b1', 'b', 4.0],
      ['b2', 'b', 5.0],
      ['c1', 'c', 3.0],
      ['d2', 'd', 8.0],
    ]);
    return {
      pattern: pattern(name, [
        { name: 'start', where: is('a') },
        { name: 'middle', contiguity: 'followedByAny', where: is('b'), times: 2 },
        { name: 'notPattern', contiguity: 'notFollowedBy', where: is('c') },
        { name: 'end', contiguity: 'followedBy', where: is('d') },
      ]),
      events,
      expected: [],
      note: RETIMED,
    };
  }),

  defineCase(S, 'testNotFollowedByBeforeOptionalAtTheEnd', (name) => {
    const { events, ids } = feed([
      ['a1', 'a', 1.0, 1],
      ['c1', 'c', 2.0, 2],
      ['b1', 'b', 3.0, 3],
      ['c2', 'c', 4.0, 4],
    ]);
    return {
      pattern: pattern(name, [
        { name: 'start', where: is('a') },
        { name: 'notPattern', contiguity: 'notFollowedBy', where: is('b') },
        { name: 'end', contiguity: 'followedByAny', where: is('c'), optional: true },
      ]),
      events,
      expected: [match({ start: ids('a1'), end: ids('c1') }), match({ start: ids('a1') })],
    };
  }),

  defineCase(S, 'testNotFollowedByBeforeOptionalTimes', (name) => {
    const { events, ids } = feed([
      ['a1', 'a', 1.0, 1],
      ['c1', 'c', 2.0, 2],
      ['b1', 'b', 3.0, 3],
      ['c2', 'c', 4.0, 4],
      ['d', 'd', 4.0, 5],
    ]);
    return {
      pattern: pattern(name, [
        { name: 'start', where: is('a') },
        { name: 'notPattern', contiguity: 'notFollowedBy', where: is('b') },
        { name: 'middle', contiguity: 'followedByAny', where: is('c'), times: 2, optional: true },
        { name: 'end', contiguity: 'followedBy', where: is('d') },
      ]),
      events,
      expected: [match({ start: ids('a1'), middle: ids('c1', 'c2'), end: ids('d') })],
    };
  }),

  defineCase(S, 'testNotFollowedByWithBranchingAtStart', (name) => {
    const { events, ids } = feed([
      ['a1', 'a', 1.0, 1],
      ['b1', 'b', 3.0, 2],
      ['c1', 'c', 2.0, 3],
      ['a2', 'a', 4.0, 4],
      ['c2', 'c', 5.0, 5],
      ['d', 'd', 6.0, 6],
    ]);
    return {
      pattern: pattern(name, [
        { name: 'start', where: is('a') },
        { name: 'notPattern', contiguity: 'notFollowedBy', where: is('b') },
        { name: 'middle', contiguity: 'followedBy', where: is('c') },
        { name: 'end', contiguity: 'followedBy', where: is('d') },
      ]),
      events,
      expected: [match({ start: ids('a2'), middle: ids('c2'), end: ids('d') })],
    };
  }),

  defineCase(S, 'testNotNextAfterOneOrMoreSkipTillNext', (name) => {
    const { events, pattern: p } = notNextAfterOneOrMore(name, false);
    return { pattern: p, events, expected: [] };
  }),

  defineCase(S, 'testNotNextAfterOneOrMoreSkipTillAny', (name) => {
    const { events, ids, pattern: p } = notNextAfterOneOrMore(name, true);
    return { pattern: p, events, expected: [match({ a: ids('A_1'), 'b*': ids('B_2'), d: ids('D_1') })] };
  }),

  defineCase(S, 'testNotFollowedByNextAfterOneOrMoreEager', (name) => {
    const { events, pattern: p } = notFollowedByAfterOneOrMore(name, true, false);
    return { pattern: p, events, expected: [] };
  }),

  defineCase(S, 'testNotFollowedByAnyAfterOneOrMoreEager', (name) => {
    const { events, ids, pattern: p } = notFollowedByAfterOneOrMore(name, true, true);
    const m = (...bs: string[]) => match({ a: ids('A_1'), 'b*': ids(...bs), d: ids('D_1') });
    return {
      pattern: p,
      events,
      expected: [
        m('B_4', 'B_5', 'B_6'),
        m('B_4', 'B_5'),
        m('B_4'),
        m('B_5', 'B_6'),
        m('B_5'),
        m('B_6'),
      ],
    };
  }),

  defineCase(S, 'testNotFollowedByNextAfterOneOrMoreCombinations', (name) => {
    const { events, pattern: p } = notFollowedByAfterOneOrMore(name, false, false);
    return { pattern: p, events, expected: [] };
  }),

  defineCase(S, 'testNotFollowedByAnyAfterOneOrMoreCombinations', (name) => {
    const { events, ids, pattern: p } = notFollowedByAfterOneOrMore(name, false, true);
    const m = (...bs: string[]) => match({ a: ids('A_1'), 'b*': ids(...bs), d: ids('D_1') });
    return {
      pattern: p,
      events,
      expected: [
        m('B_4', 'B_5', 'B_6'),
        m('B_4', 'B_5'),
        m('B_4', 'B_6'),
        m('B_4'),
        m('B_5', 'B_6'),
        m('B_5'),
        m('B_6'),
      ],
    };
  }),

  defineCase(S, 'testNotFollowedByAnyBeforeOneOrMoreEager', (name) => {
    const { events, ids, pattern: p } = notFollowedByBeforeLoop(name, true, true, false);
    return { pattern: p, events, expected: withB1(ids, EAGER_AFTER_B1) };
  }),

  defineCase(S, 'testNotFollowedByAnyBeforeOneOrMoreCombinations', (name) => {
    const { events, ids, pattern: p } = notFollowedByBeforeLoop(name, false, true, false);
    return { pattern: p, events, expected: withB1(ids, COMBINATIONS_AFTER_B1) };
  }),

  defineCase(S, 'testNotFollowedByBeforeOneOrMoreEager', (name) => {
    const { events, ids, pattern: p } = notFollowedByBeforeLoop(name, true, false, false);
    return { pattern: p, events, expected: withB1(ids, EAGER_AFTER_B1) };
  }),

  defineCase(S, 'testNotFollowedByBeforeOneOrMoreCombinations', (name) => {
    const { events, ids, pattern: p } = notFollowedByBeforeLoop(name, false, false, false);
    return { pattern: p, events, expected: withB1(ids, COMBINATIONS_AFTER_B1) };
  }),

  defineCase(S, 'testNotFollowedByBeforeZeroOrMoreEagerSkipTillNext', (name) => {
    const { events, ids, pattern: p } = notFollowedByBeforeLoop(name, true, false, true);
    return { pattern: p, events, expected: withB1(ids, EAGER_AFTER_B1) };
  }),

  defineCase(S, 'testNotFollowedByBeforeZeroOrMoreCombinationsSkipTillNext', (name) => {
    const { events, ids, pattern: p } = notFollowedByBeforeLoop(name, false, false, true);
    return { pattern: p, events, expected: withB1(ids, COMBINATIONS_AFTER_B1) };
  }),

  defineCase(S, 'testNotFollowedByBeforeZeroOrMoreEagerSkipTillAny', (name) => {
    const { events, ids, pattern: p } = notFollowedByBeforeLoop(name, true, true, true);
    return { pattern: p, events, expected: withB1(ids, EAGER_AFTER_B1) };
  }),

  defineCase(S, 'testNotFollowedByBeforeZeroOrMoreCombinationsSkipTillAny', (name) => {
    const { events, ids, pattern: p } = notFollowedByBeforeLoop(name, false, true, true);
    return { pattern: p, events, expected: withB1(ids, COMBINATIONS_AFTER_B1) };
  }),

  ...(['FirstAndLast', 'PreviousAndCurrent'] as const).map((withinType) =>
    defineCase(S, `testNotFollowedByWithin${withinType}AtEnd`, (name) => {
      const { events, ids } = feed([
        ['a1', 'a', 1.0, 1],
        ['b1', 'b', 2.0, 2],
        ['a2', 'a', 3.0, 4],
        ['c', 'c', 4.0, 5],
        ['b2', 'b', 5.0, 10],
        ['a3', 'a', 7.0, 11],
        ['b3', 'b', 8.0, 13],
      ]);
      const trailing = { name: 'b', contiguity: 'notFollowedBy', where: is('b') };
      return {
        pattern:
          withinType === 'FirstAndLast'
            ? pattern(name, [{ name: 'a', where: is('a') }, trailing], { within: 3 })
            : pattern(name, [{ name: 'a', where: is('a') }, { ...trailing, within: 3 }]),
        events,
        // a2@4: no b before 4 + 3 = 7, so the match completes at the window end, 7.
        expected: [match({ a: ids('a2') }, 7)],
      };
    }),
  ),

  defineCase(S, 'testNotFollowByBeforeTimesWithin', (name) => {
    const { events, ids } = feed([
      ['a1', 'a', 1.0, 1],
      ['b1', 'b', 2.0, 2],
      ['a2', 'a', 3.0, 10],
      ['c1', 'c', 4.0, 11],
      ['c2', 'c', 5.0, 12],
      ['a3', 'a', 7.0, 20],
      ['c3', 'c', 8.0, 21],
      ['c4', 'c', 8.0, 24],
    ]);
    return {
      pattern: pattern(
        name,
        [
          { name: 'a', where: is('a') },
          { name: 'b', contiguity: 'notFollowedBy', where: is('b') },
          { name: 'c', contiguity: 'followedBy', where: is('c'), times: { min: 0, max: 2 } },
        ],
        { within: 3 },
      ),
      events,
      expected: [
        match({ a: ids('a1') }),
        match({ a: ids('a2') }),
        match({ a: ids('a2'), c: ids('c1') }),
        match({ a: ids('a2'), c: ids('c1', 'c2') }),
        match({ a: ids('a3') }),
        match({ a: ids('a3'), c: ids('c3') }),
      ],
    };
  }),

  defineCase(S, 'testNotFollowedByWithinAtEndAfterMatch', (name) => {
    const { events, ids } = feed([
      ['a1', 'a', 1.0, 1],
      ['a2', 'a', 2.0, 2],
      ['a3', 'a', 3.0, 3],
      ['c1', 'c', 4.0, 4],
      ['c2', 'c', 5.0, 10],
    ]);
    return {
      pattern: pattern(
        name,
        [
          { name: 'a', where: is('a'), times: { min: 1 }, inner: 'any' },
          { name: 'c', contiguity: 'followedBy', where: is('c') },
          { name: 'b', contiguity: 'notFollowedBy', where: is('b') },
        ],
        { within: 5, afterMatch: 'skipPastLastEvent' },
      ),
      events,
      // Completed at a1's window end, 1 + 5 = 6; skipPastLastEvent then drops every other candidate.
      expected: [match({ a: ids('a1', 'a2', 'a3'), c: ids('c1') }, 6)],
      note:
        'Four candidates start at a1 and complete together at 6; Flink emits the one with all three a ' +
        'events first and the skip removes the rest. The spec does not order ties on the first event.',
    };
  }),
];
