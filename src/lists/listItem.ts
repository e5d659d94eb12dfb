import { parseIpRange, type IpRange } from './ipAddress.ts';
import type { ListItem, ListKind } from './types.ts';

/** Longest string item. */
export const MAX_STRING_ITEM = 1024;

/** An item's canonical key and, for `ip` lists, its parsed range. */
export interface NormalItem {
  key: ListItem;
  range: IpRange | undefined;
}

/**
 * Checks one item against its list's kind and gives its canonical form, or a message saying why
 * it does not fit (the caller adds the item's path).
 */
export function normalizeItem(kind: ListKind, item: unknown): NormalItem | string {
  switch (kind) {
    case 'string':
      if (typeof item !== 'string') return `a "string" list holds strings, got ${describeItem(item)}`;
      if (item.length === 0) return 'must not be empty';
      if (item.length > MAX_STRING_ITEM) return `longer than ${MAX_STRING_ITEM} characters`;
      if (item.trim() !== item) return `${JSON.stringify(item)} has leading or trailing whitespace`;
      return { key: item, range: undefined };
    case 'number':
      if (typeof item !== 'number' || !Number.isFinite(item)) return `a "number" list holds numbers, got ${describeItem(item)}`;
      return { key: item === 0 ? 0 : item, range: undefined };
    case 'ip': {
      if (typeof item !== 'string') return `an "ip" list holds address or CIDR strings, got ${describeItem(item)}`;
      const range = parseIpRange(item);
      if (typeof range === 'string') return range;
      return { key: range.text, range };
    }
  }
}

function describeItem(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}
