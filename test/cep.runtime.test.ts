import { readFileSync, existsSync, copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../src/runtime/index.ts';
import { MetricsRegistry } from '../src/runtime/metrics.ts';
import type { Alert, LateEvent, RecordSink } from '../src/runtime/types.ts';
import { tempDir, writeJsonFiles } from './helpers/tempDir.ts';

class MemorySink<T> implements RecordSink<T> {
  records: T[] = [];
  write(r: T): void {
    this.records.push(r);
  }
  async close(): Promise<void> {}
}

const T0 = Date.UTC(2026, 0, 1, 12);
const MIN = 60_000;

/** A rule that denies when the event completed a card-testing match (matches as facts). */
const RULES = {
  'policy.json': { combine: 'max', reviewThreshold: 50, denyThreshold: 80 },
  'card-testing-match.json': {
    id: 'card-testing-match',
    version: 1,
    description: 'the event completed the card-testing pattern',
    conditions: { all: [{ fact: 'matches', path: "$['card-testing']", operator: 'greaterThan', value: 0 }] },
    event: { type: 'deny', params: { score: 90, reason: 'CARD_TESTING' } },
  },
};

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

function setup() {
  const dir = tempDir();
  const rulesDir = join(dir.path, 'rules');
  const patternsDir = join(dir.path, 'patterns');
  writeJsonFiles(rulesDir, RULES);
  mkdirSync(patternsDir);
  for (const p of ['card-testing.json', 'login-without-2fa.json']) copyFileSync(join('patterns', p), join(patternsDir, p));
  const clock = { now: T0 };
  const alerts = new MemorySink<Alert>();
  const late = new MemorySink<LateEvent>();
  let current: Engine | undefined;
  cleanups.push(dir.cleanup);
  const open = async () => {
    const engine = await createEngine({
      dataDir: join(dir.path, 'data'),
      rulesDir,
      patternsDir,
      metrics: new MetricsRegistry(),
      watermark: { outOfOrdernessMs: 1000, clock: () => clock.now },
      sinks: { alerts, late },
      startTimers: false,
    });
    current = engine;
    cleanups.push(() => engine.close());
    return engine;
  };
  return { open, clock, alerts, late, dataDir: join(dir.path, 'data'), engine: () => current! };
}

let n = 0;
const ev = (userId: string, type: string, time: number, fields: Record<string, unknown> = {}) => ({
  id: `x${++n}`,
  type,
  timestamp: time,
  userId,
  ...fields,
});

describe('patterns in the runtime', () => {
  it('reports the match an event completes, lets rules use it, and raises the alert', async () => {
    const s = setup();
    const engine = await s.open();
    const decide = (e: object) => engine.decide(engine.parser.parseValue(e));
    for (let i = 0; i < 5; i++) {
      const d = await decide(ev('card', 'transaction', T0 + i * 1000, { amount: 1 }));
      expect(d.matches).toEqual([]);
    }
    // Another user's traffic in between changes nothing for this key.
    await decide(ev('other', 'transaction', T0 + 5500, { amount: 900 }));
    const big = ev('card', 'transaction', T0 + 6000, { amount: 700 });
    const d = await decide(big);
    expect(d.matches).toHaveLength(1);
    expect(d.matches[0]!.pattern).toBe('card-testing');
    expect(d.matches[0]!.stages.large_auth).toEqual([big.id]);
    expect(d.matches[0]!.stages.small_auths).toHaveLength(5);
    expect(d.decision).toBe('deny');
    expect(d.reasons.map((r) => r.reason)).toEqual(['CARD_TESTING']);
    expect(s.alerts.records).toHaveLength(1);
    expect(s.alerts.records[0]).toMatchObject({ kind: 'match', pattern: 'card-testing', key: 'card', emit: { alert: 'card_testing' } });
    // The derived event joins the key's history.
    const view = await engine.inspectKey('card');
    expect(view!.recent.at(-1)!.type).toBe('match:card-testing');
  });

  it('completes a trailing notFollowedBy when the key sends nothing more, on the watermark', async () => {
    const s = setup();
    const engine = await s.open();
    await engine.ingest(engine.parser.parseValue(ev('mfa', 'login', T0, { mfaRequired: true })));
    expect((await engine.inspectKey('mfa'))!.nextDeadline).toBe(T0 + 5 * MIN);
    s.clock.now += 4 * MIN;
    await engine.watermark.tick();
    expect(s.alerts.records).toHaveLength(0);
    s.clock.now += 2 * MIN + 1000; // window passed, plus the out-of-orderness bound
    await engine.watermark.tick();
    expect(s.alerts.records.map((a) => [a.pattern, a.kind, a.timestamp])).toEqual([['login-without-2fa', 'match', T0 + 5 * MIN]]);
    // Nothing is left live for the key: its matcher state is released.
    const view = await engine.inspectKey('mfa');
    expect(view!.partialMatches).toEqual({});
    expect(view!.nextDeadline).toBeNull();
  });

  it('does not fire when the 2FA comes in time', async () => {
    const s = setup();
    const engine = await s.open();
    await engine.ingest(engine.parser.parseValue(ev('ok', 'login', T0, { mfaRequired: true })));
    await engine.ingest(engine.parser.parseValue(ev('ok', '2fa_success', T0 + MIN)));
    s.clock.now += 10 * MIN;
    await engine.watermark.tick();
    expect(s.alerts.records).toHaveLength(0);
  });

  it('keeps partial matches and timers across a restart', async () => {
    const s = setup();
    let engine = await s.open();
    for (let i = 0; i < 3; i++) await engine.ingest(engine.parser.parseValue(ev('r', 'transaction', T0 + i * 1000, { amount: 2 })));
    await engine.ingest(engine.parser.parseValue(ev('m', 'login', T0 + 3000, { mfaRequired: true })));
    await engine.close();

    engine = await s.open();
    for (let i = 3; i < 5; i++) await engine.ingest(engine.parser.parseValue(ev('r', 'transaction', T0 + i * 1000, { amount: 2 })));
    const d = await engine.decide(engine.parser.parseValue(ev('r', 'transaction', T0 + 9000, { amount: 600 })));
    expect(d.matches.map((m) => [m.pattern, m.stages.small_auths!.length])).toEqual([['card-testing', 5]]);
    // The login's timer was restored from the store: it fires without any new event for "m".
    s.clock.now += 7 * MIN;
    await engine.watermark.tick();
    expect(s.alerts.records.filter((a) => a.key === 'm').map((a) => a.pattern)).toEqual(['login-without-2fa']);
  });

  it('tells who listens when a timer changed a key, and arms or disarms timers of states moved in or out', async () => {
    const s = setup();
    const engine = await s.open();
    const changed: string[] = [];
    engine.onTimerChange = (key) => changed.push(key);
    await engine.ingest(engine.parser.parseValue(ev('a', 'login', T0, { mfaRequired: true })));
    await engine.ingest(engine.parser.parseValue(ev('b', 'login', T0, { mfaRequired: true })));
    expect(changed).toEqual([]); // events are not timer changes

    // "b" leaves (its partition moved away): its timer no longer fires here.
    engine.disarmTimers(['b']);
    // "c" arrives from outside (a changelog restore): a copy of "a"'s state with a live partial match.
    const store = engine.stateStore;
    const { keyStateCodec } = await import('../src/runtime/KeyState.ts');
    store.set('c', keyStateCodec.decode(keyStateCodec.encode(store.peek('a')!)));
    engine.armTimers(['c', 'nobody']);

    s.clock.now += 7 * MIN;
    await engine.watermark.tick();
    expect(changed.sort()).toEqual(['a', 'c']);
    expect(s.alerts.records.map((a) => a.key).sort()).toEqual(['a', 'c']);
    expect((await engine.inspectKey('b'))!.partialMatches).toEqual({ 'login-without-2fa': 1 });
  });

  it('sends late events to the late output, and still decides them', async () => {
    const s = setup();
    const engine = await s.open();
    await engine.ingest(engine.parser.parseValue(ev('l', 'transaction', T0 + 10_000, { amount: 1 })));
    const old = ev('l', 'transaction', T0 + 5_000, { amount: 1 });
    const d = await engine.decide(engine.parser.parseValue(old));
    expect(d.decision).toBe('allow');
    expect(s.late.records).toEqual([
      { eventId: old.id, key: 'l', type: 'transaction', timestamp: T0 + 5_000, watermark: T0 + 9_000, keyTime: T0 + 10_000 },
    ]);
  });

  it('writes alerts to the JSONL alert file by default', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const engine = await createEngine({
      dataDir: join(dir.path, 'data'),
      rulesDir: join(dir.path, 'rules'),
      patternsDir: 'patterns',
      metrics: new MetricsRegistry(),
      startTimers: false,
    });
    for (let i = 0; i < 5; i++) await engine.ingest(engine.parser.parseValue(ev('f', 'transaction', T0 + i, { amount: 1 })));
    await engine.ingest(engine.parser.parseValue(ev('f', 'transaction', T0 + 10, { amount: 800 })));
    await engine.close();
    const file = join(dir.path, 'data', 'alerts.jsonl');
    expect(existsSync(file)).toBe(true);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Alert);
    expect(lines.map((a) => a.pattern)).toEqual(['card-testing']);
  });
});

describe('shadow-mode patterns', () => {
  it('are matched and reported, but never feed rules, features or the decision', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const rulesDir = join(dir.path, 'rules');
    const patternsDir = join(dir.path, 'patterns');
    writeJsonFiles(rulesDir, RULES);
    const pattern = JSON.parse(readFileSync('patterns/card-testing.json', 'utf8')) as Record<string, unknown>;
    writeJsonFiles(patternsDir, { 'card-testing.json': { ...pattern, mode: 'shadow' } });
    const alerts = new MemorySink<Alert>();
    const engine = await createEngine({
      dataDir: join(dir.path, 'data'),
      rulesDir,
      patternsDir,
      metrics: new MetricsRegistry(),
      sinks: { alerts },
      startTimers: false,
      watchCatalog: false,
    });
    cleanups.push(() => engine.close());
    for (let i = 0; i < 5; i++) await engine.ingest(engine.parser.parseValue(ev('s', 'transaction', T0 + i, { amount: 1 })));
    const d = await engine.decide(engine.parser.parseValue(ev('s', 'transaction', T0 + 10, { amount: 900 })));
    expect(d.matches).toEqual([]);
    expect(d.shadowMatches!.map((m) => m.pattern)).toEqual(['card-testing']);
    expect(d.decision).toBe('allow'); // the rule on matches['card-testing'] did not see it
    expect(alerts.records.map((a) => [a.pattern, a.mode])).toEqual([['card-testing', 'shadow']]);
    expect((await engine.inspectKey('s'))!.recent.some((r) => r.type.startsWith('match:'))).toBe(false);
  });
});
