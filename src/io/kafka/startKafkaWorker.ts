import { createEngine, type EngineConfig } from '../../runtime/createEngine.ts';
import type { Engine } from '../../runtime/Engine.ts';
import { MetricsRegistry } from '../../runtime/metrics.ts';
import { parseKafkaOptions, type KafkaOptionsInput } from './kafkaOptions.ts';
import { KafkaAlertSink } from './KafkaOutput.ts';
import { KafkaWorker, type KafkaWorkerHooks } from './KafkaWorker.ts';
import { ControlTopic, type ControlResult } from './ControlTopic.ts';
import { DEFAULT_ENGINE_CONFIG } from '../../runtime/createEngine.ts';

/**
 * The state store's own group-commit window on Kafka: effectively never, because the worker's
 * checkpoints flush it, after the outputs of what they cover are acknowledged.
 */
export const KAFKA_GROUP_COMMIT_MS = 3_600_000;

export interface KafkaServer {
  engine: Engine;
  worker: KafkaWorker;
  /** Catalog updates from the control topic (none when `topics.control` is false). */
  control: ControlTopic | undefined;
  /** Stops consuming, checkpoints, closes the engine. */
  close(): Promise<void>;
}

/** An engine whose events come from Kafka: engine (checkpoint-driven commits) + worker, started. */
export async function startKafkaWorker(
  engineConfig: Partial<EngineConfig> & { metrics?: MetricsRegistry },
  kafka: KafkaOptionsInput,
  hooks: KafkaWorkerHooks & { onControl?: (result: ControlResult) => void } = {},
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
  let control: ControlTopic | undefined;
  try {
    await worker.start();
    if (options.topics.control !== false) {
      const dirs = {
        rulesDir: engineConfig.rulesDir ?? DEFAULT_ENGINE_CONFIG.rulesDir,
        patternsDir: engineConfig.patternsDir ?? DEFAULT_ENGINE_CONFIG.patternsDir,
        keyField: engineConfig.keyField ?? DEFAULT_ENGINE_CONFIG.keyField,
      };
      control = new ControlTopic(worker.kafka, options.topics.control, options.groupId, engine, dirs, hooks.onControl);
      await control.start();
    }
  } catch (err) {
    await control?.stop();
    await worker.stop().catch(() => undefined);
    await engine.close();
    throw err;
  }
  return {
    engine,
    worker,
    control,
    async close() {
      try {
        await control?.stop();
        await worker.stop();
      } finally {
        await engine.close();
      }
    },
  };
}
