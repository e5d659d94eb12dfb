import { Kafka, type Consumer, type EachBatchPayload, type KafkaMessage, type Producer } from 'kafkajs';
import type { ArgusEvent } from '../../events/ArgusEvent.ts';
import type { Engine } from '../../runtime/Engine.ts';
import type { KeyState } from '../../runtime/KeyState.ts';
import type { MetricsRegistry } from '../../runtime/metrics.ts';
import type { KeyedStateStore } from '../../state/index.ts';
import { ArgusError } from '../../errors.ts';
import { deadLetterMessage, deadLetterReason } from './deadLetter.ts';
import { kafkaClientConfig, type KafkaOptions } from './kafkaOptions.ts';
import { decisionMessage, type KafkaAlertSink, KafkaOutput } from './KafkaOutput.ts';
import { Changelog } from './Changelog.ts';

/** Metadata name of the next offset to consume of one partition (in the same batches as the state). */
/** Metadata name of the outputs a checkpoint had not seen acknowledged (sent again on start). */
export const OUTBOX_META = 'kafka.outbox';

export function offsetMetaName(topic: string, partition: number): string {
  return `kafka.offset\u0000${topic}\u0000${partition}`;
}

/** One partition this worker owns. */
interface OwnedPartition {
  readonly topic: string;
  readonly partition: number;
  readonly meta: string;
  /** Next offset to process; -1 until the first message when nothing was stored. */
  next: number;
}

export interface KafkaWorkerStats {
  /** Events applied to state by this process. */
  processed: number;
  deadLetters: number;
  /** Messages below the stored offset (already in state), skipped. */
  skipped: number;
  /** Events whose id the key had already seen (idempotency, second line of defence). */
  duplicates: number;
  checkpoints: number;
  /** Times the partitions were paused because too many events waited for a checkpoint. */
  pauses: number;
  /** Highest number of events waiting for a checkpoint seen. */
  maxPending: number;
  /** Owned partitions → next offset. */
  offsets: Record<string, number>;
  /** Offsets found in the store when each partition was taken (what a restart resumed from). */
  resumedFrom: Record<string, number>;
  /** Keys restored from the changelog, and partitions whose state was dropped on a rebalance. */
  restoredKeys: number;
  droppedPartitions: number;
  outputSent: number;
}

export interface KafkaWorkerHooks {
  /** A fatal error: the worker stopped consuming (the process should exit and restart). */
  onError?: (err: unknown) => void;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/**
 * The Kafka source and sinks of one worker of a consumer group. Per batch of a partition: parse
 * (invalid → dead-letter topic, counted), bring cold keys into memory, then — synchronously — for
 * each event: evaluate (`Engine.decideNow`) and record the partition's next offset with
 * `putMeta` in the same tick, so whatever LevelDB batch flushes holds state and offsets
 * consistently. A checkpoint (every `checkpointIntervalMs` or `checkpointEvents`) first waits
 * for every output message to be acknowledged, then writes the batch, then commits the offsets
 * to Kafka (for lag monitoring only: on start the worker seeks to the offsets in its store).
 */
export class KafkaWorker {
  readonly kafka: Kafka;
  readonly consumer: Consumer;
  readonly producer: Producer;
  readonly output: KafkaOutput;
  private readonly store: KeyedStateStore<KeyState>;
  private readonly owned = new Map<string, OwnedPartition>();
  /** Partitions lost in a rebalance, until their last checkpoint is published. */
  private readonly releasing = new Map<string, OwnedPartition>();
  /** Partitions of the current assignment (`topic\0partition`), from the group join. */
  private assignment = new Set<string>();
  /** Set while a checkpoint waits for output acknowledgements: processing waits on it. */
  private gate: Promise<void> | undefined;
  private checkpointRun: Promise<void> | undefined;
  private checkpointQueued: Promise<void> | undefined;
  private pendingEvents = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Whether the last checkpoint stored a non-empty outbox. */
  private outboxStored = false;
  private stopped = false;
  private failed: unknown;
  /** Set by the changelog, when enabled. */
  changelog: Changelog | undefined;
  readonly counters: KafkaWorkerStats = {
    processed: 0,
    deadLetters: 0,
    skipped: 0,
    duplicates: 0,
    checkpoints: 0,
    pauses: 0,
    maxPending: 0,
    offsets: {},
    resumedFrom: {},
    restoredKeys: 0,
    droppedPartitions: 0,
    outputSent: 0,
  };
  private readonly metrics: { deadLetters?: { inc(n?: number): void }; pauses?: { inc(n?: number): void }; checkpoints?: { inc(n?: number): void } } = {};

  constructor(
    readonly engine: Engine,
    readonly options: KafkaOptions,
    private readonly hooks: KafkaWorkerHooks = {},
    alerts?: KafkaAlertSink,
    metrics?: MetricsRegistry,
  ) {
    this.store = engine.stateStore;
    this.kafka = new Kafka(kafkaClientConfig(options));
    this.consumer = this.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: options.heartbeatIntervalMs,
      allowAutoTopicCreation: true,
    });
    this.producer = this.kafka.producer({ allowAutoTopicCreation: true });
    this.output = new KafkaOutput(this.producer);
    alerts?.attach(this.output);
    if (options.topics.changelog !== false) {
      const changelogTopic = options.topics.changelog;
      this.changelog = new Changelog(this.kafka, this.producer, changelogTopic, this.store, () => this.ownedOffsets(), offsetMetaName);
    }
    if (metrics !== undefined) {
      this.metrics.deadLetters = metrics.counter('kafka_dead_letters_total', 'Kafka messages that failed validation, sent to the dead-letter topic.');
      this.metrics.pauses = metrics.counter('kafka_pauses_total', 'Times the consumer paused its partitions (back-pressure).');
      this.metrics.checkpoints = metrics.counter('kafka_checkpoints_total', 'Checkpoints: state and source offsets in one batch.');
      const pending = metrics.gauge('kafka_pending_events', 'Events processed and not yet checkpointed.');
      metrics.onCollect(() => pending.set(this.pendingEvents));
    }
  }

  /** Connects, joins the group and starts consuming. */
  async start(): Promise<void> {
    await this.producer.connect();
    const outbox = await this.store.getMeta(OUTBOX_META);
    if (outbox !== undefined && outbox !== '') {
      const n = await this.output.resend(outbox);
      this.outboxStored = true;
      this.hooks.log?.('outbox sent again', { messages: n });
    }
    await this.consumer.connect();
    this.consumer.on(this.consumer.events.GROUP_JOIN, (e) => this.onGroupJoin(e.payload.memberAssignment));
    this.consumer.on(this.consumer.events.CRASH, (e) => {
      if (!e.payload.restart) this.fail(e.payload.error);
    });
    await this.consumer.subscribe({ topics: this.options.topics.events, fromBeginning: this.options.fromBeginning });
    this.timer = setInterval(() => {
      if (this.pendingEvents > 0 || this.output.pending > 0 || this.store.stats().dirtyKeys > 0) void this.checkpoint().catch((err) => this.fail(err));
    }, this.options.checkpointIntervalMs);
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 4,
      eachBatch: this.eachBatch,
    });
  }

  stats(): KafkaWorkerStats {
    this.counters.offsets = {};
    for (const [tp, p] of this.owned) this.counters.offsets[tp] = p.next;
    this.counters.outputSent = this.output.sent;
    return this.counters;
  }

  /** Next offset of each owned partition, by partition number (the changelog's partitions). */
  private ownedOffsets(): Map<number, number> {
    const out = new Map<number, number>();
    for (const p of this.releasing.values()) if (p.next >= 0) out.set(p.partition, p.next);
    for (const p of this.owned.values()) if (p.next >= 0) out.set(p.partition, p.next);
    return out;
  }

  /** Partitions of the current assignment, as `topic/partition`. */
  assigned(): string[] {
    return [...this.assignment].map((tp) => tp.replace('\u0000', '/'));
  }

  private readonly eachBatch = async (payload: EachBatchPayload): Promise<void> => {
    const { batch } = payload;
    if (this.stopped || batch.isEmpty()) return;
    const tp = `${batch.topic}/${batch.partition}`;
    let owned = this.owned.get(tp);
    if (owned === undefined) owned = await this.take(batch.topic, batch.partition, tp);
    const first = Number(batch.firstOffset());
    if (owned.next >= 0 && first > owned.next) {
      // The consumer's position (Kafka's committed offset) is past what the state holds: go back.
      this.consumer.seek({ topic: batch.topic, partition: batch.partition, offset: String(owned.next) });
      return;
    }
    const messages = batch.messages;
    const n = messages.length;
    const events: (ArgusEvent | undefined)[] = new Array(n);
    const errors: unknown[] = new Array(n);
    const cold = new Set<string>();
    for (let i = 0; i < n; i++) {
      const m = messages[i]!;
      if (Number(m.offset) < owned.next) continue;
      try {
        if (m.value === null) throw new ArgusError('message has no value', { code: 'EMPTY_MESSAGE' });
        const ev = this.engine.parser.parseText(m.value);
        events[i] = ev;
        if (this.store.peek(ev.key) === undefined) cold.add(ev.key);
      } catch (err) {
        errors[i] = err;
      }
    }
    let i = 0;
    while (i < n) {
      if (cold.size > 0) {
        await Promise.all([...cold].map((k) => this.engine.preload(k)));
        cold.clear();
      }
      while (this.gate !== undefined) await this.gate;
      if (this.stopped || payload.isStale() || this.owned.get(tp) !== owned) return;
      i = this.process(owned, batch.topic, batch.partition, messages, events, errors, i, cold);
    }

    payload.resolveOffset(batch.lastOffset());
    this.output.flush();
    if (this.pendingEvents > this.counters.maxPending) this.counters.maxPending = this.pendingEvents;
    if (this.pendingEvents >= this.options.maxPendingEvents || this.output.pending >= this.options.maxPendingEvents) {
      // Back-pressure: stop fetching until the outputs are acknowledged and the state checkpointed.
      const topics = this.options.topics.events.map((topic) => ({ topic }));
      this.consumer.pause(topics);
      this.counters.pauses++;
      this.metrics.pauses?.inc();
      try {
        await this.output.drain();
        await this.checkpoint();
      } finally {
        this.consumer.resume(topics);
      }
    } else if (this.pendingEvents >= this.options.checkpointEvents) {
      void this.checkpoint().catch((err) => this.fail(err));
    }
  };

  /**
   * The synchronous part: events from `from` on, until the end or a key that is not in memory
   * (added to `cold`; the caller loads it and calls again). Returns where it stopped.
   */
  private process(
    owned: OwnedPartition,
    topic: string,
    partition: number,
    messages: KafkaMessage[],
    events: (ArgusEvent | undefined)[],
    errors: unknown[],
    from: number,
    cold: Set<string>,
  ): number {
    const engine = this.engine;
    const store = this.store;
    const decisions = this.options.topics.decisions;
    const changelog = this.changelog;
    for (let i = from; i < messages.length; i++) {
      const m = messages[i]!;
      const offset = Number(m.offset);
      if (offset < owned.next) {
        this.counters.skipped++;
        continue;
      }
      const ev = events[i];
      if (ev === undefined) {
        this.output.add(this.options.topics.deadLetters, deadLetterMessage(topic, partition, m, deadLetterReason(errors[i])));
        this.counters.deadLetters++;
        this.metrics.deadLetters?.inc();
      } else {
        const decision = engine.decideNow(ev);
        if (decision === undefined) {
          if (store.peek(ev.key) === undefined) {
            // Evicted since it was loaded: load it again, then go on from this event.
            cold.add(ev.key);
            return i;
          }
          this.counters.duplicates++;
        } else {
          this.output.add(decisions, decisionMessage(decision));
          this.counters.processed++;
          if (changelog !== undefined) changelog.touch(partition, ev.key);
        }
      }
      // Same tick as the state change: any batch that holds one holds the other.
      store.putMeta(owned.meta, String(offset + 1));
      owned.next = offset + 1;
      this.pendingEvents++;
    }
    return messages.length;
  }

  /** First batch of a partition since it was assigned: restore its state and find where to resume. */
  private async take(topic: string, partition: number, tp: string): Promise<OwnedPartition> {
    const meta = offsetMetaName(topic, partition);
    let next = -1;
    if (this.changelog !== undefined) {
      const restored = await this.changelog.restore(topic, partition);
      this.counters.restoredKeys += restored.keys;
      if (restored.offset !== undefined) next = restored.offset;
    } else {
      const stored = await this.store.getMeta(meta);
      if (stored !== undefined) next = Number(stored);
    }
    const owned: OwnedPartition = { topic, partition, meta, next };
    this.counters.resumedFrom[tp] = next;
    this.owned.set(tp, owned);
    this.hooks.log?.('partition taken', { topic, partition, offset: next });
    return owned;
  }

  private onGroupJoin(assignment: Record<string, number[]>): void {
    const next = new Set<string>();
    for (const topic of Object.keys(assignment)) for (const p of assignment[topic]!) next.add(`${topic}\u0000${p}`);
    this.assignment = next;
    const lost: OwnedPartition[] = [];
    for (const [tp, p] of this.owned) {
      if (!next.has(`${p.topic}\u0000${p.partition}`)) {
        lost.push(p);
        this.owned.delete(tp);
        this.releasing.set(tp, p);
      }
    }
    this.hooks.log?.('assignment', { partitions: this.assigned(), lost: lost.map((p) => `${p.topic}/${p.partition}`) });
    if (lost.length > 0) void this.release(lost).catch((err) => this.fail(err));
  }

  /** Partitions this worker lost: checkpoint them, then drop their state (the changelog has it). */
  private async release(lost: OwnedPartition[]): Promise<void> {
    await this.checkpoint();
    for (const p of lost) {
      this.releasing.delete(`${p.topic}/${p.partition}`);
      if (this.changelog === undefined || this.owned.has(`${p.topic}/${p.partition}`)) continue;
      await this.changelog.drop(p.topic, p.partition);
      this.counters.droppedPartitions++;
    }
  }

  /**
   * Makes everything processed so far durable: outputs acknowledged, then state and offsets in
   * one batch, then the changelog and Kafka's committed offsets. Concurrent calls share a run.
   */
  checkpoint(): Promise<void> {
    if (this.checkpointRun === undefined) {
      this.checkpointRun = this.runCheckpoint().finally(() => {
        this.checkpointRun = undefined;
      });
      return this.checkpointRun;
    }
    this.checkpointQueued ??= this.checkpointRun.then(
      () => {
        this.checkpointQueued = undefined;
        return this.checkpoint();
      },
      () => {
        this.checkpointQueued = undefined;
        return this.checkpoint();
      },
    );
    return this.checkpointQueued;
  }

  private async runCheckpoint(): Promise<void> {
    if (this.failed !== undefined) throw this.failed;
    this.output.check();
    let release!: () => void;
    this.gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const commits: { topic: string; partition: number; offset: string }[] = [];
    let changes: ReturnType<Changelog['capture']> | undefined;
    try {
      // One synchronous cut: state, offsets and the outputs not yet acknowledged (the outbox,
      // sent again on restart) go into one batch. Processing waits only for the LevelDB write,
      // so that no change made after the cut can ride along in a batch without its outputs.
      changes = this.changelog?.capture();
      const outbox = this.output.outbox();
      if (outbox !== null || this.outboxStored) this.store.putMeta(OUTBOX_META, outbox ?? '');
      this.outboxStored = outbox !== null;
      const flushed = this.store.flush();
      for (const p of this.owned.values()) if (p.next >= 0) commits.push({ topic: p.topic, partition: p.partition, offset: String(p.next) });
      this.pendingEvents = 0;
      await flushed;
    } finally {
      this.gate = undefined;
      release();
    }
    if (changes !== undefined) await this.changelog!.publish(changes);
    this.counters.checkpoints++;
    this.metrics.checkpoints?.inc();
    // Kafka's committed offsets: for lag monitoring (restarts use the store's).
    const mine = commits.filter((c) => this.assignment.has(`${c.topic}\u0000${c.partition}`));
    if (mine.length > 0 && !this.stopped) await this.consumer.commitOffsets(mine).catch(() => undefined);
  }

  private fail(err: unknown): void {
    if (this.failed !== undefined) return;
    this.failed = err;
    this.hooks.log?.('kafka worker failed', { error: (err as Error)?.message ?? String(err) });
    this.hooks.onError?.(err);
  }

  /** Stops consuming, checkpoints what was processed, disconnects. The engine stays open. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.consumer.stop().catch(() => undefined);
    this.stopped = true;
    try {
      if (this.failed === undefined) await this.checkpoint();
    } finally {
      await this.changelog?.close();
      await this.consumer.disconnect().catch(() => undefined);
      await this.producer.disconnect().catch(() => undefined);
    }
  }
}
