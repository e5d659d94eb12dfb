import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { lineOfPath, parseJsonDocument } from '../catalog/jsonSource.ts';
import { ConfigError, ValidationError, fromZodIssues, type ValidationIssue } from '../errors.ts';
import { DEFAULT_ENGINE_CONFIG } from '../runtime/createEngine.ts';

/**
 * The configuration of `argus serve`. Sources, strongest first: command-line flags, environment
 * variables, a JSON file (`--config`, `ARGUS_CONFIG`, else `./argus.config.json` if present),
 * defaults. Every value is validated where it comes from, so an error names its source.
 * See docs/configuration.md.
 */

const int = (min: number, max: number) =>
  z.number().int('must be an integer').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);
const text = z.string().min(1, 'must not be empty');

/** Each setting's schema, without its default. */
const fields = {
  port: int(0, 65_535),
  host: text,
  dataDir: text,
  rulesDir: text,
  patternsDir: text,
  keyField: text.regex(/^[^.]+(\.[^.]+)*$/, 'must be a field name or a dot path such as "user.id"'),
  apiKey: text,
  adminKey: text,
  durability: z.enum(['sync', 'process'], { message: 'must be "sync" or "process"' }),
  groupCommitMs: int(0, 1_000),
  maxCachedKeys: int(1, 100_000_000),
  logLevel: z.enum(['debug', 'info', 'warn', 'error', 'silent'], { message: 'must be one of debug, info, warn, error, silent' }),
  shutdownTimeoutMs: int(0, 600_000),
  keepAliveTimeoutMs: int(0, 3_600_000),
  outOfOrdernessMs: int(0, 86_400_000),
  maxPartialMatches: int(1, 10_000_000),
  alertsStdout: z.boolean({ message: 'must be true or false' }),
  watchCatalog: z.boolean({ message: 'must be true or false' }),
};

export type ConfigKey = keyof typeof fields;

/** The whole configuration with its defaults: `npm start` needs nothing else. */
export const configSchema = z.strictObject({
  port: fields.port.default(8080),
  host: fields.host.default('127.0.0.1'),
  dataDir: fields.dataDir.default('./data'),
  rulesDir: fields.rulesDir.default('./rules'),
  patternsDir: fields.patternsDir.default('./patterns'),
  keyField: fields.keyField.default('userId'),
  apiKey: fields.apiKey.optional(),
  adminKey: fields.adminKey.optional(),
  // The engine's own defaults, so that `argus serve` and an embedded engine behave alike.
  durability: fields.durability.default(DEFAULT_ENGINE_CONFIG.durability),
  groupCommitMs: fields.groupCommitMs.default(DEFAULT_ENGINE_CONFIG.groupCommitMs),
  maxCachedKeys: fields.maxCachedKeys.default(DEFAULT_ENGINE_CONFIG.maxCachedKeys),
  logLevel: fields.logLevel.default('info'),
  shutdownTimeoutMs: fields.shutdownTimeoutMs.default(10_000),
  keepAliveTimeoutMs: fields.keepAliveTimeoutMs.default(5_000),
  outOfOrdernessMs: fields.outOfOrdernessMs.default(5_000),
  maxPartialMatches: fields.maxPartialMatches.default(10_000),
  alertsStdout: fields.alertsStdout.default(false),
  watchCatalog: fields.watchCatalog.default(true),
});

export type ArgusConfig = z.output<typeof configSchema>;

/** What a configuration file may hold: any subset of the settings, nothing else. */
const fileSchema = z.strictObject(fields).partial();

interface Setting {
  key: ConfigKey;
  /** Command-line flag (without `--`); none for secrets, which do not belong in `ps` output. */
  flag?: string;
  env: string;
  kind: 'string' | 'int' | 'bool';
  /** Directories: relative paths in a config file are resolved from the file's directory. */
  path?: boolean;
  description: string;
}

/** Every setting, its flag and its environment variable (also the source of `--help` and docs). */
export const SETTINGS: readonly Setting[] = [
  { key: 'port', flag: 'port', env: 'ARGUS_PORT', kind: 'int', description: 'HTTP port (0: any free port)' },
  { key: 'host', flag: 'host', env: 'ARGUS_HOST', kind: 'string', description: 'interface to listen on' },
  { key: 'dataDir', flag: 'data-dir', env: 'ARGUS_DATA_DIR', kind: 'string', path: true, description: 'LevelDB state directory (:memory: for none)' },
  { key: 'rulesDir', flag: 'rules', env: 'ARGUS_RULES', kind: 'string', path: true, description: 'rules directory' },
  { key: 'patternsDir', flag: 'patterns', env: 'ARGUS_PATTERNS', kind: 'string', path: true, description: 'patterns directory' },
  { key: 'keyField', flag: 'key-field', env: 'ARGUS_KEY_FIELD', kind: 'string', description: 'event field that keys state (dot path)' },
  { key: 'apiKey', env: 'ARGUS_API_KEY', kind: 'string', description: 'required x-api-key header, when set' },
  { key: 'adminKey', env: 'ARGUS_ADMIN_KEY', kind: 'string', description: 'x-admin-key of admin endpoints (off if unset)' },
  { key: 'durability', flag: 'durability', env: 'ARGUS_DURABILITY', kind: 'string', description: 'sync (fsync before answering) or process' },
  { key: 'groupCommitMs', flag: 'group-commit-ms', env: 'ARGUS_GROUP_COMMIT_MS', kind: 'int', description: 'group-commit window, ms (0: one event-loop turn)' },
  { key: 'maxCachedKeys', flag: 'max-cached-keys', env: 'ARGUS_MAX_CACHED_KEYS', kind: 'int', description: 'key states kept in memory' },
  { key: 'logLevel', flag: 'log-level', env: 'ARGUS_LOG_LEVEL', kind: 'string', description: 'debug, info, warn, error or silent' },
  { key: 'shutdownTimeoutMs', flag: 'shutdown-timeout-ms', env: 'ARGUS_SHUTDOWN_TIMEOUT_MS', kind: 'int', description: 'grace period for in-flight requests, ms' },
  { key: 'keepAliveTimeoutMs', flag: 'keep-alive-timeout-ms', env: 'ARGUS_KEEP_ALIVE_TIMEOUT_MS', kind: 'int', description: 'idle keep-alive connection timeout' },
  { key: 'outOfOrdernessMs', flag: 'out-of-orderness-ms', env: 'ARGUS_OUT_OF_ORDERNESS_MS', kind: 'int', description: 'watermark lag behind the latest event time, ms' },
  { key: 'maxPartialMatches', flag: 'max-partial-matches', env: 'ARGUS_MAX_PARTIAL_MATCHES', kind: 'int', description: 'live partial matches per key and pattern' },
  { key: 'alertsStdout', flag: 'alerts-stdout', env: 'ARGUS_ALERTS_STDOUT', kind: 'bool', description: 'also print alerts on stdout (true/false)' },
  { key: 'watchCatalog', flag: 'watch-catalog', env: 'ARGUS_WATCH_CATALOG', kind: 'bool', description: 'reload rules/patterns when files change' },
];

export const CONFIG_FILE_ENV = 'ARGUS_CONFIG';
/** `--data-dir :memory:` keeps state in memory only (nothing survives a restart). */
export const MEMORY = ':memory:';
export const DEFAULT_CONFIG_FILE = 'argus.config.json';

export interface ConfigSources {
  /** Flags after the command name, e.g. `['--port', '9000']`. */
  argv?: string[];
  env?: Record<string, string | undefined>;
  /** Directory that relative paths and `./argus.config.json` are taken from (default `process.cwd()`). */
  cwd?: string;
}

export interface LoadedConfig {
  config: ArgusConfig;
  /** The configuration file that was read, if any (absolute). */
  file: string | undefined;
}

/** `parseArgs` options for the configuration flags (plus `--config`). */
export function configFlagOptions(): Record<string, { type: 'string' | 'boolean'; short?: string }> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { config: { type: 'string' } };
  for (const s of SETTINGS) if (s.flag !== undefined) options[s.flag] = { type: 'string' };
  return options;
}

/**
 * Reads flags, environment and file into one validated configuration.
 * Throws `ConfigError` naming the source (flag, variable, or file and line) and the setting.
 */
export function loadConfig(sources: ConfigSources = {}): LoadedConfig {
  const env = sources.env ?? process.env;
  const cwd = sources.cwd ?? process.cwd();
  const flags = parseFlags(sources.argv ?? []);

  const explicit = flags.config ?? nonEmpty(env[CONFIG_FILE_ENV]);
  let file: string | undefined;
  let fromFile: Partial<ArgusConfig> = {};
  if (explicit !== undefined) {
    file = resolve(cwd, explicit);
    if (!existsSync(file)) {
      const source = flags.config !== undefined ? 'flag --config' : `environment ${CONFIG_FILE_ENV}`;
      throw new ConfigError([{ path: [], message: `${source}: configuration file ${file} does not exist` }]);
    }
  } else if (existsSync(resolve(cwd, DEFAULT_CONFIG_FILE))) {
    file = resolve(cwd, DEFAULT_CONFIG_FILE);
  }
  if (file !== undefined) fromFile = readConfigFile(file);

  const fromEnv: Record<string, unknown> = {};
  const fromFlags: Record<string, unknown> = {};
  const issues: ValidationIssue[] = [];
  for (const s of SETTINGS) {
    const envValue = env[s.env];
    if (envValue !== undefined && envValue !== '') {
      const v = coerce(s, envValue, `environment ${s.env}`, issues);
      if (v !== undefined) fromEnv[s.key] = s.path ? resolvePath(cwd, v as string) : v;
    }
    const flagValue = s.flag === undefined ? undefined : flags[s.flag];
    if (flagValue !== undefined) {
      const v = coerce(s, flagValue, `flag --${s.flag}`, issues);
      if (v !== undefined) fromFlags[s.key] = s.path ? resolvePath(cwd, v as string) : v;
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);

  const merged = { ...fromFile, ...fromEnv, ...fromFlags };
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) throw new ConfigError(fromZodIssues(parsed.error.issues)); // unreachable: every layer was checked
  const config = parsed.data;
  // Defaults are relative to the working directory.
  config.dataDir = resolvePath(cwd, config.dataDir);
  config.rulesDir = resolvePath(cwd, config.rulesDir);
  config.patternsDir = resolvePath(cwd, config.patternsDir);
  return { config, file };
}

function parseFlags(argv: string[]): Record<string, string | undefined> {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: configFlagOptions(), strict: true, allowPositionals: true });
    if (positionals.length > 0) {
      throw new ConfigError([{ path: [], message: `unexpected argument ${JSON.stringify(positionals[0])}` }]);
    }
    return values as Record<string, string | undefined>;
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const e = err as Error & { code?: string };
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const flag = /'([^']+)'/.exec(e.message)?.[1] ?? '';
      throw new ConfigError([{ path: [], message: `unknown flag ${flag} (see argus serve --help)` }]);
    }
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      throw new ConfigError([{ path: [], message: e.message.replace(/^Option /, 'flag ') }]);
    }
    throw err;
  }
}

/** Converts a flag or environment string to the setting's type and checks it; issues name the source. */
function coerce(s: Setting, raw: string, source: string, issues: ValidationIssue[]): unknown {
  let value: unknown = raw;
  if (s.kind === 'int') {
    if (!/^-?\d+$/.test(raw.trim())) {
      issues.push({ path: [s.key], message: `${source}: must be an integer, got ${JSON.stringify(raw)}` });
      return undefined;
    }
    value = Number(raw.trim());
  } else if (s.kind === 'bool') {
    const v = raw.trim().toLowerCase();
    if (v !== 'true' && v !== 'false') {
      issues.push({ path: [s.key], message: `${source}: must be true or false, got ${JSON.stringify(raw)}` });
      return undefined;
    }
    value = v === 'true';
  }
  const checked = fields[s.key].safeParse(value);
  if (!checked.success) {
    for (const i of checked.error.issues) issues.push({ path: [s.key], message: `${source}: ${i.message}, got ${JSON.stringify(raw)}` });
    return undefined;
  }
  return checked.data;
}

function readConfigFile(file: string): Partial<ArgusConfig> {
  let textContent: string;
  try {
    textContent = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([{ path: [], message: `cannot read configuration file: ${(err as Error).message}` }], { file });
  }
  let raw: unknown;
  try {
    raw = parseJsonDocument(textContent, file, 'configuration');
  } catch (err) {
    if (err instanceof ValidationError) throw new ConfigError(err.issues, { file: err.file, line: err.line });
    throw err;
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = fileIssues(parsed.error.issues);
    throw new ConfigError(issues, { file, line: lineOfPath(textContent, issues[0]!.path) });
  }
  const out = parsed.data as Partial<ArgusConfig>;
  const base = dirname(file);
  for (const s of SETTINGS) {
    if (s.path && typeof out[s.key] === 'string') (out as Record<string, unknown>)[s.key] = resolvePath(base, out[s.key] as string);
  }
  return out;
}

/** zod reports unknown keys on the parent object; point the path at the key itself. */
function fileIssues(zodIssues: readonly z.core.$ZodIssue[]): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const i of zodIssues) {
    if (i.code === 'unrecognized_keys') {
      for (const k of i.keys) out.push({ path: [...fromZodIssues([i])[0]!.path, k], message: `unknown setting (known: ${Object.keys(fields).join(', ')})` });
    } else out.push(...fromZodIssues([i]));
  }
  return out;
}

/** Directory settings are made absolute; `:memory:` (state kept in memory) is not a path. */
function resolvePath(base: string, value: string): string {
  return value === MEMORY ? value : resolve(base, value);
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}
