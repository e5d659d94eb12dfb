import { describe, expect, it } from 'vitest';
import type { Decision, Reason } from '../../runtime/types.ts';
import { CatalogTally } from './CatalogTally.ts';
import { compareDeltas } from './compareDeltas.ts';
import { confusion } from './confusion.ts';
import { EventTally } from './EventTally.ts';
import { labelValue } from './labelValue.ts';
import { scoreSweep, sweepTarget } from './scoreSweep.ts';
import { DAY_MS, HOUR_MS, TimelineTally } from './timeline.ts';

describe('confusion', () => {
  it('computes precision, recall and F1 by hand', () => {
    expect(confusion(3, 1, 5, 1)).toEqual({ tp: 3, fp: 1, tn: 5, fn: 1, precision: 0.75, recall: 0.75, f1: 0.75 });
    const c = confusion(2, 0, 0, 6);
    expect(c.precision).toBe(1);
    expect(c.recall).toBe(0.25);
    expect(c.f1).toBeCloseTo(0.4, 12);
  });
  it('gives null for undefined ratios and 0 F1 when both are 0', () => {
    expect(confusion(0, 0, 4, 2)).toMatchObject({ precision: null, recall: 0, f1: null });
    expect(confusion(0, 0, 4, 0)).toMatchObject({ precision: null, recall: null, f1: null });
    expect(confusion(0, 3, 1, 2)).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });
});

describe('labelValue', () => {
  it('reads booleans, numbers and usual strings; anything else is unlabelled', () => {
    expect([true, false, 1, 0, 'true', 'FRAUD', 'no', '0'].map(labelValue)).toEqual([true, false, true, false, true, true, false, false]);
    expect([undefined, null, {}, 'maybe', Number.NaN].map(labelValue)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('scoreSweep and sweepTarget', () => {
  // Labelled scores: fraud 60, 60, 90, 0; legitimate 0, 0, 40, 60, 0.
  const pos = new Array(101).fill(0);
  const neg = new Array(101).fill(0);
  for (const s of [60, 60, 90, 0]) pos[s]++;
  for (const s of [0, 0, 40, 60, 0]) neg[s]++;
  const sweep = scoreSweep(pos, neg);

  it('flags score ≥ threshold at every integer threshold', () => {
    expect(sweep).toHaveLength(101);
    expect(sweep[0]).toEqual({ threshold: 0, precision: 4 / 9, recall: 1, flagged: 9 });
    expect(sweep[1]).toEqual({ threshold: 1, precision: 3 / 5, recall: 0.75, flagged: 5 });
    expect(sweep[41]).toEqual({ threshold: 41, precision: 0.75, recall: 0.75, flagged: 4 });
    expect(sweep[60]).toEqual({ threshold: 60, precision: 0.75, recall: 0.75, flagged: 4 });
    expect(sweep[61]).toEqual({ threshold: 61, precision: 1, recall: 0.25, flagged: 1 });
    expect(sweep[91]).toEqual({ threshold: 91, precision: null, recall: 0, flagged: 0 });
  });

  it('finds the lowest threshold reaching a precision and the highest keeping a recall', () => {
    expect(sweepTarget(sweep, 'precision', 0.9)).toEqual({ metric: 'precision', target: 0.9, threshold: 61, precision: 1, recall: 0.25 });
    expect(sweepTarget(sweep, 'precision', 0.7)).toMatchObject({ threshold: 41 });
    expect(sweepTarget(sweep, 'recall', 0.75)).toEqual({ metric: 'recall', target: 0.75, threshold: 60, precision: 0.75, recall: 0.75 });
    expect(sweepTarget(sweep, 'recall', 1)).toMatchObject({ threshold: 0 });
    expect(sweepTarget(scoreSweep(new Array(101).fill(0), neg), 'recall', 0.5)).toEqual({ metric: 'recall', target: 0.5, threshold: null, precision: null, recall: null });
  });
});

describe('TimelineTally', () => {
  const T0 = Date.UTC(2026, 0, 1);
  it('buckets by hour over short spans, contiguous, with empty hours', () => {
    const t = new TimelineTally();
    t.add(T0 + 10, 0);
    t.add(T0 + 2 * HOUR_MS + 5, 2);
    t.add(T0 + 2 * HOUR_MS + 6, 1);
    expect(t.finish()).toEqual({
      bucketMs: HOUR_MS,
      buckets: [
        { start: T0, allow: 1, review: 0, deny: 0 },
        { start: T0 + HOUR_MS, allow: 0, review: 0, deny: 0 },
        { start: T0 + 2 * HOUR_MS, allow: 0, review: 1, deny: 1 },
      ],
    });
  });
  it('buckets by day beyond 7 days, and keeps at most 1,000 buckets', () => {
    const t = new TimelineTally();
    t.add(T0, 0);
    t.add(T0 + 10 * DAY_MS + 1, 1);
    const days = t.finish();
    expect(days.bucketMs).toBe(DAY_MS);
    expect(days.buckets).toHaveLength(11);
    const long = new TimelineTally();
    long.add(T0, 0);
    long.add(T0 + 5000 * DAY_MS, 0);
    const l = long.finish();
    expect(l.buckets.length).toBeLessThanOrEqual(1000);
    expect(l.buckets.reduce((n, b) => n + b.allow, 0)).toBe(2);
  });
  it('is empty without events', () => {
    expect(new TimelineTally().finish()).toEqual({ bucketMs: HOUR_MS, buckets: [] });
  });
});

const reason = (rule: string, action: Reason['action'], score = 50): Reason => ({ rule, version: 1, action, score, reason: 'R' });
const decision = (d: Decision['decision'], score: number, reasons: Reason[], shadow: Reason[] = []): Decision => ({
  eventId: 'x',
  key: 'k',
  decision: d,
  score,
  reasons,
  shadow,
  matches: [],
  catalogVersion: 'c',
  latencyMs: 0,
});

describe('CatalogTally', () => {
  it('counts rule hits, precision over the types a rule applies to, and unique catches', () => {
    const events = new EventTally();
    const tally = new CatalogTally(
      [
        { id: 'a', version: 1, mode: 'enforce', action: 'review', appliesTo: ['transaction'] },
        { id: 'b', version: 1, mode: 'enforce', action: 'flag' },
        { id: 'ok', version: 1, mode: 'enforce', action: 'allow' },
        { id: 's', version: 1, mode: 'shadow', action: 'deny' },
      ],
      [],
    );
    const feed = (type: string, label: -1 | 0 | 1, d: Decision) => {
      events.add(type, label);
      tally.add(d, label);
    };
    feed('transaction', 1, decision('review', 60, [reason('a', 'review'), reason('ok', 'allow')])); // a: unique (allow rules do not catch)
    feed('transaction', 1, decision('review', 60, [reason('a', 'review'), reason('b', 'flag')])); // shared
    feed('transaction', 0, decision('review', 60, [reason('a', 'review')]));
    feed('transaction', 1, decision('allow', 0, [], [reason('s', 'deny')])); // s: unique
    feed('login', 0, decision('allow', 30, [reason('b', 'flag')]));
    feed('login', -1, decision('allow', 30, [reason('b', 'flag')]));
    const stats = tally.ruleStats(events, true);
    const a = stats.find((r) => r.id === 'a')!;
    expect(a).toMatchObject({ hits: 3, hitRate: 3 / 4, uniqueCatches: 1 });
    expect(a.confusion).toMatchObject({ tp: 2, fp: 1, fn: 1, tn: 0 });
    const b = stats.find((r) => r.id === 'b')!;
    expect(b).toMatchObject({ hits: 3, hitRate: 3 / 6, uniqueCatches: 0 });
    expect(b.confusion).toMatchObject({ tp: 1, fp: 1, fn: 2, tn: 1 });
    expect(stats.find((r) => r.id === 'ok')).toMatchObject({ hits: 1, uniqueCatches: null });
    expect(stats.find((r) => r.id === 's')).toMatchObject({ mode: 'shadow', hits: 1, uniqueCatches: 1 });
    expect(tally.decisionConfusion(true)).toMatchObject({ tp: 2, fp: 1, fn: 1, tn: 1 });
    expect(tally.decisions).toEqual({ allow: 3, review: 3, deny: 0 });
    expect(tally.ruleStats(events, false)[0]).toMatchObject({ confusion: null, uniqueCatches: null });
  });
});

describe('compareDeltas', () => {
  it('subtracts champion from challenger, keeps one-sided metrics with a null delta', () => {
    const a = new Map<string, number | null>([['x', 3], ['p', null], ['only.a', 1]]);
    const b = new Map<string, number | null>([['x', 5], ['p', 0.5], ['only.b', 2]]);
    expect(compareDeltas(a, b)).toEqual([
      { metric: 'x', champion: 3, challenger: 5, delta: 2 },
      { metric: 'p', champion: null, challenger: 0.5, delta: null },
      { metric: 'only.a', champion: 1, challenger: null, delta: null },
      { metric: 'only.b', champion: null, challenger: 2, delta: null },
    ]);
  });
});
