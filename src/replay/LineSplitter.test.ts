import { describe, expect, it } from 'vitest';
import { LineSplitter } from './LineSplitter.ts';

function split(chunks: (string | Buffer)[], maxBytes = 100): [number, string | null][] {
  const s = new LineSplitter(maxBytes);
  const out: [number, string | null][] = [];
  const take = () => {
    for (let i = 0; i < s.count; i++) out.push([s.numbers[i]!, s.lines[i]!]);
  };
  for (const c of chunks) {
    s.push(typeof c === 'string' ? Buffer.from(c) : c);
    take();
  }
  s.end();
  take();
  return out;
}

describe('LineSplitter', () => {
  it('splits LF and CRLF lines across chunk boundaries, numbering from 1', () => {
    expect(split(['a\nb', 'c\r\n', '\nd'])).toEqual([
      [1, 'a'],
      [2, 'bc'],
      [3, ''],
      [4, 'd'],
    ]);
  });
  it('keeps multi-byte characters split between chunks', () => {
    const bytes = Buffer.from('é€\n');
    expect(split([bytes.subarray(0, 1), bytes.subarray(1, 3), bytes.subarray(3)])).toEqual([[1, 'é€']]);
  });
  it('drops a UTF-8 byte order mark at the start', () => {
    expect(split([Buffer.from([0xef, 0xbb, 0xbf]), 'x\n'])).toEqual([[1, 'x']]);
    expect(split([Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('y\n')])])).toEqual([[1, 'y']]);
  });
  it('gives null for lines over the limit, within a chunk or across many, and goes on', () => {
    const long = 'x'.repeat(101);
    expect(split([`ok\n${long}\nfine\n`])).toEqual([
      [1, 'ok'],
      [2, null],
      [3, 'fine'],
    ]);
    expect(split(['a\n', 'y'.repeat(60), 'y'.repeat(60), 'y'.repeat(60), '\nb'])).toEqual([
      [1, 'a'],
      [2, null],
      [3, 'b'],
    ]);
    expect(split(['z'.repeat(100) + '\r\n'])).toEqual([[1, 'z'.repeat(100)]]);
  });
});
