import type { BatchOperation, BatchOptions, StateBackend } from '../state/index.ts';

/**
 * A `StateBackend` that keeps nothing: for a replay, whose key states live only in the store's
 * cache (never evicted) and are dropped at the end. Reads find nothing (every key starts fresh),
 * batches land at once.
 */
export class DiscardBackend implements StateBackend {
  async open(): Promise<void> {}

  async getMany(keys: string[]): Promise<(string | undefined)[]> {
    return new Array<string | undefined>(keys.length).fill(undefined);
  }

  async batch(_operations: BatchOperation[], _options?: BatchOptions): Promise<void> {}

  async *iterate(_prefix: string): AsyncGenerator<[string, string], void, undefined> {}

  async close(): Promise<void> {}
}
