import { describe, expect, it } from 'vitest';
import { formatProgress, ProgressLine } from './ProgressLine.ts';
import type { ReplayProgress } from './runReplay.ts';

const at = (bytesRead: number, elapsedMs: number, done = false): ReplayProgress => ({
  bytesRead,
  totalBytes: 1000,
  lines: 100,
  events: 20_000,
  malformed: 0,
  elapsedMs,
  done,
});

describe('progress', () => {
  it('shows the share of bytes read, events/s and the ETA', () => {
    expect(formatProgress(at(250, 2000), 8)).toBe('[##......]  25.0%  20,000 events  10,000 events/s  ETA 0:06');
    expect(formatProgress(at(1000, 65_000, true), 8)).toMatch(/100\.0% .* done in 1:05$/);
  });
  it('rewrites one line on a terminal, and prints a plain line every few seconds otherwise', () => {
    const tty = { text: '', isTTY: true, write(s: string) { this.text += s; } };
    const line = new ProgressLine(tty);
    line.update(at(100, 100));
    line.update(at(200, 200, true));
    expect(tty.text.startsWith('\r[')).toBe(true);
    expect(tty.text.split('\n')).toHaveLength(2); // one newline, at the end
    const plain = { text: '', write(s: string) { this.text += s; } };
    const p = new ProgressLine(plain, 5000);
    for (const ms of [0, 1000, 4000, 6000, 7000]) p.update(at(ms / 10, ms));
    p.update(at(1000, 8000, true));
    expect(plain.text.trim().split('\n')).toHaveLength(3); // at 0 s, 6 s and the end
    expect(plain.text.includes('\r')).toBe(false);
  });
});
