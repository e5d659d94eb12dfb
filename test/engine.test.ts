import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { CatalogLoadError } from '../src/catalog/index.ts';
import { createEngine, type Engine } from '../src/runtime/index.ts';
import { MetricsRegistry } from '../src/runtime/metrics.ts';
import { tempDir, writeJsonFiles } from './helpers/tempDir.ts';

const rule = (id: string, conditions: unknown, action: string, score: number, extra: Record<string, unknown> = {}) => ({
  id,
  version: 1,
  description: id,
  conditions,
  event: { type: action, params: { score, reason: id.toUpperCase().replace(/-/g, '_') } },
  ...extra,
});

const RULES = {
  'high-amount.json': rule('high-amount', { all: [{ fact: 'amount', operator: 'greaterThan', value: 1000 }] }, 'review', 60, {
    appliesTo: ['transaction'],
  }),
  'blocked-country.json': rule('blocked-country', { all: [{ fact: 'country', operator: 'in', value: ['KP', 'IR'] }] }, 'deny', 90),
  'shadow-small.json': rule('shadow-small', { all: [{ fact: 'amount', operator: 'lessThan', value: 5 }] }, 'deny', 50, {
    mode: 'shadow',
  }),
  'policy.json': { combine: 'sum', reviewThreshold: 50, denyThreshold: 80 },
};

let dirs: { cleanup: () => void }[] = [];
let engines: Engine[] = [];
afterEach(async () => {
  for (const e of engines) await e.close();
  for (const d of dirs) d.cleanup();
  dirs = [];
  engines = [];
});

async function setup(files: Record<string, unknown> = RULES, dataDir?: string) {
  const dir = tempDir();
  dirs.push(dir);
  const rulesDir = join(dir.path, 'rules');
  writeJsonFiles(rulesDir, files);
  const data = dataDir ?? join(dir.path, 'data');
  const open = async () => {
    const engine = await createEngine({ dataDir: data, rulesDir, patternsDir: join(dir.path, 'patterns'), metrics: new MetricsRegistry() });
    engines.push(engine);
    return engine;
  };
  return { open, data };
}

let n = 0;
function txn(userId: string, fields: Record<string, unknown> = {}, id = `e${++n}`) {
  return { id, type: 'transaction', timestamp: 1_700_000_000_000 + n * 1000, userId, amount: 20, country: 'FR', ...fields };
}

describe('Engine', () => {
  it('decides with the rules and the policy, and reports shadow rules apart', async () => {
    const engine = await (await setup()).open();
    const ok = await engine.decide(engine.parser.parseValue(txn('u1')));
    expect(ok).toMatchObject({ decision: 'allow', score: 0, reasons: [], shadow: [], key: 'u1' });
    expect(ok.catalogVersion).toMatch(/^c[0-9a-f]{12}$/);

    const big = await engine.decide(engine.parser.parseValue(txn('u1', { amount: 5000 })));
    expect(big.decision).toBe('review');
    expect(big.reasons).toEqual([{ rule: 'high-amount', version: 1, action: 'review', score: 60, reason: 'HIGH_AMOUNT' }]);

    const blocked = await engine.decide(engine.parser.parseValue(txn('u2', { country: 'KP', amount: 2 })));
    expect(blocked.decision).toBe('deny');
    expect(blocked.reasons.map((r) => r.rule)).toEqual(['blocked-country']);
    expect(blocked.shadow.map((r) => r.rule)).toEqual(['shadow-small']);
  });

  it('applies rules only to the event types they name', async () => {
    const engine = await (await setup()).open();
    const login = engine.parser.parseValue({ id: 'l1', type: 'login', timestamp: 1, userId: 'u1', amount: 5000 });
    expect((await engine.decide(login)).reasons).toEqual([]);
  });

  it('keeps the history of a key and answers a repeated event id from the stored decision, across a restart', async () => {
    const s = await setup();
    let engine = await s.open();
    const first = txn('u9', { amount: 5000 }, 'dup-1');
    const d1 = await engine.decide(engine.parser.parseValue(first));
    await engine.decide(engine.parser.parseValue(txn('u9')));
    await engine.close();

    engine = await s.open();
    const view = await engine.inspectKey('u9');
    expect(view).toMatchObject({ key: 'u9', eventCount: 2, decisions: { allow: 1, review: 1, deny: 0 } });
    expect(view!.recent.map((r) => r.id)).toEqual(['dup-1', `e${n}`]);

    // Same id, different content: the stored decision is the answer, and state does not change.
    const again = await engine.decide(engine.parser.parseValue({ ...first, amount: 1 }));
    expect(again).toMatchObject({ eventId: 'dup-1', decision: 'review', score: d1.score, duplicate: true });
    expect(again.reasons).toEqual(d1.reasons);
    expect((await engine.inspectKey('u9'))!.eventCount).toBe(2);
    expect(await engine.inspectKey('nobody')).toBeUndefined();
  });

  it('processes concurrent events of one key in arrival order and counts each once', async () => {
    const engine = await (await setup()).open();
    const ids = Array.from({ length: 200 }, (_, i) => `c${i}`);
    // Fire them all at once on a cold key, with a duplicate of each in the same burst.
    const all = await Promise.all(
      ids.flatMap((id) => [txn('hot', {}, id), txn('hot', {}, id)]).map((e) => engine.decide(engine.parser.parseValue(e))),
    );
    expect(all.filter((d) => d.duplicate).length).toBe(200);
    const view = await engine.inspectKey('hot');
    expect(view!.eventCount).toBe(200);
    expect(view!.recent.map((r) => r.id)).toEqual(ids.slice(-20));
  });

  it('forgets ids past the idempotency bound, so state stays bounded', async () => {
    const s = await setup();
    const dir = tempDir();
    dirs.push(dir);
    const engine = await createEngine({
      dataDir: join(dir.path, 'data'),
      rulesDir: join(dir.path, 'none'),
      patternsDir: join(dir.path, 'none'),
      metrics: new MetricsRegistry(),
      limits: { idsPerKey: 3 },
    });
    engines.push(engine);
    void s;
    for (let i = 0; i < 5; i++) await engine.decide(engine.parser.parseValue(txn('b', {}, `b${i}`)));
    // b0 and b1 have been forgotten: deciding b0 again counts it as new.
    const again = await engine.decide(engine.parser.parseValue(txn('b', {}, 'b0')));
    expect(again.duplicate).toBeUndefined();
    const recent = await engine.decide(engine.parser.parseValue(txn('b', {}, 'b4')));
    expect(recent.duplicate).toBe(true);
  });

  it('refuses to start on an invalid rule, naming the file, line and path', async () => {
    const bad = {
      ...RULES,
      'broken.json': `{\n  "id": "broken",\n  "version": 1,\n  "description": "b",\n  "conditions": { "all": [\n    { "fact": "amount", "operator": "bogus", "value": 1 }\n  ] },\n  "event": { "type": "deny", "params": { "score": 10, "reason": "X" } }\n}`,
    };
    const s = await setup(bad);
    const err = await s.open().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CatalogLoadError);
    expect((err as Error).message).toMatch(/broken\.json:6: .*conditions\.all\[0\]\.operator/);
  });
});
