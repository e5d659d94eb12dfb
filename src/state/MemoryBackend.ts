import type { BatchOperation, BatchOptions, StateBackend } from './StateBackend.ts';

/**
 * `StateBackend` on a `Map`, for tests and replay. Same contract as `LevelBackend`: batches are
 * atomic and asynchronous, iteration is in code point order over a snapshot. Data survives
 * `close()` + `open()` of the same instance (a "restart" in tests).
 */
export class MemoryBackend implements StateBackend {
  readonly data = new Map<string, string>();

  async open(): Promise<void> {}

  async getMany(keys: string[]): Promise<(string | undefined)[]> {
    const out = new Array<string | undefined>(keys.length);
    for (let i = 0; i < keys.length; i++) out[i] = this.data.get(keys[i]);
    return out;
  }

  async batch(operations: BatchOperation[], _options?: BatchOptions): Promise<void> {
    for (const op of operations) {
      if (op.type === 'put') this.data.set(op.key, op.value);
      else this.data.delete(op.key);
    }
  }

  async *iterate(prefix: string): AsyncGenerator<[string, string], void, undefined> {
    const snapshot: [string, string][] = [];
    for (const entry of this.data) if (entry[0].startsWith(prefix)) snapshot.push(entry);
    snapshot.sort(byCodePoint);
    for (const entry of snapshot) yield entry;
  }

  async close(): Promise<void> {}
}

/** LevelDB's order: UTF-8 bytes, which is code point order (not UTF-16 code unit order). */
function byCodePoint(a: [string, string], b: [string, string]): number {
  return Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0]));
}
