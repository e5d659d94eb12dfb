import { Level } from 'level';
import { StateStoreError } from '../errors.ts';
import type { BatchOperation, BatchOptions, StateBackend } from './StateBackend.ts';
import { prefixUpperBound } from './prefixUpperBound.ts';

export interface LevelBackendOptions {
  /** LevelDB block cache in bytes (classic-level default 8 MiB). */
  cacheSize?: number;
  /** LevelDB write buffer (memtable) in bytes (classic-level default 4 MiB). */
  writeBufferSize?: number;
}

/** `StateBackend` on LevelDB (`level` 10 → classic-level), utf8 keys and values. */
export class LevelBackend implements StateBackend {
  readonly location: string;
  private readonly db: Level<string, string>;

  constructor(location: string, options: LevelBackendOptions = {}) {
    this.location = location;
    this.db = new Level<string, string>(location, {
      keyEncoding: 'utf8',
      valueEncoding: 'utf8',
      ...(options.cacheSize === undefined ? {} : { cacheSize: options.cacheSize }),
      ...(options.writeBufferSize === undefined ? {} : { writeBufferSize: options.writeBufferSize }),
    });
  }

  async open(): Promise<void> {
    try {
      await this.db.open();
    } catch (err) {
      // LEVEL_LOCKED (another process holds the directory) and corruption are not retriable.
      throw new StateStoreError(`cannot open state store at ${this.location}: ${describe(err)}`, err, false);
    }
  }

  getMany(keys: string[]): Promise<(string | undefined)[]> {
    return this.db.getMany(keys);
  }

  batch(operations: BatchOperation[], options: BatchOptions = {}): Promise<void> {
    // A chained batch: measured about 3x faster than the array form of `db.batch(ops)` here,
    // which re-validates and copies every operation in JavaScript.
    const chained = this.db.batch();
    for (let i = 0; i < operations.length; i++) {
      const op = operations[i]!;
      if (op.type === 'put') chained.put(op.key, op.value);
      else chained.del(op.key);
    }
    return chained.write({ sync: options.sync === true });
  }

  async *iterate(prefix: string): AsyncGenerator<[string, string], void, undefined> {
    const upper = prefixUpperBound(prefix);
    const range = upper === undefined ? { gte: prefix } : { gte: prefix, lt: upper };
    for await (const entry of this.db.iterator(range)) yield entry;
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const cause = err.cause instanceof Error ? ` (${err.cause.message})` : '';
    return `${typeof code === 'string' ? `${code}: ` : ''}${err.message}${cause}`;
  }
  return String(err);
}
