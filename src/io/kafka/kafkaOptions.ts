import { z } from 'zod';
import type { KafkaConfig } from 'kafkajs';
import { ConfigError, ValidationError, fromZodIssues } from '../../errors.ts';

const topic = z.string().min(1, 'must be a topic name').max(249, 'must be at most 249 characters');
const ms = (min: number, max: number) => z.number().int('must be an integer').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);

/** The Kafka side of a worker: brokers, topics, checkpoints, bounds. Validated with zod. */
export const kafkaOptionsSchema = z.strictObject({
  brokers: z.array(z.string().regex(/^[^\s:,]+:\d+$/, 'must be host:port')).min(1, 'at least one broker'),
  clientId: z.string().min(1).default('argus'),
  /** The consumer group: workers of one group split the partitions of the event topics. */
  groupId: z.string().min(1).default('argus'),
  topics: z
    .strictObject({
      /** Input topics, keyed by the key field. */
      events: z.array(topic).min(1).default(['argus.events']),
      decisions: topic.default('argus.decisions'),
      alerts: topic.default('argus.alerts'),
      deadLetters: topic.default('argus.dead-letters'),
      /** Catalog updates broadcast to every worker; `false`: none. */
      control: z.union([topic, z.literal(false)]).default('argus.control'),
      /**
       * Compacted changelog of key state: a worker that gains a partition restores its keys from
       * it (see docs/kafka.md). `false`: none (then only a fixed assignment is exact).
       */
      changelog: z.union([topic, z.literal(false)]).default('argus.changelog'),
    })
    .prefault({})
    .refine((t) => t.changelog === false || t.events.length === 1, {
      message: 'the changelog needs exactly one event topic (its partitions match the changelog\'s); set topics.changelog to false',
      path: ['changelog'],
    }),
  /** Checkpoint (state + offsets in one LevelDB batch) at least this often… */
  checkpointIntervalMs: ms(1, 60_000).default(1_000),
  /** …and after this many events. */
  checkpointEvents: ms(1, 10_000_000).default(20_000),
  /**
   * With the changelog: send the changed keys' states to it at most this often (a key changed many
   * times in between is sent once). Between two sends the store is ahead of the changelog (the
   * keys to send are in the store's checkpoints, sent again after a crash); a worker that takes a
   * partition over replays at most this much more. A lost partition and a stop send at once.
   */
  changelogIntervalMs: ms(0, 600_000).default(5_000),
  /** Back-pressure: events processed but not yet checkpointed; above it the partitions are paused. */
  maxPendingEvents: ms(1, 10_000_000).default(100_000),
  /** A new group starts at the beginning of the topics (default) or at their end. */
  fromBeginning: z.boolean().default(true),
  sessionTimeoutMs: ms(1_000, 600_000).default(10_000),
  heartbeatIntervalMs: ms(100, 60_000).default(1_000),
  /**
   * On a rebalance, the group leader waits this long before sending the assignment, so that the
   * other members' SyncGroup requests arrive first (librdkafka's mock cluster, the test broker,
   * rejects a follower's SyncGroup that arrives after the leader's). 0: no wait.
   */
  leaderSyncDelayMs: ms(0, 10_000).default(300),
  /** Passed through to kafkajs (`ssl`, `sasl`, `connectionTimeout`, `requestTimeout`, `retry`, …). */
  client: z.record(z.string(), z.unknown()).default({}),
});

export type KafkaOptions = z.output<typeof kafkaOptionsSchema>;
export type KafkaOptionsInput = z.input<typeof kafkaOptionsSchema>;
export type KafkaTopics = KafkaOptions['topics'];

/** Validates Kafka options; a `ValidationError` names the offending field. */
export function parseKafkaOptions(input: unknown): KafkaOptions {
  const parsed = kafkaOptionsSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError('kafka options', fromZodIssues(parsed.error.issues));
  return parsed.data;
}

/** `--kafka host:port,host:port` → broker list (a `ConfigError` when malformed). */
export function parseBrokerList(text: string): string[] {
  const brokers = text.split(',').map((b) => b.trim()).filter((b) => b.length > 0);
  if (brokers.length === 0 || brokers.some((b) => !/^[^\s:,]+:\d+$/.test(b))) {
    throw new ConfigError([{ path: ['kafka'], message: `"${text}" is not a list of host:port brokers separated by commas` }]);
  }
  return brokers;
}

/** The kafkajs client configuration: brokers and client id, plus whatever `client` passes through (ssl, sasl, …). */
export function kafkaClientConfig(options: KafkaOptions): KafkaConfig {
  return { logLevel: 0, ...(options.client as Partial<KafkaConfig>), clientId: options.clientId, brokers: options.brokers };
}
