import { PayloadTooLargeError, ValidationError } from '../../errors.ts';
import type { ArgusEvent, EventParser } from '../../events/index.ts';
import { PROMETHEUS_CONTENT_TYPE, type MetricsRegistry } from '../../runtime/metrics.ts';
import { HttpError } from './HttpError.ts';
import { listRoutes } from './listRoutes.ts';
import { INTERNAL_ERROR, describe, errorStatus, type ErrorBody } from './errorReply.ts';
import type { HttpEngine, Logger, Reply, RequestContext, RouteDefinition } from './types.ts';

export interface ArgusRouteDeps {
  engine: HttpEngine;
  parser: EventParser;
  metrics: MetricsRegistry;
  logger: Logger;
  maxBodyBytes: number;
  maxBatchBytes: number;
  maxBatchEvents: number;
  /** True once the server is draining (health then answers 503). */
  isClosing(): boolean;
}

/** One entry of a batch reply. */
export type BatchResult =
  | { index: number; eventId: string; key: string; accepted: true }
  | { index: number; eventId?: string; accepted: false; error: ErrorBody };

/** The built-in routes of the decision API. */
export function argusRoutes(deps: ArgusRouteDeps): RouteDefinition[] {
  const { engine, parser, metrics, logger } = deps;

  const decide = async (ctx: RequestContext): Promise<Reply> => {
    const event = parser.parseText(ctx.body);
    const decision = await engine.decide(event);
    return { status: 200, body: JSON.stringify(decision) };
  };

  const ingest = async (ctx: RequestContext): Promise<Reply> => {
    const body = ctx.body;
    if (firstNonSpace(body) !== 0x5b /* [ */) {
      if (body.length > deps.maxBodyBytes) throw new PayloadTooLargeError(deps.maxBodyBytes);
      const event = parser.parseText(body);
      await engine.ingest(event);
      return { status: 202, body: JSON.stringify({ eventId: event.id, key: event.key, accepted: true }) };
    }
    return ingestBatch(body);
  };

  const ingestBatch = async (body: Buffer): Promise<Reply> => {
    let raw: unknown;
    try {
      raw = JSON.parse(body.toString('utf8'));
    } catch (err) {
      throw new ValidationError('event', [{ path: [], message: `malformed JSON: ${(err as Error).message}` }]);
    }
    const items = raw as unknown[];
    if (items.length === 0) throw new ValidationError('event', [{ path: [], message: 'an event batch must hold at least one event' }]);
    if (items.length > deps.maxBatchEvents) {
      throw new ValidationError('event', [{ path: [], message: `an event batch holds at most ${deps.maxBatchEvents} events, got ${items.length}` }]);
    }
    const results: BatchResult[] = new Array(items.length);
    const events: (ArgusEvent | undefined)[] = new Array(items.length);
    let invalid = 0;
    for (let i = 0; i < items.length; i++) {
      try {
        events[i] = parser.parseValue(items[i]);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        invalid++;
        const item = items[i] as { id?: unknown } | null;
        const id = item !== null && typeof item === 'object' && typeof item.id === 'string' ? item.id : undefined;
        results[i] = { index: i, eventId: id, accepted: false, error: err.under([i]).toJSON() };
      }
    }
    // Ingest in request order (the engine keeps per-key order by call order), then wait for all.
    const pending: Promise<void>[] = [];
    const pendingIndex: number[] = [];
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      if (event === undefined) continue;
      pending.push(engine.ingest(event));
      pendingIndex.push(i);
    }
    const settled = await Promise.allSettled(pending);
    let accepted = 0;
    for (let j = 0; j < settled.length; j++) {
      const i = pendingIndex[j]!;
      const event = events[i]!;
      const outcome = settled[j]!;
      if (outcome.status === 'fulfilled') {
        accepted++;
        results[i] = { index: i, eventId: event.id, key: event.key, accepted: true };
      } else {
        const known = errorStatus(outcome.reason);
        if (known === undefined) logger.error('batch ingest failed', { eventId: event.id, error: describe(outcome.reason) });
        results[i] = { index: i, eventId: event.id, accepted: false, error: known?.error ?? INTERNAL_ERROR };
      }
    }
    const rejected = items.length - accepted;
    const status = rejected === 0 ? 202 : accepted === 0 && invalid === items.length ? 400 : 207;
    return { status, body: JSON.stringify({ accepted, rejected, results }) };
  };

  const inspect = async (ctx: RequestContext): Promise<Reply> => {
    const key = ctx.params[0]!;
    const view = await engine.inspectKey(key);
    if (view === undefined) throw new HttpError(404, 'KEY_NOT_FOUND', `no state for key ${JSON.stringify(key)}`);
    return { status: 200, body: JSON.stringify(view) };
  };

  const health = (): Reply =>
    deps.isClosing()
      ? { status: 503, body: JSON.stringify({ status: 'closing', catalogVersion: engine.catalogVersion }) }
      : { status: 200, body: JSON.stringify({ status: 'ok', catalogVersion: engine.catalogVersion }) };

  const scrape = (): Reply => ({ status: 200, body: metrics.render(), contentType: PROMETHEUS_CONTENT_TYPE });

  const catalogRoutes: RouteDefinition[] = [];
  if (engine.describeCatalog !== undefined) {
    const describeCatalog = engine.describeCatalog.bind(engine);
    catalogRoutes.push({ method: 'GET', path: '/v1/catalog', handle: () => ({ status: 200, body: JSON.stringify(describeCatalog()) }) });
  }
  if (engine.reloadCatalog !== undefined) {
    const reloadCatalog = engine.reloadCatalog.bind(engine);
    catalogRoutes.push({
      method: 'POST',
      path: '/v1/catalog/reload',
      access: 'admin',
      handle: async () => {
        const result = await reloadCatalog('api');
        // 422: the files are invalid; the previous catalog keeps serving (its version is in the body).
        return { status: result.ok ? 200 : 422, body: JSON.stringify(result) };
      },
    });
  }

  if (engine.addListItems !== undefined && engine.removeListItems !== undefined && engine.getList !== undefined) {
    const e = engine as Required<Pick<HttpEngine, 'addListItems' | 'removeListItems' | 'getList'>> & HttpEngine;
    catalogRoutes.push(
      ...listRoutes({
        service: {
          add: (name, items) => e.addListItems(name, items),
          remove: (name, items) => e.removeListItems(name, items),
          get: (name, limit) => e.getList(name, limit),
          ...(e.describeLists !== undefined ? { list: () => e.describeLists!() } : {}),
        },
      }),
    );
  }

  return [
    ...catalogRoutes,
    { method: 'POST', path: '/v1/decisions', body: true, bodyLimit: deps.maxBodyBytes, handle: decide },
    { method: 'POST', path: '/v1/events', body: true, bodyLimit: Math.max(deps.maxBodyBytes, deps.maxBatchBytes), handle: ingest },
    { method: 'GET', path: '/v1/keys/:key', handle: inspect },
    { method: 'GET', path: '/healthz', access: 'public', handle: health },
    { method: 'GET', path: '/metrics', access: 'public', handle: scrape },
  ];
}

function firstNonSpace(buf: Buffer): number {
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i]!;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return c;
  }
  return -1;
}
