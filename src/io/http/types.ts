import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { EventParser } from '../../events/index.ts';
import type { ListSummary, ListUpdate, ListView } from '../../lists/index.ts';
import type { DecisionEngine } from '../../runtime/types.ts';
import type { MetricsRegistry } from '../../runtime/metrics.ts';

/** Where the HTTP layer reports what the client cannot see (internal errors, start, stop). */
export interface Logger {
  error(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
}

/** The engine as the HTTP layer needs it: the decision API plus the parser it validates events with. */
export type HttpEngine = DecisionEngine & {
  readonly parser?: EventParser;
  /** `GET /v1/catalog` (served when the engine has it). */
  describeCatalog?(): unknown;
  /** `POST /v1/catalog/reload` (admin; served when the engine has it). */
  reloadCatalog?(trigger?: string): Promise<{ ok: boolean; version: string }>;
  /** The list admin routes (`/v1/lists/...`) are served when the engine has these. */
  addListItems?(name: string, items: readonly unknown[]): Promise<ListUpdate>;
  removeListItems?(name: string, items: readonly unknown[]): Promise<ListUpdate>;
  getList?(name: string, limit: number): Promise<ListView | undefined>;
  describeLists?(): Promise<ListSummary[]>;
};

/** Who may call a route: anyone, holders of the API key (when one is set), holders of the admin key. */
export type RouteAccess = 'public' | 'api' | 'admin';

/** One request as a route handler sees it. */
export interface RequestContext {
  readonly req: IncomingMessage;
  /** URL-decoded path parameters, in pattern order (`/v1/keys/:key` → `[key]`). */
  readonly params: string[];
  /** The raw body (routes with `body: true`), at most the route's limit. */
  readonly body: Buffer;
}

/** What a handler answers: the body is already serialised (JSON.stringify once, by the handler). */
export interface Reply {
  status: number;
  body: string;
  /** Default `application/json; charset=utf-8`. */
  contentType?: string;
  headers?: OutgoingHttpHeaders;
}

/** A route of the route table. */
export interface RouteDefinition {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** Literal segments and `:name` parameters, e.g. `/v1/keys/:key`. */
  path: string;
  /** Default `api`. Admin routes check `x-admin-key`, and are refused when no admin key is configured. */
  access?: RouteAccess;
  /** Whether the route reads a JSON body (then Content-Type is checked and the size limited). */
  body?: boolean;
  /** Body limit in bytes for this route (default: the server's `maxBodyBytes`). */
  bodyLimit?: number;
  handle(ctx: RequestContext): Reply | Promise<Reply>;
}

export interface HttpServerOptions {
  /** Default 0 (any free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** When set, every `api` route requires header `x-api-key` equal to it. */
  apiKey?: string;
  /** When set, `admin` routes require header `x-admin-key` equal to it; when unset they answer 403. */
  adminKey?: string;
  /** Where request metrics go (default: a registry of its own, served at /metrics). */
  metrics?: MetricsRegistry;
  /** Event parser; default the engine's `parser`, else one with default options. */
  parser?: EventParser;
  /** Largest body of a single event, in bytes (default 64 KiB). */
  maxBodyBytes?: number;
  /** Largest body of a `POST /v1/events` batch, in bytes (default 1 MiB). */
  maxBatchBytes?: number;
  /** Most events in one batch (default 1,000). */
  maxBatchEvents?: number;
  /** Extra routes (admin endpoints, …), added to the table beside the built-in ones. */
  routes?: RouteDefinition[];
  logger?: Logger;
  /** Keep-alive idle timeout of a connection, ms (default 5,000, Node's). */
  keepAliveTimeoutMs?: number;
  /** On close, connections still busy after this long are cut (default 10,000 ms). */
  closeTimeoutMs?: number;
}

export interface HttpServer {
  readonly port: number;
  readonly host: string;
  /** `http://host:port` */
  readonly url: string;
  /** Stops accepting connections, lets in-flight requests finish, then resolves. Does not close the engine. */
  close(): Promise<void>;
}
