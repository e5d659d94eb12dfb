import type { BatchOperation, BatchOptions, StateBackend } from './StateBackend.ts';
import { MemoryBackend } from './MemoryBackend.ts';

/**
 * A test double around another backend (a `MemoryBackend` by default): records every call,
 * can hold batches open until the test releases them, and can fail the next batches or reads.
 */
export class ControlledBackend implements StateBackend {
  readonly inner: StateBackend;
  /** Every `batch` call, in order. */
  readonly batches: BatchOperation[][] = [];
  /** Every `getMany` call, in order. */
  readonly reads: string[][] = [];
  /** While true, batches wait for `release()`. */
  hold = false;
  /** The next this-many batches fail (without touching the inner backend). */
  failBatches = 0;
  /** The next this-many reads fail. */
  failReads = 0;
  private held: { operations: BatchOperation[]; options?: BatchOptions; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private batchWaiters: (() => void)[] = [];

  constructor(inner: StateBackend = new MemoryBackend()) {
    this.inner = inner;
  }

  open(): Promise<void> {
    return this.inner.open();
  }

  getMany(keys: string[]): Promise<(string | undefined)[]> {
    this.reads.push(keys.slice());
    if (this.failReads > 0) {
      this.failReads--;
      return Promise.reject(new Error('injected read failure'));
    }
    return this.inner.getMany(keys);
  }

  batch(operations: BatchOperation[], options?: BatchOptions): Promise<void> {
    this.batches.push(operations.slice());
    const waiters = this.batchWaiters;
    this.batchWaiters = [];
    for (const w of waiters) w();
    if (this.failBatches > 0) {
      this.failBatches--;
      return Promise.reject(new Error('injected batch failure'));
    }
    if (!this.hold) return this.inner.batch(operations, options);
    return new Promise<void>((resolve, reject) => this.held.push({ operations, options, resolve, reject }));
  }

  /** Resolves when `batch` has been called `count` times in total. */
  async batchCalled(count = 1): Promise<void> {
    while (this.batches.length < count) await new Promise<void>((resolve) => this.batchWaiters.push(resolve));
  }

  /** Lets the held batches land (in order) and stops holding. */
  async release(): Promise<void> {
    this.hold = false;
    const held = this.held;
    this.held = [];
    for (const h of held) {
      try {
        await this.inner.batch(h.operations, h.options);
        h.resolve();
      } catch (err) {
        h.reject(err);
      }
    }
  }

  iterate(prefix: string): AsyncGenerator<[string, string], void, undefined> {
    return this.inner.iterate(prefix);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
