// Port of FlinkCEP GroupITCase (GroupPattern → a stage with `"group"`, spec §3.4).
// All 18 test methods of the upstream file are ported. Flink's groups have no name of their own;
// the group stages are named 'group' ('outer' / 'inner' when nested). Matches report events under
// the inner stage names, as Flink does. testGroupFollowedByOneOrMoreWithUntilCondition also asserts
// Flink's internal partial-match count, which is not ported.

import { defineCase, feed, is, match, pattern, type FlinkCase, type Row } from './flinkCase.ts';

const S = 'GroupITCase';

const start = (name: string) => ({ name: 'start', where: is(name) });
const end = (name: string) => ({ name: 'end', contiguity: 'followedBy', where: is(name) });
/** (a followedBy b) as group stage 'group' with the given contiguity and options. */
const ab = (contiguity: string | undefined, extra: Record<string, unknown> = {}) => ({
  name: 'group',
  ...(contiguity === undefined ? {} : { contiguity }),
  ...extra,
  group: [
    { name: 'middle1', where: is('a') },
    { name: 'middle2', contiguity: 'followedBy', where: is('b') },
  ],
});

// c a b a b d
const cababd = (): Row[] => [
  ['c', 'c', 1.0, 1],
  ['a1', 'a', 2.0, 2],
  ['b1', 'b', 3.0, 3],
  ['a2', 'a', 4.0, 4],
  ['b2', 'b', 5.0, 5],
  ['d', 'd', 6.0, 6],
];
// c a b a b a b d
const cabababd = (): Row[] => [
  ['c', 'c', 1.0, 1],
  ['a1', 'a', 2.0, 2],
  ['b1', 'b', 3.0, 3],
  ['a2', 'a', 4.0, 4],
  ['b2', 'b', 5.0, 5],
  ['a3', 'a', 4.0, 6],
  ['b3', 'b', 5.0, 7],
  ['d', 'd', 6.0, 8],
];

/** start c, middle1 = as, middle2 = bs, end d. */
function cAbD(ids: (...l: string[]) => string[], pairs: number[]) {
  return match({
    start: ids('c'),
    ...(pairs.length > 0
      ? { middle1: ids(...pairs.map((i) => `a${i}`)), middle2: ids(...pairs.map((i) => `b${i}`)) }
      : {}),
    end: ids('d'),
  });
}

// d a b c b c b c a b c b c b c e (testGroupNestTimes); `breaking` optionally after c4
function nestTimesRows(withBreak: boolean): Row[] {
  const rows: Row[] = [
    ['d', 'd', 1.0],
    ['a1', 'a', 2.0],
    ['b1', 'b', 3.0],
    ['c1', 'c', 4.0],
    ['b2', 'b', 5.0],
    ['c2', 'c', 4.0],
    ['b3', 'b', 5.0],
    ['c3', 'c', 4.0],
    ['a2', 'a', 2.0],
    ['b4', 'b', 3.0],
    ['c4', 'c', 4.0],
    ...(withBreak ? ([['breaking', 'breaking', 99.0]] as Row[]) : []),
    ['b5', 'b', 5.0],
    ['c5', 'c', 4.0],
    ['b6', 'b', 5.0],
    ['c6', 'c', 4.0],
    ['e', 'e', 6.0],
  ];
  return rows.map(([label, name, price], i) => [label, name, price, i + 1]);
}

// d any (a (b c){3}){0,2} e, optionally consecutive at both levels
function nestTimesPattern(name: string, consecutive: boolean) {
  const strict = consecutive ? { inner: 'strict' } : {};
  return pattern(name, [
    start('d'),
    {
      name: 'outer',
      contiguity: 'followedByAny',
      times: { min: 0, max: 2 },
      ...strict,
      group: [
        { name: 'middle1', where: is('a') },
        {
          name: 'inner',
          contiguity: 'followedBy',
          times: 3,
          ...strict,
          group: [
            { name: 'middle2', where: is('b') },
            { name: 'middle3', contiguity: 'followedBy', where: is('c') },
          ],
        },
      ],
    },
    end('e'),
  ]);
}

export const groupCases: FlinkCase[] = [
  defineCase(S, 'testGroupFollowedByTimes', (name) => {
    const { events, ids } = feed(cababd());
    return {
      pattern: pattern(name, [start('c'), ab('followedBy', { times: 2 }), end('d')]),
      events,
      expected: [cAbD(ids, [1, 2])],
    };
  }),

  defineCase(S, 'testGroupFollowedByOptional', (name) => {
    const { events, ids } = feed([
      ['c', 'c', 1.0, 1],
      ['a1', 'a', 2.0, 2],
      ['a2', 'a', 2.0, 3],
      ['b', 'b', 3.0, 4],
      ['d', 'd', 4.0, 5],
    ]);
    return {
      pattern: pattern(name, [start('c'), ab('followedBy', { optional: true }), end('d')]),
      events,
      expected: [
        match({ start: ids('c'), end: ids('d') }),
        match({ start: ids('c'), middle1: ids('a1'), middle2: ids('b'), end: ids('d') }),
      ],
    };
  }),

  defineCase(S, 'testFollowedByGroupTimesOptional', (name) => {
    const { events, ids } = feed([
      ['c', 'c', 1.0, 1],
      ['a', 'a', 2.0, 2],
      ['d', 'd', 3.0, 3],
    ]);
    return {
      pattern: pattern(name, [start('c'), ab('followedBy', { times: 2, optional: true }), end('d')]),
      events,
      expected: [match({ start: ids('c'), end: ids('d') })],
    };
  }),

  defineCase(S, 'testGroupFollowedByOneOrMore', (name) => {
    const { events, ids } = feed(cababd());
    return {
      pattern: pattern(name, [start('c'), ab('followedBy', { times: { min: 1 } }), end('d')]),
      events,
      expected: [cAbD(ids, [1]), cAbD(ids, [1, 2])],
    };
  }),

  defineCase(S, 'testGroupFollowedByZeroOrMore', (name) => {
    const { events, ids } = feed(cababd());
    return {
      pattern: pattern(name, [start('c'), ab('followedBy', { times: { min: 1 }, optional: true }), end('d')]),
      events,
      expected: [cAbD(ids, []), cAbD(ids, [1]), cAbD(ids, [1, 2])],
    };
  }),

  defineCase(S, 'testGroupFollowedByAnyTimesCombinations', (name) => {
    const { events, ids } = feed(cabababd());
    return {
      pattern: pattern(name, [start('c'), ab('followedByAny', { times: 2, inner: 'any' }), end('d')]),
      events,
      expected: [cAbD(ids, [1, 2]), cAbD(ids, [1, 3]), cAbD(ids, [2, 3])],
    };
  }),

  defineCase(S, 'testGroupFollowedByAnyTimesOptional', (name) => {
    const { events, ids } = feed(cabababd());
    return {
      pattern: pattern(name, [start('c'), ab('followedByAny', { times: 2, optional: true }), end('d')]),
      events,
      expected: [cAbD(ids, []), cAbD(ids, [1, 2]), cAbD(ids, [2, 3])],
    };
  }),

  defineCase(S, 'testGroupFollowedByAnyOneOrMore', (name) => {
    const { events, ids } = feed(cabababd());
    return {
      pattern: pattern(name, [start('c'), ab('followedByAny', { times: { min: 1 } }), end('d')]),
      events,
      expected: [
        cAbD(ids, [1]),
        cAbD(ids, [2]),
        cAbD(ids, [3]),
        cAbD(ids, [1, 2]),
        cAbD(ids, [2, 3]),
        cAbD(ids, [1, 2, 3]),
      ],
    };
  }),

  defineCase(S, 'testGroupNextZeroOrMore', (name) => {
    const { events, ids } = feed([
      ['c', 'c', 1.0, 1],
      ['a1', 'a', 2.0, 3],
      ['b1', 'b', 3.0, 4],
      ['a2', 'a', 3.0, 5],
      ['b2', 'b', 3.0, 6],
      ['a3', 'a', 4.0, 7],
      ['b3', 'b', 3.0, 8],
      ['d', 'd', 1.0, 9],
    ]);
    return {
      pattern: pattern(name, [
        start('c'),
        ab('next', { times: { min: 1 }, optional: true, inner: 'strict' }),
        end('d'),
      ]),
      events,
      expected: [cAbD(ids, []), cAbD(ids, [1]), cAbD(ids, [1, 2]), cAbD(ids, [1, 2, 3])],
    };
  }),

  ...(['notFollowedBy', 'notNext'] as const).map((negation) =>
    defineCase(S, negation === 'notFollowedBy' ? 'testGroupNotFollowedBy' : 'testGroupNotNext', (name) => {
      const { events, ids } = feed([
        ['c', 'c', 1.0, 1],
        ['a1', 'a', 2.0, 2],
        ['b1', 'b', 3.0, 3],
        ['d', 'd', 3.0, 4],
        ['a2', 'a', 4.0, 5],
        ['b2', 'b', 5.0, 6],
        ['e', 'e', 6.0, 7],
      ]);
      return {
        pattern: pattern(name, [
          start('c'),
          ab('followedByAny'),
          { name: 'notPattern', contiguity: negation, where: is('d') },
          end('e'),
        ]),
        events,
        expected: [match({ start: ids('c'), middle1: ids('a2'), middle2: ids('b2'), end: ids('e') })],
      };
    }),
  ),

  defineCase(S, 'testGroupNest', (name) => {
    const { events, ids } = feed([
      ['d', 'd', 1.0, 1],
      ['a1', 'a', 2.0, 2],
      ['b1', 'b', 3.0, 3],
      ['c1', 'c', 4.0, 4],
      ['b2', 'b', 5.0, 5],
      ['c2', 'c', 4.0, 6],
      ['e', 'e', 6.0, 7],
    ]);
    // d (a (b c)*)? e
    return {
      pattern: pattern(name, [
        start('d'),
        {
          name: 'outer',
          contiguity: 'followedBy',
          optional: true,
          group: [
            { name: 'middle1', where: is('a') },
            {
              name: 'inner',
              contiguity: 'followedBy',
              times: { min: 1 },
              optional: true,
              group: [
                { name: 'middle2', where: is('b') },
                { name: 'middle3', contiguity: 'followedBy', where: is('c') },
              ],
            },
          ],
        },
        end('e'),
      ]),
      events,
      expected: [
        match({ start: ids('d'), end: ids('e') }),
        match({ start: ids('d'), middle1: ids('a1'), end: ids('e') }),
        match({ start: ids('d'), middle1: ids('a1'), middle2: ids('b1'), middle3: ids('c1'), end: ids('e') }),
        match({
          start: ids('d'),
          middle1: ids('a1'),
          middle2: ids('b1', 'b2'),
          middle3: ids('c1', 'c2'),
          end: ids('e'),
        }),
      ],
    };
  }),

  defineCase(S, 'testGroupNestTimes', (name) => {
    const { events, ids } = feed(nestTimesRows(false));
    return {
      pattern: nestTimesPattern(name, false),
      events,
      expected: [
        match({ start: ids('d'), end: ids('e') }),
        match({
          start: ids('d'),
          middle1: ids('a1'),
          middle2: ids('b1', 'b2', 'b3'),
          middle3: ids('c1', 'c2', 'c3'),
          end: ids('e'),
        }),
        match({
          start: ids('d'),
          middle1: ids('a2'),
          middle2: ids('b4', 'b5', 'b6'),
          middle3: ids('c4', 'c5', 'c6'),
          end: ids('e'),
        }),
        match({
          start: ids('d'),
          middle1: ids('a1', 'a2'),
          middle2: ids('b1', 'b2', 'b3', 'b4', 'b5', 'b6'),
          middle3: ids('c1', 'c2', 'c3', 'c4', 'c5', 'c6'),
          end: ids('e'),
        }),
      ],
    };
  }),

  defineCase(S, 'testGroupNestTimesConsecutive', (name) => {
    const { events, ids } = feed(nestTimesRows(true));
    return {
      pattern: nestTimesPattern(name, true),
      events,
      expected: [
        match({ start: ids('d'), end: ids('e') }),
        match({
          start: ids('d'),
          middle1: ids('a1'),
          middle2: ids('b1', 'b2', 'b3'),
          middle3: ids('c1', 'c2', 'c3'),
          end: ids('e'),
        }),
      ],
    };
  }),

  defineCase(S, 'testGroupBegin', (name) => {
    const { events, ids } = feed([
      ['a1', 'a', 2.0, 1],
      ['b1', 'b', 3.0, 2],
      ['a2', 'a', 4.0, 3],
      ['b2', 'b', 5.0, 4],
      ['d', 'd', 6.0, 5],
    ]);
    // (a b){1,2} d
    return {
      pattern: pattern(name, [ab(undefined, { times: { min: 1, max: 2 } }), end('d')]),
      events,
      expected: [
        match({ middle1: ids('a1'), middle2: ids('b1'), end: ids('d') }),
        match({ middle1: ids('a2'), middle2: ids('b2'), end: ids('d') }),
        match({ middle1: ids('a1', 'a2'), middle2: ids('b1', 'b2'), end: ids('d') }),
      ],
    };
  }),

  defineCase(S, 'testGroupFollowedByOneOrMoreWithUntilCondition', (name) => {
    const { events, ids } = feed(cababd());
    return {
      pattern: pattern(name, [start('c'), ab('followedBy', { times: { min: 1 }, until: is('d') }), end('d')]),
      events,
      expected: [cAbD(ids, [1]), cAbD(ids, [1, 2])],
    };
  }),

  defineCase(S, 'testGroupStartsWithOptionalPattern', (name) => {
    const { events, ids } = feed([
      ['a', 'a', 1.0, 1],
      ['c', 'c', 2.0, 2],
      ['d', 'd', 3.0, 3],
    ]);
    // a (b? c) d
    return {
      pattern: pattern(name, [
        start('a'),
        {
          name: 'group',
          contiguity: 'next',
          group: [
            { name: 'middle1', where: is('b'), optional: true },
            { name: 'middle2', contiguity: 'next', where: is('c') },
          ],
        },
        { name: 'd', contiguity: 'next', where: is('d') },
      ]),
      events,
      expected: [match({ start: ids('a'), middle2: ids('c'), d: ids('d') })],
    };
  }),

  defineCase(S, 'testFollowedByOptionalGroupPattern', (name) => {
    const { events, ids } = feed([
      ['a', 'a', 1.0, 1],
      ['d1', 'd', 2.0, 2],
      ['d2', 'd', 3.0, 3],
    ]);
    // a -> (b c)? d
    return {
      pattern: pattern(name, [
        start('a'),
        {
          name: 'group',
          contiguity: 'followedBy',
          optional: true,
          group: [
            { name: 'middle1', where: is('b') },
            { name: 'middle2', contiguity: 'next', where: is('c') },
          ],
        },
        { name: 'd', contiguity: 'next', where: is('d') },
      ]),
      events,
      expected: [match({ start: ids('a'), d: ids('d1') })],
    };
  }),
];
