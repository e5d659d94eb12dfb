import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, ValidationError } from '../errors.ts';
import { parseBrokerList, parseKafkaOptions, startKafkaWorker, type KafkaOptions, type KafkaServer } from '../io/kafka/index.ts';
import type { HttpEngine } from '../io/http/types.ts';
import type { Engine } from '../runtime/Engine.ts';
import type { CreateEngine, ServeEngineConfig } from './serveCommand.ts';

type Logger = { info(m: string, f?: Record<string, unknown>): void; error(m: string, f?: Record<string, unknown>): void };

/** The Kafka side of `argus serve`: options from flags/env, the worker's life cycle. */
export interface KafkaServe {
  options: KafkaOptions;
  /** Wraps engine creation: the engine is created with the Kafka worker (checkpoint-driven commits). */
  wrap(custom: CreateEngine | undefined, logger: Logger): CreateEngine;
  /** A stop signal that also fires when the worker fails. */
  signal(outer: AbortSignal | undefined): AbortSignal;
  /** Stops consuming and checkpoints (before the engine closes). */
  stop(): Promise<void>;
}

/**
 * Takes `--kafka <brokers>` and `--kafka-options <file>` out of argv (also ARGUS_KAFKA and
 * ARGUS_KAFKA_OPTIONS). The options file is the JSON of `kafkaOptionsSchema` without brokers:
 * topics, groupId, checkpoints, and `client` (ssl, sasl, … passed to kafkajs).
 */
export function kafkaServeArgs(argv: string[], env: Record<string, string | undefined>, cwd = process.cwd()): { argv: string[]; kafka: KafkaServe | undefined } {
  const rest: string[] = [];
  let brokers = env.ARGUS_KAFKA || undefined;
  let optionsFile = env.ARGUS_KAFKA_OPTIONS || undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const take = (flag: string): string | undefined => {
      if (a === flag) {
        const v = argv[++i];
        if (v === undefined) throw new ConfigError([{ path: [flag.slice(2)], message: 'needs a value' }]);
        return v;
      }
      if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
      return undefined;
    };
    const b = take('--kafka');
    if (b !== undefined) {
      brokers = b;
      continue;
    }
    const o = take('--kafka-options');
    if (o !== undefined) {
      optionsFile = o;
      continue;
    }
    rest.push(a);
  }
  if (brokers === undefined) {
    if (optionsFile !== undefined) throw new ConfigError([{ path: ['kafka-options'], message: 'needs --kafka <brokers> (or ARGUS_KAFKA)' }]);
    return { argv: rest, kafka: undefined };
  }
  let fileOptions: Record<string, unknown> = {};
  if (optionsFile !== undefined) {
    const path = resolve(cwd, optionsFile);
    try {
      fileOptions = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new ConfigError([{ path: ['kafka-options'], message: `${path}: ${(err as Error).message}` }]);
    }
  }
  let options: KafkaOptions;
  try {
    options = parseKafkaOptions({ ...fileOptions, brokers: parseBrokerList(brokers) });
  } catch (err) {
    if (err instanceof ValidationError && !(err instanceof ConfigError)) throw new ConfigError(err.issues.map((i) => ({ path: ['kafka', ...i.path], message: i.message })));
    throw err;
  }
  return { argv: rest, kafka: kafkaServe(options) };
}

function kafkaServe(options: KafkaOptions): KafkaServe {
  let server: KafkaServer | undefined;
  const failed = new AbortController();
  return {
    options,
    wrap(custom, logger) {
      if (custom !== undefined) return custom; // tests inject their own engine
      return async (config: ServeEngineConfig): Promise<HttpEngine> => {
        server = await startKafkaWorker(config, options, {
          onError: (err) => {
            logger.error('kafka worker failed: stopping', { error: (err as Error)?.message ?? String(err) });
            process.exitCode = 1;
            failed.abort();
          },
          log: (m, f) => logger.info(`kafka: ${m}`, f),
          onControl: (r) =>
            r.ok ? logger.info('kafka: catalog update applied', { version: r.version }) : logger.error('kafka: catalog update rejected', { errors: r.errors }),
        });
        logger.info('kafka: consuming', { brokers: options.brokers, group: options.groupId, topics: options.topics.events });
        return server.engine as Engine & HttpEngine;
      };
    },
    signal(outer) {
      return outer === undefined ? failed.signal : AbortSignal.any([outer, failed.signal]);
    },
    async stop() {
      await server?.control?.stop();
      await server?.worker.stop();
    },
  };
}
