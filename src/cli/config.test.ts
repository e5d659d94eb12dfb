import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { loadConfig } from './config.ts';

const root = mkdtempSync(join(tmpdir(), 'argus-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A fresh working directory, optionally with files in it. */
function dir(files: Record<string, string> = {}): string {
  const d = join(root, `case-${n++}`);
  mkdirSync(d, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(d, name, '..'), { recursive: true });
    writeFileSync(join(d, name), content);
  }
  return d;
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('needs nothing: defaults are complete, paths relative to the working directory', () => {
    const cwd = dir();
    const { config, file } = loadConfig({ argv: [], env: {}, cwd });
    expect(file).toBeUndefined();
    expect(config).toEqual({
      port: 8080,
      host: '127.0.0.1',
      dataDir: join(cwd, 'data'),
      rulesDir: join(cwd, 'rules'),
      patternsDir: join(cwd, 'patterns'),
      keyField: 'userId',
      durability: 'sync',
      groupCommitMs: 0,
      maxCachedKeys: 1_000_000,
      logLevel: 'info',
      shutdownTimeoutMs: 10_000,
      keepAliveTimeoutMs: 5_000,
      outOfOrdernessMs: 5_000,
      maxPartialMatches: 10_000,
      alertsStdout: false,
      watchCatalog: true,
    });
  });

  it('reads booleans as true or false only', () => {
    const cwd = dir();
    expect(loadConfig({ argv: ['--alerts-stdout', 'true'], env: { ARGUS_WATCH_CATALOG: 'false' }, cwd }).config).toMatchObject({
      alertsStdout: true,
      watchCatalog: false,
    });
    expect(() => loadConfig({ argv: ['--alerts-stdout', 'yes'], env: {}, cwd })).toThrow(/flag --alerts-stdout: must be true or false/);
  });

  it('takes flags over environment over file over defaults', () => {
    const cwd = dir({ 'argus.config.json': JSON.stringify({ port: 1111, host: '0.0.0.0', keyField: 'account.id', maxCachedKeys: 5 }) });
    const env = { ARGUS_PORT: '2222', ARGUS_KEY_FIELD: 'cardId' };
    const { config, file } = loadConfig({ argv: ['--port', '3333'], env, cwd });
    expect(file).toBe(join(cwd, 'argus.config.json'));
    expect(config.port).toBe(3333); // flag
    expect(config.keyField).toBe('cardId'); // environment over file
    expect(config.host).toBe('0.0.0.0'); // file over default
    expect(config.maxCachedKeys).toBe(5);
    expect(config.logLevel).toBe('info'); // default
    expect(loadConfig({ argv: [], env, cwd }).config.port).toBe(2222);
  });

  it('reads every flag and variable, secrets from the environment only', () => {
    const cwd = dir();
    const { config } = loadConfig({
      argv: ['--data-dir', 'state', '--rules', '/etc/argus/rules', '--patterns=pats', '--key-field', 'user.id', '--durability', 'process', '--group-commit-ms', '0', '--log-level', 'warn'],
      env: { ARGUS_API_KEY: 'k1', ARGUS_ADMIN_KEY: 'k2', ARGUS_HOST: '::1', ARGUS_MAX_CACHED_KEYS: '10' },
      cwd,
    });
    expect(config).toMatchObject({
      dataDir: join(cwd, 'state'),
      rulesDir: '/etc/argus/rules',
      patternsDir: join(cwd, 'pats'),
      keyField: 'user.id',
      durability: 'process',
      groupCommitMs: 0,
      logLevel: 'warn',
      apiKey: 'k1',
      adminKey: 'k2',
      host: '::1',
      maxCachedKeys: 10,
    });
    expect(configError(() => loadConfig({ argv: ['--api-key', 'x'], env: {}, cwd })).message).toMatch(/unknown flag --api-key/);
    expect(loadConfig({ argv: ['--data-dir', ':memory:'], env: {}, cwd }).config.dataDir).toBe(':memory:');
  });

  it('reads the file named by --config or ARGUS_CONFIG, resolving its paths from its own directory', () => {
    const cwd = dir({ 'conf/prod.json': JSON.stringify({ dataDir: '../var/state', port: 9000 }), 'conf/env.json': JSON.stringify({ port: 9001 }) });
    const byFlag = loadConfig({ argv: ['--config', 'conf/prod.json'], env: { ARGUS_CONFIG: 'conf/env.json' }, cwd });
    expect(byFlag.config.port).toBe(9000);
    expect(byFlag.config.dataDir).toBe(join(cwd, 'var/state'));
    expect(loadConfig({ argv: [], env: { ARGUS_CONFIG: 'conf/env.json' }, cwd }).config.port).toBe(9001);
  });

  it('rejects a bad port from each source, naming the source and the setting', () => {
    const cwd = dir({ 'bad.json': '{\n  "host": "h",\n  "port": 70000\n}\n' });
    const flag = configError(() => loadConfig({ argv: ['--port', 'http'], env: {}, cwd }));
    expect(flag.issues).toEqual([{ path: ['port'], message: 'flag --port: must be an integer, got "http"' }]);
    const env = configError(() => loadConfig({ argv: [], env: { ARGUS_PORT: '-1' }, cwd }));
    expect(env.issues[0]!.path).toEqual(['port']);
    expect(env.issues[0]!.message).toMatch(/^environment ARGUS_PORT: must be at least 0/);
    const file = configError(() => loadConfig({ argv: ['--config', 'bad.json'], env: {}, cwd }));
    expect(file.file).toBe(join(cwd, 'bad.json'));
    expect(file.line).toBe(3);
    expect(file.issues[0]!.path).toEqual(['port']);
    expect(file.message).toContain('bad.json:3: invalid configuration: port: ');
  });

  it('rejects unknown flags, stray arguments and bad enum values', () => {
    const cwd = dir();
    expect(configError(() => loadConfig({ argv: ['--prot', '1'], env: {}, cwd })).message).toMatch(/unknown flag --prot/);
    expect(configError(() => loadConfig({ argv: ['extra'], env: {}, cwd })).message).toMatch(/unexpected argument "extra"/);
    expect(configError(() => loadConfig({ argv: ['--port'], env: {}, cwd })).message).toMatch(/--port/);
    const dur = configError(() => loadConfig({ argv: [], env: { ARGUS_DURABILITY: 'maybe' }, cwd }));
    expect(dur.issues[0]).toEqual({ path: ['durability'], message: 'environment ARGUS_DURABILITY: must be "sync" or "process", got "maybe"' });
  });

  it('rejects an invalid file: malformed JSON with its line, unknown settings with their path, a missing file', () => {
    const cwd = dir({ 'syntax.json': '{\n  "port": 1,\n  "host": \n}', 'unknown.json': '{\n  "port": 1,\n  "prot": 2\n}', 'argus.config.json': '[]' });
    const syntax = configError(() => loadConfig({ argv: ['--config', 'syntax.json'], env: {}, cwd }));
    expect(syntax.file).toBe(join(cwd, 'syntax.json'));
    expect(syntax.line).toBe(4);
    expect(syntax.message).toMatch(/malformed JSON/);
    const unknown = configError(() => loadConfig({ argv: ['--config', 'unknown.json'], env: {}, cwd }));
    expect(unknown.issues[0]!.path).toEqual(['prot']);
    expect(unknown.issues[0]!.message).toMatch(/unknown setting/);
    expect(unknown.line).toBe(3);
    const missing = configError(() => loadConfig({ argv: [], env: { ARGUS_CONFIG: 'nope.json' }, cwd }));
    expect(missing.message).toMatch(/environment ARGUS_CONFIG: configuration file .*nope\.json does not exist/);
    const notObject = configError(() => loadConfig({ argv: [], env: {}, cwd }));
    expect(notObject.file).toBe(join(cwd, 'argus.config.json'));
  });
});
