import fs from 'node:fs';
import os from 'node:os';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { StateStoreError } from '../errors.ts';
import { ControlledBackend } from './ControlledBackend.ts';
import { KeyedStateStore, type KeyedStateStoreOptions } from './KeyedStateStore.ts';
import { LevelBackend } from './LevelBackend.ts';
import { MemoryBackend } from './MemoryBackend.ts';

interface Counter {
  n: number;
  tags?: string[];
}

const dirs: string[] = [];
const stores: KeyedStateStore<unknown>[] = [];

afterEach(async () => {
  for (const s of stores.splice(0)) await s.close().catch(() => undefined);
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(os.tmpdir() + '/argus-');
  dirs.push(dir);
  return dir;
}

async function openStore<S = Counter>(
  backend: ConstructorParameters<typeof KeyedStateStore>[0],
  options: KeyedStateStoreOptions<S> = {},
): Promise<KeyedStateStore<S>> {
  const store = await new KeyedStateStore<S>(backend, options).open();
  stores.push(store as KeyedStateStore<unknown>);
  return store;
}

/** Lets pending I/O callbacks and immediates run (no timers involved). */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function settled(p: Promise<unknown>): { done: boolean; error?: unknown } {
  const s: { done: boolean; error?: unknown } = { done: false };
  p.then(
    () => (s.done = true),
    (e: unknown) => {
      s.done = true;
      s.error = e;
    },
  );
  return s;
}

describe('KeyedStateStore on LevelDB', () => {
  it('keeps states, records and metadata across close and reopen', async () => {
    const dir = tempDir();
    const a = new KeyedStateStore<Counter>(new LevelBackend(dir));
    await a.open();
    a.set('alice', { n: 1, tags: ['x'] });
    a.set('bob', { n: 2 });
    a.putRecord('evt-1', '{"decision":"allow"}');
    a.putMeta('catalogVersion', 'v7');
    await a.commit();
    a.set('bob', { n: 3 }); // changed after the commit: close() must still write it
    a.delete('alice');
    await a.close();

    const b = await openStore(new LevelBackend(dir));
    expect(await b.load('alice')).toBeUndefined();
    expect(await b.load('bob')).toEqual({ n: 3 });
    expect(await b.getRecord('evt-1')).toBe('{"decision":"allow"}');
    expect(await b.getMeta('catalogVersion')).toBe('v7');
    expect(await b.getRecord('evt-2')).toBeUndefined();
  });

  it('round-trips keys and record names with odd characters, without collisions', async () => {
    const dir = tempDir();
    const names = ['a:b', ':', '', 'a::b', '::', 'k:x', 'r:y', 'm:z', '日本語', '😀', 'x\u0000y', '\ud800', '\udc00x', '\ufffd'];
    const a = new KeyedStateStore<Counter>(new LevelBackend(dir));
    await a.open();
    names.forEach((name, i) => {
      a.set(name, { n: i });
      a.putRecord(name, `record ${i}`);
      a.putMeta(name, `meta ${i}`);
    });
    await a.close();

    const b = await openStore(new LevelBackend(dir));
    for (let i = 0; i < names.length; i++) {
      expect(await b.load(names[i])).toEqual({ n: i });
      expect(await b.getRecord(names[i])).toBe(`record ${i}`);
      expect(await b.getMeta(names[i])).toBe(`meta ${i}`);
    }
    const listed: [string, Counter][] = [];
    for await (const entry of b.states()) listed.push(entry);
    expect(listed.map(([k]) => k).sort()).toEqual([...names].sort());
    for (const [k, s] of listed) expect(s).toEqual({ n: names.indexOf(k) });
    const records: string[] = [];
    for await (const [name] of b.records()) records.push(name);
    expect(records.sort()).toEqual([...names].sort());
  });
});

describe('group commit', () => {
  it('writes many concurrent changes in one batch', async () => {
    const backend = new ControlledBackend();
    const store = await openStore(backend);
    const commits: Promise<void>[] = [];
    for (let i = 0; i < 500; i++) {
      store.set(`user-${i}`, { n: i });
      store.putRecord(`evt-${i}`, 'allow');
      commits.push(store.commit());
    }
    await Promise.all(commits);
    expect(backend.batches.length).toBe(1);
    expect(backend.batches[0].length).toBe(1000);
    expect(store.stats()).toMatchObject({ batches: 1, ops: 1000, lastBatchSize: 1000, dirtyKeys: 0 });
  });

  it('puts changes made while a batch is written into the next batch', async () => {
    const backend = new ControlledBackend();
    const store = await openStore(backend);
    backend.hold = true;
    store.set('a', { n: 1 });
    const first = store.commit();
    await backend.batchCalled(1);
    for (let i = 0; i < 100; i++) store.set(`b${i}`, { n: i });
    store.set('a', { n: 2 });
    const second = store.commit();
    await backend.release();
    await Promise.all([first, second]);
    expect(backend.batches.length).toBe(2);
    expect(backend.batches[1].length).toBe(101);
    expect(await backend.getMany(['k:a'])).toEqual(['{"n":2}']);
  });

  it('encodes the state at flush time, so in-place mutations before the flush are written', async () => {
    const backend = new ControlledBackend();
    const store = await openStore(backend);
    const state: Counter = { n: 1 };
    store.set('a', state);
    state.n = 5;
    store.markDirty('a');
    await store.commit();
    expect(backend.batches).toEqual([[{ type: 'put', key: 'k:a', value: '{"n":5}' }]]);
  });

  it('commit() resolves only after the batch holding the change has landed', async () => {
    const backend = new ControlledBackend();
    const store = await openStore(backend);
    backend.hold = true;
    store.set('a', { n: 1 });
    const committed = settled(store.commit());
    await backend.batchCalled(1);
    for (let i = 0; i < 5; i++) await turn();
    expect(committed.done).toBe(false);
    // A commit asked while the batch is in flight, with nothing newer, waits for that batch too.
    const laterCommit = settled(store.commit());
    await turn();
    expect(laterCommit.done).toBe(false);
    await backend.release();
    await turn();
    expect(committed).toEqual({ done: true });
    expect(laterCommit).toEqual({ done: true });
    expect(await backend.inner.getMany(['k:a'])).toEqual(['{"n":1}']);
  });

  it('commit() with nothing pending resolves at once without writing', async () => {
    const backend = new ControlledBackend();
    const store = await openStore(backend);
    await store.commit();
    expect(backend.batches.length).toBe(0);
  });

  it('a failed batch rejects the waiting commits; state stays in memory and a later commit writes it', async () => {
    const backend = new ControlledBackend();
    const store = await openStore(backend, { retryDelayMs: 1 });
    backend.failBatches = 1;
    store.set('a', { n: 1 });
    store.putRecord('evt-1', 'deny');
    const error = await store.commit().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StateStoreError);
    expect(error).toMatchObject({ retriable: true, code: 'STATE_STORE_ERROR' });
    expect(store.peek('a')).toEqual({ n: 1 });
    expect(await store.getRecord('evt-1')).toBe('deny');
    expect(store.stats()).toMatchObject({ failedBatches: 1, dirtyKeys: 1, pendingRecords: 1 });

    store.set('b', { n: 2 });
    await store.commit();
    expect(await backend.inner.getMany(['k:a', 'k:b', 'r:evt-1'])).toEqual(['{"n":1}', '{"n":2}', 'deny']);
    expect(store.stats().dirtyKeys).toBe(0);
  });

  it('retries a failed batch by itself, even when nothing else changes', async () => {
    const backend = new ControlledBackend();
    const store = await openStore(backend, { retryDelayMs: 1 });
    backend.failBatches = 2;
    store.set('a', { n: 1 });
    await expect(store.commit()).rejects.toBeInstanceOf(StateStoreError);
    await backend.batchCalled(3);
    await store.commit();
    expect(await backend.inner.getMany(['k:a'])).toEqual(['{"n":1}']);
  });

  it.each([false, true])('a state the codec cannot encode fails the commit as not retriable and writes nothing (encodeOnWrite %s)', async (encodeOnWrite) => {
    const backend = new ControlledBackend();
    const store = await openStore<{ big: bigint }>(backend, { encodeOnWrite });
    store.set('a', { big: 1n });
    await expect(store.commit()).rejects.toMatchObject({ retriable: false });
    expect(backend.batches.length).toBe(0);
    store.delete('a');
    await store.commit();
    expect(backend.batches).toEqual([[{ type: 'del', key: 'k:a' }]]);
  });

  it('encodeOnWrite: a state changed again before its batch is written as it is at flush time, also after a failed batch', async () => {
    const backend = new ControlledBackend();
    const store = await openStore(backend, { encodeOnWrite: true, retryDelayMs: 60_000 });
    const a = { n: 1 };
    store.set('a', a);
    a.n = 2;
    store.markDirty('a');
    await store.commit();
    expect(await backend.inner.getMany(['k:a'])).toEqual(['{"n":2}']);
    a.n = 3;
    store.markDirty('a');
    a.n = 4;
    store.markDirty('a');
    store.set('b', { n: 7 });
    backend.failBatches = 1;
    await expect(store.commit()).rejects.toBeInstanceOf(StateStoreError);
    a.n = 5;
    store.markDirty('a');
    await store.close();
    expect(await backend.inner.getMany(['k:a', 'k:b'])).toEqual(['{"n":5}', '{"n":7}']);
  });

  it('close() reports a failed final batch and can be retried without losing the state', async () => {
    const backend = new ControlledBackend();
    const store = await openStore(backend, { retryDelayMs: 60_000 });
    store.set('a', { n: 1 });
    backend.failBatches = 1;
    await expect(store.close()).rejects.toBeInstanceOf(StateStoreError);
    expect(store.peek('a')).toEqual({ n: 1 });
    await store.close();
    expect(await backend.inner.getMany(['k:a'])).toEqual(['{"n":1}']);
  });

  it('close() writes what is pending and refuses later writes', async () => {
    const backend = new ControlledBackend();
    const store = await openStore(backend);
    store.set('a', { n: 1 });
    await store.close();
    expect(await backend.inner.getMany(['k:a'])).toEqual(['{"n":1}']);
    expect(() => store.set('a', { n: 2 })).toThrow(StateStoreError);
  });
});

describe('loads', () => {
  it('concurrent loads of one key share one read and one promise, continuations in order', async () => {
    const backend = new ControlledBackend();
    await backend.inner.batch([{ type: 'put', key: 'k:a', value: '{"n":0}' }]);
    const store = await openStore(backend);
    const order: number[] = [];
    const p1 = store.load('a');
    void p1.then((s) => {
      order.push(1);
      (s as Counter).n++;
    });
    const p2 = store.load('a');
    void p2.then((s) => {
      order.push(2);
      (s as Counter).n *= 10;
    });
    const p3 = store.load('a');
    void p3.then(() => order.push(3));
    expect(p2).toBe(p1);
    expect(p3).toBe(p1);
    expect(store.peek('a')).toBeUndefined();
    expect(store.isLoaded('a')).toBe(false);
    await p1;
    await turn();
    expect(order).toEqual([1, 2, 3]);
    expect(store.peek('a')).toEqual({ n: 10 });
    expect(store.isLoaded('a')).toBe(true);
    expect(backend.reads).toEqual([['k:a']]);
  });

  it('fetches the cold keys requested in one tick with one getMany', async () => {
    const backend = new ControlledBackend();
    await backend.inner.batch([
      { type: 'put', key: 'k:a', value: '{"n":1}' },
      { type: 'put', key: 'r:evt-9', value: 'review' },
    ]);
    const store = await openStore(backend);
    const results = await Promise.all([store.load('a'), store.load('b'), store.load('c'), store.getRecord('evt-9')]);
    expect(results).toEqual([{ n: 1 }, undefined, undefined, 'review']);
    expect(backend.reads).toEqual([['k:a', 'k:b', 'k:c', 'r:evt-9']]);
    // Loaded keys, including known-missing ones, are answered from memory afterwards.
    expect(store.isLoaded('b')).toBe(true);
    expect(await store.load('a')).toEqual({ n: 1 });
    expect(backend.reads.length).toBe(1);
    expect(store.stats()).toMatchObject({ reads: 1, loads: 3, cachedKeys: 3, loadingKeys: 0 });
  });

  it('a set() during a load wins over the value read', async () => {
    const backend = new ControlledBackend();
    await backend.inner.batch([{ type: 'put', key: 'k:a', value: '{"n":1}' }]);
    const store = await openStore(backend);
    const loading = store.load('a');
    store.set('a', { n: 42 });
    expect(await loading).toEqual({ n: 42 });
    await store.commit();
    expect(store.peek('a')).toEqual({ n: 42 });
    expect(await backend.inner.getMany(['k:a'])).toEqual(['{"n":42}']);
  });

  it('a failed read rejects with a retriable error and a later load reads again', async () => {
    const backend = new ControlledBackend();
    await backend.inner.batch([{ type: 'put', key: 'k:a', value: '{"n":1}' }]);
    const store = await openStore(backend);
    backend.failReads = 1;
    await expect(store.load('a')).rejects.toMatchObject({ retriable: true, code: 'STATE_STORE_ERROR' });
    expect(store.isLoaded('a')).toBe(false);
    expect(await store.load('a')).toEqual({ n: 1 });
  });

  it('markDirty on a key that is not in memory throws instead of losing the change', async () => {
    const store = await openStore(new MemoryBackend());
    expect(() => store.markDirty('nobody')).toThrow(StateStoreError);
  });
});

describe('records', () => {
  it('getRecord sees records pending, in a batch in flight, and after it landed', async () => {
    const backend = new ControlledBackend();
    const store = await openStore(backend);
    store.putRecord('evt-1', 'allow');
    expect(await store.getRecord('evt-1')).toBe('allow');
    backend.hold = true;
    const committed = store.commit();
    await backend.batchCalled(1);
    expect(await store.getRecord('evt-1')).toBe('allow');
    store.deleteRecord('evt-1');
    expect(await store.getRecord('evt-1')).toBeUndefined();
    await backend.release();
    await committed;
    await store.commit();
    expect(await store.getRecord('evt-1')).toBeUndefined();
    expect(await backend.inner.getMany(['r:evt-1'])).toEqual([undefined]);
    expect(backend.reads).toEqual([]); // every answer came from memory
  });

  it('keeps the most recent batches of records in memory and reads older ones back from the backend', async () => {
    const backend = new ControlledBackend();
    const store = await openStore(backend, { maxCachedRecords: 6 });
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 5; i++) store.putRecord(`evt-${round}-${i}`, `${round}/${i}`);
      await store.commit();
    }
    store.putRecord('evt-0-0', 'rewritten');
    await store.commit();
    // In memory: the last batch (evt-0-0) and the one before (round 3): 6 writes.
    expect(await store.getRecord('evt-3-3')).toBe('3/3');
    expect(await store.getRecord('evt-3-0')).toBe('3/0');
    expect(await store.getRecord('evt-0-0')).toBe('rewritten');
    expect(backend.reads).toEqual([]);
    expect(await store.getRecord('evt-1-2')).toBe('1/2');
    expect(await store.getRecord('evt-2-4')).toBe('2/4');
    expect(backend.reads.flat().sort()).toEqual(['r:evt-1-2', 'r:evt-2-4']);
  });

  it('records and states with the same name do not collide', async () => {
    const store = await openStore(new MemoryBackend());
    store.set('x', { n: 1 });
    store.putRecord('x', 'record');
    await store.commit();
    expect(store.peek('x')).toEqual({ n: 1 });
    expect(await store.getRecord('x')).toBe('record');
  });
});

describe('eviction', () => {
  it('evicts least-recently-used clean keys above maxCachedKeys, never dirty ones', async () => {
    const backend = new ControlledBackend();
    const store = await openStore(backend, { maxCachedKeys: 2 });
    for (let i = 0; i < 5; i++) store.set(`k${i}`, { n: i });
    // All dirty: over the bound, nothing may go.
    for (let i = 0; i < 5; i++) expect(store.peek(`k${i}`)).toEqual({ n: i });
    expect(store.stats().evictions).toBe(0);
    await store.commit();
    expect(store.stats()).toMatchObject({ cachedKeys: 2, evictions: 3 });
    // The evicted keys are still durable.
    expect(await store.load('k0')).toEqual({ n: 0 });
  });

  it('keeps dirty and in-flight keys while loads push the cache over its bound', async () => {
    const backend = new ControlledBackend();
    for (let i = 0; i < 10; i++) await backend.inner.batch([{ type: 'put', key: `k:c${i}`, value: `{"n":${i}}` }]);
    const store = await openStore(backend, { maxCachedKeys: 3 });
    backend.hold = true;
    store.set('inflight', { n: -1 });
    const committed = store.commit();
    await backend.batchCalled(1);
    store.set('dirty', { n: -2 });
    for (let i = 0; i < 10; i++) await store.load(`c${i}`);
    expect(store.peek('inflight')).toEqual({ n: -1 });
    expect(store.peek('dirty')).toEqual({ n: -2 });
    expect(store.stats().cachedKeys).toBe(3);
    await backend.release();
    await committed;
    await store.commit();
    expect(await backend.inner.getMany(['k:inflight', 'k:dirty'])).toEqual(['{"n":-1}', '{"n":-2}']);
  });

  it('under any mix of reads, writes, deletes and commits with a tiny cache, every key reads back its last value', async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key: fc.integer({ min: 0, max: 7 }), n: fc.integer() }),
      fc.record({ kind: fc.constant('bump' as const), key: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ kind: fc.constant('commit' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 60 }), fc.integer({ min: 1, max: 4 }), fc.boolean(), async (ops, max, encodeOnWrite) => {
        const store = await openStore(new MemoryBackend(), { maxCachedKeys: max, encodeOnWrite });
        const model = new Map<string, number>();
        for (const o of ops) {
          if (o.kind === 'commit') {
            await store.commit();
            expect(store.stats().cachedKeys).toBeLessThanOrEqual(max);
            continue;
          }
          const key = `k${o.key}`;
          if (o.kind === 'set') {
            store.set(key, { n: o.n });
            model.set(key, o.n);
          } else if (o.kind === 'delete') {
            store.delete(key);
            model.delete(key);
          } else {
            // read-modify-write in place, as the runtime does
            const state = store.isLoaded(key) ? store.peek(key) : await store.load(key);
            if (state === undefined) continue;
            state.n++;
            store.markDirty(key);
            model.set(key, state.n);
          }
        }
        await store.commit();
        for (let k = 0; k < 8; k++) {
          const n = model.get(`k${k}`);
          expect(await store.load(`k${k}`)).toEqual(n === undefined ? undefined : { n });
        }
        await store.close();
      }),
      { numRuns: 150 },
    );
  });

  it('evicts in least-recently-used order: a peeked key survives', async () => {
    const store = await openStore(new MemoryBackend(), { maxCachedKeys: 3 });
    for (const k of ['a', 'b', 'c']) store.set(k, { n: 0 });
    await store.commit();
    store.peek('a'); // now b is the least recently used
    store.set('d', { n: 0 });
    await store.commit();
    expect(store.isLoaded('a')).toBe(true);
    expect(store.isLoaded('b')).toBe(false);
    expect(store.isLoaded('c')).toBe(true);
    expect(store.isLoaded('d')).toBe(true);
  });
});
