import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCommand } from './generateCommand.ts';
import { main } from './main.ts';

const dir = mkdtempSync(join(tmpdir(), 'argus-generate-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (s: string) => void (out.stdout += s), stderr: (s: string) => void (out.stderr += s) } };
}

const ARGS = ['--users', '40', '--days', '2', '--seed', '5', '--fraud-rate', '0.25'];

describe('argus generate', () => {
  it('writes labelled JSONL to stdout, the same bytes on every run, and a summary on stderr', async () => {
    const a = capture();
    expect(await main(['generate', ...ARGS], a.io)).toBe(0);
    const lines = a.out.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(100);
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(Object.keys(first).slice(0, 4)).toEqual(['id', 'type', 'timestamp', 'userId']);
    expect(first).toHaveProperty('label.fraud');
    expect(a.out.stderr).toMatch(/^argus generate: \d+ events, 40 users, 2 days, seed 5; 10 scenarios \(account_takeover 2, card_testing 2, velocity_abuse 2, impossible_travel 2, mule_fan_in 2\), \d+ fraud events\n$/);
    const b = capture();
    expect(await generateCommand(ARGS, b.io)).toBe(0);
    expect(b.out.stdout).toBe(a.out.stdout);
  });

  it('writes --out files, gzipped when the name ends in .gz, with the same content', async () => {
    const plain = join(dir, 'events.jsonl');
    const gz = join(dir, 'events.jsonl.gz');
    expect(await generateCommand([...ARGS, '--out', plain], capture().io)).toBe(0);
    const c = capture();
    expect(await generateCommand([...ARGS, '--out', gz], c.io)).toBe(0);
    expect(c.out.stdout).toBe('');
    expect(c.out.stderr).toContain(`→ ${gz}`);
    const text = readFileSync(plain, 'utf8');
    expect(gunzipSync(readFileSync(gz)).toString('utf8')).toBe(text);
    const again = join(dir, 'again.jsonl.gz');
    await generateCommand([...ARGS, '--out', again], capture().io);
    expect(readFileSync(again).equals(readFileSync(gz))).toBe(true);
  });

  it('honours --start', async () => {
    const a = capture();
    expect(await generateCommand(['--users', '3', '--days', '1', '--start', '2025-03-01'], a.io)).toBe(0);
    const t = (JSON.parse(a.out.stdout.split('\n')[0]!) as { timestamp: number }).timestamp;
    expect(t).toBeGreaterThanOrEqual(Date.UTC(2025, 2, 1));
    expect(t).toBeLessThan(Date.UTC(2025, 2, 2));
  });

  it('prints help with exit 0', async () => {
    const a = capture();
    expect(await main(['generate', '--help'], a.io)).toBe(0);
    expect(a.out.stdout).toContain('Usage: argus generate');
  });

  it.each([
    [['--users', 'ten'], '--users: must be a number, got "ten"'],
    [['--users', '0'], '--users: must be at least 1, got "0"'],
    [['--days', '2.5'], '--days: must be an integer, got "2.5"'],
    [['--fraud-rate', '1.5'], '--fraud-rate: must be between 0 and 1, got "1.5"'],
    [['--fraud-rate=-0.1'], '--fraud-rate: must be between 0 and 1, got "-0.1"'],
    [['--seed=-3'], '--seed: must be at least 0, got "-3"'],
    [['--seed', '-3'], "Option '--seed' argument is ambiguous"],
    [['--start', 'yesterday'], '--start: must be an ISO date (2026-01-05) or epoch milliseconds, got "yesterday"'],
    [['--frobnicate'], "Unknown option '--frobnicate'"],
    [['extra'], "Unexpected argument 'extra'"],
  ])('exits 2 on bad arguments %j', async (args, message) => {
    const a = capture();
    expect(await generateCommand(args, a.io)).toBe(2);
    expect(a.out.stderr).toContain(message);
    expect(a.out.stderr).toContain('Usage: argus generate');
    expect(a.out.stdout).toBe('');
  });

  it('exits 1 when the output cannot be written', async () => {
    const a = capture();
    expect(await generateCommand([...ARGS, '--out', join(dir, 'missing', 'x.jsonl')], a.io)).toBe(1);
    expect(a.out.stderr).toMatch(/cannot write .*missing/);
  });
});
