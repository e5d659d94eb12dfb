import { createEngine, type EngineConfig } from '../../runtime/createEngine.ts';
import type { Engine } from '../../runtime/Engine.ts';
import { MetricsRegistry } from '../../runtime/metrics.ts';
import { parseKafkaOptions, type KafkaOptionsInput } from './kafkaOptions.ts';
import { KafkaAlertSink } from './KafkaOutput.ts';
import { KafkaWorker, type KafkaWorkerHooks } from './KafkaWorker.ts';

/**
 * The state store's own group-commit window on Kafka: effectively never, because the worker's
 * checkpoints flush it, after the outputs of what they cover are acknowledged.
 */
export const KAFKA_GROUP_COMMIT_MS = 3_600_000;

export interface KafkaServer {
  engine: Engine;
  worker: KafkaWorker;
  /** Stops consuming, checkpoints, closes the engine. */
  close(): Promise<void>;
}

/** An engine whose events come from Kafka: engine (checkpoint-driven commits) + worker, started. */
export async function startKafkaWorker(
  engineConfig: Partial<EngineConfig> & { metrics?: MetricsRegistry },
  kafka: KafkaOptionsInput,
  hooks: KafkaWorkerHooks = {},
): Promise<KafkaServer> {
  const options = parseKafkaOptions(kafka);
  const metrics = engineConfig.metrics ?? new MetricsRegistry();
  const alerts = new KafkaAlertSink(options.topics.alerts);
  const engine = await createEngine({
    ...engineConfig,
    metrics,
    groupCommitMs: KAFKA_GROUP_COMMIT_MS,
    sinks: { ...engineConfig.sinks, alerts },
  });
  const worker = new KafkaWorker(engine, options, hooks, alerts, metrics);
  try {
    await worker.start();
  } catch (err) {
    await worker.stop().catch(() => undefined);
    await engine.close();
    throw err;
  }
  return {
    engine,
    worker,
    async close() {
      try {
        await worker.stop();
      } finally {
        await engine.close();
      }
    },
  };
}
