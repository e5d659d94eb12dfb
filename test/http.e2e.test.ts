/**
 * The decision API end to end: a real socket (port 0), the real engine on LevelDB in a temp
 * dir, the sample rules of `rules/`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type HttpServer, type Logger } from '../src/io/http/index.ts';
import { createEngine } from '../src/runtime/createEngine.ts';
import { MetricsRegistry } from '../src/runtime/metrics.ts';

const ROOT = resolve(import.meta.dirname, '..');
const tmp = mkdtempSync(join(tmpdir(), 'argus-http-e2e-'));
const logged: string[] = [];
const logger: Logger = { error: (m, f) => logged.push(`${m} ${JSON.stringify(f)}`), warn: () => {}, info: () => {} };

type Engine = Awaited<ReturnType<typeof createEngine>>;

/** Engine + server on a data dir; `stop()` closes the server, then the engine. */
async function boot(dataDir: string, options: { apiKey?: string } = {}) {
  const metrics = new MetricsRegistry();
  const engine: Engine = await createEngine({
    dataDir,
    rulesDir: join(ROOT, 'rules'),
    patternsDir: join(ROOT, 'patterns'),
    keyField: 'userId',
    durability: 'process',
    groupCommitMs: 0,
    maxCachedKeys: 10_000,
    metrics,
  });
  const server = await startHttpServer(engine, { port: 0, metrics, logger, apiKey: options.apiKey });
  return {
    engine,
    server,
    metrics,
    async stop() {
      await server.close();
      await engine.close();
    },
  };
}

interface Answer {
  status: number;
  headers: Headers;
  json: any;
  text: string;
}

async function call(server: HttpServer, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const init: RequestInit = { method, headers: { 'content-type': 'application/json', ...headers } };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(`${server.url}${path}`, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

const T0 = Date.UTC(2026, 5, 1, 12);
let seq = 0;
function txn(over: Record<string, unknown> = {}): Record<string, unknown> {
  seq++;
  return {
    id: `evt-${seq}`,
    type: 'transaction',
    timestamp: T0 + seq * 1000,
    userId: 'alice',
    amount: 25,
    currency: 'USD',
    channel: 'pos',
    cardPresent: true,
    ...over,
  };
}

/** Prometheus text format 0.0.4, strictly: every sample belongs to a declared metric. */
function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE ([a-zA-Z_:][\w:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    if (/^# HELP [a-zA-Z_:][\w:]* .*$/.test(line)) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{(?:[a-zA-Z_]\w*="(?:[^"\\\n]|\\[\\"n])*",?)*\})? (-?[\d.e+-]+|NaN|[+-]Inf)$/.exec(line);
    if (!m) throw new Error(`unparseable metrics line: ${line}`);
    const base = m[1]!.replace(/_(bucket|sum|count)$/, '');
    if (!types.has(m[1]!) && !(types.get(base) === 'histogram')) throw new Error(`sample before its TYPE: ${line}`);
    samples.set(`${m[1]}${m[2] ?? ''}`, Number(m[3]));
  }
  return samples;
}

describe('HTTP decision API, end to end', () => {
  let node: Awaited<ReturnType<typeof boot>>;
  let server: HttpServer;

  beforeAll(async () => {
    node = await boot(join(tmp, 'main'));
    server = node.server;
  });

  afterAll(async () => {
    await node?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('decides an event with the sample rules', async () => {
    const health = await call(server, 'GET', '/healthz');
    expect(health.status).toBe(200);
    expect(health.json.status).toBe('ok');

    const small = await call(server, 'POST', '/v1/decisions', txn({ userId: 'bob' }));
    expect(small.status).toBe(200);
    expect(small.json).toMatchObject({ eventId: `evt-${seq}`, key: 'bob', decision: 'allow', reasons: [], catalogVersion: health.json.catalogVersion });

    const big = await call(server, 'POST', '/v1/decisions', txn({ userId: 'bob', amount: 12_000, channel: 'ecommerce', cardPresent: false }));
    expect(big.status).toBe(200);
    expect(big.json.decision).not.toBe('allow');
    expect(big.json.score).toBeGreaterThan(0);
    expect(big.json.reasons.map((r: { reason: string }) => r.reason)).toContain('VERY_HIGH_AMOUNT');
    expect(typeof big.json.latencyMs).toBe('number');
  });

  it('ingests events (single and batch) and shows them under their key', async () => {
    const login = { id: 'login-1', type: 'login', timestamp: T0, userId: 'carol@example.com', device: { id: 'd1' } };
    const one = await call(server, 'POST', '/v1/events', login);
    expect(one.status).toBe(202);
    expect(one.json).toEqual({ eventId: 'login-1', key: 'carol@example.com', accepted: true });

    const batch = await call(server, 'POST', '/v1/events', [
      txn({ userId: 'carol@example.com' }),
      { id: 'bad', type: 'login', userId: 'carol@example.com' },
      txn({ userId: 'carol@example.com' }),
    ]);
    expect(batch.status).toBe(207);
    expect(batch.json.accepted).toBe(2);
    expect(batch.json.results[1]).toMatchObject({ index: 1, eventId: 'bad', accepted: false });
    expect(batch.json.results[1].error.issues[0].path).toEqual([1, 'timestamp']);

    const view = await call(server, 'GET', `/v1/keys/${encodeURIComponent('carol@example.com')}`);
    expect(view.status).toBe(200);
    expect(view.json.key).toBe('carol@example.com');
    expect(view.json.eventCount).toBe(3);
    expect(view.json.recent.map((e: { id: string }) => e.id)).toEqual(['login-1', batch.json.results[0].eventId, batch.json.results[2].eventId]);

    expect((await call(server, 'GET', '/v1/keys/nobody-at-all')).status).toBe(404);
  });

  describe('rejections', () => {
    const rejected = async (body: unknown, status = 400): Promise<Answer> => {
      const r = await call(server, 'POST', '/v1/decisions', body);
      expect(r.status).toBe(status);
      return r;
    };

    it('a missing key field or envelope field, with its path', async () => {
      const noKey = await rejected({ id: 'm1', type: 'transaction', timestamp: T0, amount: 1 });
      expect(noKey.json.error).toMatchObject({ code: 'VALIDATION_ERROR', issues: [{ path: ['userId'] }] });
      const noId = await rejected({ type: 'transaction', timestamp: T0, userId: 'u' });
      expect(noId.json.error.issues.map((i: { path: unknown }) => i.path)).toContainEqual(['id']);
    });

    it('a mistyped field, with its path', async () => {
      const r = await rejected({ id: 'm2', type: 'transaction', timestamp: 'last tuesday', userId: 'u' });
      expect(r.json.error.issues[0].path).toEqual(['timestamp']);
      const id = await rejected({ id: 42, type: 'transaction', timestamp: T0, userId: 'u' });
      expect(id.json.error.issues[0].path).toEqual(['id']);
      const key = await rejected({ id: 'm3', type: 'transaction', timestamp: T0, userId: { nested: true } });
      expect(key.json.error.issues[0].path).toEqual(['userId']);
    });

    it('a body over 64 KiB with 413', async () => {
      const r = await rejected(txn({ notes: 'x'.repeat(64 * 1024) }), 413);
      expect(r.json.error.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('nesting deeper than 32 levels', async () => {
      let deep: unknown = 'bottom';
      for (let i = 0; i < 40; i++) deep = { d: deep };
      const r = await rejected(txn({ meta: deep }));
      expect(r.json.error.issues[0].message).toMatch(/nesting deeper than 32/);
      expect(r.json.error.issues[0].path.slice(0, 2)).toEqual(['meta', 'd']);
    });

    it('__proto__, constructor and prototype keys, with their path', async () => {
      for (const bad of ['__proto__', 'constructor', 'prototype']) {
        const body = `{"id":"p-${bad}","type":"transaction","timestamp":${T0},"userId":"u","card":{"${bad}":{"admin":true}}}`;
        const r = await rejected(body);
        expect(r.json.error.issues[0].path).toEqual(['card', bad]);
      }
    });

    it('malformed JSON', async () => {
      const r = await rejected('{"id": "x", "type": ');
      expect(r.json.error.message).toMatch(/malformed JSON/);
      expect(r.json.error.issues[0].path).toEqual([]);
    });

    it('an unknown route (404) and a wrong method (405)', async () => {
      expect((await call(server, 'GET', '/v1/nothing-here')).status).toBe(404);
      const wrong = await call(server, 'DELETE', '/v1/decisions');
      expect(wrong.status).toBe(405);
      expect(wrong.headers.get('allow')).toBe('POST');
      expect((await call(server, 'POST', '/healthz', {})).status).toBe(405);
    });

    it('without the API key when one is configured (401)', async () => {
      const guarded = await startHttpServer(node.engine, { port: 0, apiKey: 'k-123', logger });
      try {
        expect((await call(guarded, 'POST', '/v1/decisions', txn())).status).toBe(401);
        expect((await call(guarded, 'POST', '/v1/decisions', txn(), { 'x-api-key': 'k-124' })).status).toBe(401);
        expect((await call(guarded, 'GET', '/v1/keys/alice')).status).toBe(401);
        expect((await call(guarded, 'POST', '/v1/decisions', txn(), { 'x-api-key': 'k-123' })).status).toBe(200);
      } finally {
        await guarded.close();
      }
    });

    it('never answered with a 500', async () => {
      expect(logged).toEqual([]);
    });
  });

  it('serves /metrics in Prometheus text format, counting what was done', async () => {
    const before = parseMetrics((await call(server, 'GET', '/metrics')).text);
    const decided = (k: string) => before.get(`argus_http_requests_total{route="POST /v1/decisions",status="${k}"}`) ?? 0;
    await call(server, 'POST', '/v1/decisions', txn({ userId: 'dave' }));
    await call(server, 'POST', '/v1/decisions', txn({ userId: 'dave' }));
    await call(server, 'POST', '/v1/decisions', '{');
    const after = parseMetrics((await call(server, 'GET', '/metrics')).text);
    expect(after.get('argus_http_requests_total{route="POST /v1/decisions",status="200"}')).toBe(decided('200') + 2);
    expect(after.get('argus_http_requests_total{route="POST /v1/decisions",status="400"}')).toBe(decided('400') + 1);
    expect(after.get('argus_http_request_duration_seconds_count{route="POST /v1/decisions"}')).toBe(
      (before.get('argus_http_request_duration_seconds_count{route="POST /v1/decisions"}') ?? 0) + 3,
    );
    expect(after.get('argus_http_request_duration_seconds_bucket{route="POST /v1/decisions",le="+Inf"}')).toBe(
      after.get('argus_http_request_duration_seconds_count{route="POST /v1/decisions"}'),
    );
    expect(after.get('argus_http_requests_in_flight')).toBe(1); // this scrape
    // The engine's metrics share the registry: every 200 decision is counted by outcome.
    const outcomes = ['allow', 'review', 'deny'].map((o) => after.get(`argus_decisions_total{outcome="${o}"}`) ?? 0);
    expect(outcomes.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(after.get('argus_http_requests_total{route="POST /v1/decisions",status="200"}')! - (after.get('argus_duplicate_events_total') ?? 0));
  });
});

describe('HTTP decision API across a restart', () => {
  const dir = join(tmp, 'restart');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the key history and answers a repeated event id with the stored decision, unchanged state', async () => {
    const first = await boot(dir);
    const event = txn({ userId: 'erin', amount: 12_000, channel: 'ecommerce', cardPresent: false });
    const original = await call(first.server, 'POST', '/v1/decisions', event);
    expect(original.status).toBe(200);
    await call(first.server, 'POST', '/v1/events', { id: 'erin-login', type: 'login', timestamp: T0, userId: 'erin' });
    const viewBefore = (await call(first.server, 'GET', '/v1/keys/erin')).json;
    expect(viewBefore.eventCount).toBe(2);
    await first.stop();

    const second = await boot(dir);
    try {
      const viewAfter = await call(second.server, 'GET', '/v1/keys/erin');
      expect(viewAfter.status).toBe(200);
      expect(viewAfter.json).toEqual(viewBefore);

      const again = await call(second.server, 'POST', '/v1/decisions', event);
      expect(again.status).toBe(200);
      expect(again.json.duplicate).toBe(true);
      const { latencyMs: _a, duplicate: _d, ...stored } = again.json;
      const { latencyMs: _b, ...decided } = original.json;
      expect(stored).toEqual(decided);

      expect((await call(second.server, 'GET', '/v1/keys/erin')).json).toEqual(viewBefore);
    } finally {
      await second.stop();
    }
  });
});
