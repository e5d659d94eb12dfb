// Port of FlinkCEP NFAITCase (general NFA behaviour: contiguity, quantifiers, windows, timeouts).
//
// Flink's `SubEvent(id, name, price, volume)` carries an extra `volume` field; `subtype(SubEvent.class)
// .where(volume > 5)` becomes `volume greaterThan 5` (events without `volume` give undefined → false).
//
// Skipped (they assert Flink internals, not matches):
// - testTimesClearingBuffer*, testOptionalClearingBuffer*, testAtLeastOneClearingBuffer*,
//   testZeroOrMoreClearingBuffer*: count partial matches left in NFAState after pruning.
// - testSharedBufferClearing, testLoopClearing*: verify SharedBuffer calls and sizes.
// - testMultipleTakesVersionCollision: Flink asserts flattened event lists only, with duplicates,
//   so the split between its two `a` stages (middle1 / middle2) cannot be recovered from the test.

import {
  defineCase,
  feed,
  is,
  match,
  pattern,
  startsWith,
  timeout,
  type FlinkCase,
  type Row,
} from './flinkCase.ts';

const S = 'NFAITCase';

const volumeGt5 = { fact: 'volume', operator: 'greaterThan', value: 5.0 };
const abcde = (): Row[] => [
  ['a', 'a', 1.0, 1],
  ['b', 'b', 2.0, 2],
  ['c', 'c', 3.0, 3],
  ['d', 'd', 4.0, 4],
  ['e', 'e', 5.0, 5],
];

// ConsecutiveData rows (c, a, a, a, a, b) — callers pick and time them.
const cStart = (ts: number): Row => ['c', 'c', 1.0, ts];
const m1 = (ts: number): Row => ['a1', 'a', 2.0, ts];
const m2 = (ts: number): Row => ['a2', 'a', 3.0, ts];
const m3 = (ts: number): Row => ['a3', 'a', 4.0, ts];
const m4 = (ts: number): Row => ['a4', 'a', 5.0, ts];
const bEnd = (ts: number): Row => ['b', 'b', 5.0, ts];
const f = (label: string, ts: number): Row => [label, 'f', 1.0, ts];

// c _ a a a _ a b  (testOneOrMore / testZeroOrMore data)
const loopData = (): Row[] => [
  cStart(1),
  ['x1', 'd', 6.0, 2],
  m1(3),
  m2(4),
  m3(4),
  ['x2', 'd', 6.0, 5],
  m4(6),
  bEnd(7),
];
// c f a f a a b
const fSeparated = (): Row[] => [cStart(1), f('f1', 2), m1(3), f('f2', 4), m2(5), m3(6), bEnd(7)];
// c a f a f a b
const fInterleaved = (): Row[] => [cStart(1), m1(2), f('f1', 3), m2(4), f('f2', 5), m3(6), bEnd(7)];

const cStage = { name: 'start', where: is('c') };
const bEnd1 = { name: 'end1', contiguity: 'followedBy', where: is('b') };

// start c; followedBy middle a{1,} with the given inner contiguity (optional or not); followedBy end1 b
function loopCase(name: string, inner: 'strict' | 'relaxed' | 'any', optional: boolean) {
  const fed = feed(loopData());
  const middle = {
    name: 'middle',
    contiguity: 'followedBy',
    where: is('a'),
    times: { min: 1 },
    ...(optional ? { optional: true } : {}),
    ...(inner === 'relaxed' ? {} : { inner }),
  };
  return { ...fed, pattern: pattern(name, [cStage, middle, bEnd1]) };
}

const branchingRows = (): Row[] => [
  ['start', 'start', 1.0, 1],
  ['foo1', 'foo1', 1.0, 3, { volume: 10.0 }],
  ['foo2', 'foo2', 1.0, 4, { volume: 10.0 }],
  ['foo3', 'foo3', 1.0, 5, { volume: 10.0 }],
  ['next1', 'next-one', 1.0, 6, { volume: 2.0 }],
  ['next2', 'next-one', 1.0, 7, { volume: 2.0 }],
  ['end', 'end', 1.0, 8],
];

function branchingPattern(name: string, first: string, second: string, third: string) {
  return pattern(name, [
    { name: 'start', where: is('start') },
    { name: 'middle-first', contiguity: first, where: volumeGt5 },
    { name: 'middle-second', contiguity: second, where: is('next-one') },
    { name: 'end', contiguity: third, where: is('end') },
  ]);
}

// start, start, middle, foobar, end, end — the window tests
const windowRows = (): Row[] => [
  ['s1', 'start', 1.0, 1],
  ['s2', 'start', 1.0, 2],
  ['m', 'middle', 1.0, 3],
  ['x', 'foobar', 1.0, 4],
  ['end1', 'end', 1.0, 11],
  ['end2', 'end', 1.0, 13],
];

export const nfaCases: FlinkCase[] = [
  defineCase(S, 'testNoConditionNFA', (name) => {
    const { events, ids } = feed(abcde());
    return {
      pattern: pattern(name, [{ name: 'start' }, { name: 'end', contiguity: 'followedBy' }]),
      events,
      expected: [
        match({ start: ids('a'), end: ids('b') }),
        match({ start: ids('b'), end: ids('c') }),
        match({ start: ids('c'), end: ids('d') }),
        match({ start: ids('d'), end: ids('e') }),
      ],
    };
  }),

  defineCase(S, 'testNoConditionLoopingNFA', (name) => {
    const { events, ids } = feed(abcde());
    const m = (s: string, ...rest: string[]) => match({ start: ids(s), end: ids(...rest) });
    return {
      pattern: pattern(name, [{ name: 'start' }, { name: 'end', contiguity: 'followedBy', times: { min: 1 } }]),
      events,
      expected: [
        m('a', 'b', 'c', 'd', 'e'),
        m('a', 'b', 'c', 'd'),
        m('a', 'b', 'c'),
        m('a', 'b'),
        m('b', 'c', 'd', 'e'),
        m('b', 'c', 'd'),
        m('b', 'c'),
        m('c', 'd', 'e'),
        m('c', 'd'),
        m('d', 'e'),
      ],
    };
  }),

  defineCase(S, 'testAnyWithNoConditionNFA', (name) => {
    const { events, ids } = feed(abcde());
    const pairs = [
      ['a', 'b'],
      ['a', 'c'],
      ['a', 'd'],
      ['a', 'e'],
      ['b', 'c'],
      ['b', 'd'],
      ['b', 'e'],
      ['c', 'd'],
      ['c', 'e'],
      ['d', 'e'],
    ];
    return {
      pattern: pattern(name, [{ name: 'start' }, { name: 'end', contiguity: 'followedByAny' }]),
      events,
      expected: pairs.map(([s, e]) => match({ start: ids(s), end: ids(e) })),
    };
  }),

  defineCase(S, 'testSimplePatternNFA', (name) => {
    const { events, ids } = feed([
      ['start', 'start', 1.0, 1],
      ['foobar', 'foobar', 1.0, 2],
      ['barfoo', 'barfoo', 1.0, 3, { volume: 5.0 }],
      ['foo', 'foo', 1.0, 3, { volume: 10.0 }],
      ['start2', 'start', 1.0, 4],
      ['end', 'end', 1.0, 5],
    ]);
    return {
      pattern: pattern(name, [
        { name: 'start', where: is('start') },
        { name: 'middle', contiguity: 'followedBy', where: volumeGt5 },
        { name: 'end', contiguity: 'followedBy', where: is('end') },
      ]),
      events,
      expected: [match({ start: ids('start'), middle: ids('foo'), end: ids('end') })],
    };
  }),

  defineCase(S, 'testStrictContinuityWithResults', (name) => {
    const { events, ids } = feed([
      ['a', 'a', 2.0, 3],
      ['b', 'b', 4.0, 5],
    ]);
    return {
      pattern: pattern(name, [
        { name: 'middle', where: is('a') },
        { name: 'end', contiguity: 'next', where: is('b') },
      ]),
      events,
      expected: [match({ middle: ids('a'), end: ids('b') })],
    };
  }),

  defineCase(S, 'testStrictContinuityNoResults', (name) => {
    const { events } = feed([
      ['a', 'a', 2.0, 3],
      ['c', 'c', 3.0, 4],
      ['b', 'b', 4.0, 5],
    ]);
    return {
      pattern: pattern(name, [
        { name: 'middle', where: is('a') },
        { name: 'end', contiguity: 'next', where: is('b') },
      ]),
      events,
      expected: [],
    };
  }),

  defineCase(S, 'testSimplePatternWithTimeWindowNFAWithinFirstAndLast', (name) => {
    const { events, ids } = feed(windowRows());
    return {
      pattern: pattern(
        name,
        [
          { name: 'start', where: is('start') },
          { name: 'middle', contiguity: 'followedBy', where: is('middle') },
          { name: 'end', contiguity: 'followedBy', where: is('end') },
        ],
        { within: 10 },
      ),
      events,
      expected: [match({ start: ids('s2'), middle: ids('m'), end: ids('end1') })],
    };
  }),

  defineCase(S, 'testSimplePatternWithTimeWindowNFAWithinPreviousAndCurrent', (name) => {
    const { events, ids } = feed(windowRows());
    return {
      pattern: pattern(name, [
        { name: 'start', where: is('start') },
        { name: 'middle', contiguity: 'followedBy', where: is('middle') },
        { name: 'end', contiguity: 'followedBy', where: is('end'), within: 9 },
      ]),
      events,
      expected: [
        match({ start: ids('s1'), middle: ids('m'), end: ids('end1') }),
        match({ start: ids('s2'), middle: ids('m'), end: ids('end1') }),
      ],
    };
  }),

  defineCase(S, 'testSimplePatternWithTimeoutHandlingWithinFirstAndLast', (name) => {
    const { events, ids } = feed(windowRows());
    return {
      pattern: pattern(
        name,
        [
          { name: 'start', where: is('start') },
          { name: 'middle', contiguity: 'followedByAny', where: is('middle') },
          { name: 'end', contiguity: 'followedByAny', where: is('end') },
        ],
        { within: 10, timeouts: true },
      ),
      events,
      expected: [
        match({ start: ids('s2'), middle: ids('m'), end: ids('end1') }, 11),
        timeout({ start: ids('s1'), middle: ids('m') }, 11),
        timeout({ start: ids('s2'), middle: ids('m') }, 12),
        timeout({ start: ids('s1') }, 11),
        timeout({ start: ids('s2') }, 12),
      ],
      note: 'Flink asserts the timeouts exactly and only the number of matches (1); the one match is s2 m end1.',
    };
  }),

  defineCase(S, 'testSimplePatternWithTimeoutHandlingWithinPreviousAndCurrent', (name) => {
    const { events, ids } = feed(windowRows());
    return {
      pattern: pattern(
        name,
        [
          { name: 'start', where: is('start') },
          { name: 'middle', contiguity: 'followedByAny', where: is('middle') },
          { name: 'end', contiguity: 'followedByAny', where: is('end'), within: 10 },
        ],
        { timeouts: true },
      ),
      events,
      expected: [
        match({ start: ids('s1'), middle: ids('m'), end: ids('end1') }, 11),
        match({ start: ids('s2'), middle: ids('m'), end: ids('end1') }, 11),
        timeout({ start: ids('s1'), middle: ids('m') }, 13),
        timeout({ start: ids('s2'), middle: ids('m') }, 13),
      ],
      note:
        'Flink asserts the timeouts exactly and only the number of matches (2). The branches still waiting ' +
        'for middle have no window, so at the end of input they are dropped silently (spec §8).',
    };
  }),

  ...(['FirstAndLast', 'PreviousAndCurrent'] as const).map((withinType) =>
    defineCase(S, `testPendingStateMatchesWithin${withinType}`, (name) => {
      const { events, ids } = feed([
        ['s1', 'start', 1.0, 1],
        ['m2', 'middle', 1.0, 4],
        ['s3', 'start', 1.0, 5],
        ['s4', 'start', 1.0, 11],
        ['m5', 'middle', 1.0, 18],
      ]);
      const notMiddle = { name: 'middle', contiguity: 'notFollowedBy', where: is('middle') };
      return {
        pattern:
          withinType === 'FirstAndLast'
            ? pattern(name, [{ name: 'start', where: is('start') }, notMiddle], { within: 5, timeouts: true })
            : pattern(name, [{ name: 'start', where: is('start') }, { ...notMiddle, within: 5 }], { timeouts: true }),
        events,
        // Completed by the trailing notFollowedBy at the window end: 5 + 5 and 11 + 5.
        expected: [match({ start: ids('s3') }, 10), match({ start: ids('s4') }, 16)],
        note: "Flink collects these as the 'pending matches' of advanceTime; here they are ordinary matches (spec §2.1).",
      };
    }),
  ),

  defineCase(S, 'testBranchingPattern', (name) => {
    const { events, ids } = feed(branchingRows());
    const m = (first: string, second: string) =>
      match({ start: ids('start'), 'middle-first': ids(first), 'middle-second': ids(second), end: ids('end') });
    return {
      pattern: branchingPattern(name, 'followedByAny', 'followedByAny', 'followedByAny'),
      events,
      expected: [
        m('foo1', 'next1'),
        m('foo2', 'next1'),
        m('foo3', 'next1'),
        m('foo1', 'next2'),
        m('foo2', 'next2'),
        m('foo3', 'next2'),
      ],
    };
  }),

  defineCase(S, 'testComplexBranchingAfterZeroOrMore', (name) => {
    const { events, ids } = feed([
      ['c', 'c', 1.0, 1],
      ['a1', 'a', 2.0, 3],
      ['a2', 'a', 3.0, 4],
      ['a3', 'a', 4.0, 5],
      ['b', 'b', 5.0, 6],
      ['d1', 'd', 6.0, 7],
      ['d2', 'd', 7.0, 8],
      ['e', 'e', 8.0, 9],
    ]);
    const subsets = [['a1', 'a2', 'a3'], ['a1', 'a2'], ['a1', 'a3'], ['a2', 'a3'], ['a1'], ['a2'], ['a3'], []];
    const expected = ['d1', 'd2'].flatMap((d) =>
      subsets.map((as) =>
        match({
          start: ids('c'),
          ...(as.length > 0 ? { middle: ids(...as) } : {}),
          end1: ids('b'),
          end2: ids(d),
          end3: ids('e'),
        }),
      ),
    );
    return {
      pattern: pattern(name, [
        cStage,
        { name: 'middle', contiguity: 'followedByAny', where: is('a'), times: { min: 1 }, inner: 'any', optional: true },
        { name: 'end1', contiguity: 'followedByAny', where: is('b') },
        { name: 'end2', contiguity: 'followedByAny', where: is('d') },
        { name: 'end3', contiguity: 'followedByAny', where: is('e') },
      ]),
      events,
      expected,
    };
  }),

  defineCase(S, 'testZeroOrMore', (name) => {
    const { events, ids } = feed([
      ['c', 'c', 1.0, 1],
      ['a1', 'a', 2.0, 3],
      ['a2', 'a', 3.0, 4],
      ['b', 'b', 5.0, 6],
    ]);
    return {
      pattern: pattern(name, [
        cStage,
        { name: 'middle', contiguity: 'followedByAny', where: is('a'), times: { min: 1 }, inner: 'any', optional: true },
        bEnd1,
      ]),
      events,
      expected: [
        match({ start: ids('c'), middle: ids('a1', 'a2'), end1: ids('b') }),
        match({ start: ids('c'), middle: ids('a1'), end1: ids('b') }),
        match({ start: ids('c'), middle: ids('a2'), end1: ids('b') }),
        match({ start: ids('c'), end1: ids('b') }),
      ],
    };
  }),

  defineCase(S, 'testEagerZeroOrMore', (name) => {
    const { events, ids } = feed([
      ['c', 'c', 1.0, 1],
      ['a1', 'a', 2.0, 3],
      ['a2', 'a', 3.0, 4],
      ['x', 'd', 6.0, 5],
      ['a3', 'a', 4.0, 6],
      ['b', 'b', 5.0, 7],
    ]);
    return {
      pattern: pattern(name, [
        cStage,
        { name: 'middle', contiguity: 'followedBy', where: is('a'), times: { min: 1 }, optional: true },
        bEnd1,
      ]),
      events,
      expected: [
        match({ start: ids('c'), middle: ids('a1', 'a2', 'a3'), end1: ids('b') }),
        match({ start: ids('c'), middle: ids('a1', 'a2'), end1: ids('b') }),
        match({ start: ids('c'), middle: ids('a1'), end1: ids('b') }),
        match({ start: ids('c'), end1: ids('b') }),
      ],
    };
  }),

  defineCase(S, 'testBeginWithZeroOrMore', (name) => {
    const { events, ids } = feed([
      ['a1', 'a', 2.0, 3],
      ['a2', 'a', 3.0, 4],
      ['a3', 'a', 3.0, 5],
      ['b', 'b', 4.0, 6],
    ]);
    const m = (...as: string[]) => match({ ...(as.length > 0 ? { middle: ids(...as) } : {}), end: ids('b') });
    return {
      pattern: pattern(name, [
        { name: 'middle', where: is('a'), times: { min: 1 }, optional: true },
        { name: 'end', contiguity: 'followedBy', where: is('b') },
      ]),
      events,
      expected: [m('a1', 'a2', 'a3'), m('a1', 'a2'), m('a2', 'a3'), m('a1'), m('a2'), m('a3'), m()],
    };
  }),

  defineCase(S, 'testZeroOrMoreAfterZeroOrMore', (name) => {
    const { events, ids } = feed([
      ['c', 'c', 1.0, 1],
      ['a', 'a', 2.0, 3],
      ['d1', 'd', 3.0, 4],
      ['d2', 'd', 4.0, 5],
      ['e', 'e', 4.0, 6],
    ]);
    const m = (first: string[], second: string[]) =>
      match({
        start: ids('c'),
        ...(first.length > 0 ? { 'middle-first': ids(...first) } : {}),
        ...(second.length > 0 ? { 'middle-second': ids(...second) } : {}),
        end: ids('e'),
      });
    return {
      pattern: pattern(name, [
        cStage,
        {
          name: 'middle-first',
          contiguity: 'followedByAny',
          where: is('a'),
          times: { min: 1 },
          inner: 'any',
          optional: true,
        },
        {
          name: 'middle-second',
          contiguity: 'followedBy',
          where: is('d'),
          times: { min: 1 },
          inner: 'any',
          optional: true,
        },
        { name: 'end', contiguity: 'followedBy', where: is('e') },
      ]),
      events,
      expected: [
        m(['a'], ['d1', 'd2']),
        m(['a'], ['d1']),
        m([], ['d1', 'd2']),
        m([], ['d1']),
        m(['a'], []),
        m([], []),
      ],
    };
  }),

  defineCase(S, 'testZeroOrMoreAfterBranching', (name) => {
    const { events, ids } = feed([
      ['c', 'c', 1.0, 1],
      ['a1', 'a', 2.0, 3],
      ['a2', 'a', 3.0, 4],
      ['f', 'f', 3.0, 5],
      ['d1', 'd', 4.0, 6],
      ['d2', 'd', 4.0, 7],
      ['e', 'e', 4.0, 8],
    ]);
    const expected = ['a1', 'a2'].flatMap((a) =>
      [[], ['d1'], ['d2'], ['d1', 'd2']].map((ds) =>
        match({
          start: ids('c'),
          branching: ids(a),
          merging: ids('f'),
          ...(ds.length > 0 ? { kleene: ids(...ds) } : {}),
          end: ids('e'),
        }),
      ),
    );
    return {
      pattern: pattern(name, [
        cStage,
        { name: 'branching', contiguity: 'followedByAny', where: is('a') },
        { name: 'merging', contiguity: 'followedByAny', where: is('f') },
        { name: 'kleene', contiguity: 'followedByAny', where: is('d'), times: { min: 1 }, inner: 'any', optional: true },
        { name: 'end', contiguity: 'followedBy', where: is('e') },
      ]),
      events,
      expected,
    };
  }),

  defineCase(S, 'testStrictContinuityNoResultsAfterZeroOrMore', (name) => {
    const { events } = feed([
      ['d', 'd', 2.0, 1],
      ['a1', 'a', 2.0, 2],
      ['a2', 'a', 2.0, 3],
      ['c', 'c', 3.0, 4],
      ['b', 'b', 4.0, 5],
    ]);
    return {
      pattern: pattern(name, [
        { name: 'start', where: is('d') },
        { name: 'middle', contiguity: 'followedBy', where: is('a'), times: { min: 1 }, optional: true },
        { name: 'end', contiguity: 'next', where: is('b') },
      ]),
      events,
      expected: [],
    };
  }),

  defineCase(S, 'testStrictContinuityResultsAfterZeroOrMore', (name) => {
    const { events, ids } = feed([
      ['d', 'd', 2.0, 1],
      ['a1', 'a', 2.0, 2],
      ['a2', 'a', 2.0, 3],
      ['b', 'b', 4.0, 5],
    ]);
    return {
      pattern: pattern(name, [
        { name: 'start', where: is('d') },
        { name: 'middle', contiguity: 'followedByAny', where: is('a'), times: { min: 1 }, optional: true, inner: 'any' },
        { name: 'end', contiguity: 'next', where: is('b') },
      ]),
      events,
      expected: [
        match({ start: ids('d'), middle: ids('a1', 'a2'), end: ids('b') }),
        match({ start: ids('d'), middle: ids('a2'), end: ids('b') }),
      ],
    };
  }),

  defineCase(S, 'testAtLeastOne', (name) => {
    const { events, ids } = feed([
      ['c', 'c', 1.0, 1],
      ['a1', 'a', 2.0, 3],
      ['a2', 'a', 3.0, 4],
      ['b', 'b', 5.0, 6],
    ]);
    return {
      pattern: pattern(name, [
        cStage,
        { name: 'middle', contiguity: 'followedByAny', where: is('a'), times: { min: 1 }, inner: 'any' },
        { name: 'end1', contiguity: 'followedByAny', where: is('b') },
      ]),
      events,
      expected: [
        match({ start: ids('c'), middle: ids('a1', 'a2'), end1: ids('b') }),
        match({ start: ids('c'), middle: ids('a1'), end1: ids('b') }),
        match({ start: ids('c'), middle: ids('a2'), end1: ids('b') }),
      ],
    };
  }),

  defineCase(S, 'testBeginWithAtLeastOne', (name) => {
    const { events, ids } = feed([
      ['a1', 'a', 2.0, 3],
      ['a2', 'a', 3.0, 4],
      ['a3', 'a', 4.0, 5],
      ['b', 'b', 5.0, 6],
    ]);
    const m = (...as: string[]) => match({ start: ids(...as), end: ids('b') });
    return {
      pattern: pattern(name, [
        { name: 'start', where: is('a'), times: { min: 1 }, inner: 'any' },
        { name: 'end', contiguity: 'followedBy', where: is('b') },
      ]),
      events,
      expected: [
        m('a1', 'a2', 'a3'),
        m('a1', 'a2'),
        m('a1', 'a3'),
        m('a2', 'a3'),
        m('a1'),
        m('a2'),
        m('a3'),
      ],
    };
  }),

  defineCase(S, 'testNextZeroOrMore', (name) => {
    const { events, ids } = feed([
      ['start', 'start', 1.0, 1],
      ['x', 'event', 1.0, 2],
      ['m1', 'middle', 2.0, 3],
      ['m2', 'middle', 3.0, 4],
      ['m3', 'middle', 4.0, 5],
      ['end', 'end', 1.0, 6],
    ]);
    return {
      pattern: pattern(name, [
        { name: 'start', where: is('start') },
        { name: 'middle', contiguity: 'next', where: is('middle'), times: { min: 1 }, optional: true, inner: 'strict' },
        { name: 'end', contiguity: 'followedBy', where: is('end') },
      ]),
      events,
      expected: [match({ start: ids('start'), end: ids('end') })],
    };
  }),

  defineCase(S, 'testAtLeastOneEager', (name) => {
    const { events, ids } = feed([
      ['c', 'c', 1.0, 1],
      ['a1', 'a', 2.0, 3],
      ['a2', 'a', 3.0, 4],
      ['a3', 'a', 4.0, 5],
      ['b', 'b', 5.0, 6],
    ]);
    const m = (...as: string[]) => match({ start: ids('c'), middle: ids(...as), end1: ids('b') });
    return {
      pattern: pattern(name, [
        cStage,
        { name: 'middle', contiguity: 'followedByAny', where: is('a'), times: { min: 1 } },
        { name: 'end1', contiguity: 'followedByAny', where: is('b') },
      ]),
      events,
      expected: [m('a1', 'a2', 'a3'), m('a1', 'a2'), m('a2', 'a3'), m('a3'), m('a2'), m('a1')],
    };
  }),

  defineCase(S, 'testOptional', (name) => {
    const { events, ids } = feed([
      ['c', 'c', 1.0, 1],
      ['a', 'a', 4.0, 5],
      ['b', 'b', 5.0, 6],
    ]);
    return {
      pattern: pattern(name, [
        cStage,
        { name: 'middle', contiguity: 'followedBy', where: is('a'), optional: true },
        bEnd1,
      ]),
      events,
      expected: [
        match({ start: ids('c'), middle: ids('a'), end1: ids('b') }),
        match({ start: ids('c'), end1: ids('b') }),
      ],
    };
  }),

  defineCase(S, 'testTimes', (name) => {
    const { events, ids } = feed([cStart(1), m1(2), m2(3), m3(4), bEnd(6)]);
    return {
      pattern: pattern(name, [
        cStage,
        { name: 'middle', contiguity: 'next', where: is('a'), times: 2, inner: 'any' },
        bEnd1,
      ]),
      events,
      expected: [
        match({ start: ids('c'), middle: ids('a1', 'a2'), end1: ids('b') }),
        match({ start: ids('c'), middle: ids('a1', 'a3'), end1: ids('b') }),
      ],
    };
  }),

  defineCase(S, 'testStartWithTimes', (name) => {
    const { events, ids } = feed([m1(2), m2(3), m3(4), bEnd(6)]);
    return {
      pattern: pattern(name, [{ name: 'middle', where: is('a'), times: 2, inner: 'strict' }, bEnd1]),
      events,
      expected: [match({ middle: ids('a1', 'a2'), end1: ids('b') }), match({ middle: ids('a2', 'a3'), end1: ids('b') })],
    };
  }),

  defineCase(S, 'testTimesNonStrictWithNext', (name) => {
    const { events, ids } = feed(fInterleaved());
    return {
      pattern: pattern(name, [
        cStage,
        { name: 'middle', contiguity: 'next', where: is('a'), times: 2, inner: 'any' },
        bEnd1,
      ]),
      events,
      expected: [
        match({ start: ids('c'), middle: ids('a1', 'a2'), end1: ids('b') }),
        match({ start: ids('c'), middle: ids('a1', 'a3'), end1: ids('b') }),
      ],
    };
  }),

  defineCase(S, 'testTimesNotStrictWithFollowedByEager', (name) => {
    const { events, ids } = feed([cStart(1), m1(2), m2(4), m3(6), bEnd(7)]);
    return {
      pattern: pattern(name, [cStage, { name: 'middle', contiguity: 'followedBy', where: is('a'), times: 2 }, bEnd1]),
      events,
      expected: [match({ start: ids('c'), middle: ids('a1', 'a2'), end1: ids('b') })],
    };
  }),

  defineCase(S, 'testTimesNotStrictWithFollowedByNotEager', (name) => {
    const { events, ids } = feed([cStart(1), m1(2), m2(4), m3(6), bEnd(7)]);
    return {
      pattern: pattern(name, [
        cStage,
        { name: 'middle', contiguity: 'followedByAny', where: is('a'), times: 2, inner: 'any' },
        bEnd1,
      ]),
      events,
      expected: [
        match({ start: ids('c'), middle: ids('a1', 'a2'), end1: ids('b') }),
        match({ start: ids('c'), middle: ids('a2', 'a3'), end1: ids('b') }),
        match({ start: ids('c'), middle: ids('a1', 'a3'), end1: ids('b') }),
      ],
    };
  }),

  defineCase(S, 'testTimesStrictWithNextAndConsecutive', (name) => {
    const { events } = feed([cStart(1), m1(2), f('f1', 3), m2(4), m3(6), bEnd(7)]);
    return {
      pattern: pattern(name, [
        cStage,
        { name: 'middle', contiguity: 'next', where: is('a'), times: 2, inner: 'strict' },
        bEnd1,
      ]),
      events,
      expected: [],
    };
  }),

  defineCase(S, 'testStartWithOptional', (name) => {
    const { events, ids } = feed([cStart(1), bEnd(6)]);
    return {
      pattern: pattern(name, [{ name: 'start', where: is('c'), optional: true }, bEnd1]),
      events,
      expected: [match({ start: ids('c'), end1: ids('b') }), match({ end1: ids('b') })],
    };
  }),

  defineCase(S, 'testEndWithZeroOrMore', (name) => {
    const { events, ids } = feed([cStart(1), m1(3), m2(4), m3(5)]);
    return {
      pattern: pattern(name, [
        cStage,
        { name: 'middle', contiguity: 'followedBy', where: is('a'), times: { min: 1 }, optional: true },
      ]),
      events,
      expected: [
        match({ start: ids('c'), middle: ids('a1', 'a2', 'a3') }),
        match({ start: ids('c'), middle: ids('a1', 'a2') }),
        match({ start: ids('c'), middle: ids('a1') }),
        match({ start: ids('c') }),
      ],
    };
  }),

  defineCase(S, 'testStartAndEndWithZeroOrMore', (name) => {
    const { events, ids } = feed([
      cStart(1),
      m1(3),
      m2(4),
      m3(5),
      ['d1', 'd', 5.0, 6],
      ['d2', 'd', 5.0, 6],
      ['d3', 'd', 5.0, 6],
    ]);
    const m = (...as: string[]) => match({ start: ids(...as) });
    return {
      pattern: pattern(name, [{ name: 'start', where: is('a'), times: { min: 1 }, optional: true }]),
      events,
      expected: [m('a1', 'a2', 'a3'), m('a1', 'a2'), m('a1'), m('a2', 'a3'), m('a2'), m('a3')],
    };
  }),

  defineCase(S, 'testEndWithOptional', (name) => {
    const { events, ids } = feed([cStart(1), m1(3)]);
    return {
      pattern: pattern(name, [cStage, { name: 'middle', contiguity: 'followedBy', where: is('a'), optional: true }]),
      events,
      expected: [match({ start: ids('c'), middle: ids('a1') }), match({ start: ids('c') })],
    };
  }),

  defineCase(S, 'testEndWithOneOrMore', (name) => {
    const { events, ids } = feed([cStart(1), m1(3), m2(4), m3(5)]);
    return {
      pattern: pattern(name, [cStage, { name: 'middle', contiguity: 'followedBy', where: is('a'), times: { min: 1 } }]),
      events,
      expected: [
        match({ start: ids('c'), middle: ids('a1', 'a2', 'a3') }),
        match({ start: ids('c'), middle: ids('a1', 'a2') }),
        match({ start: ids('c'), middle: ids('a1') }),
      ],
    };
  }),

  defineCase(S, 'testTimesNonStrictOptional1', (name) => {
    const { events, ids } = feed([cStart(1), f('f1', 2), bEnd(7)]);
    return {
      pattern: pattern(name, [
        cStage,
        { name: 'middle', contiguity: 'followedBy', where: is('a'), times: 3, optional: true },
        bEnd1,
      ]),
      events,
      expected: [match({ start: ids('c'), end1: ids('b') })],
    };
  }),

  defineCase(S, 'testTimesNonStrictOptional2', (name) => {
    const { events, ids } = feed(fSeparated());
    return {
      pattern: pattern(name, [
        cStage,
        { name: 'middle', contiguity: 'followedByAny', where: is('a'), times: 2, inner: 'any', optional: true },
        bEnd1,
      ]),
      events,
      expected: [
        match({ start: ids('c'), middle: ids('a1', 'a2'), end1: ids('b') }),
        match({ start: ids('c'), middle: ids('a1', 'a3'), end1: ids('b') }),
        match({ start: ids('c'), middle: ids('a2', 'a3'), end1: ids('b') }),
        match({ start: ids('c'), end1: ids('b') }),
      ],
    };
  }),

  defineCase(S, 'testTimesNonStrictOptional3', (name) => {
    const { events, ids } = feed(fSeparated());
    return {
      pattern: pattern(name, [
        cStage,
        { name: 'middle', contiguity: 'followedByAny', where: is('a'), times: 2, optional: true },
        bEnd1,
      ]),
      events,
      expected: [
        match({ start: ids('c'), middle: ids('a1', 'a2'), end1: ids('b') }),
        match({ start: ids('c'), middle: ids('a2', 'a3'), end1: ids('b') }),
        match({ start: ids('c'), end1: ids('b') }),
      ],
    };
  }),

  defineCase(S, 'testTimesStrictOptional', (name) => {
    const { events, ids } = feed(fSeparated());
    return {
      pattern: pattern(name, [
        cStage,
        { name: 'middle', contiguity: 'followedByAny', where: is('a'), times: 2, inner: 'strict', optional: true },
        bEnd1,
      ]),
      events,
      expected: [
        match({ start: ids('c'), middle: ids('a2', 'a3'), end1: ids('b') }),
        match({ start: ids('c'), end1: ids('b') }),
      ],
    };
  }),

  defineCase(S, 'testOneOrMoreStrictOptional', (name) => {
    const { events, ids } = feed(fSeparated());
    const m = (...as: string[]) =>
      match({ start: ids('c'), ...(as.length > 0 ? { middle: ids(...as) } : {}), end1: ids('b') });
    return {
      pattern: pattern(name, [
        cStage,
        {
          name: 'middle',
          contiguity: 'followedByAny',
          where: is('a'),
          times: { min: 1 },
          inner: 'strict',
          optional: true,
        },
        bEnd1,
      ]),
      events,
      expected: [m('a2', 'a3'), m('a1'), m('a2'), m('a3'), m()],
    };
  }),

  defineCase(S, 'testTimesStrictOptional1', (name) => {
    const { events, ids } = feed([cStart(1), m1(3), m2(5), m3(6), bEnd(7)]);
    return {
      pattern: pattern(name, [
        cStage,
        { name: 'middle', contiguity: 'next', where: is('a'), times: 2, inner: 'strict', optional: true },
        bEnd1,
      ]),
      events,
      expected: [
        match({ start: ids('c'), middle: ids('a1', 'a2'), end1: ids('b') }),
        match({ start: ids('c'), end1: ids('b') }),
      ],
    };
  }),

  defineCase(S, 'testOptionalTimesNonStrictWithNext', (name) => {
    const { events, ids } = feed(fInterleaved());
    return {
      pattern: pattern(name, [
        cStage,
        { name: 'middle', contiguity: 'next', where: is('a'), times: 2, inner: 'any', optional: true },
        bEnd1,
      ]),
      events,
      expected: [
        match({ start: ids('c'), middle: ids('a1', 'a2'), end1: ids('b') }),
        match({ start: ids('c'), middle: ids('a1', 'a3'), end1: ids('b') }),
        match({ start: ids('c'), end1: ids('b') }),
      ],
    };
  }),

  defineCase(S, 'testStrictOneOrMore', (name) => {
    const { events, ids, pattern: p } = loopCase(name, 'strict', false);
    const m = (...as: string[]) => match({ start: ids('c'), middle: ids(...as), end1: ids('b') });
    return { pattern: p, events, expected: [m('a1', 'a2', 'a3'), m('a1', 'a2'), m('a1')] };
  }),

  defineCase(S, 'testSkipTillNextOneOrMore', (name) => {
    const { events, ids, pattern: p } = loopCase(name, 'relaxed', false);
    const m = (...as: string[]) => match({ start: ids('c'), middle: ids(...as), end1: ids('b') });
    return { pattern: p, events, expected: [m('a1', 'a2', 'a3', 'a4'), m('a1', 'a2', 'a3'), m('a1', 'a2'), m('a1')] };
  }),

  defineCase(S, 'testSkipTillAnyOneOrMore', (name) => {
    const { events, ids, pattern: p } = loopCase(name, 'any', false);
    const m = (...as: string[]) => match({ start: ids('c'), middle: ids(...as), end1: ids('b') });
    return {
      pattern: p,
      events,
      expected: [
        m('a1', 'a2', 'a3', 'a4'),
        m('a1', 'a3', 'a4'),
        m('a1', 'a2', 'a3'),
        m('a1', 'a2', 'a4'),
        m('a1', 'a2'),
        m('a1', 'a3'),
        m('a1', 'a4'),
        m('a1'),
      ],
    };
  }),

  defineCase(S, 'testStrictEagerZeroOrMore', (name) => {
    const { events, ids, pattern: p } = loopCase(name, 'strict', true);
    const m = (...as: string[]) =>
      match({ start: ids('c'), ...(as.length > 0 ? { middle: ids(...as) } : {}), end1: ids('b') });
    return { pattern: p, events, expected: [m('a1', 'a2', 'a3'), m('a1', 'a2'), m('a1'), m()] };
  }),

  defineCase(S, 'testSkipTillAnyZeroOrMore', (name) => {
    const { events, ids, pattern: p } = loopCase(name, 'any', true);
    const m = (...as: string[]) =>
      match({ start: ids('c'), ...(as.length > 0 ? { middle: ids(...as) } : {}), end1: ids('b') });
    return {
      pattern: p,
      events,
      expected: [
        m('a1', 'a2', 'a3', 'a4'),
        m('a1', 'a2', 'a4'),
        m('a1', 'a3', 'a4'),
        m('a1', 'a4'),
        m('a1', 'a2', 'a3'),
        m('a1', 'a2'),
        m('a1', 'a3'),
        m('a1'),
        m(),
      ],
    };
  }),

  defineCase(S, 'testSkipTillNextZeroOrMore', (name) => {
    const { events, ids, pattern: p } = loopCase(name, 'relaxed', true);
    const m = (...as: string[]) =>
      match({ start: ids('c'), ...(as.length > 0 ? { middle: ids(...as) } : {}), end1: ids('b') });
    return {
      pattern: p,
      events,
      expected: [m('a1', 'a2', 'a3', 'a4'), m('a1', 'a2', 'a3'), m('a1', 'a2'), m('a1'), m()],
    };
  }),

  defineCase(S, 'testTimesStrict', (name) => {
    const { events, ids } = feed(fSeparated());
    return {
      pattern: pattern(name, [
        cStage,
        { name: 'middle', contiguity: 'followedByAny', where: is('a'), times: 2, inner: 'strict' },
        bEnd1,
      ]),
      events,
      expected: [match({ start: ids('c'), middle: ids('a2', 'a3'), end1: ids('b') })],
    };
  }),

  defineCase(S, 'testTimesNonStrict', (name) => {
    const { events, ids } = feed(fSeparated());
    return {
      pattern: pattern(name, [
        cStage,
        { name: 'middle', contiguity: 'followedByAny', where: is('a'), times: 2, inner: 'any' },
        bEnd1,
      ]),
      events,
      expected: [
        match({ start: ids('c'), middle: ids('a1', 'a2'), end1: ids('b') }),
        match({ start: ids('c'), middle: ids('a1', 'a3'), end1: ids('b') }),
        match({ start: ids('c'), middle: ids('a2', 'a3'), end1: ids('b') }),
      ],
    };
  }),

  ...([
    ['testStartWithZeroOrMoreStrict', true],
    ['testStartWithOneOrMoreStrict', false],
  ] as const).map(([method, optional]) =>
    defineCase(S, method, (name) => {
      // Flink feeds the same `c` event object twice; here they are two events.
      const { events, ids } = feed([cStart(1), m1(3), ['c2', 'c', 1.0, 4], m2(5), m3(6)]);
      return {
        pattern: pattern(name, [
          { name: 'start', where: is('a'), times: { min: 1 }, inner: 'strict', ...(optional ? { optional: true } : {}) },
        ]),
        events,
        expected: [
          match({ start: ids('a1') }),
          match({ start: ids('a2', 'a3') }),
          match({ start: ids('a2') }),
          match({ start: ids('a3') }),
        ],
      };
    }),
  ),

  defineCase(S, 'testBranchingPatternSkipTillNext', (name) => {
    const { events, ids } = feed(branchingRows());
    return {
      pattern: branchingPattern(name, 'followedBy', 'followedBy', 'followedByAny'),
      events,
      expected: [
        match({ start: ids('start'), 'middle-first': ids('foo1'), 'middle-second': ids('next1'), end: ids('end') }),
      ],
    };
  }),

  defineCase(S, 'testBranchingPatternMixedFollowedBy', (name) => {
    const { events, ids } = feed(branchingRows());
    const m = (first: string) =>
      match({ start: ids('start'), 'middle-first': ids(first), 'middle-second': ids('next1'), end: ids('end') });
    return {
      pattern: branchingPattern(name, 'followedByAny', 'followedBy', 'followedByAny'),
      events,
      expected: [m('foo1'), m('foo2'), m('foo3')],
    };
  }),

  defineCase(S, 'testNFAResultOrdering', (name) => {
    const { events, ids } = feed([
      ['a-1', 'a-1', 2.0, 1],
      ['a-2', 'a-2', 3.0, 3],
      ['a-3', 'a-3', 4.0, 4],
      ['a-4', 'a-4', 5.0, 5],
      ['b-1', 'b-1', 6.0, 6],
      ['b-2', 'b-2', 7.0, 7],
      ['b-3', 'b-3', 8.0, 10],
    ]);
    return {
      pattern: pattern(name, [
        { name: 'start', where: startsWith('a-'), times: 4, inner: 'any' },
        { name: 'middle', contiguity: 'followedByAny', where: startsWith('b-'), times: 3, inner: 'strict' },
      ]),
      events,
      // Flink asserts each stage's list in event order.
      expected: [match({ start: ids('a-1', 'a-2', 'a-3', 'a-4'), middle: ids('b-1', 'b-2', 'b-3') })],
      ordered: true,
    };
  }),

  defineCase(S, 'testNFAResultKeyOrdering', (name) => {
    const { events, ids } = feed([
      ['a', 'a', 2.0, 1],
      ['b', 'b', 3.0, 3],
      ['aa', 'aa', 4.0, 4],
      ['bb', 'bb', 5.0, 5],
      ['ab', 'ab', 6.0, 6],
    ]);
    return {
      pattern: pattern(
        name,
        ['a', 'b', 'aa', 'bb', 'ab'].map((n, i) => (i === 0 ? { name: n, where: is(n) } : { name: n, contiguity: 'next', where: is(n) })),
      ),
      events,
      expected: [match({ a: ids('a'), b: ids('b'), aa: ids('aa'), bb: ids('bb'), ab: ids('ab') })],
      stageOrder: true,
    };
  }),
];
