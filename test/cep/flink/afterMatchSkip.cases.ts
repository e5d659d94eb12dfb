// Port of FlinkCEP AfterMatchSkipITCase (after-match skip strategies, spec §5).
// Flink feeds these events without timestamps; they get 1, 2, 3, … in feed order.
// Flink's `contains("a")` conditions use the `includes` operator.
//
// Skipped:
// - testSharedBufferIsProperlyCleared: asserts Flink's internal SharedBuffer is empty, no matches.

import { all, any, defineCase, feed, has, is, match, pattern, stageAgg, type FlinkCase } from './flinkCase.ts';

const S = 'AfterMatchSkipITCase';

const sixAs = () =>
  feed([
    ['a1', 'a', 0.0],
    ['a2', 'a', 0.0],
    ['a3', 'a', 0.0],
    ['a4', 'a', 0.0],
    ['a5', 'a', 0.0],
    ['a6', 'a', 0.0],
  ]);

// TwoVariablesFollowedByAny: a followedByAny b over a1 b1 a2 b2
function twoVariablesFollowedByAny(name: string, afterMatch: unknown) {
  const f = feed([
    ['a1', 'a', 0.0],
    ['b1', 'b', 0.0],
    ['a2', 'a', 0.0],
    ['b2', 'b', 0.0],
  ]);
  const p = pattern(
    name,
    [
      { name: 'start', where: is('a') },
      { name: 'end', contiguity: 'followedByAny', where: is('b') },
    ],
    { afterMatch },
  );
  return { ...f, pattern: p };
}

// QuantifierAtEndOfPattern: a next b+ over a1 b1 b2 b3
function quantifierAtEnd(name: string, afterMatch: unknown) {
  const f = feed([
    ['a1', 'a', 0.0],
    ['b1', 'b', 0.0],
    ['b2', 'b', 0.0],
    ['b3', 'b', 0.0],
  ]);
  const p = pattern(
    name,
    [
      { name: 'start', where: is('a') },
      { name: 'end', contiguity: 'next', where: is('b'), times: { min: 1 } },
    ],
    { afterMatch },
  );
  return { ...f, pattern: p };
}

// MissedSkipTo: a next b* (consecutive) next c over a c — the match has no 'b'
function missedSkipTo(name: string, afterMatch: unknown) {
  const f = feed([
    ['a', 'a', 0.0],
    ['c', 'c', 0.0],
  ]);
  const p = pattern(
    name,
    [
      { name: 'a', where: has('a') },
      { name: 'b', contiguity: 'next', where: has('b'), times: { min: 1 }, optional: true, inner: 'strict' },
      { name: 'c', contiguity: 'next', where: has('c') },
    ],
    { afterMatch },
  );
  return { ...f, pattern: p };
}

// a (contains a) next b+ consecutive over a1 b1 a2 b2 b3 a3 b4
function oneOrMoreAfterA(name: string, afterMatch: unknown) {
  const f = feed([
    ['a1', 'a1', 0.0],
    ['b1', 'b1', 0.0],
    ['a2', 'a2', 0.0],
    ['b2', 'b2', 0.0],
    ['b3', 'b3', 0.0],
    ['a3', 'a3', 0.0],
    ['b4', 'b4', 0.0],
  ]);
  const p = pattern(
    name,
    [
      { name: 'a', where: has('a') },
      { name: 'b', contiguity: 'next', where: has('b'), times: { min: 1 }, inner: 'strict' },
    ],
    { afterMatch },
  );
  return { ...f, pattern: p };
}

// Docs example: a+ (consecutive, greedy) next b over a1 a2 a3 b1
function oneOrMoreAtBeginning(name: string, afterMatch: unknown) {
  const f = feed([
    ['a1', 'a1', 0.0],
    ['a2', 'a2', 0.0],
    ['a3', 'a3', 0.0],
    ['b1', 'b1', 0.0],
  ]);
  const p = pattern(
    name,
    [
      { name: 'a', where: has('a'), times: { min: 1 }, inner: 'strict', greedy: true },
      { name: 'b', contiguity: 'next', where: has('b') },
    ],
    { afterMatch },
  );
  return { ...f, pattern: p };
}

// a{2} next b{2} over events all named "ab"
function abTimesTwo(name: string, count: number, afterMatch: unknown) {
  const rows = Array.from({ length: count }, (_, i) => [`ab${i + 1}`, 'ab', 0.0] as [string, string, number]);
  const f = feed(rows);
  const p = pattern(
    name,
    [
      { name: 'start', where: has('a'), times: 2 },
      { name: 'end', contiguity: 'next', where: has('b'), times: 2 },
    ],
    { afterMatch },
  );
  return { ...f, pattern: p };
}

export const afterMatchSkipCases: FlinkCase[] = [
  defineCase(S, 'testNoSkip', (name) => {
    const { events, ids } = sixAs();
    return {
      pattern: pattern(name, [{ name: 'start', where: is('a'), times: 3 }], { afterMatch: 'noSkip' }),
      events,
      expected: [
        match({ start: ids('a1', 'a2', 'a3') }),
        match({ start: ids('a2', 'a3', 'a4') }),
        match({ start: ids('a3', 'a4', 'a5') }),
        match({ start: ids('a4', 'a5', 'a6') }),
      ],
    };
  }),

  defineCase(S, 'testNoSkipWithFollowedByAny', (name) => {
    const { events, ids, pattern: p } = twoVariablesFollowedByAny(name, 'noSkip');
    return {
      pattern: p,
      events,
      expected: [
        match({ start: ids('a1'), end: ids('b1') }),
        match({ start: ids('a1'), end: ids('b2') }),
        match({ start: ids('a2'), end: ids('b2') }),
      ],
    };
  }),

  defineCase(S, 'testSkipToNextWithFollowedByAny', (name) => {
    const { events, ids, pattern: p } = twoVariablesFollowedByAny(name, 'skipToNext');
    return {
      pattern: p,
      events,
      expected: [match({ start: ids('a1'), end: ids('b1') }), match({ start: ids('a2'), end: ids('b2') })],
    };
  }),

  defineCase(S, 'testNoSkipWithQuantifierAtTheEnd', (name) => {
    const { events, ids, pattern: p } = quantifierAtEnd(name, 'noSkip');
    return {
      pattern: p,
      events,
      expected: [
        match({ start: ids('a1'), end: ids('b1', 'b2', 'b3') }),
        match({ start: ids('a1'), end: ids('b1', 'b2') }),
        match({ start: ids('a1'), end: ids('b1') }),
      ],
    };
  }),

  defineCase(S, 'testSkipToNextWithQuantifierAtTheEnd', (name) => {
    const { events, ids, pattern: p } = quantifierAtEnd(name, 'skipToNext');
    return { pattern: p, events, expected: [match({ start: ids('a1'), end: ids('b1') })] };
  }),

  defineCase(S, 'testSkipPastLast', (name) => {
    const { events, ids } = sixAs();
    return {
      pattern: pattern(name, [{ name: 'start', where: is('a'), times: 3 }], { afterMatch: 'skipPastLastEvent' }),
      events,
      expected: [match({ start: ids('a1', 'a2', 'a3') }), match({ start: ids('a4', 'a5', 'a6') })],
    };
  }),

  defineCase(S, 'testSkipToFirst', (name) => {
    const { events, ids, pattern: p } = abTimesTwo(name, 6, { skipToFirst: 'end' });
    return {
      pattern: p,
      events,
      expected: [
        match({ start: ids('ab1', 'ab2'), end: ids('ab3', 'ab4') }),
        match({ start: ids('ab3', 'ab4'), end: ids('ab5', 'ab6') }),
      ],
    };
  }),

  defineCase(S, 'testSkipToLast', (name) => {
    const { events, ids, pattern: p } = abTimesTwo(name, 7, { skipToLast: 'end' });
    return {
      pattern: p,
      events,
      expected: [
        match({ start: ids('ab1', 'ab2'), end: ids('ab3', 'ab4') }),
        match({ start: ids('ab4', 'ab5'), end: ids('ab6', 'ab7') }),
      ],
    };
  }),

  defineCase(S, 'testSkipPastLast2', (name) => {
    const { events, ids } = feed([
      ['a1', 'a1', 0.0],
      ['a2', 'a2', 0.0],
      ['b1', 'b1', 0.0],
      ['b2', 'b2', 0.0],
      ['c1', 'c1', 0.0],
      ['c2', 'c2', 0.0],
      ['d1', 'd1', 0.0],
      ['d2', 'd2', 0.0],
    ]);
    return {
      pattern: pattern(
        name,
        [
          { name: 'a', where: has('a') },
          { name: 'b', contiguity: 'followedByAny', where: has('b') },
          { name: 'c', contiguity: 'followedByAny', where: has('c') },
          { name: 'd', contiguity: 'followedBy', where: has('d') },
        ],
        { afterMatch: 'skipPastLastEvent' },
      ),
      events,
      expected: [match({ a: ids('a1'), b: ids('b1'), c: ids('c1'), d: ids('d1') })],
      note:
        'd1 completes four matches that all start at a1; which one is emitted first (and so survives ' +
        'skipPastLastEvent) is a tie on the first event. Flink emits a1 b1 c1 d1; the spec does not order ties.',
    };
  }),

  defineCase(S, 'testSkipPastLast3', (name) => {
    const { events, ids } = feed([
      ['a1', 'a1', 0.0],
      ['c', 'c', 0.0],
      ['a2', 'a2', 0.0],
      ['b2', 'b2', 0.0],
    ]);
    return {
      pattern: pattern(
        name,
        [
          { name: 'a', where: has('a') },
          { name: 'b', contiguity: 'next', where: has('b') },
        ],
        { afterMatch: 'skipPastLastEvent' },
      ),
      events,
      expected: [match({ a: ids('a2'), b: ids('b2') })],
    };
  }),

  defineCase(S, 'testSkipToFirstWithOptionalMatch', (name) => {
    const { events, ids } = feed([
      ['ab1', 'ab1', 0.0],
      ['c1', 'c1', 0.0],
      ['ab2', 'ab2', 0.0],
      ['c2', 'c2', 0.0],
    ]);
    return {
      pattern: pattern(
        name,
        [
          { name: 'x', where: has('x'), times: { min: 1 }, optional: true },
          { name: 'b', contiguity: 'next', where: has('b') },
          { name: 'c', contiguity: 'next', where: has('c') },
        ],
        { afterMatch: { skipToFirst: 'b' } },
      ),
      events,
      expected: [match({ b: ids('ab1'), c: ids('c1') }), match({ b: ids('ab2'), c: ids('c2') })],
    };
  }),

  defineCase(S, 'testSkipToFirstAtStartPosition', (name) => {
    const { events, ids } = feed([
      ['ab1', 'ab1', 0.0],
      ['c1', 'c1', 0.0],
      ['ab2', 'ab2', 0.0],
      ['c2', 'c2', 0.0],
    ]);
    return {
      pattern: pattern(
        name,
        [
          { name: 'b', where: has('b') },
          { name: 'c', contiguity: 'next', where: has('c') },
        ],
        { afterMatch: { skipToFirst: 'b' } },
      ),
      events,
      expected: [match({ b: ids('ab1'), c: ids('c1') }), match({ b: ids('ab2'), c: ids('c2') })],
    };
  }),

  defineCase(S, 'testSkipToFirstWithOneOrMore', (name) => {
    const { events, ids, pattern: p } = oneOrMoreAfterA(name, { skipToFirst: 'b' });
    return {
      pattern: p,
      events,
      expected: [
        match({ a: ids('a1'), b: ids('b1') }),
        match({ a: ids('a2'), b: ids('b2') }),
        match({ a: ids('a3'), b: ids('b4') }),
      ],
    };
  }),

  defineCase(S, 'testSkipToFirstElementOfMatch', (name) => {
    const { events } = feed([['a1', 'a1', 0.0]]);
    return {
      pattern: pattern(name, [{ name: 'a', where: has('a') }], {
        afterMatch: { skipToFirst: 'a', throwOnMiss: true },
      }),
      events,
      expected: [],
      expectError: true,
      note:
        'Flink throws "Could not skip to first element of a match" when throwExceptionOnMiss is set and the ' +
        'skip target is the first event of the match (it would loop forever); spec §5 defers to that meaning.',
    };
  }),

  defineCase(S, 'testSkipToFirstNonExistentPosition', (name) => {
    const { events, pattern: p } = missedSkipTo(name, { skipToFirst: 'b', throwOnMiss: true });
    return { pattern: p, events, expected: [], expectError: true };
  }),

  defineCase(S, 'testSkipToFirstNonExistentPositionWithoutException', (name) => {
    const { events, ids, pattern: p } = missedSkipTo(name, { skipToFirst: 'b' });
    return { pattern: p, events, expected: [match({ a: ids('a'), c: ids('c') })] };
  }),

  defineCase(S, 'testSkipToLastNonExistentPosition', (name) => {
    const { events, pattern: p } = missedSkipTo(name, { skipToLast: 'b', throwOnMiss: true });
    return { pattern: p, events, expected: [], expectError: true };
  }),

  defineCase(S, 'testSkipToLastNonExistentPositionWithoutException', (name) => {
    const { events, ids, pattern: p } = missedSkipTo(name, { skipToLast: 'b' });
    return {
      pattern: p,
      events,
      expected: [match({ a: ids('a'), c: ids('c') })],
      note: "Flink's test body uses skipToFirst(\"b\") (a copy slip); ported with skipToLast as its name says.",
    };
  }),

  defineCase(S, 'testSkipToLastWithOneOrMore', (name) => {
    const { events, ids, pattern: p } = oneOrMoreAfterA(name, { skipToLast: 'b' });
    return {
      pattern: p,
      events,
      expected: [
        match({ a: ids('a1'), b: ids('b1') }),
        match({ a: ids('a2'), b: ids('b2') }),
        match({ a: ids('a3'), b: ids('b4') }),
      ],
    };
  }),

  defineCase(S, 'testSkipPastLastWithOneOrMoreAtBeginning', (name) => {
    const { events, ids, pattern: p } = oneOrMoreAtBeginning(name, 'skipPastLastEvent');
    return { pattern: p, events, expected: [match({ a: ids('a1', 'a2', 'a3'), b: ids('b1') })] };
  }),

  defineCase(S, 'testSkipToLastWithOneOrMoreAtBeginning', (name) => {
    const { events, ids, pattern: p } = oneOrMoreAtBeginning(name, { skipToLast: 'a' });
    return {
      pattern: p,
      events,
      expected: [match({ a: ids('a1', 'a2', 'a3'), b: ids('b1') }), match({ a: ids('a3'), b: ids('b1') })],
    };
  }),

  defineCase(S, 'testSkipToFirstWithOneOrMoreAtBeginning', (name) => {
    const { events, ids, pattern: p } = oneOrMoreAtBeginning(name, { skipToFirst: 'a' });
    return {
      pattern: p,
      events,
      expected: [
        match({ a: ids('a1', 'a2', 'a3'), b: ids('b1') }),
        match({ a: ids('a2', 'a3'), b: ids('b1') }),
        match({ a: ids('a3'), b: ids('b1') }),
      ],
    };
  }),

  defineCase(S, 'testNoSkipWithOneOrMoreAtBeginning', (name) => {
    const { events, ids, pattern: p } = oneOrMoreAtBeginning(name, 'noSkip');
    return {
      pattern: p,
      events,
      expected: [
        match({ a: ids('a1', 'a2', 'a3'), b: ids('b1') }),
        match({ a: ids('a2', 'a3'), b: ids('b1') }),
        match({ a: ids('a3'), b: ids('b1') }),
      ],
    };
  }),

  defineCase(S, 'testSkipToFirstDiscarding', (name) => {
    const { events, ids } = feed([
      ['a', 'a', 0.0],
      ['b', 'b', 0.0],
      ['c1', 'c1', 0.0],
      ['c2', 'c2', 0.0],
      ['c3', 'c3', 0.0],
      ['d', 'd', 0.0],
    ]);
    return {
      pattern: pattern(
        name,
        [
          { name: 'a or c', where: any(has('a'), has('c')) },
          { name: 'b or c', contiguity: 'followedBy', where: any(has('b'), has('c')) },
          { name: 'c*', contiguity: 'followedBy', where: has('c'), times: { min: 1 }, greedy: true },
          { name: 'd', contiguity: 'followedBy', where: has('d') },
        ],
        { afterMatch: { skipToFirst: 'c*' } },
      ),
      events,
      expected: [
        match({ 'a or c': ids('a'), 'b or c': ids('b'), 'c*': ids('c1', 'c2', 'c3'), d: ids('d') }),
        match({ 'a or c': ids('c1'), 'b or c': ids('c2'), 'c*': ids('c3'), d: ids('d') }),
      ],
    };
  }),

  defineCase(S, 'testSkipBeforeOtherAlreadyCompleted', (name) => {
    const { events, ids } = feed([
      ['a1', 'a1', 0.0],
      ['c1', 'c1', 0.0],
      ['a2', 'a2', 1.0],
      ['c2', 'c2', 0.0],
      ['b1', 'b1', 1.0],
      ['b2', 'b2', 0.0],
    ]);
    return {
      pattern: pattern(
        name,
        [
          { name: 'a', where: has('a') },
          { name: 'c', contiguity: 'followedBy', where: has('c') },
          {
            name: 'b',
            contiguity: 'followedBy',
            // Flink: contains("b") && ctx.getEventsForPattern("a").iterator().next().getPrice() == value.getPrice()
            where: all(has('b'), stageAgg('a', 'first', 'equal', { fact: 'price' }, { field: 'price' })),
          },
        ],
        { afterMatch: { skipToFirst: 'c' } },
      ),
      events,
      expected: [
        match({ a: ids('a1'), c: ids('c1'), b: ids('b2') }),
        match({ a: ids('a2'), c: ids('c2'), b: ids('b1') }),
      ],
    };
  }),
];
