import type { ListSummary, ListUpdate, ListView } from '../../lists/index.ts';

/**
 * What the list admin routes call (`listRoutes`). The engine implements it over its
 * `ListRegistry`: `add` and `remove` must have persisted the new overlay before they resolve.
 * Errors: `UnknownListError` (→ 404) for a list no file defines, `ValidationError` (→ 400, with
 * paths `items[i]`) for items that do not fit the list's kind.
 */
export interface ListService {
  add(name: string, items: readonly unknown[]): Promise<ListUpdate>;
  remove(name: string, items: readonly unknown[]): Promise<ListUpdate>;
  /** The list with at most `limit` items, or undefined if no file defines it. */
  get(name: string, limit: number): Promise<ListView | undefined>;
  /** Every list (when implemented, `GET /v1/lists` serves it). */
  list?(): Promise<ListSummary[]>;
}
