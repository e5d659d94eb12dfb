import { StateStoreError } from '../errors.ts';
import type { BatchOperation, BatchOptions, StateBackend } from './StateBackend.ts';
import { jsonCodec, type StateCodec } from './StateCodec.ts';
import { nameOf, spacePrefixes, storageKey } from './storageKey.ts';

export interface KeyedStateStoreOptions<S> {
  /** How states are written; JSON by default. */
  codec?: StateCodec<S>;
  /**
   * Group-commit window. `0` (default): the flush runs on the next turn of the event loop
   * (`setImmediate`) after the first change, and changes made while a batch is being written go
   * into the next batch — batches grow with load by themselves. `> 0`: wait that many
   * milliseconds after the first change before writing.
   */
  groupCommitMs?: number;
  /** fsync every batch (survives power loss) — default `true`; `false` survives a process crash only. */
  sync?: boolean;
  /** Cache bound: clean keys are evicted above it, least recently used first (CLOCK). Default 1,000,000. */
  maxCachedKeys?: number;
  /**
   * Record and metadata writes (and deletes) kept in memory after they landed, for `getRecord`:
   * those of the most recent batches (at most 64), up to this many writes. Default 100,000.
   */
  maxCachedRecords?: number;
  /** First retry delay after a failed batch (doubling up to 1 s). Default 20 ms. */
  retryDelayMs?: number;
  /**
   * Encode a state when it is set or marked dirty, while it is still in the CPU's cache, instead
   * of at flush time (by then a batch of other keys has pushed it out, and encoding a cold
   * state costs a cache miss per object). A key changed again in the same batch is encoded once
   * more, at flush. Requires that a state does not change after `set`/`markDirty` until the next
   * `set`/`markDirty` of its key (the hot path's contract anyway). Default `false`.
   */
  encodeOnWrite?: boolean;
}

export interface StateStoreStats {
  /** Keys in memory (with a state, or known to have none). */
  cachedKeys: number;
  /** Keys changed since their last durable write (not counting the batch in flight). */
  dirtyKeys: number;
  /** Keys whose load is under way. */
  loadingKeys: number;
  /** Record and metadata writes waiting for the next batch. */
  pendingRecords: number;
  /** Batches written (successful or not), and their operations. */
  batches: number;
  ops: number;
  failedBatches: number;
  /** Operations in the most recent batch. */
  lastBatchSize: number;
  /** Whether a batch is being written now. */
  flushing: boolean;
  evictions: number;
  /** `getMany` round trips, and the state keys they loaded. */
  reads: number;
  loads: number;
}

/** A promise and its settle functions; one per batch, shared by every `commit()` waiting on it. */
class Waiter {
  readonly promise: Promise<void>;
  resolve!: () => void;
  reject!: (err: unknown) => void;
  constructor() {
    this.promise = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // A failed batch must never become an unhandled rejection that kills the process.
    this.promise.catch(noop);
  }
}

/** One key in memory. A class so that every entry has the same shape. */
class Entry<S> {
  readonly key: string;
  state: S | undefined = undefined;
  /** Changed since the last batch was started. */
  dirty = false;
  /** Its storage key, made on first use. */
  storageKey: string | undefined = undefined;
  /** Its state encoded when it was set (`encodeOnWrite`), for the next batch; undefined: encode at flush. */
  text: string | undefined = undefined;
  /** Part of the batch being written (never evicted; it may still sit in the eviction list, which skips it). */
  inFlight = false;
  /** The shared promise of a load under way; undefined once loaded. Not in the eviction list. */
  loading: Promise<S | undefined> | undefined = undefined;
  resolveLoad: ((state: S | undefined) => void) | undefined = undefined;
  rejectLoad: ((err: unknown) => void) | undefined = undefined;
  /** `set`/`delete` happened while loading: the loaded value is stale and is ignored. */
  overridden = false;
  /** In the eviction list (clean entries join it when they land or load; others leave it lazily). */
  inLru = false;
  /** Read or written since eviction last passed it: it gets a second chance (CLOCK). */
  used = false;
  /** Eviction-list neighbours: `newer` towards the head, `older` towards the tail. */
  newer: Entry<S> | undefined = undefined;
  older: Entry<S> | undefined = undefined;
  constructor(key: string) {
    this.key = key;
  }
}

/** A read of a record or metadata value (not cached as an entry). */
class ValueRead {
  readonly promise: Promise<string | undefined>;
  resolve!: (value: string | undefined) => void;
  reject!: (err: unknown) => void;
  constructor(readonly storageKey: string) {
    this.promise = new Promise<string | undefined>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
}

const noop = (): void => {};
const RESOLVED: Promise<void> = Promise.resolve();
const MAX_RETRY_DELAY_MS = 1000;
/** Landed batches whose writes `getRecord` answers from memory (see `remember`). */
const MAX_REMEMBERED_BATCHES = 64;

/**
 * Keyed state with a write-back cache and group commit, on a `StateBackend`.
 *
 * Hot path (synchronous, no I/O): `peek(key)` → mutate the state in place → `set(key, state)`
 * (or `markDirty(key)`). Cold keys: `load(key)` once; every `load` of one key in flight shares ONE
 * promise, whose continuations run in the order they were registered (the store adds no `then`
 * of its own in between), and every cold key requested in the same turn of the event loop is
 * fetched with ONE `getMany`.
 *
 * Durability: `commit()` resolves once every change made before the call is in a batch that has
 * landed. All changes of one group-commit window go into one `backend.batch`; states are encoded
 * at flush time. A failed batch rejects the waiting commits with a retriable `StateStoreError`,
 * keeps everything dirty in memory and is retried (with backoff, and with the next changes).
 */
export class KeyedStateStore<S> {
  readonly backend: StateBackend;
  private readonly codec: StateCodec<S>;
  private readonly groupCommitMs: number;
  private readonly encodeOnWrite: boolean;
  private readonly batchOptions: BatchOptions;
  private readonly maxCachedKeys: number;
  private readonly maxCachedRecords: number;
  private readonly retryDelayMs: number;

  private readonly entries = new Map<string, Entry<S>>();
  /** Eviction list (CLOCK): clean, loaded entries, head = most recently landed or given a second chance. */
  private lruHead: Entry<S> | undefined = undefined;
  /** The entry `find` returned last (see there). */
  private last: Entry<S> | undefined = undefined;
  private lruTail: Entry<S> | undefined = undefined;

  // --- writes ---
  private dirtyList: Entry<S>[] = [];
  /** Record/metadata writes for the next batch: storage key → value, `null` = delete. */
  private pendingWrites = new Map<string, string | null>();
  /** Waiter for the next batch (commits made while changes are pending). */
  private nextWaiter: Waiter | undefined = undefined;
  private flushScheduled = false;
  private flushTimer: ReturnType<typeof setTimeout> | undefined = undefined;
  private flushImmediate: ReturnType<typeof setImmediate> | undefined = undefined;
  private flushing = false;
  private inFlightEntries: Entry<S>[] = [];
  private inFlightWrites = new Map<string, string | null>();
  private inFlightWaiter: Waiter | undefined = undefined;
  private consecutiveFailures = 0;
  /**
   * The record and metadata writes of the most recent landed batches (newest last), for
   * `getRecord`/`getMeta` without a read: whole batches are kept and dropped, so remembering a
   * write costs nothing per write. Bounded by `maxCachedRecords` writes and `MAX_REMEMBERED_BATCHES`.
   */
  private recentBatches: Map<string, string | null>[] = [];
  private recentCount = 0;

  // --- reads ---
  private readKeys: string[] = [];
  private readTargets: (Entry<S> | ValueRead)[] = [];
  private readScheduled = false;
  private readonly valueReads = new Map<string, ValueRead>();
  private readonly readsInFlight = new Set<Promise<unknown>>();

  private closed = false;
  private closing: Promise<void> | undefined = undefined;

  private loadingCount = 0;
  private counters = { batches: 0, ops: 0, failedBatches: 0, lastBatchSize: 0, evictions: 0, reads: 0, loads: 0 };

  constructor(backend: StateBackend, options: KeyedStateStoreOptions<S> = {}) {
    this.backend = backend;
    this.codec = options.codec ?? jsonCodec<S>();
    this.groupCommitMs = options.groupCommitMs ?? 0;
    this.encodeOnWrite = options.encodeOnWrite === true;
    this.batchOptions = { sync: options.sync ?? true };
    this.maxCachedKeys = options.maxCachedKeys ?? 1_000_000;
    this.maxCachedRecords = options.maxCachedRecords ?? 100_000;
    this.retryDelayMs = options.retryDelayMs ?? 20;
    if (!(this.maxCachedKeys >= 1)) throw new RangeError('maxCachedKeys must be at least 1');
    if (!(this.groupCommitMs >= 0)) throw new RangeError('groupCommitMs must be >= 0');
  }

  /** Opens the backend. */
  async open(): Promise<this> {
    await this.backend.open();
    return this;
  }

  // ------------------------------------------------------------------ hot path

  /**
   * The entry of `key` in memory. The last one found is kept: the hot path asks for the same key
   * several times in a row (`isLoaded`, `peek`, then `set` or `markDirty`), and only the first
   * pays the hash lookup.
   */
  private find(key: string): Entry<S> | undefined {
    const last = this.last;
    if (last !== undefined && last.key === key) return last;
    const e = this.entries.get(key);
    if (e !== undefined) this.last = e;
    return e;
  }

  /** Removes an entry from memory. */
  private forget(e: Entry<S>): void {
    this.entries.delete(e.key);
    if (this.last === e) this.last = undefined;
  }

  /** The state of `key` if it is in memory (undefined if not, or if the key has no state). Synchronous. */
  peek(key: string): S | undefined {
    const e = this.find(key);
    if (e === undefined) return undefined;
    e.used = true;
    return e.state;
  }

  /**
   * True when `peek(key)` is authoritative: the key is in memory, loaded (possibly known to have
   * no state). When false, `load(key)` first.
   */
  isLoaded(key: string): boolean {
    const e = this.find(key);
    return e !== undefined && e.loading === undefined;
  }

  /**
   * Sets the state of `key` (it may be the same object, mutated in place) and marks it dirty.
   * Works whether or not the key is in memory; a load under way then resolves with this state.
   */
  set(key: string, state: S): void {
    if (this.closed) throw closedError();
    let e = this.find(key);
    if (e === undefined) {
      e = new Entry<S>(key);
      this.entries.set(key, e);
      e.state = state;
      this.makeDirty(e);
      if (this.entries.size > this.maxCachedKeys) this.evict();
      return;
    }
    e.state = state;
    this.makeDirty(e);
  }

  /**
   * Marks the in-memory state of `key` dirty after it was mutated in place. The key must be in
   * memory (loaded or set); use `set` when unsure.
   */
  markDirty(key: string): void {
    if (this.closed) throw closedError();
    const e = this.find(key);
    if (e === undefined || (e.loading !== undefined && !e.overridden)) {
      throw new StateStoreError(`markDirty("${key}"): the key is not in memory; use set(key, state)`, undefined, false);
    }
    this.makeDirty(e);
  }

  /** Deletes the state of `key` (written as a delete in the next batch). */
  delete(key: string): void {
    if (this.closed) throw closedError();
    let e = this.find(key);
    if (e === undefined) {
      e = new Entry<S>(key);
      this.entries.set(key, e);
    }
    e.state = undefined;
    this.makeDirty(e);
    if (this.entries.size > this.maxCachedKeys) this.evict();
  }

  private makeDirty(e: Entry<S>): void {
    if (e.loading !== undefined) e.overridden = true;
    e.used = true;
    if (!e.dirty) {
      e.dirty = true;
      // (it stays in the eviction list, if it is there: eviction skips and unlinks what is not clean)
      this.dirtyList.push(e);
      if (this.encodeOnWrite && e.state !== undefined) e.text = this.encodeNow(e.state);
    } else {
      e.text = undefined; // changed again before its batch: encoded once, at flush
    }
    if (!this.flushScheduled && !this.flushing) this.scheduleFlush();
  }

  /** `encodeOnWrite`'s encode; on failure, undefined: the flush encodes again and reports the error. */
  private encodeNow(state: S): string | undefined {
    try {
      const text = this.codec.encode(state);
      return typeof text === 'string' ? text : undefined;
    } catch {
      return undefined;
    }
  }

  // ------------------------------------------------------------------ loads

  /**
   * The state of `key`, loading it from the backend if it is not in memory. Concurrent loads of
   * one key share one promise; cold keys requested in the same event-loop turn share one
   * `getMany`. Prefer `peek` + `isLoaded` on the hot path: a loaded key resolves immediately
   * but still costs a promise.
   */
  load(key: string): Promise<S | undefined> {
    const e = this.find(key);
    if (e !== undefined) {
      if (e.loading !== undefined) return e.loading;
      e.used = true;
      return Promise.resolve(e.state);
    }
    if (this.closed) return Promise.reject(closedError());
    const entry = new Entry<S>(key);
    entry.loading = new Promise<S | undefined>((resolve, reject) => {
      entry.resolveLoad = resolve;
      entry.rejectLoad = reject;
    });
    this.entries.set(key, entry);
    this.loadingCount++;
    this.enqueueRead((entry.storageKey = storageKey('k', key)), entry);
    if (this.entries.size > this.maxCachedKeys) this.evict();
    return entry.loading;
  }

  private enqueueRead(key: string, target: Entry<S> | ValueRead): void {
    this.readKeys.push(key);
    this.readTargets.push(target);
    if (!this.readScheduled) {
      this.readScheduled = true;
      setImmediate(this.runReads);
    }
  }

  private readonly runReads = (): void => {
    this.readScheduled = false;
    const keys = this.readKeys;
    const targets = this.readTargets;
    if (keys.length === 0) return;
    this.readKeys = [];
    this.readTargets = [];
    this.counters.reads++;
    let read: Promise<(string | undefined)[]>;
    try {
      read = this.backend.getMany(keys);
    } catch (err) {
      read = Promise.reject(err);
    }
    const done = read.then(
      (values) => this.finishReads(targets, values),
      (err: unknown) => this.failReads(targets, err),
    );
    this.readsInFlight.add(done);
    void done.finally(() => this.readsInFlight.delete(done));
  };

  private finishReads(targets: (Entry<S> | ValueRead)[], values: (string | undefined)[]): void {
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i];
      if (t instanceof ValueRead) {
        this.valueReads.delete(t.storageKey);
        t.resolve(values[i]);
      } else {
        this.finishLoad(t, values[i]);
      }
    }
  }

  /** Ends a key's load (whatever its outcome) and hands back the settle functions of its promise. */
  private endLoad(e: Entry<S>): { resolve: (state: S | undefined) => void; reject: (err: unknown) => void } {
    const settle = { resolve: e.resolveLoad as (state: S | undefined) => void, reject: e.rejectLoad as (err: unknown) => void };
    e.loading = undefined;
    e.resolveLoad = undefined;
    e.rejectLoad = undefined;
    this.loadingCount--;
    return settle;
  }

  private finishLoad(e: Entry<S>, text: string | undefined): void {
    const { resolve, reject } = this.endLoad(e);
    if (e.overridden) {
      // set()/delete() during the load: memory is newer than what was read.
      e.overridden = false;
    } else if (text !== undefined) {
      try {
        e.state = this.codec.decode(text);
      } catch (err) {
        this.forget(e);
        reject(new StateStoreError(`state of key "${e.key}" cannot be decoded`, err, false));
        return;
      }
    }
    this.counters.loads++;
    if (!e.dirty && !e.inFlight && !e.inLru) this.lruInsert(e);
    resolve(e.state);
  }

  private failReads(targets: (Entry<S> | ValueRead)[], cause: unknown): void {
    const err = new StateStoreError(`state read of ${targets.length} keys failed: ${message(cause)}`, cause, true);
    for (const t of targets) {
      if (t instanceof ValueRead) {
        this.valueReads.delete(t.storageKey);
        t.reject(err);
        continue;
      }
      const { resolve, reject } = this.endLoad(t);
      if (t.overridden) {
        // Its state was set meanwhile: that is the state, whatever the backend held.
        t.overridden = false;
        if (!t.dirty && !t.inFlight && !t.inLru) this.lruInsert(t);
        resolve(t.state);
      } else {
        this.forget(t);
        reject(err);
      }
    }
  }

  // ------------------------------------------------------------------ records and metadata

  /** Writes a side record in the next batch (e.g. the decision of an event id). */
  putRecord(name: string, value: string): void {
    this.putValue(storageKey('r', name), value);
  }

  /** Deletes a side record in the next batch. */
  deleteRecord(name: string): void {
    this.putValue(storageKey('r', name), null);
  }

  /** A side record, including one still waiting for (or in) a batch. */
  getRecord(name: string): Promise<string | undefined> {
    return this.getValue(storageKey('r', name));
  }

  /** Writes small metadata (catalog version, source offsets) in the next batch, atomically with state. */
  putMeta(name: string, value: string): void {
    this.putValue(storageKey('m', name), value);
  }

  getMeta(name: string): Promise<string | undefined> {
    return this.getValue(storageKey('m', name));
  }

  private putValue(key: string, value: string | null): void {
    if (this.closed) throw closedError();
    this.pendingWrites.set(key, value);
    if (!this.flushScheduled && !this.flushing) this.scheduleFlush();
  }

  private getValue(key: string): Promise<string | undefined> {
    let v = this.pendingWrites.get(key);
    if (v !== undefined) return Promise.resolve(v === null ? undefined : v);
    v = this.inFlightWrites.get(key);
    if (v !== undefined) return Promise.resolve(v === null ? undefined : v);
    for (let i = this.recentBatches.length - 1; i >= 0; i--) {
      v = this.recentBatches[i]!.get(key);
      if (v !== undefined) return Promise.resolve(v === null ? undefined : v);
    }
    const reading = this.valueReads.get(key);
    if (reading !== undefined) return reading.promise;
    if (this.closed) return Promise.reject(closedError());
    const read = new ValueRead(key);
    this.valueReads.set(key, read);
    this.enqueueRead(key, read);
    return read.promise;
  }

  // ------------------------------------------------------------------ group commit

  /** Resolves once every change made before this call is durable; rejects if its batch failed. */
  commit(): Promise<void> {
    if (this.dirtyList.length > 0 || this.pendingWrites.size > 0) {
      if (!this.flushScheduled && !this.flushing) this.scheduleFlush();
      if (this.nextWaiter === undefined) this.nextWaiter = new Waiter();
      return this.nextWaiter.promise;
    }
    if (this.flushing) {
      if (this.inFlightWaiter === undefined) this.inFlightWaiter = new Waiter();
      return this.inFlightWaiter.promise;
    }
    return RESOLVED;
  }

  /** Like `commit()`, but starts the batch now instead of at the end of the group-commit window. */
  flush(): Promise<void> {
    const p = this.commit();
    if (this.flushScheduled && !this.flushing && this.consecutiveFailures === 0) {
      this.cancelScheduledFlush();
      this.startFlush();
    }
    return p;
  }

  private scheduleFlush(delay = this.groupCommitMs): void {
    this.flushScheduled = true;
    if (delay > 0) this.flushTimer = setTimeout(this.onFlushTimer, delay);
    else this.flushImmediate = setImmediate(this.onFlushTimer);
  }

  private cancelScheduledFlush(): void {
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    if (this.flushImmediate !== undefined) clearImmediate(this.flushImmediate);
    this.flushTimer = undefined;
    this.flushImmediate = undefined;
    this.flushScheduled = false;
  }

  private readonly onFlushTimer = (): void => {
    this.flushTimer = undefined;
    this.flushImmediate = undefined;
    this.flushScheduled = false;
    this.startFlush();
  };

  private startFlush(): void {
    if (this.flushing) return;
    const dirty = this.dirtyList;
    const writes = this.pendingWrites;
    const waiter = this.nextWaiter;
    if (dirty.length === 0 && writes.size === 0) {
      this.nextWaiter = undefined;
      if (waiter !== undefined) waiter.resolve();
      return;
    }
    const ops: BatchOperation[] = [];
    for (let i = 0; i < dirty.length; i++) {
      const e = dirty[i];
      const key = e.storageKey ?? (e.storageKey = storageKey('k', e.key));
      if (e.state === undefined) {
        ops.push({ type: 'del', key });
        continue;
      }
      let value: unknown = e.text;
      if (value !== undefined) {
        ops.push({ type: 'put', key, value: value as string });
        continue;
      }
      try {
        value = this.codec.encode(e.state);
        if (typeof value !== 'string') throw new TypeError(`the codec returned ${typeof value}, not a string`);
      } catch (err) {
        // Not retriable: nothing is written, everything stays dirty, the waiting commits fail.
        this.nextWaiter = undefined;
        if (waiter !== undefined) {
          waiter.reject(new StateStoreError(`state of key "${e.key}" cannot be encoded: ${message(err)}`, err, false));
        }
        return;
      }
      ops.push({ type: 'put', key, value: value as string });
    }
    for (const [key, value] of writes) ops.push(value === null ? { type: 'del', key } : { type: 'put', key, value });
    for (let i = 0; i < dirty.length; i++) {
      dirty[i].dirty = false;
      dirty[i].inFlight = true;
      dirty[i].text = undefined;
    }
    this.dirtyList = [];
    this.pendingWrites = new Map();
    this.nextWaiter = undefined;
    this.inFlightEntries = dirty;
    this.inFlightWrites = writes;
    this.inFlightWaiter = waiter;
    this.flushing = true;
    this.counters.batches++;
    this.counters.ops += ops.length;
    this.counters.lastBatchSize = ops.length;
    let written: Promise<void>;
    try {
      written = this.backend.batch(ops, this.batchOptions);
    } catch (err) {
      written = Promise.reject(err);
    }
    written.then(this.onBatchWritten, this.onBatchFailed);
  }

  private readonly onBatchWritten = (): void => {
    const entries = this.inFlightEntries;
    const writes = this.inFlightWrites;
    const waiter = this.inFlightWaiter;
    this.inFlightEntries = [];
    this.inFlightWrites = new Map();
    this.inFlightWaiter = undefined;
    this.flushing = false;
    this.consecutiveFailures = 0;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      e.inFlight = false;
      if (!e.dirty && e.loading === undefined && !e.inLru && this.entries.get(e.key) === e) this.lruInsert(e);
    }
    this.remember(writes);
    if (this.entries.size > this.maxCachedKeys) this.evict();
    if (waiter !== undefined) waiter.resolve();
    // Changes made while this batch was written form the next one; they have waited already.
    if (this.dirtyList.length > 0 || this.pendingWrites.size > 0) this.startFlush();
    else if (this.nextWaiter !== undefined) this.startFlush();
  };

  private readonly onBatchFailed = (cause: unknown): void => {
    const entries = this.inFlightEntries;
    const writes = this.inFlightWrites;
    const waiter = this.inFlightWaiter;
    this.inFlightEntries = [];
    this.inFlightWrites = new Map();
    this.inFlightWaiter = undefined;
    this.flushing = false;
    this.consecutiveFailures++;
    this.counters.failedBatches++;
    // Nothing of the batch landed (batches are atomic): all of it is dirty again.
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      e.inFlight = false;
      if (!e.dirty) {
        e.dirty = true;
        this.dirtyList.push(e);
      }
    }
    for (const [key, value] of writes) if (!this.pendingWrites.has(key)) this.pendingWrites.set(key, value);
    const err = new StateStoreError(
      `state batch of ${entries.length} keys and ${writes.size} records failed (will be retried): ${message(cause)}`,
      cause,
      true,
    );
    if (waiter !== undefined) waiter.reject(err);
    // Commits that arrived during the failed write wait for the retry, which also carries their changes.
    if (!this.flushScheduled) {
      const delay = Math.min(this.retryDelayMs * 2 ** (this.consecutiveFailures - 1), MAX_RETRY_DELAY_MS);
      this.scheduleFlush(Math.max(delay, 1));
    }
  };

  /** Keeps a landed batch's writes (deletes too: this store is the only writer, so "absent" is known). */
  private remember(writes: Map<string, string | null>): void {
    if (this.maxCachedRecords <= 0 || writes.size === 0) return;
    this.recentBatches.push(writes);
    this.recentCount += writes.size;
    while (
      this.recentBatches.length > MAX_REMEMBERED_BATCHES ||
      (this.recentCount > this.maxCachedRecords && this.recentBatches.length > 0)
    ) {
      this.recentCount -= this.recentBatches.shift()!.size;
    }
  }

  // ------------------------------------------------------------------ eviction (CLOCK over clean keys)

  /**
   * Evicts clean keys, oldest first, until the cache is within its bound. A key read or written
   * since eviction last passed it gets a second chance (CLOCK, an approximation of LRU that costs
   * the hot path one flag write instead of relinking a list of cold entries). Entries that are
   * dirty, in flight or loading leave the list here; they join it again when they land.
   */
  private evict(): void {
    while (this.entries.size > this.maxCachedKeys) {
      const e = this.lruTail;
      if (e === undefined) return; // everything else is dirty, in flight or loading
      this.lruRemove(e);
      if (e.dirty || e.inFlight || e.loading !== undefined) continue;
      if (e.used) {
        e.used = false;
        this.lruInsert(e);
        continue;
      }
      this.forget(e);
      this.counters.evictions++;
    }
  }

  private lruInsert(e: Entry<S>): void {
    e.inLru = true;
    e.used = false;
    e.older = this.lruHead;
    e.newer = undefined;
    if (this.lruHead !== undefined) this.lruHead.newer = e;
    this.lruHead = e;
    if (this.lruTail === undefined) this.lruTail = e;
  }

  private lruRemove(e: Entry<S>): void {
    if (e.newer !== undefined) e.newer.older = e.older;
    else this.lruHead = e.older;
    if (e.older !== undefined) e.older.newer = e.newer;
    else this.lruTail = e.newer;
    e.newer = undefined;
    e.older = undefined;
    e.inLru = false;
  }

  // ------------------------------------------------------------------ inspection, lifecycle

  /** Durable states (as of the last landed batch), in key order: `[key, state]`. */
  async *states(): AsyncGenerator<[string, S], void, undefined> {
    for (const prefix of spacePrefixes('k')) {
      for await (const [key, text] of this.backend.iterate(prefix)) {
        yield [nameOf('k', key) as string, this.codec.decode(text)];
      }
    }
  }

  /** Durable records whose name starts with `prefix`: `[name, value]`. */
  async *records(prefix = ''): AsyncGenerator<[string, string], void, undefined> {
    const [plain, escaped] = spacePrefixes('r');
    for await (const [key, value] of this.backend.iterate(plain + prefix)) yield [nameOf('r', key) as string, value];
    for await (const [key, value] of this.backend.iterate(escaped)) {
      const name = nameOf('r', key) as string;
      if (name.startsWith(prefix)) yield [name, value];
    }
  }

  stats(): StateStoreStats {
    return {
      cachedKeys: this.entries.size,
      dirtyKeys: this.dirtyList.length,
      loadingKeys: this.loadingCount,
      pendingRecords: this.pendingWrites.size,
      batches: this.counters.batches,
      ops: this.counters.ops,
      failedBatches: this.counters.failedBatches,
      lastBatchSize: this.counters.lastBatchSize,
      flushing: this.flushing,
      evictions: this.counters.evictions,
      reads: this.counters.reads,
      loads: this.counters.loads,
    };
  }

  /**
   * Writes everything pending, then closes the backend. If the final batch fails, rejects with
   * that error and leaves the store open (the state is still in memory): call `close()` again.
   */
  close(): Promise<void> {
    if (this.closing === undefined) {
      this.closing = this.doClose().then(undefined, (err: unknown) => {
        this.closing = undefined;
        throw err;
      });
    }
    return this.closing;
  }

  private async doClose(): Promise<void> {
    if (this.closed) return;
    if (this.readScheduled) this.runReads();
    while (this.readsInFlight.size > 0) await Promise.allSettled([...this.readsInFlight]);
    while (this.flushing || this.dirtyList.length > 0 || this.pendingWrites.size > 0) {
      if (this.consecutiveFailures > 0) {
        // Retry now rather than after the backoff; a failure here is reported to the caller.
        this.cancelScheduledFlush();
        const p = this.commit();
        this.startFlush();
        await p;
      } else {
        await this.flush();
      }
    }
    this.cancelScheduledFlush();
    this.closed = true;
    await this.backend.close();
  }
}

function closedError(): StateStoreError {
  return new StateStoreError('state store is closed', undefined, false);
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
