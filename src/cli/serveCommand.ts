import { ConfigError } from '../errors.ts';
import { startHttpServer } from '../io/http/startHttpServer.ts';
import type { HttpEngine, HttpServer } from '../io/http/types.ts';
import { createEngine } from '../runtime/createEngine.ts';
import { MetricsRegistry } from '../runtime/metrics.ts';
import { SETTINGS, loadConfig, type ArgusConfig } from './config.ts';
import { createLogger, type Output } from './logger.ts';
import { catalogErrors } from './validateCommand.ts';
import { kafkaServeArgs, type KafkaServe } from './kafkaServe.ts';

/** What `createEngine` (src/runtime/createEngine.ts) is given. */
export type ServeEngineConfig = NonNullable<Parameters<typeof createEngine>[0]>;

export type CreateEngine = (config: ServeEngineConfig) => Promise<HttpEngine>;

export interface ServeOptions {
  /** Default: `createEngine` from src/runtime/createEngine.ts (tests pass their own). */
  createEngine?: CreateEngine;
  /** Stops the server when aborted (tests); SIGINT and SIGTERM always do. */
  signal?: AbortSignal;
  /** Called once listening. */
  onListening?: (server: HttpServer) => void;
  /** Environment and working directory for the configuration (default: the process's). */
  env?: Record<string, string | undefined>;
  cwd?: string;
}

export const SERVE_USAGE = `Usage: argus serve [options]

Runs the decision API (docs/api.md). Options (each also from an environment variable or a
JSON file given by --config / ARGUS_CONFIG / ./argus.config.json; see docs/configuration.md):

  --config <file>                JSON configuration file                       ARGUS_CONFIG
${SETTINGS.map((s) => `  ${(s.flag ? `--${s.flag} <${s.kind === 'int' ? 'n' : s.path ? 'dir' : 'value'}>` : '(environment only)').padEnd(30)} ${s.description.padEnd(45)} ${s.env}`).join('\n')}
  --kafka <brokers>              consume events from Kafka (host:port,…)     ARGUS_KAFKA
  --kafka-options <file>         Kafka topics, group, SASL/TLS (JSON)        ARGUS_KAFKA_OPTIONS
  -h, --help                     this help
`;

/**
 * `argus serve`: configuration → engine → HTTP server; runs until SIGINT/SIGTERM, then stops
 * accepting, finishes in-flight requests, closes the engine and returns 0. A bad configuration
 * or catalog returns 2, any other start-up failure 1.
 */
export async function serveCommand(argv: string[], io: Output, options: ServeOptions = {}): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(SERVE_USAGE);
    return 0;
  }
  let config: ArgusConfig;
  let file: string | undefined;
  // Kafka (`--kafka <brokers>`, ARGUS_KAFKA): taken out of argv before the other settings are read.
  let kafka: KafkaServe | undefined;
  try {
    ({ argv, kafka } = kafkaServeArgs(argv, options.env ?? process.env, options.cwd));
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr(`argus: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  try {
    ({ config, file } = loadConfig({ argv, env: options.env, cwd: options.cwd }));
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr(`argus: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const logger = createLogger(config.logLevel, io);
  if (file !== undefined) logger.debug('configuration file read', { file });

  const metrics = new MetricsRegistry();
  let engine: HttpEngine;
  try {
    const create: CreateEngine = kafka !== undefined ? kafka.wrap(options.createEngine, logger) : (options.createEngine ?? createEngine);
    engine = await create({
      dataDir: config.dataDir,
      rulesDir: config.rulesDir,
      patternsDir: config.patternsDir,
      keyField: config.keyField,
      durability: config.durability,
      groupCommitMs: config.groupCommitMs,
      maxCachedKeys: config.maxCachedKeys,
      metrics,
      maxPartialMatches: config.maxPartialMatches,
      watermark: { outOfOrdernessMs: config.outOfOrdernessMs },
      alertsStdout: config.alertsStdout,
      watchCatalog: config.watchCatalog,
      onCatalogReload: (result) => {
        if (result.ok) logger.info('catalog reloaded', { version: result.version, trigger: result.trigger, ms: Math.round(result.durationMs) });
        else {
          logger.error('catalog reload failed: the previous catalog keeps serving', {
            version: result.version,
            trigger: result.trigger,
            errors: result.errors.map((e) => e.message),
          });
        }
      },
    });
  } catch (err) {
    const invalid = catalogErrors(err);
    if (invalid !== undefined) {
      io.stderr(`argus: cannot start: ${invalid.length === 1 ? invalid[0] : `the catalog is invalid:\n${invalid.map((m) => `  ${m}`).join('\n')}`}\n`);
      return 2;
    }
    io.stderr(`argus: cannot start the engine: ${(err as Error).message ?? String(err)}\n`);
    return 1;
  }

  let server: HttpServer;
  try {
    server = await startHttpServer(engine, {
      port: config.port,
      host: config.host,
      apiKey: config.apiKey,
      adminKey: config.adminKey,
      metrics,
      logger,
      keepAliveTimeoutMs: config.keepAliveTimeoutMs,
      closeTimeoutMs: config.shutdownTimeoutMs,
    });
  } catch (err) {
    io.stderr(`argus: cannot listen on ${config.host}:${config.port}: ${(err as Error).message}\n`);
    await kafka?.stop();
    await engine.close();
    return 1;
  }

  logger.info(`argus listening on ${server.url}`, {
    catalogVersion: engine.catalogVersion,
    ...catalogCounts(engine),
    keyField: config.keyField,
    dataDir: config.dataDir,
    auth: config.apiKey !== undefined ? 'api-key' : 'none',
  });
  options.onListening?.(server);

  const stopSignal = await waitForStop(kafka !== undefined ? kafka.signal(options.signal) : options.signal);
  logger.info(`shutting down (${stopSignal}): finishing in-flight requests`);
  try {
    await server.close();
    await kafka?.stop();
    await engine.close();
  } catch (err) {
    logger.error('error while shutting down', { error: (err as Error).stack ?? String(err) });
    return 1;
  }
  logger.info('stopped');
  return 0;
}

/** Resolves with the name of what asked to stop: a signal, or `abort`. */
function waitForStop(signal: AbortSignal | undefined): Promise<string> {
  return new Promise<string>((resolve) => {
    const done = (why: string): void => {
      process.removeListener('SIGINT', onInt);
      process.removeListener('SIGTERM', onTerm);
      signal?.removeEventListener('abort', onAbort);
      resolve(why);
    };
    const onInt = (): void => done('SIGINT');
    const onTerm = (): void => done('SIGTERM');
    const onAbort = (): void => done('abort');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
    if (signal?.aborted) done('abort');
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Rule and pattern counts, when the engine exposes its catalog. */
function catalogCounts(engine: HttpEngine): Record<string, number> {
  const catalog = (engine as { catalog?: Record<string, unknown> }).catalog;
  if (catalog === undefined || catalog === null) return {};
  const out: Record<string, number> = {};
  for (const name of ['rules', 'patterns', 'features'] as const) {
    const v = catalog[name];
    const n = Array.isArray(v) ? v.length : v instanceof Map ? v.size : typeof v === 'number' ? v : undefined;
    if (n !== undefined) out[name] = n;
  }
  return out;
}
