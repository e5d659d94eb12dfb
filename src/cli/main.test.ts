import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import type { HttpEngine } from '../io/http/types.ts';
import { main } from './main.ts';
import { serveCommand, type ServeEngineConfig } from './serveCommand.ts';

const cwd = mkdtempSync(join(tmpdir(), 'argus-cli-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

function capture() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (s: string) => void (out.stdout += s), stderr: (s: string) => void (out.stderr += s) } };
}

describe('main', () => {
  it('prints help and version with exit 0', async () => {
    const a = capture();
    expect(await main(['--help'], a.io)).toBe(0);
    expect(a.out.stdout).toContain('Usage: argus <command>');
    expect(a.out.stdout).toContain('serve');
    const b = capture();
    expect(await main(['--version'], b.io)).toBe(0);
    expect(b.out.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('dispatches match to the match command', async () => {
    const a = capture();
    const code = await main(['match', '--help'], a.io);
    expect(code).toBe(0);
    expect(a.out.stdout + a.out.stderr).toContain('Usage: argus match');
  });

  it('answers an unknown or missing command with usage on stderr and exit 2', async () => {
    const a = capture();
    expect(await main(['frobnicate'], a.io)).toBe(2);
    expect(a.out.stderr).toContain('unknown command "frobnicate"');
    expect(a.out.stderr).toContain('Usage: argus');
    expect(a.out.stdout).toBe('');
    const b = capture();
    expect(await main([], b.io)).toBe(2);
    expect(b.out.stderr).toContain('Usage: argus');
  });

  it('exits 2 with a clear message on a bad configuration', async () => {
    const a = capture();
    expect(await main(['serve', '--port', 'eighty'], a.io)).toBe(2);
    expect(a.out.stderr).toBe('argus: invalid configuration: port: flag --port: must be an integer, got "eighty"\n');
    const b = capture();
    expect(await main(['serve', '--nope'], b.io)).toBe(2);
    expect(b.out.stderr).toMatch(/unknown flag --nope/);
  });
});

describe('validate', () => {
  const ROOT = resolve(import.meta.dirname, '../..');

  it('accepts the sample catalog and prints its version', async () => {
    const a = capture();
    expect(await main(['validate', '--rules', join(ROOT, 'rules'), '--patterns', join(ROOT, 'patterns')], a.io)).toBe(0);
    expect(a.out.stdout).toMatch(/^catalog \S+ is valid: \d+ rules, \d+ patterns, \d+ files\n$/);
  });

  it('reports an invalid rule with its file and exits 2', async () => {
    const rules = join(cwd, 'bad-rules');
    mkdirSync(rules, { recursive: true });
    writeFileSync(join(rules, 'broken.json'), '{\n  "id": "broken",\n  "conditions": \n}\n');
    const a = capture();
    expect(await main(['validate', '--rules', rules, '--patterns', join(cwd, 'no-patterns')], a.io)).toBe(2);
    expect(a.out.stderr).toContain('argus: the catalog is invalid');
    expect(a.out.stderr).toContain('broken.json:4');
  });
});

describe('serveCommand', () => {
  const fakeEngine = (): HttpEngine & { closed: boolean } => ({
    catalogVersion: 'v7',
    closed: false,
    decide: async () => {
      throw new Error('unused');
    },
    ingest: async () => {},
    inspectKey: async () => undefined,
    async close() {
      this.closed = true;
    },
  });

  it('builds the engine from the configuration, serves, logs one line, and stops cleanly', async () => {
    const { out, io } = capture();
    const engine = fakeEngine();
    let given: ServeEngineConfig | undefined;
    const stop = new AbortController();
    let health: unknown;
    const code = await serveCommand(['--port', '0', '--key-field', 'account'], io, {
      cwd,
      env: { ARGUS_DURABILITY: 'process' },
      createEngine: async (config) => {
        given = config;
        return engine;
      },
      onListening: (server) => {
        fetch(`${server.url}/healthz`)
          .then((r) => r.json())
          .then((body) => (health = body))
          .finally(() => stop.abort());
      },
      signal: stop.signal,
    });
    expect(code).toBe(0);
    expect(given).toMatchObject({ dataDir: join(cwd, 'data'), rulesDir: join(cwd, 'rules'), keyField: 'account', durability: 'process' });
    expect(health).toEqual({ status: 'ok', catalogVersion: 'v7' });
    expect(engine.closed).toBe(true);
    const lines = out.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/ info  argus listening on http:\/\/127\.0\.0\.1:\d+ \{"catalogVersion":"v7"/);
    expect(lines.at(-1)).toMatch(/stopped$/);
  });

  it('exits 2 on an invalid catalog and 1 when the engine cannot start', async () => {
    const a = capture();
    const invalid = new ValidationError('rule', [{ path: ['conditions'], message: 'required' }], { file: 'rules/x.json', line: 1 });
    expect(await serveCommand([], a.io, { cwd, env: {}, createEngine: async () => Promise.reject(invalid) })).toBe(2);
    expect(a.out.stderr).toBe('argus: cannot start: rules/x.json:1: invalid rule: conditions: required\n');
    const b = capture();
    expect(await serveCommand([], b.io, { cwd, env: {}, createEngine: async () => Promise.reject(new Error('LOCK held')) })).toBe(1);
    expect(b.out.stderr).toContain('LOCK held');
  });
});
