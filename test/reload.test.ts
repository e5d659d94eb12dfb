import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpServer } from '../src/io/http/startHttpServer.ts';
import type { HttpServer } from '../src/io/http/types.ts';
import { createEngine, type Engine } from '../src/runtime/index.ts';
import { MetricsRegistry } from '../src/runtime/metrics.ts';
import type { Decision } from '../src/runtime/types.ts';
import { tempDir } from './helpers/tempDir.ts';

const ADMIN = 'admin-secret';
const T0 = Date.UTC(2026, 0, 1);
let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

const rule = (score: number, action = 'review') => ({
  id: 'big-amount',
  version: score,
  description: 'amount over 1,000',
  appliesTo: ['transaction'],
  conditions: { all: [{ fact: 'amount', operator: 'greaterThan', value: 1000 }] },
  event: { type: action, params: { score, reason: `BIG_${score}` } },
});

async function serve(options: { patterns?: string[] } = {}) {
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  const rulesDir = join(dir.path, 'rules');
  const patternsDir = join(dir.path, 'patterns');
  mkdirSync(rulesDir);
  mkdirSync(patternsDir);
  writeFileSync(join(rulesDir, 'policy.json'), JSON.stringify({ combine: 'max', reviewThreshold: 50, denyThreshold: 80 }));
  writeFileSync(join(rulesDir, 'big-amount.json'), JSON.stringify(rule(60)));
  for (const p of options.patterns ?? []) copyFileSync(join('patterns', p), join(patternsDir, p));
  const metrics = new MetricsRegistry();
  const engine: Engine = await createEngine({
    dataDir: join(dir.path, 'data'),
    rulesDir,
    patternsDir,
    metrics,
    startTimers: false,
  });
  const server: HttpServer = await startHttpServer(engine, { port: 0, adminKey: ADMIN, metrics });
  cleanups.push(() => engine.close());
  cleanups.push(() => server.close());
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(server.url + path, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
  };
  return { engine, server, call, rulesDir, patternsDir };
}

let n = 0;
const txn = (userId: string, amount: number) => ({ id: `r${++n}`, type: 'transaction', timestamp: T0 + n, userId, amount });

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('hot reload of the catalog', () => {
  it('swaps a changed rule in under concurrent requests: none fails, none mixes versions', async () => {
    const s = await serve();
    const v1 = s.engine.catalogVersion;
    const decisions: Decision[] = [];
    let failures = 0;
    let stop = false;
    const load = async (worker: number) => {
      while (!stop) {
        const r = await s.call('POST', '/v1/decisions', txn(`w${worker}`, 5000));
        if (r.status !== 200) failures++;
        else decisions.push(r.json as Decision);
      }
    };
    const workers = Array.from({ length: 8 }, (_, i) => load(i));
    await until(() => decisions.length > 50, 'traffic');
    writeFileSync(join(s.rulesDir, 'big-amount.json'), JSON.stringify(rule(90, 'deny')));
    await until(() => s.engine.catalogVersion !== v1, 'the reload');
    const v2 = s.engine.catalogVersion;
    await until(() => decisions.some((d) => d.catalogVersion === v2), 'a decision on the new catalog');
    const afterSwap = decisions.length;
    await until(() => decisions.length > afterSwap + 50, 'traffic after the swap');
    stop = true;
    await Promise.all(workers);

    expect(failures).toBe(0);
    for (const d of decisions) {
      // Every decision is consistent with the one version it names.
      if (d.catalogVersion === v1) expect([d.decision, d.reasons[0]!.reason, d.reasons[0]!.version]).toEqual(['review', 'BIG_60', 60]);
      else if (d.catalogVersion === v2) expect([d.decision, d.reasons[0]!.reason, d.reasons[0]!.version]).toEqual(['deny', 'BIG_90', 90]);
      else throw new Error(`unexpected catalog version ${d.catalogVersion}`);
    }
    // Requests sent after the swap are all decided by the new catalog.
    const late = (await s.call('POST', '/v1/decisions', txn('after', 5000))).json as Decision;
    expect(late.catalogVersion).toBe(v2);
  });

  it('keeps serving the previous catalog when a broken file is dropped in, and reports where it is broken', async () => {
    const s = await serve();
    const v1 = s.engine.catalogVersion;
    writeFileSync(
      join(s.rulesDir, 'broken.json'),
      '{\n  "id": "broken",\n  "version": 1,\n  "description": "x",\n  "conditions": { "all": [ { "fact": "amount", "operator": "moreThan", "value": 1 } ] },\n  "event": { "type": "deny", "params": { "score": 10, "reason": "X" } }\n}\n',
    );
    await until(async () => (await s.call('GET', '/v1/catalog')).json.status === 'error', 'the failed reload');
    const catalog = (await s.call('GET', '/v1/catalog')).json;
    expect(catalog.version).toBe(v1);
    expect(catalog.lastReload.errors[0]).toMatchObject({ line: 5 });
    expect(catalog.lastReload.errors[0].file).toMatch(/broken\.json$/);
    expect(catalog.lastReload.errors[0].message).toMatch(/conditions\.all\[0\]\.operator/);
    const metrics = (await s.call('GET', '/metrics')).json as string;
    expect(metrics).toMatch(/^argus_catalog_last_reload_ok 0$/m);
    expect(metrics).toMatch(/^argus_catalog_reloads_total\{result="error"\} [1-9]/m);

    // The old rules still decide.
    const d = (await s.call('POST', '/v1/decisions', txn('b', 5000))).json as Decision;
    expect([d.decision, d.catalogVersion]).toEqual(['review', v1]);

    // Fixing the file recovers.
    writeFileSync(join(s.rulesDir, 'broken.json'), JSON.stringify({ ...rule(10), id: 'broken', event: { type: 'flag', params: { score: 10, reason: 'X' } } }));
    await until(async () => (await s.call('GET', '/v1/catalog')).json.status === 'ok', 'the fixed reload');
    expect(s.engine.catalogVersion).not.toBe(v1);
    expect((await s.call('GET', '/v1/catalog')).json.rules.map((r: { id: string }) => r.id).sort()).toEqual(['big-amount', 'broken']);
  });

  it('reloads on demand through the admin API only', async () => {
    const s = await serve();
    expect((await s.call('POST', '/v1/catalog/reload')).status).toBe(401);
    const ok = await s.call('POST', '/v1/catalog/reload', undefined, { 'x-admin-key': ADMIN });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ ok: true, version: s.engine.catalogVersion });
    writeFileSync(join(s.rulesDir, 'bad.json'), '{ not json');
    const bad = await s.call('POST', '/v1/catalog/reload', undefined, { 'x-admin-key': ADMIN });
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0].file).toMatch(/bad\.json$/);
  });

  it('drops the partial matches of a changed pattern, and only those', async () => {
    const s = await serve({ patterns: ['card-testing.json', 'login-without-2fa.json'] });
    s.engine.catalogs!.close(); // reload by hand in this test
    const ingest = (e: object) => s.engine.ingest(s.engine.parser.parseValue(e));
    for (let i = 0; i < 3; i++) await ingest({ id: `p${i}`, type: 'transaction', timestamp: T0 + i, userId: 'k', amount: 1 });
    await ingest({ id: 'login', type: 'login', timestamp: T0 + 10, userId: 'k', mfaRequired: true });
    expect((await s.engine.inspectKey('k'))!.partialMatches).toMatchObject({ 'card-testing': expect.any(Number), 'login-without-2fa': 1 });

    const file = join(s.patternsDir, 'card-testing.json');
    const changed = JSON.parse(JSON.stringify(await import('../patterns/card-testing.json', { with: { type: 'json' } }).then((m) => m.default)));
    changed.version = 2;
    writeFileSync(file, JSON.stringify(changed));
    expect((await s.engine.reloadCatalog()).ok).toBe(true);
    await ingest({ id: 'other', type: 'page_view', timestamp: T0 + 20, userId: 'k' });
    const view = await s.engine.inspectKey('k');
    expect(view!.partialMatches).toEqual({ 'login-without-2fa': 1 });
    expect(readdirSync(s.patternsDir).length).toBe(2);
  });
});
