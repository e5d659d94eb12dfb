/** One write of a batch: put a value under a storage key, or delete the key. */
export type BatchOperation = { type: 'put'; key: string; value: string } | { type: 'del'; key: string };

export interface BatchOptions {
  /**
   * `true`: the batch is fsync'ed before it resolves (survives power loss and kernel crashes).
   * `false`: it is handed to the OS page cache (survives a crash of the process, not of the machine).
   */
  sync?: boolean;
}

/**
 * Where keyed state lives: an ordered string → string map with atomic batches.
 * `LevelBackend` is the durable one, `MemoryBackend` the one for tests and replay.
 * Keys and values are opaque here; the key space (`k:`, `r:`, `m:`) belongs to `KeyedStateStore`.
 */
export interface StateBackend {
  /** Opens the store (idempotent). */
  open(): Promise<void>;
  /** Values of `keys`, in order; `undefined` for a missing key. One round trip for all of them. */
  getMany(keys: string[]): Promise<(string | undefined)[]>;
  /** Applies every operation atomically: all land or none does. */
  batch(operations: BatchOperation[], options?: BatchOptions): Promise<void>;
  /**
   * Every `[key, value]` whose key starts with `prefix`, in ascending key order (UTF-8 byte order,
   * i.e. code point order), read from a snapshot taken when iteration starts.
   */
  iterate(prefix: string): AsyncGenerator<[string, string], void, undefined>;
  /** Closes the store (idempotent); pending writes finish first. */
  close(): Promise<void>;
}
