import { z } from 'zod';
import { ConditionError, fromZodIssues, ValidationError } from '../errors.ts';
import type { ListRef } from '../conditions/types.ts';
import type { IpRange } from './ipAddress.ts';
import { LiveList } from './LiveList.ts';
import { normalizeItem } from './listItem.ts';
import { LIST_NAME, normalizeItems, parseListFile, type ListDefinition } from './parseListFile.ts';
import type {
  DroppedItem,
  ListFileInput,
  ListItem,
  ListLoadResult,
  ListOverlay,
  ListSummary,
  ListUpdate,
  ListView,
} from './types.ts';
import { UnknownListError } from './UnknownListError.ts';

/** `CompileOptions.list`: resolves a list name to its live reference, or throws a `ConditionError` at `at`. */
export type ListHook = (name: string, at: (string | number)[]) => ListRef;

/** Validated list files, not yet in effect: compile the catalog against `hook`, then `commit`. */
export interface PreparedLists {
  readonly ok: boolean;
  /** One per invalid file (file, line, field paths). */
  readonly errors: readonly ValidationError[];
  /** The list names the files define, sorted. */
  readonly names: readonly string[];
  /**
   * `CompileOptions.list` for conditions compiled against these files: resolves a name the files
   * define to the registry's live reference for it (filled on `commit`), and throws a
   * `ConditionError` for any other name — so a rule that uses a list whose file is gone fails the reload.
   */
  readonly hook: ListHook;
  /** Every name the hook resolved. */
  readonly referenced: ReadonlySet<string>;
  /** The names, of those given, that the files do not define. */
  missing(names: Iterable<string>): string[];
}

interface Prepared extends PreparedLists {
  readonly registry: ListRegistry;
  readonly definitions: Map<string, ListDefinition>;
}

type RawOverlay = { added: readonly unknown[]; removed: readonly unknown[] };

const OverlaySchema = z
  .object({
    version: z.literal(1),
    lists: z.record(
      z.string(),
      z.object({ added: z.array(z.union([z.string(), z.number()])), removed: z.array(z.union([z.string(), z.number()])) }).strict(),
    ),
  })
  .strict();

/** How many known names an "unknown list" message lists. */
const NAMES_IN_MESSAGES = 20;

function knownNames(names: Iterable<string>): string {
  const all = [...names].sort();
  if (all.length === 0) return 'no list is defined';
  const shown = all.slice(0, NAMES_IN_MESSAGES).join(', ');
  return `known: ${shown}${all.length > NAMES_IN_MESSAGES ? `, … (${all.length} in all)` : ''}`;
}

/**
 * Every named list of the catalog (`rules/lists/*.json`), with the changes made through the
 * admin API kept as an overlay: a list in effect is its file's items, plus items added through the
 * API, minus items removed through it. Pure: the caller reads the files and persists `overlay()`.
 *
 * `ref(name)` is the same live object for a name for the life of the registry: rules compiled
 * against it see every later reload and API change.
 */
export class ListRegistry {
  private readonly lists = new Map<string, LiveList>();
  /** API changes of lists no file defines (their file is gone, or the overlay was restored first). */
  private readonly orphans = new Map<string, RawOverlay>();
  private clock = 0;

  /** Increases on every change of any list. */
  get version(): number {
    return this.clock;
  }

  /** Validates list files without changing anything. All or nothing: `ok` only if every file is valid. */
  prepare(files: readonly ListFileInput[]): PreparedLists {
    const errors: ValidationError[] = [];
    const definitions = new Map<string, ListDefinition>();
    for (const input of files) {
      let def: ListDefinition;
      try {
        def = parseListFile(input);
      } catch (err) {
        if (err instanceof ValidationError) {
          errors.push(err);
          continue;
        }
        throw err;
      }
      const other = definitions.get(def.name);
      if (other !== undefined) {
        errors.push(new ValidationError('list', [{ path: [], message: `list "${def.name}" is also defined by ${other.file}` }], { file: def.file }));
        continue;
      }
      definitions.set(def.name, def);
    }
    const referenced = new Set<string>();
    const hook: ListHook = (name, at) => {
      if (!definitions.has(name)) {
        throw new ConditionError([{ path: at, message: `unknown list ${JSON.stringify(name)} (${knownNames(definitions.keys())})` }]);
      }
      referenced.add(name);
      return this.live(name);
    };
    const prepared: Prepared = {
      ok: errors.length === 0,
      errors,
      names: [...definitions.keys()].sort(),
      hook,
      referenced,
      missing: (names) => [...new Set(names)].filter((n) => !definitions.has(n)).sort(),
      registry: this,
      definitions,
    };
    return prepared;
  }

  /**
   * Puts validated files in effect, keeping the API overlay: changes the new files now agree
   * with are absorbed (an added item the file now holds, a removed item the file no longer holds);
   * changes that do not fit a list's new kind are dropped and reported. A list whose file is gone
   * matches nothing from now on; its overlay is kept (and persisted) in case the file returns.
   */
  commit(prepared: PreparedLists): ListLoadResult {
    const p = prepared as Prepared;
    if (p.registry !== this) throw new Error('these lists were prepared by another registry');
    if (!p.ok) return { ok: false, errors: [...p.errors], names: [], dropped: [], orphaned: [] };
    const dropped: DroppedItem[] = [];
    for (const [name, list] of this.lists) {
      if (!list.defined || p.definitions.has(name)) continue;
      const raw = overlayOf(list);
      if (raw.added.length > 0 || raw.removed.length > 0) this.orphans.set(name, raw);
      list.clear();
      list.version = ++this.clock;
    }
    for (const def of p.definitions.values()) {
      const list = this.live(def.name);
      const raw = list.defined ? overlayOf(list) : (this.orphans.get(def.name) ?? { added: [], removed: [] });
      this.orphans.delete(def.name);
      const same = list.defined && list.hash === def.hash && list.kind === def.kind;
      list.defined = true;
      list.kind = def.kind;
      list.description = def.description;
      list.file = def.file;
      list.hash = def.hash;
      list.fileItems = def.items;
      const absorbed = this.applyOverlay(list, raw, dropped);
      if (!same || absorbed) list.version = ++this.clock;
    }
    return { ok: true, errors: [], names: p.names.slice(), dropped, orphaned: [...this.orphans.keys()].sort() };
  }

  /** `prepare` then, if every file is valid, `commit`. */
  load(files: readonly ListFileInput[]): ListLoadResult {
    return this.commit(this.prepare(files));
  }

  /** The live reference of a defined list (the same object on every call), or undefined. */
  ref(name: string): ListRef | undefined {
    const list = this.lists.get(name);
    return list !== undefined && list.defined ? list : undefined;
  }

  /** `CompileOptions.list` against the lists in effect now (for a rules-only recompile). */
  readonly hook: ListHook = (name, at) => {
    const ref = this.ref(name);
    if (ref === undefined) throw new ConditionError([{ path: at, message: `unknown list ${JSON.stringify(name)} (${knownNames(this.names())})` }]);
    return ref;
  };

  /** Names of the defined lists, sorted. */
  names(): string[] {
    const out: string[] = [];
    for (const [name, list] of this.lists) if (list.defined) out.push(name);
    return out.sort();
  }

  /** Every defined list, by name (for `GET /v1/catalog`). */
  describe(): ListSummary[] {
    return this.names().map((name) => summaryOf(this.lists.get(name)!));
  }

  /** A list with its first `limit` items in effect, or undefined if no file defines it. */
  get(name: string, limit = 1000): ListView | undefined {
    const list = this.lists.get(name);
    if (list === undefined || !list.defined) return undefined;
    const items: ListItem[] = [];
    if (limit > 0) for (const key of list.effective.keys()) if (items.push(key) >= limit) break;
    return { ...summaryOf(list), items, truncated: list.effective.size > items.length };
  }

  /**
   * Adds items through the API. All or nothing: throws `UnknownListError` for a name no file
   * defines, and a `ValidationError` (paths `items[i]`) if any item does not fit the list's kind.
   */
  add(name: string, items: readonly unknown[]): ListUpdate {
    const list = this.defined(name);
    const normal = this.validate(list, items);
    let changed = 0;
    for (const [key, range] of normal) {
      if (list.effective.has(key)) continue;
      changed++;
      if (list.fileItems.has(key)) list.removed.delete(key);
      else list.added.set(key, range);
      list.effective.set(key, range);
    }
    return this.changed(list, changed, items.length);
  }

  /**
   * Removes items through the API (exact items in canonical form: removing `10.1.2.3` leaves a
   * listed `10.0.0.0/8` in place). Same errors as `add`.
   */
  remove(name: string, items: readonly unknown[]): ListUpdate {
    const list = this.defined(name);
    const normal = this.validate(list, items);
    let changed = 0;
    for (const key of normal.keys()) {
      if (!list.effective.has(key)) continue;
      changed++;
      list.effective.delete(key);
      if (list.added.has(key)) list.added.delete(key);
      else list.removed.add(key);
    }
    return this.changed(list, changed, items.length);
  }

  /** The API changes of every list (including orphaned ones), JSON-safe, names sorted. */
  overlay(): ListOverlay {
    const out: ListOverlay = { version: 1, lists: {} };
    const names = new Set<string>(this.orphans.keys());
    for (const [name, list] of this.lists) if (list.defined && (list.added.size > 0 || list.removed.size > 0)) names.add(name);
    for (const name of [...names].sort()) {
      const list = this.lists.get(name);
      const raw = list !== undefined && list.defined ? overlayOf(list) : this.orphans.get(name)!;
      out.lists[name] = { added: raw.added.slice() as ListItem[], removed: raw.removed.slice() as ListItem[] };
    }
    return out;
  }

  /**
   * Replaces every API change with a persisted overlay (`overlay()` output, as an object or its
   * JSON text). Works before or after `load`. Throws a `ValidationError` (what: `list overlay`)
   * if it is malformed; items that do not fit their list's kind are dropped and returned.
   */
  restoreOverlay(json: unknown): DroppedItem[] {
    let value = json;
    if (typeof json === 'string') {
      try {
        value = JSON.parse(json);
      } catch (err) {
        throw new ValidationError('list overlay', [{ path: [], message: `malformed JSON: ${(err as Error).message}` }]);
      }
    }
    const parsed = OverlaySchema.safeParse(value);
    if (!parsed.success) throw new ValidationError('list overlay', fromZodIssues(parsed.error.issues));
    const wanted = parsed.data.lists;
    const bad = Object.keys(wanted).filter((n) => !LIST_NAME.test(n));
    if (bad.length > 0) throw new ValidationError('list overlay', bad.map((n) => ({ path: ['lists', n], message: 'not a list name' })));
    const dropped: DroppedItem[] = [];
    this.orphans.clear();
    for (const [name, raw] of Object.entries(wanted)) {
      const list = this.lists.get(name);
      if (list === undefined || !list.defined) this.orphans.set(name, raw);
    }
    for (const list of this.lists.values()) {
      if (!list.defined) continue;
      const had = list.added.size > 0 || list.removed.size > 0;
      const raw = wanted[list.name];
      if (!had && raw === undefined) continue;
      this.applyOverlay(list, raw ?? { added: [], removed: [] }, dropped);
      list.version = ++this.clock;
    }
    return dropped;
  }

  /** The live object of a name, created (undefined, empty) on first use. */
  private live(name: string): LiveList {
    let list = this.lists.get(name);
    if (list === undefined) {
      list = new LiveList(name);
      this.lists.set(name, list);
    }
    return list;
  }

  private defined(name: string): LiveList {
    const list = this.lists.get(name);
    if (list === undefined || !list.defined) throw new UnknownListError(name);
    return list;
  }

  private validate(list: LiveList, items: readonly unknown[]): Map<ListItem, IpRange | undefined> {
    const { items: normal, issues } = normalizeItems(list.kind, items, ['items']);
    if (issues.length > 0) throw new ValidationError('list items', issues);
    return normal;
  }

  private changed(list: LiveList, changed: number, given: number): ListUpdate {
    if (changed > 0) {
      list.reindex();
      list.version = ++this.clock;
    }
    return { ...summaryOf(list), changed, unchanged: given - changed };
  }

  /**
   * Sets a list's overlay from raw items against its current file and kind: items the file agrees
   * with are absorbed, items that do not fit are dropped. Returns whether anything was absorbed or dropped.
   */
  private applyOverlay(list: LiveList, raw: RawOverlay, dropped: DroppedItem[]): boolean {
    const added = new Map<ListItem, IpRange | undefined>();
    const removed = new Set<ListItem>();
    let changed = false;
    for (const item of raw.added) {
      const n = normalizeItem(list.kind, item);
      if (typeof n === 'string') {
        dropped.push({ list: list.name, item, reason: n });
        changed = true;
      } else if (list.fileItems.has(n.key)) changed = true;
      else added.set(n.key, n.range);
    }
    for (const item of raw.removed) {
      const n = normalizeItem(list.kind, item);
      if (typeof n === 'string') {
        dropped.push({ list: list.name, item, reason: n });
        changed = true;
      } else if (!list.fileItems.has(n.key)) changed = true;
      else removed.add(n.key);
    }
    list.added = added;
    list.removed = removed;
    list.rebuild();
    return changed;
  }
}

function overlayOf(list: LiveList): RawOverlay {
  return { added: [...list.added.keys()], removed: [...list.removed] };
}

function summaryOf(list: LiveList): ListSummary {
  return {
    name: list.name,
    kind: list.kind,
    description: list.description,
    size: list.effective.size,
    file: list.file,
    hash: list.hash,
    version: list.version,
    added: list.added.size,
    removed: list.removed.size,
  };
}
