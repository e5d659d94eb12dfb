// Port of FlinkCEP GreedyITCase (Pattern#greedy()).
// All 17 test methods of the current upstream file are ported; none skipped.
// Flink's `oneOrMore().optional()` is `"times": {"min": 1}, "optional": true` (zero or more).

import { defineCase, feed, is, match, pattern, priceGt, type FlinkCase, type Row } from './flinkCase.ts';

const S = 'GreedyITCase';

const start = { name: 'start', where: is('c') };
const end = (name: string) => ({ name: 'end', contiguity: 'followedBy', where: is(name) });
const aLoop = (extra: Record<string, unknown>) => ({
  name: 'middle',
  contiguity: 'followedBy',
  where: is('a'),
  times: { min: 1 },
  greedy: true,
  ...extra,
});

// c a a a d
const plain: Row[] = [
  ['c', 'c', 1.0, 1],
  ['a1', 'a', 2.0, 2],
  ['a2', 'a', 2.0, 3],
  ['a3', 'a', 2.0, 4],
  ['d', 'd', 3.0, 5],
];
// c _ a _ a _ a d
const inBetween: Row[] = [
  ['c', 'c', 1.0, 1],
  ['x1', 'dummy', 1111, 2],
  ['a1', 'a', 2.0, 3],
  ['x2', 'dummy', 1111, 4],
  ['a2', 'a', 2.0, 5],
  ['x3', 'dummy', 1111, 6],
  ['a3', 'a', 2.0, 7],
  ['d', 'd', 3.0, 8],
];
// c a a _ d
const dummyAfter: Row[] = [
  ['c', 'c', 1.0, 1],
  ['a1', 'a', 2.0, 2],
  ['a2', 'a', 2.0, 3],
  ['x', 'dummy', 2.0, 4],
  ['d', 'd', 3.0, 5],
];
// c _ d
const dummyBefore: Row[] = [
  ['c', 'c', 1.0, 1],
  ['x', 'dummy', 2.0, 2],
  ['d', 'd', 3.0, 5],
];
// c a(2) a(3) a(3) a(4) d  — until price > 3 closes the loop at the fourth a
const untilAfter: Row[] = [
  ['c', 'c', 1.0, 1],
  ['a1', 'a', 2.0, 2],
  ['a2', 'a', 3.0, 3],
  ['a3', 'a', 3.0, 4],
  ['a4', 'a', 4.0, 5],
  ['d', 'd', 3.0, 6],
];
// c a(4) a(2) a(3) a(3) d  — until closes the loop before it starts
const untilBefore: Row[] = [
  ['c', 'c', 1.0, 1],
  ['a4', 'a', 4.0, 2],
  ['a1', 'a', 2.0, 3],
  ['a2', 'a', 3.0, 4],
  ['a3', 'a', 3.0, 5],
  ['d', 'd', 3.0, 6],
];

export const greedyCases: FlinkCase[] = [
  defineCase(S, 'testGreedyZeroOrMore', (name) => {
    const { events, ids } = feed(plain);
    return {
      pattern: pattern(name, [start, aLoop({ optional: true }), end('d')]),
      events,
      expected: [match({ start: ids('c'), middle: ids('a1', 'a2', 'a3'), end: ids('d') })],
    };
  }),

  defineCase(S, 'testGreedyZeroOrMoreInBetween', (name) => {
    const { events, ids } = feed(inBetween);
    return {
      pattern: pattern(name, [start, aLoop({ optional: true }), end('d')]),
      events,
      expected: [match({ start: ids('c'), middle: ids('a1', 'a2', 'a3'), end: ids('d') })],
    };
  }),

  defineCase(S, 'testGreedyZeroOrMoreWithDummyEventsAfterQuantifier', (name) => {
    const { events, ids } = feed(dummyAfter);
    return {
      pattern: pattern(name, [start, aLoop({ optional: true }), end('d')]),
      events,
      expected: [match({ start: ids('c'), middle: ids('a1', 'a2'), end: ids('d') })],
    };
  }),

  defineCase(S, 'testGreedyZeroOrMoreWithDummyEventsBeforeQuantifier', (name) => {
    const { events, ids } = feed(dummyBefore);
    return {
      pattern: pattern(name, [start, aLoop({ optional: true }), end('d')]),
      events,
      expected: [match({ start: ids('c'), end: ids('d') })],
    };
  }),

  defineCase(S, 'testGreedyUntilZeroOrMoreWithDummyEventsAfterQuantifier', (name) => {
    const { events, ids } = feed(untilAfter);
    return {
      pattern: pattern(name, [start, aLoop({ optional: true, until: priceGt(3.0) }), end('d')]),
      events,
      expected: [match({ start: ids('c'), middle: ids('a1', 'a2', 'a3'), end: ids('d') })],
    };
  }),

  defineCase(S, 'testGreedyUntilWithDummyEventsBeforeQuantifier', (name) => {
    const { events, ids } = feed(untilBefore);
    return {
      pattern: pattern(name, [start, aLoop({ optional: true, until: priceGt(3.0) }), end('d')]),
      events,
      expected: [match({ start: ids('c'), end: ids('d') })],
    };
  }),

  defineCase(S, 'testGreedyOneOrMore', (name) => {
    const { events, ids } = feed(plain);
    return {
      pattern: pattern(name, [start, aLoop({}), end('d')]),
      events,
      expected: [match({ start: ids('c'), middle: ids('a1', 'a2', 'a3'), end: ids('d') })],
    };
  }),

  defineCase(S, 'testGreedyOneOrMoreInBetween', (name) => {
    const { events, ids } = feed(inBetween);
    return {
      pattern: pattern(name, [start, aLoop({}), end('d')]),
      events,
      expected: [match({ start: ids('c'), middle: ids('a1', 'a2', 'a3'), end: ids('d') })],
    };
  }),

  defineCase(S, 'testGreedyOneOrMoreWithDummyEventsAfterQuantifier', (name) => {
    const { events, ids } = feed(dummyAfter);
    return {
      pattern: pattern(name, [start, aLoop({}), end('d')]),
      events,
      expected: [match({ start: ids('c'), middle: ids('a1', 'a2'), end: ids('d') })],
    };
  }),

  defineCase(S, 'testGreedyOneOrMoreWithDummyEventsBeforeQuantifier', (name) => {
    const { events } = feed(dummyBefore);
    return {
      pattern: pattern(name, [start, aLoop({}), end('d')]),
      events,
      expected: [],
    };
  }),

  defineCase(S, 'testGreedyUntilOneOrMoreWithDummyEventsAfterQuantifier', (name) => {
    const { events, ids } = feed(untilAfter);
    return {
      pattern: pattern(name, [start, aLoop({ until: priceGt(3.0) }), end('d')]),
      events,
      expected: [match({ start: ids('c'), middle: ids('a1', 'a2', 'a3'), end: ids('d') })],
    };
  }),

  defineCase(S, 'testGreedyUntilOneOrMoreWithDummyEventsBeforeQuantifier', (name) => {
    const { events } = feed(untilBefore);
    return {
      pattern: pattern(name, [start, aLoop({ until: priceGt(3.0) }), end('d')]),
      events,
      expected: [],
    };
  }),

  defineCase(S, 'testGreedyZeroOrMoreBeforeGroupPattern', (name) => {
    const { events, ids } = feed([
      ['c', 'c', 1.0, 1],
      ['a1', 'a', 1.0, 2],
      ['a2', 'a', 1.0, 3],
      ['x', 'dummy', 2.0, 4],
      ['a3', 'a', 1.0, 5],
      ['d1', 'd', 1.0, 6],
      ['e1', 'e', 1.0, 7],
      ['d2', 'd', 1.0, 8],
      ['e2', 'e', 1.0, 9],
      ['f', 'f', 3.0, 10],
    ]);
    // c a* (d e){2} f
    return {
      pattern: pattern(name, [
        start,
        aLoop({ optional: true }),
        {
          name: 'group',
          contiguity: 'followedBy',
          times: 2,
          group: [
            { name: 'middle1', where: is('d') },
            { name: 'middle2', contiguity: 'followedBy', where: is('e') },
          ],
        },
        end('f'),
      ]),
      events,
      expected: [
        match({
          start: ids('c'),
          middle: ids('a1', 'a2', 'a3'),
          middle1: ids('d1', 'd2'),
          middle2: ids('e1', 'e2'),
          end: ids('f'),
        }),
      ],
      note: "Flink's group has no name of its own; the group stage is named 'group' here.",
    };
  }),

  defineCase(S, 'testEndWithZeroOrMoreGreedy', (name) => {
    const { events, ids } = feed([
      ['c', 'c', 1.0, 1],
      ['a1', 'a', 2.0, 2],
      ['a2', 'a', 2.0, 3],
      ['x', 'dummy', 2.0, 4],
      ['a3', 'a', 2.0, 5],
    ]);
    return {
      pattern: pattern(name, [
        start,
        { name: 'end', contiguity: 'followedBy', where: is('a'), times: { min: 1 }, optional: true, greedy: true },
      ]),
      events,
      expected: [
        match({ start: ids('c') }),
        match({ start: ids('c'), end: ids('a1') }),
        match({ start: ids('c'), end: ids('a1', 'a2') }),
        match({ start: ids('c'), end: ids('a1', 'a2', 'a3') }),
      ],
    };
  }),

  defineCase(S, 'testEndWithZeroOrMoreConsecutiveGreedy', (name) => {
    const { events, ids } = feed([
      ['c', 'c', 1.0, 1],
      ['a1', 'a', 2.0, 2],
      ['a2', 'a', 2.0, 3],
      ['x', 'dummy', 2.0, 4],
      ['a3', 'a', 2.0, 5],
    ]);
    return {
      pattern: pattern(name, [
        start,
        {
          name: 'end',
          contiguity: 'followedBy',
          where: is('a'),
          times: { min: 1 },
          optional: true,
          inner: 'strict',
          greedy: true,
        },
      ]),
      events,
      expected: [
        match({ start: ids('c') }),
        match({ start: ids('c'), end: ids('a1') }),
        match({ start: ids('c'), end: ids('a1', 'a2') }),
      ],
    };
  }),

  defineCase(S, 'testEndWithGreedyTimesRange', (name) => {
    const { events, ids } = feed([
      ['c', 'c', 1.0, 1],
      ['a1', 'a', 2.0, 2],
      ['a2', 'a', 2.0, 3],
      ['a3', 'a', 2.0, 4],
      ['a4', 'a', 2.0, 5],
      ['x', 'dummy', 2.0, 6],
    ]);
    // c a{2,5}
    return {
      pattern: pattern(name, [
        start,
        { name: 'end', contiguity: 'followedBy', where: is('a'), times: { min: 2, max: 5 }, greedy: true },
      ]),
      events,
      expected: [
        match({ start: ids('c'), end: ids('a1', 'a2') }),
        match({ start: ids('c'), end: ids('a1', 'a2', 'a3') }),
        match({ start: ids('c'), end: ids('a1', 'a2', 'a3', 'a4') }),
      ],
    };
  }),

  defineCase(S, 'testGreedyTimesRange', (name) => {
    const { events, ids } = feed([
      ['c', 'c', 1.0, 1],
      ['a1', 'a', 2.0, 2],
      ['a2', 'a', 2.0, 3],
      ['a3', 'a', 2.0, 4],
      ['a4', 'a', 2.0, 5],
      ['d', 'd', 2.0, 6],
    ]);
    // c a{2,5} d
    return {
      pattern: pattern(name, [
        start,
        { name: 'middle', contiguity: 'followedBy', where: is('a'), times: { min: 2, max: 5 }, greedy: true },
        end('d'),
      ]),
      events,
      expected: [match({ start: ids('c'), middle: ids('a1', 'a2', 'a3', 'a4'), end: ids('d') })],
    };
  }),
];
