import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/tempDir.ts';
import { ChunkedWriter } from './ChunkedWriter.ts';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('ChunkedWriter', () => {
  it('writes every line, in order, across chunk boundaries, multi-byte text and lines longer than a chunk', () => {
    const dir = tempDir();
    cleanup = dir.cleanup;
    const file = join(dir.path, 'out.jsonl');
    const w = new ChunkedWriter(file, 64);
    const lines = ['a', 'é€𝄞 ünïcödé', 'x'.repeat(50), 'y'.repeat(500), '', 'z'];
    for (let i = 0; i < 20; i++) for (const l of lines) w.line(`${i}:${l}`);
    w.close();
    w.close();
    const expected: string[] = [];
    for (let i = 0; i < 20; i++) for (const l of lines) expected.push(`${i}:${l}`);
    expect(readFileSync(file, 'utf8')).toBe(`${expected.join('\n')}\n`);
    expect(w.lines).toBe(120);
  });
});
