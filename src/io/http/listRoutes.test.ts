import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ListRegistry, type ListOverlay, type ListSummary, type ListUpdate, type ListView } from '../../lists/index.ts';
import { listRoutes } from './listRoutes.ts';
import type { ListService } from './ListService.ts';
import { startHttpServer } from './startHttpServer.ts';
import type { HttpEngine, HttpServer, Logger } from './types.ts';

/** The engine's side, in the test: a real ListRegistry whose overlay is "persisted" before answering. */
class TestListService implements ListService {
  readonly persisted: ListOverlay[] = [];
  failPersist = false;
  constructor(readonly registry: ListRegistry) {}

  private async persist(before: ListOverlay): Promise<void> {
    await Promise.resolve();
    if (this.failPersist) {
      this.registry.restoreOverlay(before);
      throw new Error('disk full');
    }
    this.persisted.push(this.registry.overlay());
  }

  async add(name: string, items: readonly unknown[]): Promise<ListUpdate> {
    const before = this.registry.overlay();
    const update = this.registry.add(name, items);
    await this.persist(before);
    return update;
  }

  async remove(name: string, items: readonly unknown[]): Promise<ListUpdate> {
    const before = this.registry.overlay();
    const update = this.registry.remove(name, items);
    await this.persist(before);
    return update;
  }

  async get(name: string, limit: number): Promise<ListView | undefined> {
    return this.registry.get(name, limit);
  }

  async list(): Promise<ListSummary[]> {
    return this.registry.describe();
  }
}

const engine: HttpEngine = {
  catalogVersion: 'test',
  decide: () => Promise.reject(new Error('not used')),
  ingest: () => Promise.reject(new Error('not used')),
  inspectKey: async () => undefined,
  close: async () => {},
};

const errors: string[] = [];
const logger: Logger = { error: (m) => errors.push(m), warn: () => {}, info: () => {} };
const ADMIN = 'admin-secret';

let server: HttpServer;
let service: TestListService;

beforeEach(async () => {
  const registry = new ListRegistry();
  const loaded = registry.load([
    { file: 'rules/lists/blocked_ips.json', text: JSON.stringify({ description: 'Blocked ranges', kind: 'ip', items: ['10.0.0.0/8'] }) },
    { file: 'rules/lists/allowlisted_users.json', text: JSON.stringify({ description: 'VIPs', kind: 'string', items: ['u1', 'u2', 'u3'] }) },
  ]);
  expect(loaded.ok).toBe(true);
  service = new TestListService(registry);
  errors.length = 0;
  server = await startHttpServer(engine, { logger, adminKey: ADMIN, apiKey: 'api', routes: listRoutes({ service, maxItems: 5 }) });
});

afterEach(async () => {
  await server.close();
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = { 'x-admin-key': ADMIN }): Promise<{ status: number; json: any }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

describe('list admin routes', () => {
  it('PUT adds items, persisted before the answer; the list sees them at once', async () => {
    const ips = service.registry.ref('blocked_ips')!;
    const { status, json } = await call('PUT', '/v1/lists/blocked_ips/items', { items: ['203.0.113.0/24', '10.0.0.0/8'] });
    expect(status).toBe(200);
    expect(json).toMatchObject({ name: 'blocked_ips', kind: 'ip', size: 2, changed: 1, unchanged: 1, added: 1 });
    expect(service.persisted.at(-1)).toEqual({ version: 1, lists: { blocked_ips: { added: ['203.0.113.0/24'], removed: [] } } });
    expect(ips.has('203.0.113.9')).toBe(true);
  });

  it('DELETE removes items', async () => {
    const { status, json } = await call('DELETE', '/v1/lists/allowlisted_users/items', { items: ['u2', 'nobody'] });
    expect(status).toBe(200);
    expect(json).toMatchObject({ size: 2, changed: 1, unchanged: 1, removed: 1 });
    expect(service.registry.ref('allowlisted_users')!.has('u2')).toBe(false);
  });

  it('GET shows the list with at most ?limit= items; GET /v1/lists lists them all', async () => {
    const { status, json } = await call('GET', '/v1/lists/allowlisted_users?limit=2');
    expect(status).toBe(200);
    expect(json).toMatchObject({ name: 'allowlisted_users', description: 'VIPs', size: 3, items: ['u1', 'u2'], truncated: true, file: 'rules/lists/allowlisted_users.json' });
    expect((await call('GET', '/v1/lists/allowlisted_users')).json.items).toEqual(['u1', 'u2', 'u3']);
    expect((await call('GET', '/v1/lists/allowlisted_users?limit=x')).status).toBe(400);
    const all = await call('GET', '/v1/lists');
    expect(all.json.lists.map((l: ListSummary) => [l.name, l.size])).toEqual([['allowlisted_users', 3], ['blocked_ips', 1]]);
  });

  it('an unknown list is 404', async () => {
    for (const [method, body] of [['PUT', { items: ['x'] }], ['DELETE', { items: ['x'] }], ['GET', undefined]] as const) {
      const { status, json } = await call(method, method === 'GET' ? '/v1/lists/nope' : '/v1/lists/nope/items', body);
      expect(status, method).toBe(404);
      expect(json.error).toEqual({ code: 'LIST_NOT_FOUND', message: 'unknown list "nope"' });
    }
  });

  it('a bad IP is 400 with the item path, and nothing is added', async () => {
    const { status, json } = await call('PUT', '/v1/lists/blocked_ips/items', { items: ['1.2.3.4', '1.2.3.400', '10.1.0.0/8'] });
    expect(status).toBe(400);
    expect(json.error.issues).toEqual([
      { path: ['items', 1], message: '"1.2.3.400" is not an IPv4/IPv6 address or CIDR range' },
      { path: ['items', 2], message: '"10.1.0.0/8" has host bits set: the range is 10.0.0.0/8' },
    ]);
    expect(service.registry.ref('blocked_ips')!.has('1.2.3.4')).toBe(false);
    expect(service.persisted).toEqual([]);
  });

  it('too many items, an empty or malformed body is 400', async () => {
    const tooMany = await call('PUT', '/v1/lists/blocked_ips/items', { items: ['1.1.1.1', '1.1.1.2', '1.1.1.3', '1.1.1.4', '1.1.1.5', '1.1.1.6'] });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.error.issues).toEqual([{ path: ['items'], message: 'at most 5 items per call, got 6' }]);
    expect((await call('PUT', '/v1/lists/blocked_ips/items', { items: [] })).json.error.issues[0].message).toBe('must hold at least one item');
    expect((await call('PUT', '/v1/lists/blocked_ips/items', { items: '1.1.1.1' })).status).toBe(400);
    expect((await call('PUT', '/v1/lists/blocked_ips/items', { items: ['1.1.1.1'], extra: 1 })).json.error.issues[0].path).toEqual(['extra']);
    expect((await call('PUT', '/v1/lists/blocked_ips/items', '{"items": [')).json.error.message).toMatch(/malformed JSON/);
    expect(service.persisted).toEqual([]);
  });

  it('needs the admin key (the API key is not enough)', async () => {
    expect((await call('PUT', '/v1/lists/blocked_ips/items', { items: ['1.1.1.1'] }, {})).status).toBe(401);
    expect((await call('GET', '/v1/lists/blocked_ips', undefined, { 'x-api-key': 'api' })).status).toBe(401);
    expect((await call('GET', '/v1/lists/blocked_ips', undefined, { 'x-admin-key': 'wrong' })).status).toBe(401);
    expect(service.registry.ref('blocked_ips')!.has('1.1.1.1')).toBe(false);
  });

  it('a failed persist is a 500, and the change is rolled back', async () => {
    service.failPersist = true;
    const { status } = await call('PUT', '/v1/lists/blocked_ips/items', { items: ['1.1.1.1'] });
    expect(status).toBe(500);
    expect(errors).toEqual(['request failed']);
    expect(service.registry.ref('blocked_ips')!.has('1.1.1.1')).toBe(false);
  });
});
