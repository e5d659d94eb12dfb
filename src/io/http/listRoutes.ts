import { ValidationError } from '../../errors.ts';
import { UnknownListError } from '../../lists/index.ts';
import { HttpError } from './HttpError.ts';
import type { ListService } from './ListService.ts';
import type { Reply, RequestContext, RouteDefinition } from './types.ts';

export interface ListRouteOptions {
  service: ListService;
  /** Most items in one PUT or DELETE (default 10,000). */
  maxItems?: number;
  /** Body limit of PUT and DELETE, bytes (default 2 MiB: 10,000 IPv6 ranges fit). */
  maxBodyBytes?: number;
  /** Items `GET /v1/lists/:name` shows without `?limit=` (default 1,000). */
  defaultLimit?: number;
  /** Largest `?limit=` (default 10,000). */
  maxLimit?: number;
}

/**
 * The list admin API (admin access: `x-admin-key`), for `HttpServerOptions.routes`:
 * - `PUT /v1/lists/:name/items` `{"items": [...]}` adds items; `DELETE` the same body removes them;
 * - `GET /v1/lists/:name[?limit=n]` the list and its first items; `GET /v1/lists` every list.
 * Unknown list → 404 `LIST_NOT_FOUND`; bad body or item → 400 with the item's path.
 */
export function listRoutes(options: ListRouteOptions): RouteDefinition[] {
  const { service } = options;
  const maxItems = options.maxItems ?? 10_000;
  const bodyLimit = options.maxBodyBytes ?? 2 * 1024 * 1024;
  const defaultLimit = options.defaultLimit ?? 1000;
  const maxLimit = options.maxLimit ?? 10_000;

  const itemsOf = (body: Buffer): unknown[] => {
    let raw: unknown;
    try {
      raw = JSON.parse(body.toString('utf8'));
    } catch (err) {
      throw new ValidationError('list items', [{ path: [], message: `malformed JSON: ${(err as Error).message}` }]);
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw new ValidationError('list items', [{ path: [], message: 'the body must be an object {"items": [...]}' }]);
    }
    const extra = Object.keys(raw).filter((k) => k !== 'items');
    if (extra.length > 0) throw new ValidationError('list items', extra.map((k) => ({ path: [k], message: `unknown key "${k}" (allowed: items)` })));
    const items = (raw as { items?: unknown }).items;
    if (!Array.isArray(items)) throw new ValidationError('list items', [{ path: ['items'], message: 'must be an array of items' }]);
    if (items.length === 0) throw new ValidationError('list items', [{ path: ['items'], message: 'must hold at least one item' }]);
    if (items.length > maxItems) {
      throw new ValidationError('list items', [{ path: ['items'], message: `at most ${maxItems} items per call, got ${items.length}` }]);
    }
    return items;
  };

  const notFound = (name: string): HttpError => new HttpError(404, 'LIST_NOT_FOUND', `unknown list ${JSON.stringify(name)}`);

  const change = (op: 'add' | 'remove') => async (ctx: RequestContext): Promise<Reply> => {
    const name = ctx.params[0]!;
    const items = itemsOf(ctx.body);
    try {
      const update = await service[op](name, items);
      return { status: 200, body: JSON.stringify(update) };
    } catch (err) {
      if (err instanceof UnknownListError) throw notFound(name);
      throw err;
    }
  };

  const show = async (ctx: RequestContext): Promise<Reply> => {
    const name = ctx.params[0]!;
    const view = await service.get(name, limitOf(ctx, defaultLimit, maxLimit));
    if (view === undefined) throw notFound(name);
    return { status: 200, body: JSON.stringify(view) };
  };

  const routes: RouteDefinition[] = [
    { method: 'PUT', path: '/v1/lists/:name/items', access: 'admin', body: true, bodyLimit, handle: change('add') },
    { method: 'DELETE', path: '/v1/lists/:name/items', access: 'admin', body: true, bodyLimit, handle: change('remove') },
    { method: 'GET', path: '/v1/lists/:name', access: 'admin', handle: show },
  ];
  const list = service.list?.bind(service);
  if (list !== undefined) {
    routes.push({ method: 'GET', path: '/v1/lists', access: 'admin', handle: async () => ({ status: 200, body: JSON.stringify({ lists: await list() }) }) });
  }
  return routes;
}

function limitOf(ctx: RequestContext, fallback: number, max: number): number {
  const url = ctx.req.url ?? '';
  const q = url.indexOf('?');
  if (q < 0) return fallback;
  const raw = new URLSearchParams(url.slice(q + 1)).get('limit');
  if (raw === null) return fallback;
  if (!/^(0|[1-9][0-9]*)$/.test(raw) || Number(raw) > max) {
    throw new ValidationError('query', [{ path: ['limit'], message: `must be an integer from 0 to ${max}, got ${JSON.stringify(raw)}` }]);
  }
  return Number(raw);
}
