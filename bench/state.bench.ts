/**
 * State store benchmark: raw LevelDB batch writes (fsync vs not), getMany vs get, the codec
 * (JSON vs v8.serialize), and group-committed `set + commit` with 1, 100 and 1,000 concurrent
 * writers, fsync vs not, window 0 (setImmediate) vs 1 ms.
 *
 *   node --import tsx bench/state.bench.ts            (full run, ~30 s)
 *   node --import tsx bench/state.bench.ts --quick    (smaller counts)
 */
import fs from 'node:fs';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import { Level } from 'level';
import { KeyedStateStore } from '../src/state/KeyedStateStore.ts';
import { LevelBackend } from '../src/state/LevelBackend.ts';
import { MemoryBackend } from '../src/state/MemoryBackend.ts';

interface UserState {
  eventCount: number;
  firstSeen: number;
  lastSeen: number;
  decisions: { allow: number; review: number; deny: number };
  recent: { id: string; type: string; time: number; decision: string; score: number }[];
  features: Record<string, unknown>;
}

function sampleState(i: number): UserState {
  const recent = [];
  for (let j = 0; j < 20; j++) {
    recent.push({ id: `evt-${i}-${j}-abcdef`, type: 'payment', time: 1_700_000_000_000 + j * 1000, decision: 'allow', score: j * 3 });
  }
  return {
    eventCount: 1234 + i,
    firstSeen: 1_700_000_000_000,
    lastSeen: 1_700_000_500_000,
    decisions: { allow: 1200, review: 30, deny: 4 },
    recent,
    features: { amount_1h: { buckets: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], sum: 123.45 }, devices: ['d1', 'd2', 'd3'] },
  };
}

function tempDir(): string {
  return fs.mkdtempSync(os.tmpdir() + '/argus-bench-');
}

function rate(n: number, ms: number): string {
  return Math.round((n / ms) * 1000).toLocaleString('en-US');
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function benchBatchWrites(quick: boolean): Promise<void> {
  console.log('\n## LevelDB batch writes (1,000 puts per batch)');
  const results: Record<string, number> = {};
  for (const [size, value] of [['100 B', 'x'.repeat(100)], ['2 KB', JSON.stringify(sampleState(0))]] as const) {
  for (const sync of [false, true]) {
    const dir = tempDir();
    const db = new Level<string, string>(dir, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    await db.open();
    const batches = quick ? 20 : 100;
    const t = performance.now();
    for (let b = 0; b < batches; b++) {
      const ops = [];
      for (let i = 0; i < 1000; i++) ops.push({ type: 'put' as const, key: `k:user-${b * 1000 + i}`, value });
      await db.batch(ops, { sync });
    }
    const ms = performance.now() - t;
    results[`${size}/${sync}`] = ((batches * 1000) / ms) * 1000;
    console.log(`${size} values, sync=${sync}: ${rate(batches * 1000, ms)} ops/s`);
    // Small batches show the fixed cost of one write (+ fsync).
    const n = quick ? 100 : 500;
    const t2 = performance.now();
    for (let i = 0; i < n; i++) await db.batch([{ type: 'put', key: `k:small-${i}`, value }], { sync });
    const ms2 = performance.now() - t2;
    console.log(`${size} values, sync=${sync}: one-op batches ${rate(n, ms2)} batches/s, ${(ms2 / n).toFixed(3)} ms per batch`);
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(`ratio no-sync / sync (${size}, 1,000-op batches): ${(results[`${size}/false`] / results[`${size}/true`]).toFixed(2)}x`);
  }
}

async function benchReads(quick: boolean): Promise<void> {
  console.log('\n## LevelDB reads: awaited get vs getMany (random existing keys)');
  const dir = tempDir();
  const db = new Level<string, string>(dir, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  await db.open();
  const keys = quick ? 20_000 : 100_000;
  const value = JSON.stringify(sampleState(0));
  for (let b = 0; b < keys; b += 1000) {
    const ops = [];
    for (let i = b; i < b + 1000; i++) ops.push({ type: 'put' as const, key: `k:user-${i}`, value });
    await db.batch(ops);
  }
  const n = quick ? 10_000 : 50_000;
  const pick = (): string => `k:user-${Math.floor(Math.random() * keys)}`;
  let t = performance.now();
  for (let i = 0; i < n; i++) await db.get(pick());
  const getMs = performance.now() - t;
  t = performance.now();
  for (let i = 0; i < n; i += 1000) {
    const batch = [];
    for (let j = 0; j < 1000; j++) batch.push(pick());
    await db.getMany(batch);
  }
  const manyMs = performance.now() - t;
  console.log(`get (awaited, one at a time): ${rate(n, getMs)} keys/s`);
  console.log(`getMany (1,000 keys per call): ${rate(n, manyMs)} keys/s`);
  console.log(`ratio getMany / get: ${(getMs / manyMs).toFixed(2)}x`);
  await db.close();

  console.log('\n## KeyedStateStore cold loads (load() of distinct keys, coalesced into getMany)');
  const store = await new KeyedStateStore<UserState>(new LevelBackend(dir)).open();
  t = performance.now();
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < n; i++) {
    pending.push(store.load(`user-${i}`));
    if (pending.length === 1000) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  const loadMs = performance.now() - t;
  console.log(`load() cold, 1,000 in flight: ${rate(n, loadMs)} keys/s (${store.stats().reads} getMany calls)`);
  t = performance.now();
  let hits = 0;
  for (let r = 0; r < 20; r++) for (let i = 0; i < n; i++) if (store.peek(`user-${i}`) !== undefined) hits++;
  const peekMs = performance.now() - t;
  console.log(`peek() hot: ${rate(hits, peekMs)} ops/s`);
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

function benchCodec(quick: boolean): void {
  console.log('\n## Codec: JSON vs v8.serialize (~2 KB state)');
  const state = sampleState(1);
  const json = JSON.stringify(state);
  const bin = v8.serialize(state);
  const n = quick ? 20_000 : 100_000;
  const time = (fn: () => unknown): number => {
    for (let i = 0; i < 2000; i++) fn();
    const t = performance.now();
    for (let i = 0; i < n; i++) fn();
    return performance.now() - t;
  };
  const je = time(() => JSON.stringify(state));
  const ve = time(() => v8.serialize(state));
  const jd = time(() => JSON.parse(json));
  const vd = time(() => v8.deserialize(bin));
  console.log(`size: JSON ${json.length} chars, v8 ${bin.length} bytes`);
  console.log(`encode: JSON ${rate(n, je)} /s, v8 ${rate(n, ve)} /s (v8/JSON ${(je / ve).toFixed(2)}x)`);
  console.log(`decode: JSON ${rate(n, jd)} /s, v8 ${rate(n, vd)} /s (v8/JSON ${(jd / vd).toFixed(2)}x)`);
}

interface GroupResult {
  opsPerSec: number;
  batches: number;
  p50: number;
  p99: number;
}

async function groupCommit(
  writers: number,
  sync: boolean,
  groupCommitMs: number,
  total: number,
  memory = false,
): Promise<GroupResult> {
  const dir = tempDir();
  const backend = memory ? new MemoryBackend() : new LevelBackend(dir);
  const store = await new KeyedStateStore<UserState>(backend, { sync, groupCommitMs }).open();
  const latencies: number[] = [];
  const perWriter = Math.max(1, Math.floor(total / writers));
  const writer = async (w: number): Promise<void> => {
    for (let i = 0; i < perWriter; i++) {
      const key = `user-${w}-${i % 5}`;
      let state = store.peek(key);
      if (state === undefined) state = sampleState(i);
      state.eventCount++;
      state.lastSeen = i;
      store.set(key, state);
      store.putRecord(`evt-${w}-${i}`, 'allow');
      const t0 = performance.now();
      await store.commit();
      latencies.push(performance.now() - t0);
    }
  };
  const t = performance.now();
  const all = [];
  for (let w = 0; w < writers; w++) all.push(writer(w));
  await Promise.all(all);
  const ms = performance.now() - t;
  const batches = store.stats().batches;
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  return { opsPerSec: ((perWriter * writers) / ms) * 1000, batches, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
}

async function benchGroupCommit(quick: boolean): Promise<void> {
  console.log('\n## Group commit: set + putRecord + await commit() per request (state ~2 KB)');
  console.log('writers | sync  | window | requests/s | batches | req/batch | commit p50 ms | p99 ms');
  const rows: Record<string, GroupResult> = {};
  for (const writers of [1, 100, 1000]) {
    for (const sync of [false, true]) {
      for (const windowMs of [0, 1]) {
        const total = writers === 1 ? (quick ? 300 : 2000) : quick ? 5000 : 30_000;
        const r = await groupCommit(writers, sync, windowMs, total);
        rows[`${writers}/${sync}/${windowMs}`] = r;
        const requests = Math.max(1, Math.floor(total / writers)) * writers;
        console.log(
          `${String(writers).padStart(7)} | ${String(sync).padEnd(5)} | ${String(windowMs).padStart(4)}ms | ${Math.round(r.opsPerSec).toLocaleString('en-US').padStart(10)} | ${String(r.batches).padStart(7)} | ${(requests / r.batches).toFixed(1).padStart(9)} | ${r.p50.toFixed(3).padStart(13)} | ${r.p99.toFixed(3).padStart(6)}`,
        );
      }
    }
  }
  const total = quick ? 5000 : 30_000;
  const mem = await groupCommit(1000, false, 0, total, true);
  console.log(
    `peer: MemoryBackend, 1000 writers: ${Math.round(mem.opsPerSec).toLocaleString('en-US')} requests/s in ${mem.batches} batches (store overhead without LevelDB); LevelDB no-sync / memory: ${(rows['1000/false/0'].opsPerSec / mem.opsPerSec).toFixed(2)}x`,
  );
  for (const writers of [1, 100, 1000]) {
    const ratio = rows[`${writers}/false/0`].opsPerSec / rows[`${writers}/true/0`].opsPerSec;
    console.log(`ratio no-sync / sync at ${writers} writers (window 0): ${ratio.toFixed(2)}x`);
  }
  for (const writers of [1, 100, 1000]) {
    const ratio = rows[`${writers}/true/0`].opsPerSec / rows[`${writers}/true/1`].opsPerSec;
    console.log(`ratio window 0 / window 1 ms at ${writers} writers (sync): ${ratio.toFixed(2)}x`);
  }
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const quick = argv.includes('--quick');
  console.log(`# state bench (node ${process.version}, ${os.cpus().length} cpus${quick ? ', quick' : ''})`);
  await benchBatchWrites(quick);
  await benchReads(quick);
  benchCodec(quick);
  await benchGroupCommit(quick);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
