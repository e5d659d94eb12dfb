import { afterEach, describe, expect, it } from 'vitest';
import { EngineClosedError } from '../../errors.ts';
import type { ArgusEvent } from '../../events/index.ts';
import { MetricsRegistry } from '../../runtime/metrics.ts';
import type { Decision, KeyView } from '../../runtime/types.ts';
import { startHttpServer } from './startHttpServer.ts';
import type { HttpEngine, HttpServer, HttpServerOptions, Logger } from './types.ts';

/** A small in-memory engine: denies amounts over 1000, remembers decisions by event id. */
class FakeEngine implements HttpEngine {
  readonly catalogVersion = 'test-1';
  readonly decided = new Map<string, Decision>();
  readonly keys = new Map<string, KeyView>();
  failWith: Error | undefined;
  gate: Promise<void> | undefined;
  onEnter: (() => void) | undefined;

  async decide(event: ArgusEvent): Promise<Decision> {
    this.onEnter?.();
    if (this.gate) await this.gate;
    if (this.failWith) throw this.failWith;
    const seen = this.decided.get(event.id);
    if (seen) return { ...seen, duplicate: true };
    const amount = Number(event.data.amount ?? 0);
    const decision: Decision = {
      eventId: event.id,
      key: event.key,
      decision: amount > 1000 ? 'deny' : 'allow',
      score: amount > 1000 ? 90 : 0,
      reasons: [],
      shadow: [],
      matches: [],
      catalogVersion: this.catalogVersion,
      latencyMs: 0.1,
    };
    this.decided.set(event.id, decision);
    this.record(event);
    return decision;
  }

  async ingest(event: ArgusEvent): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.record(event);
  }

  async inspectKey(key: string): Promise<KeyView | undefined> {
    return this.keys.get(key);
  }

  async close(): Promise<void> {}

  private record(event: ArgusEvent): void {
    let view = this.keys.get(event.key);
    if (!view) {
      view = { key: event.key, eventCount: 0, firstSeen: event.time, lastSeen: null, decisions: { allow: 0, review: 0, deny: 0 }, recent: [] };
      this.keys.set(event.key, view);
    }
    view.eventCount++;
    view.lastSeen = event.time;
    view.recent.push({ id: event.id, type: event.type, time: event.time });
  }
}

const errors: string[] = [];
const logger: Logger = { error: (m, f) => errors.push(`${m} ${JSON.stringify(f)}`), warn: () => {}, info: () => {} };

let server: HttpServer | undefined;
let engine: FakeEngine;

async function start(options: HttpServerOptions = {}): Promise<HttpServer> {
  engine = new FakeEngine();
  errors.length = 0;
  server = await startHttpServer(engine, { logger, ...options });
  return server;
}

afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Answer {
  status: number;
  headers: Headers;
  json: any;
  text: string;
}

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${server!.url}${path}`, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

const event = (over: Record<string, unknown> = {}) => ({ id: 'e1', type: 'transaction', timestamp: 1_700_000_000_000, userId: 'u1', amount: 10, ...over });

describe('startHttpServer', () => {
  it('answers a decision with the engine decision as JSON', async () => {
    await start();
    const r = await call('POST', '/v1/decisions', event({ amount: 5000 }));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(r.json).toMatchObject({ eventId: 'e1', key: 'u1', decision: 'deny', score: 90, catalogVersion: 'test-1' });
  });

  it('accepts an event and shows it under its key (URL-decoded)', async () => {
    await start();
    const r = await call('POST', '/v1/events', event({ userId: 'user 1/a', type: 'login' }));
    expect(r.status).toBe(202);
    expect(r.json).toEqual({ eventId: 'e1', key: 'user 1/a', accepted: true });
    const k = await call('GET', `/v1/keys/${encodeURIComponent('user 1/a')}`);
    expect(k.status).toBe(200);
    expect(k.json).toMatchObject({ key: 'user 1/a', eventCount: 1, recent: [{ id: 'e1', type: 'login' }] });
    const missing = await call('GET', '/v1/keys/nobody');
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('KEY_NOT_FOUND');
    expect((await call('GET', '/v1/keys/%E0%A4%A')).status).toBe(400);
  });

  it('accepts a batch of events and reports each one', async () => {
    await start();
    const r = await call('POST', '/v1/events', [event({ id: 'a' }), event({ id: 'b', amount: 'x', userId: undefined }), event({ id: 'c', userId: 'u2' })]);
    expect(r.status).toBe(207);
    expect(r.json.accepted).toBe(2);
    expect(r.json.rejected).toBe(1);
    expect(r.json.results[0]).toEqual({ index: 0, eventId: 'a', key: 'u1', accepted: true });
    expect(r.json.results[1]).toMatchObject({ index: 1, eventId: 'b', accepted: false, error: { code: 'VALIDATION_ERROR' } });
    expect(r.json.results[1].error.issues[0].path).toEqual([1, 'userId']);
    expect(r.json.results[2]).toEqual({ index: 2, eventId: 'c', key: 'u2', accepted: true });
    expect(engine.keys.get('u1')?.eventCount).toBe(1);

    const all = await call('POST', '/v1/events', [event({ id: 'd' }), event({ id: 'e' })]);
    expect(all.status).toBe(202);
    expect(all.json.accepted).toBe(2);

    const none = await call('POST', '/v1/events', [{ id: 'x' }]);
    expect(none.status).toBe(400);
    expect(none.json.rejected).toBe(1);

    const empty = await call('POST', '/v1/events', []);
    expect(empty.status).toBe(400);
  });

  it('limits batches in events and bytes; a single event stays limited to 64 KiB', async () => {
    await start({ maxBatchEvents: 3 });
    const four = await call('POST', '/v1/events', [event({ id: '1' }), event({ id: '2' }), event({ id: '3' }), event({ id: '4' })]);
    expect(four.status).toBe(400);
    expect(four.json.error.issues[0].message).toMatch(/at most 3 events/);
    const big = await call('POST', '/v1/events', event({ pad: 'x'.repeat(70 * 1024) }));
    expect(big.status).toBe(413);
    const bigBatch = await call('POST', '/v1/events', [event({ pad: 'x'.repeat(1100 * 1024) })]);
    expect(bigBatch.status).toBe(413);
  });

  it('rejects invalid events with 400 and the field path', async () => {
    await start();
    const missing = await call('POST', '/v1/decisions', { id: 'e1', type: 't', timestamp: 1 });
    expect(missing.status).toBe(400);
    expect(missing.json.error).toMatchObject({ code: 'VALIDATION_ERROR', issues: [{ path: ['userId'] }] });
    const mistyped = await call('POST', '/v1/decisions', event({ timestamp: 'yesterday' }));
    expect(mistyped.status).toBe(400);
    expect(mistyped.json.error.issues[0].path).toEqual(['timestamp']);
    const proto = await call('POST', '/v1/decisions', '{"id":"e","type":"t","timestamp":1,"userId":"u","meta":{"__proto__":{"x":1}}}');
    expect(proto.status).toBe(400);
    expect(proto.json.error.issues[0].path).toEqual(['meta', '__proto__']);
    const malformed = await call('POST', '/v1/decisions', '{"id":');
    expect(malformed.status).toBe(400);
    expect(malformed.json.error.message).toMatch(/malformed JSON/);
    expect(engine.decided.size).toBe(0);
  });

  it('answers 413 past 64 KiB, whether declared or streamed', async () => {
    await start();
    const r = await call('POST', '/v1/decisions', event({ pad: 'x'.repeat(65 * 1024) }));
    expect(r.status).toBe(413);
    expect(r.json.error.code).toBe('PAYLOAD_TOO_LARGE');
    // Streamed without Content-Length (chunked): counted while reading.
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(8 * 1024)));
        controller.close();
      },
    });
    const res = await fetch(`${server!.url}/v1/decisions`, {
      method: 'POST',
      body: chunks,
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    await res.text();
    expect((await call('GET', '/healthz')).status).toBe(200);
  });

  it('checks Content-Type: JSON or none, else 415', async () => {
    await start();
    const text = await call('POST', '/v1/decisions', JSON.stringify(event()), { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    const latin = await call('POST', '/v1/decisions', JSON.stringify(event({ id: 'l' })), { 'content-type': 'application/json; charset=iso-8859-1' });
    expect(latin.status).toBe(415);
    const withCharset = await call('POST', '/v1/decisions', JSON.stringify(event({ id: 'c' })), { 'content-type': 'application/json; charset=UTF-8' });
    expect(withCharset.status).toBe(200);
    const res = await fetch(`${server!.url}/v1/decisions`, { method: 'POST', body: new TextEncoder().encode(JSON.stringify(event({ id: 'n' }))) });
    expect(res.status).toBe(200);
  });

  it('answers 404 for unknown routes and 405 with Allow for wrong methods', async () => {
    await start();
    const nf = await call('GET', '/v2/nothing');
    expect(nf.status).toBe(404);
    expect(nf.json.error.code).toBe('NOT_FOUND');
    const na = await call('GET', '/v1/decisions');
    expect(na.status).toBe(405);
    expect(na.headers.get('allow')).toBe('POST');
    expect((await call('GET', '/healthz?verbose=1')).status).toBe(200);
  });

  it('requires the API key when one is set, compared exactly', async () => {
    await start({ apiKey: 's3cret' });
    expect((await call('POST', '/v1/decisions', event())).status).toBe(401);
    expect((await call('POST', '/v1/decisions', event(), { 'x-api-key': 's3cre' })).status).toBe(401);
    expect((await call('GET', '/v1/keys/u1', undefined, { 'x-api-key': 'S3CRET' })).status).toBe(401);
    const ok = await call('POST', '/v1/decisions', event(), { 'x-api-key': 's3cret' });
    expect(ok.status).toBe(200);
    expect((await call('GET', '/healthz')).status).toBe(200);
    expect((await call('GET', '/metrics')).status).toBe(200);
  });

  it('guards admin routes with the admin key, and disables them without one', async () => {
    const reload = { method: 'POST' as const, path: '/v1/catalog/reload', access: 'admin' as const, handle: () => ({ status: 200, body: '{"reloaded":true}' }) };
    await start({ apiKey: 'api', adminKey: 'adm', routes: [reload] });
    expect((await call('POST', '/v1/catalog/reload', undefined, { 'x-api-key': 'api' })).status).toBe(401);
    expect((await call('POST', '/v1/catalog/reload', undefined, { 'x-admin-key': 'api' })).status).toBe(401);
    const ok = await call('POST', '/v1/catalog/reload', undefined, { 'x-admin-key': 'adm' });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ reloaded: true });
    await server!.close();
    await start({ routes: [reload] });
    const disabled = await call('POST', '/v1/catalog/reload', undefined, { 'x-admin-key': '' });
    expect(disabled.status).toBe(403);
    expect(disabled.json.error.code).toBe('ADMIN_DISABLED');
  });

  it('hides internal errors behind a generic 500 and logs them; a closed engine is 503', async () => {
    await start();
    engine.failWith = new Error('disk on fire at /var/secret');
    const r = await call('POST', '/v1/decisions', event());
    expect(r.status).toBe(500);
    expect(r.json).toEqual({ error: { code: 'INTERNAL', message: 'internal error' } });
    expect(r.text).not.toContain('secret');
    expect(errors.join('\n')).toContain('disk on fire');
    engine.failWith = new EngineClosedError();
    const closed = await call('POST', '/v1/decisions', event({ id: 'e2' }));
    expect(closed.status).toBe(503);
    expect(closed.headers.get('retry-after')).toBe('1');
  });

  it('counts requests by route and status, latency per route and in-flight requests', async () => {
    const metrics = new MetricsRegistry();
    await start({ metrics });
    await call('POST', '/v1/decisions', event());
    await call('POST', '/v1/decisions', event({ id: 'e2' }));
    await call('POST', '/v1/decisions', '{');
    await call('GET', '/nope');
    const text = (await call('GET', '/metrics')).text;
    expect(text).toContain('argus_http_requests_total{route="POST /v1/decisions",status="200"} 2\n');
    expect(text).toContain('argus_http_requests_total{route="POST /v1/decisions",status="400"} 1\n');
    expect(text).toContain('argus_http_requests_total{route="(not found)",status="404"} 1\n');
    expect(text).toContain('argus_http_request_duration_seconds_count{route="POST /v1/decisions"} 3\n');
    expect(text).toContain('# TYPE argus_http_requests_in_flight gauge\nargus_http_requests_in_flight 1\n'); // the scrape itself
  });

  it('closes gracefully: in-flight requests finish, new connections are refused', async () => {
    await start();
    let open!: () => void;
    engine.gate = new Promise<void>((resolve) => (open = resolve));
    const entered = new Promise<void>((resolve) => (engine.onEnter = resolve));
    const pending = call('POST', '/v1/decisions', event());
    await entered;
    const closing = server!.close();
    const health = await fetch(`${server!.url}/healthz`).then((r) => r.status, () => 'refused');
    expect(health).toBe('refused');
    open();
    const answer = await pending;
    expect(answer.status).toBe(200);
    expect(answer.headers.get('connection')).toBe('close');
    await closing;
  });
});
