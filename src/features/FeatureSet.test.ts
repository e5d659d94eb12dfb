import { describe, expect, it } from 'vitest';
import { ArgusError } from '../errors.ts';
import type { ArgusEvent } from '../events/ArgusEvent.ts';
import { compileFeatures } from './compileFeatures.ts';
import type { FeatureSet } from './FeatureSet.ts';
import type { FeatureState } from './FeatureState.ts';
import type { FeatureDefinition, FeatureOutput } from './types.ts';
import { sumAdd, sumValue } from './exactSum.ts';

let seq = 0;
function ev(time: number, type = 'transaction', data: Record<string, unknown> = {}, key = 'u1'): ArgusEvent {
  const id = `e${++seq}`;
  return { id, type, time, key, data: { id, type, timestamp: time, ...data } };
}

/** Feeds events to one key; returns the features each event saw (and the approximate names). */
function feed(set: FeatureSet, events: ArgusEvent[], state: FeatureState = set.create()) {
  return events.map((e) => {
    const out: FeatureOutput = {};
    const approximate: string[] = [];
    set.observe(state, e, out, approximate);
    return { ...out, approximate };
  });
}
const values = (rows: ReturnType<typeof feed>, name: string) => rows.map((r) => (r as Record<string, unknown>)[name]);
const one = (def: FeatureDefinition, extra: Partial<FeatureDefinition> = {}) => compileFeatures([{ ...def, ...extra }]);

describe('what "before" means', () => {
  const set = one({ name: 'n', kind: 'count', window: 10 });

  it('counts prior events with t - window < t\' <= t; the event itself is added after', () => {
    expect(values(feed(set, [ev(100), ev(105), ev(109), ev(110), ev(120)]), 'n')).toEqual([0, 1, 2, 2, 0]);
  });

  it('counts equal timestamps processed earlier, never the event itself', () => {
    expect(values(feed(set, [ev(100), ev(100), ev(100)]), 'n')).toEqual([0, 1, 2]);
  });

  it('does not count an event processed earlier with a later timestamp', () => {
    // 108 arrives first; 104 (late) sees only 100; 109 sees all three.
    expect(values(feed(set, [ev(100), ev(108), ev(104), ev(109)]), 'n')).toEqual([0, 1, 1, 3]);
  });
});

describe('kinds', () => {
  it('count with an event-type filter and a condition filter', () => {
    const set = compileFeatures([
      { name: 'declined', kind: 'count', window: 100, eventTypes: ['transaction'], filter: { fact: 'status', operator: 'equal', value: 'declined' } },
      { name: 'matches', kind: 'count', window: 100, eventTypes: ['match:card-testing'] },
    ]);
    const rows = feed(set, [
      ev(1, 'transaction', { status: 'declined' }),
      ev(2, 'login', { status: 'declined' }),
      ev(3, 'transaction', { status: 'approved' }),
      ev(4, 'match:card-testing'),
      ev(5, 'transaction', { status: 'declined' }),
      ev(6),
    ]);
    expect(values(rows, 'declined')).toEqual([0, 1, 1, 1, 1, 2]);
    expect(values(rows, 'matches')).toEqual([0, 0, 0, 0, 1, 1]);
  });

  it('sum and avg are exact as the window slides (no drift), avg is null on an empty window', () => {
    const set = compileFeatures([
      { name: 's', kind: 'sum', field: 'amount', window: 4 },
      { name: 'a', kind: 'avg', field: 'amount', window: 4 },
    ]);
    const rows = feed(set, [ev(1, 'transaction', { amount: 0.1 }), ev(2, 'transaction', { amount: 0.2 }), ev(4, 'transaction', { amount: 'x' }), ev(5), ev(9)]);
    expect(values(rows, 's')).toEqual([0, 0.1, 0.30000000000000004, 0.2, 0]);
    expect(values(rows, 'a')).toEqual([null, 0.1, 0.15000000000000002, 0.2, null]);
  });

  it('sum, avg, min and max skip values that are not finite numbers', () => {
    const set = compileFeatures([
      { name: 'min', kind: 'min', field: 'amount', window: 100 },
      { name: 'max', kind: 'max', field: 'amount', window: 100 },
      { name: 'sum', kind: 'sum', field: 'amount', window: 100 },
    ]);
    const rows = feed(set, [ev(1, 'transaction', { amount: '500' }), ev(2, 'transaction', { amount: null }), ev(3, 'transaction', { amount: 7 }), ev(4)]);
    expect(rows[3]).toMatchObject({ min: 7, max: 7, sum: 7 });
  });

  it('min and max over a long sliding window, in and out of order, equal a scan', () => {
    const set = compileFeatures([
      { name: 'min', kind: 'min', field: 'v', window: 50, allowedLateness: 1000 },
      { name: 'max', kind: 'max', field: 'v', window: 50, allowedLateness: 1000 },
    ]);
    const state = set.create();
    const history: { t: number; v: number }[] = [];
    let t = 0;
    let x = 12345;
    for (let i = 0; i < 3000; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      t += i % 7 === 3 ? -(x % 40) : x % 20; // some events late
      t = Math.max(0, t);
      const v = (x >> 8) % 1000;
      const out: FeatureOutput = {};
      expect(set.observe(state, ev(t, 'transaction', { v }), out)).toBe(true);
      const win = history.filter((h) => h.t <= t && h.t > t - 50).map((h) => h.v);
      expect([out.min, out.max]).toEqual(win.length === 0 ? [null, null] : [Math.min(...win), Math.max(...win)]);
      history.push({ t, v });
    }
  });

  it('distinctCount counts distinct values in the window', () => {
    const set = one({ name: 'cards', kind: 'distinctCount', field: 'card.fp', window: 10 });
    const rows = feed(set, [
      ev(1, 'transaction', { card: { fp: 'a' } }),
      ev(2, 'transaction', { card: { fp: 'b' } }),
      ev(3, 'transaction', { card: { fp: 'a' } }),
      ev(4, 'transaction', { card: {} }),
      ev(12),
      ev(14),
    ]);
    expect(values(rows, 'cards')).toEqual([0, 1, 2, 2, 1, 0]);
  });

  it('last gives the latest value by time (ties: later processed), ignoring events without the field', () => {
    const set = one({ name: 'country', kind: 'last', field: 'country' });
    const rows = feed(set, [ev(10, 'transaction', { country: 'FR' }), ev(10, 'transaction', { country: 'DE' }), ev(11), ev(5, 'transaction', { country: 'US' }), ev(12)]);
    expect(values(rows, 'country')).toEqual([null, 'FR', 'DE', null, 'DE']);
  });

  it('timeSince measures from the latest prior matching event, also for a late event', () => {
    const set = one({ name: 'since', kind: 'timeSince', eventTypes: ['login'] });
    const rows = feed(set, [ev(100, 'login'), ev(150), ev(200, 'login'), ev(180), ev(250)]);
    expect(values(rows, 'since')).toEqual([null, 50, 100, 80, 50]);
  });

  it('timeSince and last with a window are null once the last event is out of it', () => {
    const set = one({ name: 'since', kind: 'timeSince', window: 60 });
    expect(values(feed(set, [ev(100), ev(159), ev(220)]), 'since')).toEqual([null, 59, null]);
  });

  it('age is the time since the key\'s earliest prior event', () => {
    const set = one({ name: 'age', kind: 'age' });
    expect(values(feed(set, [ev(1000), ev(1500), ev(800), ev(900), ev(2000)]), 'age')).toEqual([null, 500, null, 100, 1200]);
  });

  it('seen tests the current event\'s value against the history, with or without a window', () => {
    const set = compileFeatures([
      { name: 'ever', kind: 'seen', field: 'device' },
      { name: 'recent', kind: 'seen', field: 'device', window: 100 },
    ]);
    const rows = feed(set, [ev(0, 'login', { device: 'd1' }), ev(10, 'login', { device: 'd1' }), ev(20, 'login', { device: 'd2' }), ev(200, 'login', { device: 'd1' }), ev(210, 'login')]);
    expect(values(rows, 'ever')).toEqual([false, true, false, true, null]);
    expect(values(rows, 'recent')).toEqual([false, true, false, false, null]);
  });

  it('seen does not count a sighting with a later timestamp', () => {
    const set = one({ name: 'ever', kind: 'seen', field: 'device' });
    expect(values(feed(set, [ev(50, 'login', { device: 'd1' }), ev(40, 'login', { device: 'd1' }), ev(45, 'login', { device: 'd1' })]), 'ever')).toEqual([false, false, true]);
  });
});

describe('the cap (maxEntries)', () => {
  it('drops the oldest entries and flags values that reach back to them as approximate', () => {
    const set = one({ name: 'n', kind: 'count', window: 1000, maxEntries: 3 });
    const state = set.create();
    const rows = feed(set, [ev(1), ev(2), ev(3), ev(4), ev(5)], state);
    expect(values(rows, 'n')).toEqual([0, 1, 2, 3, 3]);
    expect(rows.map((r) => r.approximate)).toEqual([[], [], [], [], ['n']]);
    expect(set.describe(state, 6).n).toMatchObject({ value: 3, exact: false, entries: 3, dropped: 2 });
    // once the dropped entries are out of the window, values are exact again
    expect(feed(set, [ev(1003)], state)[0]).toEqual({ n: 2, approximate: [] });
  });

  it('seen without a window forgets the least recently seen value and flags false answers', () => {
    const set = one({ name: 'seen', kind: 'seen', field: 'd', maxEntries: 2 });
    const rows = feed(set, [ev(1, 'x', { d: 'a' }), ev(2, 'x', { d: 'b' }), ev(3, 'x', { d: 'a' }), ev(4, 'x', { d: 'c' }), ev(5, 'x', { d: 'a' }), ev(6, 'x', { d: 'b' })]);
    // at 4, "c" is new and pushes out "b" (least recently seen): "a" is still known, "b" is not
    expect(values(rows, 'seen')).toEqual([false, false, true, false, true, false]);
    expect(rows[5]!.approximate).toEqual(['seen']);
    expect(rows[4]!.approximate).toEqual([]); // a true answer is always right
  });

  it('seen without a window keeps exactly the most recently seen values through many evictions', () => {
    const set = one({ name: 'seen', kind: 'seen', field: 'd', maxEntries: 10 });
    let x = 7;
    const events = Array.from({ length: 3000 }, (_, i) => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return ev(i + 1, 'x', { d: `v${x % 40}` });
    });
    const lru: string[] = []; // reference: least recently seen first
    const expected = events.map((e) => {
      const d = e.data.d as string;
      const at = lru.indexOf(d);
      if (at >= 0) lru.splice(at, 1);
      lru.push(d);
      if (lru.length > 10) lru.shift();
      return at >= 0;
    });
    expect(values(feed(set, events), 'seen')).toEqual(expected);
  });
});

describe('lateness', () => {
  it('is exact within allowedLateness, flagged beyond it', () => {
    const set = one({ name: 'n', kind: 'count', window: 10, allowedLateness: 5 });
    const state = set.create();
    feed(set, [ev(100), ev(105), ev(130)], state);
    expect(feed(set, [ev(126)], state)[0]).toEqual({ n: 0, approximate: [] }); // within 5 of 130: exact
    expect(feed(set, [ev(110)], state)[0]).toEqual({ n: 0, approximate: ['n'] }); // 100 and 105 were dropped
  });
});

describe('state', () => {
  const defs: FeatureDefinition[] = [
    { name: 'n', kind: 'count', window: 100 },
    { name: 's', kind: 'sum', field: 'amount', window: 100 },
    { name: 'mx', kind: 'max', field: 'amount', window: 100 },
    { name: 'd', kind: 'distinctCount', field: 'card', window: 100 },
    { name: 'l', kind: 'last', field: 'card' },
    { name: 'ts', kind: 'timeSince' },
    { name: 'age', kind: 'age' },
    { name: 'seen', kind: 'seen', field: 'card' },
    { name: 'seenw', kind: 'seen', field: 'card', window: 50 },
  ];
  const stream = (n: number, t0 = 0) =>
    Array.from({ length: n }, (_, i) => ev(t0 + i * 7 - (i % 5 === 4 ? 20 : 0), 'transaction', { amount: (i % 13) / 10, card: `c${i % 4}` }));

  it('round-trips through JSON: the decoded state gives the same values from then on', () => {
    const set = compileFeatures(defs);
    const a = set.create();
    feed(set, stream(60), a);
    const text = JSON.stringify(a); // FeatureState has toJSON
    const b = set.load(JSON.parse(text));
    expect(JSON.stringify(b)).toBe(text);
    const later = stream(40, 400);
    expect(feed(set, later, b)).toEqual(feed(set, later, a));
  });

  it('load takes undefined, its own state, or JSON; evaluate refuses another set\'s state', () => {
    const set = compileFeatures(defs);
    const other = compileFeatures(defs);
    const s = set.create();
    expect(set.load(s)).toBe(s);
    expect(set.size(set.load(undefined))).toBe(0);
    expect(() => other.evaluate(s, ev(1), {})).toThrow(ArgusError);
    expect(() => set.load({ v: 2 })).toThrow(/feature state/);
    expect(() => set.load({ v: 1, f: { [set.definitionHash('n')!]: { c: 1, l: null, t: [5, 3] } } })).toThrow(/feature state/);
  });

  it('expiry releases every entry once all windows have passed', () => {
    const set = compileFeatures(defs.filter((d) => d.window !== undefined));
    const state = set.create();
    feed(set, stream(200), state);
    expect(set.size(state)).toBeGreaterThan(0);
    set.expire(state, 10_000_000);
    expect(set.size(state)).toBe(0);
    expect(set.isEmpty(state)).toBe(true);
    expect(JSON.stringify(state).length).toBeLessThan(400);
  });

  it('update keeps only what windows and lateness need (bounded without expire)', () => {
    const set = one({ name: 'n', kind: 'count', window: 1000, allowedLateness: 0 });
    const state = set.create();
    for (let t = 0; t < 100_000; t += 10) set.update(state, ev(t));
    expect(set.size(state)).toBe(100);
  });

  it('a reload keeps the state of unchanged definitions, renamed or not, and resets changed ones', () => {
    const v1 = compileFeatures([
      { name: 'n', kind: 'count', window: 100 },
      { name: 's', kind: 'sum', field: 'amount', window: 100 },
    ]);
    const state = v1.create();
    feed(v1, [ev(1, 'transaction', { amount: 5 }), ev(2, 'transaction', { amount: 6 })], state);
    const v2 = compileFeatures([
      { name: 'count_renamed', kind: 'count', window: 100, description: 'text changes do not matter' },
      { name: 's', kind: 'sum', field: 'amount', window: 200 },
    ]);
    expect(v2.definitionHash('count_renamed')).toBe(v1.definitionHash('n'));
    expect(v2.definitionHash('s')).not.toBe(v1.definitionHash('s'));
    for (const migrated of [v2.load(state), v2.load(JSON.parse(JSON.stringify(state)))]) {
      expect(feed(v2, [ev(3)], migrated)[0]).toEqual({ count_renamed: 2, s: 0, approximate: [] });
    }
  });

  it('describe shows values at a time without changing the state', () => {
    const set = compileFeatures(defs);
    const state = set.create();
    feed(set, stream(10), state);
    const before = JSON.stringify(state);
    const d = set.describe(state, 70);
    expect(d.n).toEqual({ kind: 'count', value: 10, exact: true, entries: 10, dropped: 0 });
    expect(d.age!.value).toBe(70);
    expect(d.seen!.value).toBe(4); // distinct values remembered
    expect(JSON.stringify(state)).toBe(before);
  });
});

describe('state format', () => {
  const defs: FeatureDefinition[] = [
    { name: 'n', kind: 'count', window: 100, allowedLateness: 10 },
    { name: 's', kind: 'sum', field: 'amount', window: 50, allowedLateness: 10 },
  ];

  it('reads a version-1 state (one slot per feature) and goes on from it', () => {
    const set = compileFeatures(defs);
    const v1 = {
      v: 1,
      f: {
        [set.definitionHash('n')!]: { c: 40, l: -60, t: [10, 20, 40] },
        [set.definitionHash('s')!]: { c: 40, l: -10, t: [20, 40], v: [2.5, 4] },
      },
    };
    const state = set.load(v1);
    expect(feed(set, [ev(45, 'transaction', { amount: 1 }), ev(75)], state)).toEqual([
      { n: 3, s: 6.5, approximate: [] },
      { n: 4, s: 5, approximate: [] },
    ]);
    // once the old windows are over, both features share one log again
    feed(set, [ev(500, 'transaction', { amount: 1 })], state);
    expect((JSON.parse(JSON.stringify(state)) as { l: unknown[] }).l).toHaveLength(1);
    expect(feed(set, [ev(510)], state)[0]).toEqual({ n: 1, s: 1, approximate: [] });
  });

  it('a feature added to a group at a reload starts empty, and joins the shared log after its window', () => {
    const v1 = compileFeatures([defs[0]!]);
    const state = v1.create();
    feed(v1, [ev(10, 'transaction', { amount: 3 }), ev(20, 'transaction', { amount: 4 })], state);
    const v2 = compileFeatures(defs);
    const moved = v2.load(JSON.parse(JSON.stringify(state)));
    expect(feed(v2, [ev(30, 'transaction', { amount: 5 }), ev(40)], moved)).toEqual([
      { n: 2, s: 0, approximate: [] },
      { n: 3, s: 5, approximate: [] },
    ]);
    expect((JSON.parse(JSON.stringify(moved)) as { l: unknown[] }).l).toHaveLength(2);
    feed(v2, [ev(200, 'transaction', { amount: 1 })], moved);
    expect((JSON.parse(JSON.stringify(moved)) as { l: unknown[] }).l).toHaveLength(1);
    expect(feed(v2, [ev(210)], moved)[0]).toEqual({ n: 1, s: 1, approximate: [] });
  });
});

describe('a feature added at a reload, after it joined the shared log', () => {
  it('never counts the entries from before the reload, even for an event later than the lateness bound', () => {
    // (the counterexample the reload property test found: seed 711730219)
    const big = { all: [{ fact: 'amount', operator: 'greaterThan', value: 10 }] };
    const group = { eventTypes: ['login', 'match:x'], filter: big, allowedLateness: 0 };
    const v1 = compileFeatures([
      { name: 'long', kind: 'count', window: 20, ...group },
      { name: 'all', kind: 'count', window: 1, allowedLateness: 0 },
    ]);
    const state = v1.create();
    feed(v1, [ev(1000, 'login', { amount: 10.01 })], state);
    const v2 = compileFeatures([
      { name: 'born', kind: 'count', window: 1, ...group },
      { name: 'long', kind: 'count', window: 20, ...group }, // kept: the group's log keeps the login
    ]);
    const moved = v2.load(state);
    v2.expire(moved, 1001);
    // an event at 1000, later than the lateness bound (the clock is 1001): the login before the
    // reload is not in this feature's history — 0, or a value flagged approximate, never 1 unflagged
    const [row] = feed(v2, [ev(1000, 'transaction', { amount: 0 })], moved);
    expect(row!.approximate.includes('born') || values([row!], 'born')[0] === 0).toBe(true);
    // and once the group's longest window (20 ms) has passed the reload, it shares the log again
    feed(v2, [ev(1030, 'login', { amount: 11 })], moved);
    expect((JSON.parse(JSON.stringify(moved)) as { l: unknown[] }).l).toHaveLength(1);
    expect(feed(v2, [ev(1030, 'login', { amount: 11 })], moved)[0]).toEqual({ born: 1, long: 1, approximate: [] });
  });
});

describe('seen with a window', () => {
  it('keeps per value its recent sightings and the latest settled one, and is exact within the lateness', () => {
    const set = one({ name: 'dev', kind: 'seen', field: 'd', window: 100, allowedLateness: 20 });
    const state = set.create();
    const rows = feed(
      set,
      [
        ev(0, 'login', { d: 'a' }),
        ev(50, 'login', { d: 'a' }),
        ev(90, 'login', { d: 'b' }),
        ev(140, 'login', { d: 'a' }), // sees 50
        ev(125, 'login', { d: 'b' }), // late by 15: sees 90
        ev(160, 'login', { d: 'a' }), // sees 140
        ev(145, 'login', { d: 'a' }), // late by 15: sees 140
      ],
      state,
    );
    expect(values(rows, 'dev')).toEqual([false, true, false, true, true, true, true]);
    expect(rows.every((r) => r.approximate.length === 0)).toBe(true);
    // a long history of few values stays a few (value, time) pairs
    for (let t = 200; t < 100_000; t += 10) set.update(state, ev(t, 'login', { d: t % 20 === 0 ? 'a' : 'b' }));
    expect(set.size(state)).toBeLessThanOrEqual(8);
    expect(feed(set, [ev(100_000, 'login', { d: 'b' })], state)[0]).toEqual({ dev: true, approximate: [] });
  });
});

describe('aggregates that outgrow their block in the arena', () => {
  it('a min/max deque longer than the block (monotonic values, some late) still equals a scan', () => {
    const set = compileFeatures([
      { name: 'min', kind: 'min', field: 'v', window: 100, allowedLateness: 1000 },
      { name: 'max', kind: 'max', field: 'v', window: 100, allowedLateness: 1000 },
    ]);
    const state = set.create();
    const history: { t: number; v: number }[] = [];
    for (let i = 0; i < 400; i++) {
      // rising then falling runs of 30: every entry of a run stays in one of the deques
      const t = i * 3 - (i % 11 === 5 ? 7 : 0);
      const v = Math.floor(i / 30) % 2 === 0 ? i % 30 : 30 - (i % 30);
      const out: FeatureOutput = {};
      set.observe(state, ev(t, 'transaction', { v }), out);
      const win = history.filter((h) => h.t <= t && h.t > t - 100).map((h) => h.v);
      expect([out.min, out.max]).toEqual(win.length === 0 ? [null, null] : [Math.min(...win), Math.max(...win)]);
      history.push({ t, v });
    }
    const text = JSON.stringify(state);
    expect(set.encodeText(set.load(JSON.parse(text)))).toBe(text);
  });

  it('a sum needing many partials (values of far-apart magnitudes) stays exact as the window slides', () => {
    const set = one({ name: 's', kind: 'sum', field: 'v', window: 10 });
    const vs = [1e300, 1, 1e-300, 3.5e200, 1e-100, 7e150, 2e100, 1e50, 1e25, 0.1, 1e-50, 1e-200, -1e300];
    const times = [...vs.map((_, i) => i), 12, 25];
    const rows = feed(set, times.map((t, i) => ev(t, 'transaction', i < vs.length ? { v: vs[i] } : {})));
    // the window (t − 10, t] of prior events, summed by the array implementation of the same algorithm
    const expected = times.map((t, i) => {
      const p: number[] = [];
      for (let j = 0; j < Math.min(i, vs.length); j++) if (times[j]! <= t && times[j]! > t - 10) sumAdd(p, vs[j]!);
      return sumValue(p);
    });
    expect(values(rows, 's')).toEqual(expected);
    expect(expected[12]).not.toBe(0); // (the partials do not cancel out)
  });
});

describe('update after evaluate', () => {
  it('gives the same history whether or not the same event was evaluated just before (seen reuses its lookup)', () => {
    const set = compileFeatures([
      { name: 'ever', kind: 'seen', field: 'd' },
      { name: 'recent', kind: 'seen', field: 'd', window: 50, allowedLateness: 5 },
    ]);
    const a = set.create();
    const b = set.create();
    const events = Array.from({ length: 200 }, (_, i) => ev(i * 3 - (i % 7 === 3 ? 4 : 0), 'login', { d: `d${(i * 7) % 5}` }));
    const other = ev(1_000, 'login', { d: 'zz' });
    for (const e of events) {
      set.observe(a, e, {}); // evaluate then update
      set.evaluate(b, e, {});
      set.evaluate(a, other, {}); // b: another state's lookup in between; a: another event's
      set.update(b, e);
    }
    expect(set.encodeText(b)).toBe(set.encodeText(a));
    expect(feed(set, [ev(700, 'login', { d: 'd2' })], b)).toEqual(feed(set, [ev(700, 'login', { d: 'd2' })], a));
  });
});

describe('encodeText', () => {
  it('writes what JSON.stringify(state) writes, also from the state itself', () => {
    const set = compileFeatures([
      { name: 'n', kind: 'count', window: 100 },
      { name: 'c', kind: 'distinctCount', field: 'card', window: 100 },
      { name: 'l', kind: 'last', field: 'card' },
      { name: 'seen', kind: 'seen', field: 'card' },
    ]);
    const state = set.create();
    expect(set.encodeText(state)).toBe(JSON.stringify(state));
    feed(set, Array.from({ length: 30 }, (_, i) => ev(i * 5, 'transaction', { card: i % 3 === 0 ? 'a"b\\\\c' : `c${i % 4}` })), state);
    expect(set.encodeText(state)).toBe(JSON.stringify(state));
    expect(state.encodeText()).toBe(JSON.stringify(state));
    expect(set.encodeText(set.load(JSON.parse(state.encodeText())))).toBe(state.encodeText());
  });
});
