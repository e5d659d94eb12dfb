import type { ValidationError } from '../errors.ts';

/**
 * What a list holds: `string` items match a string fact exactly, `number` items a number fact,
 * `ip` items are IPv4/IPv6 addresses or CIDR ranges that match an address fact by containment.
 */
export type ListKind = 'string' | 'ip' | 'number';
export const LIST_KINDS: readonly ListKind[] = ['string', 'ip', 'number'];

/** One item in canonical form (an `ip` item is its canonical text: `10.0.0.0/8`, `2001:db8::/32`). */
export type ListItem = string | number;

/** A list file to load: its display path and its text. */
export interface ListFileInput {
  file: string;
  text: string;
}

/** A list as `GET /v1/catalog` and `GET /v1/lists` describe it. */
export interface ListSummary {
  name: string;
  kind: ListKind;
  description: string;
  /** Items in effect: the file's, plus those added through the API, minus those removed through it. */
  size: number;
  /** The file the list comes from. */
  file: string;
  /** sha-256 of the file's text, 12 hex digits. */
  hash: string;
  /** Increases whenever the items in effect may have changed (file reload, API change, overlay restore). */
  version: number;
  /** Items added through the API that the file does not hold. */
  added: number;
  /** Items of the file removed through the API. */
  removed: number;
}

/** `GET /v1/lists/:name`: the summary and the first items in effect. */
export interface ListView extends ListSummary {
  items: ListItem[];
  /** Whether more items are in effect than `items` shows. */
  truncated: boolean;
}

/** The answer to an API change. */
export interface ListUpdate extends ListSummary {
  /** Items that were added (were not in effect) or removed (were in effect). */
  changed: number;
  /** Items already in effect (add) or not in the list as written (remove). */
  unchanged: number;
}

/**
 * The API changes of every list, JSON-safe, for the state store (`putMeta('lists', …)`).
 * Items are canonical; `added` never holds an item of the file and `removed` only items of it.
 */
export interface ListOverlay {
  version: 1;
  lists: Record<string, { added: ListItem[]; removed: ListItem[] }>;
}

/** An API change that no longer fits its list (its kind changed) and was dropped. */
export interface DroppedItem {
  list: string;
  item: unknown;
  reason: string;
}

/** What a `load` or `commit` did. */
export interface ListLoadResult {
  ok: boolean;
  /** One per invalid file, with file, line and field path. Empty when ok. */
  errors: ValidationError[];
  /** Lists loaded, in name order. */
  names: string[];
  /** API changes dropped because they do not fit the list's (new) kind. */
  dropped: DroppedItem[];
  /** Names of lists whose file is gone but whose API changes are kept (they apply again if the file returns). */
  orphaned: string[];
}
