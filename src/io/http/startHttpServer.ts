import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { EventParser, MAX_EVENT_BYTES } from '../../events/index.ts';
import { MetricsRegistry, type CounterChild, type Gauge, type HistogramChild } from '../../runtime/metrics.ts';
import { HttpError } from './HttpError.ts';
import { Router } from './Router.ts';
import { argusRoutes } from './argusRoutes.ts';
import { describe, errorReply } from './errorReply.ts';
import { readBody } from './readBody.ts';
import type { HttpEngine, HttpServer, HttpServerOptions, Logger, Reply, RequestContext, RouteDefinition } from './types.ts';

const JSON_TYPE = 'application/json; charset=utf-8';

/** A route with its metric handles, resolved once at start-up. */
interface BoundRoute {
  /** Undefined for the pseudo-routes that label 404 and 405 answers. */
  def: RouteDefinition | undefined;
  /** `POST /v1/decisions`: the metrics label. */
  label: string;
  latency: HistogramChild;
  byStatus: Map<number, CounterChild>;
}

/** Logs nothing but errors, to stderr (the CLI passes its own logger). */
const stderrLogger: Logger = {
  error: (message, fields) => process.stderr.write(`error ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}\n`),
  warn: () => {},
  info: () => {},
};

/**
 * Serves the decision API on raw `node:http` (see docs/api.md). Resolves once listening.
 * `close()` stops accepting, lets in-flight requests finish and resolves; the caller then
 * closes the engine.
 */
export async function startHttpServer(engine: HttpEngine, options: HttpServerOptions = {}): Promise<HttpServer> {
  const logger = options.logger ?? stderrLogger;
  const metrics = options.metrics ?? new MetricsRegistry();
  const parser = options.parser ?? engine.parser ?? new EventParser();
  const maxBodyBytes = options.maxBodyBytes ?? MAX_EVENT_BYTES;
  const apiKey = options.apiKey === undefined || options.apiKey === '' ? undefined : digest(options.apiKey);
  const adminKey = options.adminKey === undefined || options.adminKey === '' ? undefined : digest(options.adminKey);
  let closing = false;
  let inFlightCount = 0;
  let drained: (() => void) | undefined;

  const requests = metrics.counter('http_requests_total', 'HTTP requests answered, by route and status.', ['route', 'status']);
  const duration = metrics.histogram('http_request_duration_seconds', 'HTTP request latency from first byte read to response written, by route.', ['route']);
  const inFlight: Gauge = metrics.gauge('http_requests_in_flight', 'HTTP requests being processed.');

  const bind = (def: RouteDefinition | undefined, label: string): BoundRoute => ({
    def,
    label,
    latency: duration.labels(label),
    byStatus: new Map(),
  });

  const router = new Router<BoundRoute>();
  const defs = argusRoutes({
    engine,
    parser,
    metrics,
    logger,
    maxBodyBytes,
    maxBatchBytes: options.maxBatchBytes ?? 1024 * 1024,
    maxBatchEvents: options.maxBatchEvents ?? 1000,
    isClosing: () => closing,
  });
  for (const def of [...defs, ...(options.routes ?? [])]) router.add(def.method, def.path, bind(def, `${def.method} ${def.path}`));
  const notFound = bind(undefined, '(not found)');
  const notAllowed = bind(undefined, '(method not allowed)');

  const finish = (route: BoundRoute, res: ServerResponse, start: number, reply: Reply): void => {
    if (!res.headersSent && !res.destroyed) {
      // One writeHead with a flat header list, then one end(): Node sends head and body in one write.
      const head: (string | number)[] = ['content-type', reply.contentType ?? JSON_TYPE, 'content-length', Buffer.byteLength(reply.body)];
      const extra = reply.headers;
      if (extra !== undefined) for (const name in extra) head.push(name, String(extra[name]));
      if (closing) head.push('connection', 'close');
      res.writeHead(reply.status, head as unknown as OutgoingHttpHeaders);
      res.end(reply.body);
    }
    let counter = route.byStatus.get(reply.status);
    if (counter === undefined) {
      counter = requests.labels(route.label, reply.status);
      route.byStatus.set(reply.status, counter);
    }
    counter.inc();
    route.latency.observe((performance.now() - start) / 1000);
  };

  const dispatch = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const start = performance.now();
    inFlight.inc();
    inFlightCount++;
    let route = notFound;
    try {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const match = router.find(req.method ?? 'GET', q < 0 ? url : url.slice(0, q));
      if (match.kind !== 'found') {
        if (match.kind === 'method-not-allowed') {
          route = notAllowed;
          throw new HttpError(405, 'METHOD_NOT_ALLOWED', `method ${req.method} is not allowed here; allowed: ${match.allow.join(', ')}`, {
            allow: match.allow.join(', '),
          });
        }
        throw new HttpError(404, 'NOT_FOUND', `no route for ${req.method} ${q < 0 ? url : url.slice(0, q)}`);
      }
      route = match.route;
      const def = route.def!;
      checkAccess(def.access ?? 'api', req);
      const params = match.params.length === 0 ? match.params : match.params.map(decodeParam);
      let body: Buffer = EMPTY;
      if (def.body === true) {
        checkContentType(req.headers['content-type']);
        body = await readBody(req, def.bodyLimit ?? maxBodyBytes);
      }
      const ctx: RequestContext = { req, params, body };
      finish(route, res, start, await def.handle(ctx));
    } catch (err) {
      try {
        finish(route, res, start, errorReply(err, logger, { method: req.method, url: req.url }));
      } catch (fatal) {
        logger.error('cannot answer a request', { error: describe(fatal) });
        res.destroy();
      }
    } finally {
      inFlight.dec();
      if (--inFlightCount === 0 && drained !== undefined) drained();
    }
  };

  const checkAccess = (access: 'public' | 'api' | 'admin', req: IncomingMessage): void => {
    if (access === 'public') return;
    if (access === 'admin') {
      if (adminKey === undefined) throw new HttpError(403, 'ADMIN_DISABLED', 'admin endpoints are disabled: no admin key is configured');
      if (!matches(req.headers['x-admin-key'], adminKey)) throw new HttpError(401, 'UNAUTHORIZED', 'missing or wrong x-admin-key header');
      return;
    }
    if (apiKey !== undefined && !matches(req.headers['x-api-key'], apiKey)) {
      throw new HttpError(401, 'UNAUTHORIZED', 'missing or wrong x-api-key header');
    }
  };

  // dispatch answers every error itself; this only catches a bug in that answering.
  const onDispatchFailure = (err: unknown): void => logger.error('unhandled error in request dispatch', { error: describe(err) });
  const server = createServer((req, res) => {
    dispatch(req, res).catch(onDispatchFailure);
  });
  server.keepAliveTimeout = options.keepAliveTimeoutMs ?? 5_000;

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => logger.error('http server error', { error: describe(err) }));
  const port = (server.address() as AddressInfo).port;

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      closing = true;
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const idle = inFlightCount === 0 ? Promise.resolve() : new Promise<void>((resolve) => (drained = resolve));
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          logger.warn('close timeout: cutting connections still open', { inFlight: inFlightCount });
          server.closeAllConnections();
          resolve();
        }, options.closeTimeoutMs ?? 10_000);
        timer.unref();
      });
      await Promise.race([idle, deadline]);
      // Answers sent while closing carry `connection: close`; idle keep-alive sockets are closed now.
      server.closeIdleConnections();
      await Promise.race([serverClosed, deadline]);
      clearTimeout(timer);
    })();
    return closed;
  };

  return { port, host, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, close };
}

const EMPTY = Buffer.alloc(0);

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Constant-time comparison: both sides are hashed to the same length first. */
function matches(header: string | string[] | undefined, expected: Buffer): boolean {
  if (typeof header !== 'string') return false;
  return timingSafeEqual(digest(header), expected);
}

function decodeParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, 'BAD_PATH', `malformed URL encoding in path segment ${JSON.stringify(raw)}`);
  }
}

/** JSON bodies only; a request without Content-Type is read as JSON (documented in docs/api.md). */
function checkContentType(header: string | undefined): void {
  if (header === undefined || header === 'application/json') return;
  const semi = header.indexOf(';');
  const type = (semi < 0 ? header : header.slice(0, semi)).trim().toLowerCase();
  if (type !== 'application/json' && !(type.startsWith('application/') && type.endsWith('+json'))) {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `Content-Type must be application/json, got ${JSON.stringify(header)}`);
  }
  if (semi >= 0) {
    const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(header.slice(semi));
    if (charset !== null && charset[1]!.toLowerCase() !== 'utf-8' && charset[1]!.toLowerCase() !== 'utf8') {
      throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `only UTF-8 JSON is accepted, got charset ${charset[1]}`);
    }
  }
}
