import fs from 'node:fs';
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { LevelBackend } from './LevelBackend.ts';
import { MemoryBackend } from './MemoryBackend.ts';
import type { StateBackend } from './StateBackend.ts';
import { prefixUpperBound } from './prefixUpperBound.ts';

const dirs: string[] = [];
const open: StateBackend[] = [];

afterEach(async () => {
  for (const b of open.splice(0)) await b.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(os.tmpdir() + '/argus-');
  dirs.push(dir);
  return dir;
}

const backends: [string, () => StateBackend][] = [
  ['LevelBackend', () => new LevelBackend(tempDir())],
  ['MemoryBackend', () => new MemoryBackend()],
];

async function all(it: AsyncIterable<[string, string]>): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for await (const e of it) out.push(e);
  return out;
}

describe.each(backends)('%s', (_name, make) => {
  async function fresh(): Promise<StateBackend> {
    const b = make();
    await b.open();
    open.push(b);
    return b;
  }

  it('getMany answers in order, undefined for missing keys', async () => {
    const b = await fresh();
    await b.batch([
      { type: 'put', key: 'k:a', value: '1' },
      { type: 'put', key: 'k:b', value: '2' },
    ]);
    expect(await b.getMany(['k:b', 'k:missing', 'k:a'])).toEqual(['2', undefined, '1']);
  });

  it('a batch puts and deletes', async () => {
    const b = await fresh();
    await b.batch([{ type: 'put', key: 'x', value: 'v' }], { sync: true });
    await b.batch([
      { type: 'del', key: 'x' },
      { type: 'put', key: 'y', value: 'w' },
    ]);
    expect(await b.getMany(['x', 'y'])).toEqual([undefined, 'w']);
  });

  it('iterate yields exactly the keys with the prefix, in code point order', async () => {
    const b = await fresh();
    const keys = ['k:', 'k:a', 'k:b:c', 'k:\uffff', 'k:\u{10000}', 'k:\u{10FFFF}z', 'k;', 'j:z', 'kk', 'r:a'];
    await b.batch(keys.map((key, i) => ({ type: 'put', key, value: String(i) })));
    const got = (await all(b.iterate('k:'))).map(([k]) => k);
    expect(got).toEqual(['k:', 'k:a', 'k:b:c', 'k:\uffff', 'k:\u{10000}', 'k:\u{10FFFF}z']);
    expect((await all(b.iterate('k:b'))).map(([k]) => k)).toEqual(['k:b:c']);
    expect((await all(b.iterate(''))).length).toBe(keys.length);
  });

  it('values with any characters round-trip', async () => {
    const b = await fresh();
    const value = 'é日本😀\u0000\n"';
    await b.batch([{ type: 'put', key: 'k:v', value }]);
    expect(await b.getMany(['k:v'])).toEqual([value]);
  });
});

describe('LevelBackend', () => {
  it('keeps data across close and reopen', async () => {
    const dir = tempDir();
    const a = new LevelBackend(dir);
    await a.open();
    await a.batch([{ type: 'put', key: 'k:a', value: '1' }], { sync: true });
    await a.close();
    const b = new LevelBackend(dir);
    await b.open();
    open.push(b);
    expect(await b.getMany(['k:a'])).toEqual(['1']);
  });

  it('reports a locked directory as a non-retriable StateStoreError', async () => {
    const dir = tempDir();
    const a = new LevelBackend(dir);
    await a.open();
    open.push(a);
    const b = new LevelBackend(dir);
    await expect(b.open()).rejects.toMatchObject({ code: 'STATE_STORE_ERROR', retriable: false });
  });
});

describe('prefixUpperBound', () => {
  it('increments the last code point', () => {
    expect(prefixUpperBound('k:')).toBe('k;');
    expect(prefixUpperBound('a\ud7ff')).toBe('a\ue000');
    expect(prefixUpperBound('a\u{10FFFF}')).toBe('b');
    expect(prefixUpperBound('\u{10FFFF}')).toBeUndefined();
    expect(prefixUpperBound('')).toBeUndefined();
  });
});
