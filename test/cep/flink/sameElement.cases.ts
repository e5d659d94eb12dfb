// Port of FlinkCEP SameElementITCase (events that are equal and share a timestamp).
// All 8 test methods of the upstream file are ported. Flink sometimes feeds the very same Event
// object several times and compares results with Event.equals, so duplicates are indistinguishable
// there. Here every fed record is its own event with its own id (same name, price and timestamp);
// the expectations list the matches by identity, derived from Flink's semantics, and reduce to
// Flink's expected lists once ids are ignored. testClearingBuffer* also assert Flink's internal
// partial-match count, which is not ported.

import { defineCase, feed, is, match, pattern, stageAgg, type FlinkCase } from './flinkCase.ts';

const S = 'SameElementITCase';

const start = { name: 'start', where: is('c') };

/** All subsets of `items`, as arrays in the original order. */
function subsets(items: string[]): string[][] {
  return items.reduce<string[][]>((acc, item) => acc.concat(acc.map((s) => [...s, item])), [[]]);
}

export const sameElementCases: FlinkCase[] = [
  defineCase(S, 'testEagerZeroOrMoreSameElement', (name) => {
    const { events, ids } = feed([
      ['c', 'c', 1.0, 1],
      ['a1', 'a', 2.0, 3],
      ['a1x', 'a', 2.0, 3],
      ['a1y', 'a', 2.0, 3],
      ['a2', 'a', 3.0, 4],
      ['x', 'd', 6.0, 5],
      ['a3', 'a', 4.0, 6],
      ['a3x', 'a', 4.0, 6],
      ['b', 'b', 5.0, 7],
    ]);
    const order = ['a1', 'a1x', 'a1y', 'a2', 'a3', 'a3x'];
    // followedBy + relaxed loop: every prefix of the a events, and none.
    const prefixes = order.map((_, i) => order.slice(0, i + 1)).concat([[]]);
    return {
      pattern: pattern(name, [
        start,
        { name: 'middle', contiguity: 'followedBy', where: is('a'), times: { min: 1 }, optional: true },
        { name: 'end1', contiguity: 'followedBy', where: is('b') },
      ]),
      events,
      expected: prefixes.map((as) =>
        match({ start: ids('c'), ...(as.length > 0 ? { middle: ids(...as) } : {}), end1: ids('b') }),
      ),
      note: "Flink feeds the same a(2.0) object three times and a(4.0) twice; here they are distinct events.",
    };
  }),

  defineCase(S, 'testClearingBuffer', (name) => {
    const { events, ids } = feed([
      ['a', 'a', 1.0, 1],
      ['b', 'b', 2.0, 2],
      ['c', 'c', 2.0, 2],
      ['d', 'd', 2.0, 2],
    ]);
    return {
      pattern: pattern(name, [
        { name: 'a', where: is('a') },
        { name: 'b', contiguity: 'followedBy', where: is('b') },
        { name: 'c', contiguity: 'followedBy', where: is('c') },
        { name: 'd', contiguity: 'followedBy', where: is('d') },
      ]),
      events,
      expected: [match({ a: ids('a'), b: ids('b'), c: ids('c'), d: ids('d') })],
    };
  }),

  defineCase(S, 'testClearingBufferWithUntilAtTheEnd', (name) => {
    const { events, ids } = feed([
      ['a', 'a', 1.0, 1],
      ['d1', 'd', 2.0, 2],
      ['d2', 'd', 2.0, 2],
      ['d3', 'd', 2.0, 2],
      ['d4', 'd', 2.0, 4],
    ]);
    return {
      pattern: pattern(name, [
        { name: 'a', where: is('a') },
        {
          name: 'd',
          contiguity: 'followedBy',
          where: is('d'),
          times: { min: 1 },
          // Flink: Iterators.size(ctx.getEventsForPattern("d")) == 3
          until: stageAgg('d', 'count', 'equal', 3),
        },
      ]),
      events,
      expected: [
        match({ a: ids('a'), d: ids('d1', 'd2', 'd3') }),
        match({ a: ids('a'), d: ids('d1', 'd2') }),
        match({ a: ids('a'), d: ids('d1') }),
      ],
    };
  }),

  defineCase(S, 'testZeroOrMoreSameElement', (name) => {
    const { events, ids } = feed([
      ['c', 'c', 1.0, 1],
      ['a1', 'a', 2.0, 3],
      ['a1a', 'a', 2.0, 3],
      ['a2', 'a', 3.0, 4],
      ['x', 'd', 6.0, 5],
      ['a3', 'a', 4.0, 6],
      ['a3a', 'a', 4.0, 6],
      ['b', 'b', 5.0, 7],
    ]);
    // followedByAny + allowCombinations + optional: every subset of the five a events (32 matches).
    return {
      pattern: pattern(name, [
        start,
        {
          name: 'middle',
          contiguity: 'followedByAny',
          where: is('a'),
          times: { min: 1 },
          optional: true,
          inner: 'any',
        },
        { name: 'end1', contiguity: 'followedByAny', where: is('b') },
      ]),
      events,
      expected: subsets(['a1', 'a1a', 'a2', 'a3', 'a3a']).map((as) =>
        match({ start: ids('c'), ...(as.length > 0 ? { middle: ids(...as) } : {}), end1: ids('b') }),
      ),
    };
  }),

  defineCase(S, 'testSimplePatternWSameElement', (name) => {
    const { events, ids } = feed([
      ['c', 'c', 1.0, 1],
      ['a', 'a', 2.0, 3],
      ['ax', 'a', 2.0, 3],
      ['b', 'b', 5.0, 7],
    ]);
    return {
      pattern: pattern(name, [
        start,
        { name: 'middle', contiguity: 'followedByAny', where: is('a') },
        { name: 'end1', contiguity: 'followedBy', where: is('b') },
      ]),
      events,
      expected: [
        match({ start: ids('c'), middle: ids('a'), end1: ids('b') }),
        match({ start: ids('c'), middle: ids('ax'), end1: ids('b') }),
      ],
      note: 'Flink feeds the same a object twice; here they are two events.',
    };
  }),

  defineCase(S, 'testIterativeConditionWSameElement', (name) => {
    const { events, ids } = feed([
      ['c', 'c', 1.0, 1],
      ['a1', 'a', 2.0, 3],
      ['a1a', 'a', 2.0, 3],
      ['a1b', 'a', 2.0, 3],
      ['b', 'b', 5.0, 7],
    ]);
    return {
      pattern: pattern(name, [
        start,
        {
          name: 'middle',
          contiguity: 'followedByAny',
          where: is('a'),
          times: { min: 1 },
          optional: true,
          inner: 'any',
        },
        // Flink: sum of the middle prices == 4.0, whatever the event under test is.
        { name: 'end', contiguity: 'followedBy', where: stageAgg('middle', 'sum', 'equal', 4.0, { field: 'price' }) },
      ]),
      events,
      expected: [
        match({ start: ids('c'), middle: ids('a1', 'a1a'), end: ids('a1b') }),
        match({ start: ids('c'), middle: ids('a1', 'a1b'), end: ids('b') }),
        match({ start: ids('c'), middle: ids('a1a', 'a1b'), end: ids('b') }),
      ],
      note:
        "Flink's three a events are equal, so its expected lists (c a a b) ×2 and (c a a a) do not say which " +
        'a is which; the identities here follow from the semantics (the pair a1, a1a is completed by a1b itself).',
    };
  }),

  defineCase(S, 'testEndWLoopingWSameElement', (name) => {
    const { events, ids } = feed([
      ['c', 'c', 1.0, 1],
      ['a1', 'a', 2.0, 3],
      ['a1a', 'a', 2.0, 3],
      ['a1b', 'a', 2.0, 3],
      ['b', 'b', 5.0, 7],
    ]);
    const m = (...as: string[]) => match({ start: ids('c'), ...(as.length > 0 ? { middle: ids(...as) } : {}) });
    return {
      pattern: pattern(name, [
        start,
        { name: 'middle', contiguity: 'followedByAny', where: is('a'), times: { min: 1 }, optional: true },
      ]),
      events,
      expected: [
        m(),
        m('a1'),
        m('a1a'),
        m('a1b'),
        m('a1', 'a1a'),
        m('a1a', 'a1b'),
        m('a1', 'a1a', 'a1b'),
      ],
    };
  }),

  defineCase(S, 'testRepeatingPatternWSameElement', (name) => {
    const { events, ids } = feed([
      ['c', 'c', 1.0, 1],
      ['a1', 'a', 2.0, 3],
      ['a1x', 'a', 2.0, 3],
      ['a2', 'a', 3.0, 3],
      ['x', 'd', 6.0, 5],
      ['b', 'b', 5.0, 6],
      ['a3', 'a', 4.0, 7],
    ]);
    const m = (middle1: string[], middle2: string[], end: string) =>
      match({
        start: ids('c'),
        ...(middle1.length > 0 ? { middle1: ids(...middle1) } : {}),
        ...(middle2.length > 0 ? { middle2: ids(...middle2) } : {}),
        end: ids(end),
      });
    return {
      pattern: pattern(name, [
        start,
        { name: 'middle1', contiguity: 'followedBy', where: is('a'), times: { min: 1 }, optional: true },
        { name: 'middle2', contiguity: 'followedBy', where: is('b'), optional: true },
        { name: 'end', contiguity: 'followedBy', where: is('a') },
      ]),
      events,
      expected: [
        m([], [], 'a1'),
        m(['a1'], [], 'a1x'),
        m([], ['b'], 'a3'),
        m(['a1', 'a1x'], [], 'a2'),
        m(['a1'], ['b'], 'a3'),
        m(['a1', 'a1x', 'a2'], [], 'a3'),
        m(['a1', 'a1x'], ['b'], 'a3'),
        m(['a1', 'a1x', 'a2'], ['b'], 'a3'),
      ],
      note: 'Flink feeds the same a(2.0) object twice; here they are two events.',
    };
  }),
];
