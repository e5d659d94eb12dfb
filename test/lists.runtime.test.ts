import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpServer } from '../src/io/http/startHttpServer.ts';
import type { Engine } from '../src/runtime/index.ts';
import { openTestEngine } from './helpers/testEngine.ts';
import type { Decision } from '../src/runtime/types.ts';
import { tempDir, writeJsonFiles } from './helpers/tempDir.ts';

const ADMIN = 'lists-admin';
let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

describe('lists in the running engine', () => {
  it('an API update is visible to the next decision, persisted, and survives a restart and a reload', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const rulesDir = join(dir.path, 'rules');
    writeJsonFiles(rulesDir, {
      'policy.json': { combine: 'max', reviewThreshold: 50, denyThreshold: 80 },
      'blocked-ip.json': {
        id: 'blocked-ip',
        version: 1,
        description: 'payment from a blocked IP range',
        conditions: { all: [{ fact: 'ip.address', operator: 'in', value: { list: 'blocked_ips' } }] },
        event: { type: 'deny', params: { score: 100, reason: 'BLOCKED_IP' } },
      },
    });
    writeJsonFiles(join(rulesDir, 'lists'), {
      'blocked_ips.json': { description: 'blocked ranges', kind: 'ip', items: ['203.0.113.0/24'] },
    });
    const boot = async () => {
      const engine: Engine = await openTestEngine(dir.path, rulesDir);
      const server = await startHttpServer(engine, { port: 0, adminKey: ADMIN });
      const stop = async () => {
        await server.close();
        await engine.close();
      };
      return { engine, server, stop };
    };
    let n = 0;
    const decide = async (url: string, ip: string) => {
      const res = await fetch(`${url}/v1/decisions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: `l${++n}`, type: 'transaction', timestamp: n, userId: 'u', ip: { address: ip } }),
      });
      return ((await res.json()) as Decision).decision;
    };

    let s = await boot();
    expect(await decide(s.server.url, '203.0.113.7')).toBe('deny');
    expect(await decide(s.server.url, '198.51.100.9')).toBe('allow');

    const put = await fetch(`${s.server.url}/v1/lists/blocked_ips/items`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-admin-key': ADMIN },
      body: JSON.stringify({ items: ['198.51.100.0/24'] }),
    });
    expect(put.status).toBe(200);
    expect(await decide(s.server.url, '198.51.100.9')).toBe('deny');
    // Without the admin key, no change.
    const denied = await fetch(`${s.server.url}/v1/lists/blocked_ips/items`, {
      method: 'DELETE',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: ['198.51.100.0/24'] }),
    });
    expect(denied.status).toBe(401);
    await s.stop();

    s = await boot();
    cleanups.push(() => s.stop());
    expect(await decide(s.server.url, '198.51.100.9')).toBe('deny'); // the API's change was persisted
    expect((await s.engine.reloadCatalog()).ok).toBe(true);
    expect(await decide(s.server.url, '198.51.100.10')).toBe('deny'); // and a reload keeps it
    const catalog = (await (await fetch(`${s.server.url}/v1/catalog`)).json()) as { lists: { name: string; size: number }[] };
    expect(catalog.lists.find((l) => l.name === 'blocked_ips')).toBeDefined();
  });

  it('refuses a reload that drops a list a rule uses', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const rulesDir = join(dir.path, 'rules');
    writeJsonFiles(rulesDir, {
      'r.json': {
        id: 'r',
        version: 1,
        description: 'x',
        conditions: { all: [{ fact: 'country', operator: 'in', value: { list: 'nowhere' } }] },
        event: { type: 'deny', params: { score: 100, reason: 'X' } },
      },
    });
    const err = await openTestEngine(dir.path, rulesDir, { dataDir: ':memory:' }).catch((e: unknown) => e as Error);
    expect((err as Error).message).toMatch(/r\.json:\d+: .*conditions\.all\[0\]\.value.*nowhere/);
  });
});
