import type { ListRef } from '../conditions/types.ts';
import type { IpRange } from './ipAddress.ts';
import { IpSet } from './IpSet.ts';
import type { ListItem, ListKind } from './types.ts';

const EMPTY_IPS = new IpSet([]);

/**
 * One named list, as compiled conditions hold it: a stable object whose contents the registry
 * replaces in place, so a file reload or an API change is visible to the next decision without
 * recompiling any rule. Only `ListRegistry` changes it.
 */
export class LiveList implements ListRef {
  /** Whether a loaded list file defines this name (a rule can only be compiled against a defined list). */
  defined = false;
  kind: ListKind = 'string';
  description = '';
  file = '';
  hash = '';
  version = 0;
  /** The file's items. */
  fileItems = new Map<ListItem, IpRange | undefined>();
  /** API additions the file does not hold. */
  added = new Map<ListItem, IpRange | undefined>();
  /** File items removed through the API. */
  removed = new Set<ListItem>();
  /** Items in effect: `fileItems - removed + added`, in that order. */
  effective = new Map<ListItem, IpRange | undefined>();
  /** Containment index of an `ip` list; null for the other kinds (they look up `effective`). */
  ips: IpSet | null = null;

  constructor(readonly name: string) {}

  /** Whether a fact value is in the list: exact for strings and numbers, containment for `ip`. */
  has(value: unknown): boolean {
    const ips = this.ips;
    return ips === null ? this.effective.has(value as ListItem) : ips.has(value);
  }

  /** Recomputes `effective` and the index from the file and the overlay. */
  rebuild(): void {
    const effective = new Map<ListItem, IpRange | undefined>();
    for (const [key, range] of this.fileItems) if (!this.removed.has(key)) effective.set(key, range);
    for (const [key, range] of this.added) effective.set(key, range);
    this.effective = effective;
    this.reindex();
  }

  /** Rebuilds the `ip` index after `effective` changed. */
  reindex(): void {
    this.ips = this.kind === 'ip' ? (this.effective.size === 0 ? EMPTY_IPS : new IpSet(this.effective.values() as Iterable<IpRange>)) : null;
  }

  /** Undefines the list: it matches nothing. */
  clear(): void {
    this.defined = false;
    this.fileItems = new Map();
    this.added = new Map();
    this.removed = new Set();
    this.effective = new Map();
    this.ips = this.kind === 'ip' ? EMPTY_IPS : null;
  }
}
