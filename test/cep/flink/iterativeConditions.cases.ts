// Port of FlinkCEP IterativeConditionsITCase (IterativeCondition → the `$stage` fact, spec §7).
// All 7 test methods of the upstream file (the version with these tests) are ported.
// Flink's conditions sum `ctx.getEventsForPattern(stage)` prices, sometimes adding the event under
// test: that is `agg: "sum"` with `includeCurrent: true`. `subtype(SubEvent.class)` is implied by the
// `foo` name prefix, which only the SubEvents carry.

import {
  all,
  defineCase,
  feed,
  is,
  match,
  pattern,
  stageAgg,
  startsWith,
  type FlinkCase,
  type Row,
} from './flinkCase.ts';

const S = 'IterativeConditionsITCase';

const s1 = (ts: number): Row => ['s1', 'start', 1.0, ts];
const s2 = (ts: number): Row => ['s2', 'start', 2.0, ts];
const s3 = (ts: number): Row => ['s3', 'start', 3.0, ts];
const s4 = (ts: number): Row => ['s4', 'start', 4.0, ts];
const m1 = (ts: number): Row => ['m1', 'foo1', 1.0, ts, { volume: 10 }];
const m2 = (ts: number): Row => ['m2', 'foo2', 2.0, ts, { volume: 10 }];
const m3 = (ts: number): Row => ['m3', 'foo3', 3.0, ts, { volume: 10 }];
const m4 = (ts: number): Row => ['m4', 'foo4', 1.0, ts, { volume: 10 }];
const nextOne = (ts: number): Row => ['next', 'next-one', 1.0, ts];
const end = (ts: number): Row => ['end', 'end', 1.0, ts];

/** MySubeventIterCondition: name starts with "foo" and sum(middle) + price < 5. */
const SUBEVENT_ITER = all(
  startsWith('foo'),
  stageAgg('middle', 'sum', 'lessThan', 5.0, { field: 'price', includeCurrent: true }),
);
/** MyEventIterCondition: name is "start" and sum(start) + price < 5. */
const EVENT_ITER = all(is('start'), stageAgg('start', 'sum', 'lessThan', 5.0, { field: 'price', includeCurrent: true }));
/** name is "end" and sum(start) >= 2. */
const END_AFTER_START_SUM_2 = all(is('end'), stageAgg('start', 'sum', 'greaterThanInclusive', 2.0, { field: 'price' }));

const endStage = { name: 'end', contiguity: 'followedBy', where: is('end') };

function branching(name: string, eager: boolean) {
  const f = feed([s1(1), m1(2), m2(3), s2(4), m3(5), m4(5), nextOne(6), end(8)]);
  const p = pattern(name, [
    { name: 'start', where: is('start') },
    {
      name: 'middle',
      contiguity: 'followedBy',
      where: SUBEVENT_ITER,
      times: { min: 1 },
      ...(eager ? {} : { inner: 'any' }),
    },
    endStage,
  ]);
  return { ...f, pattern: p };
}

function loopingStart(name: string, eager: boolean) {
  const f = feed([s1(1), s2(2), s3(3), end(4)]);
  const p = pattern(name, [
    { name: 'start', where: EVENT_ITER, times: { min: 1 }, optional: true, ...(eager ? {} : { inner: 'any' }) },
    endStage,
  ]);
  return { ...f, pattern: p };
}

export const iterativeConditionsCases: FlinkCase[] = [
  defineCase(S, 'testIterativeWithBranchingPatternEager', (name) => {
    const { events, ids, pattern: p } = branching(name, true);
    const m = (start: string, ...middle: string[]) =>
      match({ start: ids(start), middle: ids(...middle), end: ids('end') });
    return {
      pattern: p,
      events,
      expected: [m('s1', 'm1', 'm2', 'm4'), m('s1', 'm1', 'm2'), m('s1', 'm1'), m('s2', 'm3', 'm4'), m('s2', 'm3')],
    };
  }),

  defineCase(S, 'testIterativeWithBranchingPatternCombinations', (name) => {
    const { events, ids, pattern: p } = branching(name, false);
    const m = (start: string, ...middle: string[]) =>
      match({ start: ids(start), middle: ids(...middle), end: ids('end') });
    return {
      pattern: p,
      events,
      expected: [
        m('s1', 'm1', 'm2', 'm4'),
        m('s1', 'm1', 'm2'),
        m('s1', 'm1', 'm3'),
        m('s2', 'm3', 'm4'),
        m('s1', 'm1', 'm4'),
        m('s1', 'm1'),
        m('s2', 'm3'),
      ],
    };
  }),

  defineCase(S, 'testIterativeWithLoopingStartingEager', (name) => {
    const { events, ids, pattern: p } = loopingStart(name, true);
    const m = (...start: string[]) => match({ ...(start.length > 0 ? { start: ids(...start) } : {}), end: ids('end') });
    return { pattern: p, events, expected: [m('s1', 's2'), m('s1'), m('s2'), m('s3'), m()] };
  }),

  defineCase(S, 'testIterativeWithLoopingStartingCombination', (name) => {
    const { events, ids, pattern: p } = loopingStart(name, false);
    const m = (...start: string[]) => match({ ...(start.length > 0 ? { start: ids(...start) } : {}), end: ids('end') });
    return { pattern: p, events, expected: [m('s1', 's2'), m('s1', 's3'), m('s1'), m('s2'), m('s3'), m()] };
  }),

  defineCase(S, 'testIterativeWithPrevPatternDependency', (name) => {
    const { events, ids } = feed([s1(1), s2(2), end(4)]);
    return {
      pattern: pattern(name, [
        { name: 'start', where: is('start'), times: { min: 1 } },
        { name: 'end', contiguity: 'followedBy', where: END_AFTER_START_SUM_2 },
      ]),
      events,
      expected: [match({ start: ids('s1', 's2'), end: ids('end') }), match({ start: ids('s2'), end: ids('end') })],
    };
  }),

  defineCase(S, 'testIterativeWithABACPattern', (name) => {
    const { events, ids } = feed([s1(1), m1(2), s2(2), s3(2), m2(2), s4(2), m3(2), m4(2), end(4)]);
    const m = (start: string, middle1: string, ...middle2: string[]) =>
      match({ start: ids(start), middle1: ids(middle1), middle2: ids(...middle2), end: ids('end') });
    return {
      pattern: pattern(name, [
        { name: 'start', where: is('start') },
        { name: 'middle1', contiguity: 'followedByAny', where: startsWith('foo') },
        {
          name: 'middle2',
          contiguity: 'followedBy',
          // name is "start" and sum(middle2) + price <= 5
          where: all(
            is('start'),
            stageAgg('middle2', 'sum', 'lessThanInclusive', 5.0, { field: 'price', includeCurrent: true }),
          ),
          times: { min: 1 },
        },
        endStage,
      ]),
      events,
      expected: [
        m('s1', 'm1', 's2', 's3'),
        m('s1', 'm1', 's2'),
        m('s1', 'm2', 's4'),
        m('s2', 'm2', 's4'),
        m('s3', 'm2', 's4'),
      ],
    };
  }),

  defineCase(S, 'testIterativeWithPrevPatternDependencyAfterBranching', (name) => {
    const { events, ids } = feed([s1(1), s2(2), m1(4), s3(5), m2(6), end(7)]);
    const m = (middle1: string, ...start: string[]) =>
      match({ start: ids(...start), middle1: ids(middle1), end: ids('end') });
    return {
      pattern: pattern(name, [
        { name: 'start', where: is('start'), times: { min: 1 } },
        { name: 'middle1', contiguity: 'followedByAny', where: startsWith('foo') },
        { name: 'end', contiguity: 'followedByAny', where: END_AFTER_START_SUM_2 },
      ]),
      events,
      expected: [
        m('m1', 's1', 's2'),
        m('m1', 's2'),
        m('m2', 's1', 's2'),
        m('m2', 's1', 's2', 's3'),
        m('m2', 's2', 's3'),
        m('m2', 's2'),
        m('m2', 's3'),
      ],
    };
  }),
];
