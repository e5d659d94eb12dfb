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
import { Changelog, type CapturedChanges, type RestoredPartition } from './Changelog.ts';
import { keyStateCodec } from '../../runtime/KeyState.ts';
import { patientRoundRobin } from './patientAssigner.ts';

/** Metadata name of the outputs a checkpoint had not seen acknowledged (sent again on start). */
export const OUTBOX_META = 'kafka.outbox';
/**
 * Metadata name of the changelog records a checkpoint wrote to the store and had not seen
 * acknowledged (JSON `[[partition, offset, [keys…]], …]`): sent again on start, from the store.
 */
export const CHANGELOG_OUTBOX_META = 'kafka.changelog-outbox';

/** Metadata name of the next offset to consume of one partition (in the same batches as the state). */
export function offsetMetaName(topic: string, partition: number): string {
  return `kafka.offset\u0000${topic}\u0000${partition}`;
}

/** Metadata name of the changelog offset of the last marker this store's state of a partition matches. */
function markMetaName(topic: string, partition: number): string {
  return `kafka.changelog\u0000${topic}\u0000${partition}`;
}

/** Metadata name of a partition's per-key skip offsets left by a restore (JSON `[[key, offset], …]`). */
function skipMetaName(topic: string, partition: number): string {
  return `kafka.skip\u0000${topic}\u0000${partition}`;
}

/** What taking a partition found: restored from the changelog, or the store's own state is current. */
type Prepared = { kind: 'local' } | { kind: 'restore'; restored: RestoredPartition; mark: number };

/** One partition this worker owns. */
interface OwnedPartition {
  readonly topic: string;
  readonly partition: number;
  readonly meta: string;
  /** Next offset to process; -1 until the first message when nothing was stored. */
  next: number;
  /** Keys whose restored state already holds their events below an offset (from the changelog). */
  skip: Map<string, number> | undefined;
  /** Highest offset in `skip`: past it the map is dropped. */
  skipUntil: number;
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
  /** Whether the last checkpoint stored a non-empty outbox / changelog outbox. */
  private outboxStored = false;
  private changelogOutboxStored = false;
  /** When the changelog was last sent to; set to 0 to send at the next checkpoint. */
  private changelogSentAt = 0;
  private stopped = false;
  private failed: unknown;
  /** Set by the changelog, when enabled. */
  changelog: Changelog | undefined;
  /** Changelog restores prepared for the partitions of the last assignment (one read for all of them). */
  private readonly prepared = new Map<number, Promise<Prepared>>();
  private readonly taking = new Map<string, Promise<OwnedPartition>>();
  /** The changelog records of the last checkpoint before a crash, being sent again (on start). */
  private resending: Promise<void> | undefined;
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
      partitionAssigners: [patientRoundRobin(options.leaderSyncDelayMs)],
      allowAutoTopicCreation: true,
    });
    this.producer = this.kafka.producer({ allowAutoTopicCreation: true });
    this.output = new KafkaOutput(this.producer);
    alerts?.attach(this.output);
    if (options.topics.changelog !== false) {
      const changelog = new Changelog(this.kafka, this.producer, options.topics.changelog, this.store);
      this.changelog = changelog;
      // A timer that changes a key (a window expires, a trailing notFollowedBy completes) puts it in the changelog too.
      engine.onTimerChange = (key) => void changelog.touchKnown(key);
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
    // Meanwhile the group is joined: partitions wait for it before they are taken.
    if (this.changelog !== undefined) this.resending = this.resendChangelog().catch((err) => this.fail(err));
    await this.consumer.connect();
    this.consumer.on(this.consumer.events.GROUP_JOIN, (e) => this.onGroupJoin(e.payload.memberAssignment));
    this.consumer.on(this.consumer.events.CRASH, (e) => {
      if (!e.payload.restart) this.fail(e.payload.error);
    });
    await this.consumer.subscribe({ topics: this.options.topics.events, fromBeginning: this.options.fromBeginning });
    this.hooks.log?.('joining the group', { group: this.options.groupId, at: Date.now() });
    this.timer = setInterval(() => {
      const store = this.store.stats();
      if (this.pendingEvents > 0 || this.output.pending > 0 || store.dirtyKeys > 0 || store.pendingRecords > 0) void this.checkpoint().catch((err) => this.fail(err));
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

  /** Partitions of the current assignment, as `topic/partition`. */
  assigned(): string[] {
    return [...this.assignment].map((tp) => tp.replace('\u0000', '/'));
  }

  private readonly eachBatch = async (payload: EachBatchPayload): Promise<void> => {
    const { batch } = payload;
    if (this.stopped || batch.isEmpty()) return;
    const tp = `${batch.topic}/${batch.partition}`;
    let owned = this.owned.get(tp);
    if (owned === undefined) {
      // Restoring can take seconds: keep the group session alive meanwhile.
      const beat = setInterval(() => void payload.heartbeat().catch(() => undefined), 1_000);
      try {
        owned = await this.takeOnce(batch.topic, batch.partition, tp);
      } finally {
        clearInterval(beat);
      }
      if (this.stopped || payload.isStale() || this.owned.get(tp) !== owned) return;
    }
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
      } else if (owned.skip !== undefined && offset < (owned.skip.get(ev.key) ?? -1)) {
        // Restored from a changelog record that already holds this event.
        this.counters.skipped++;
      } else {
        const decision = engine.decideNow(ev);
        if (decision === undefined) {
          if (store.peek(ev.key) === undefined) {
            // Evicted since it was loaded: load it again, then go on from this event.
            cold.add(ev.key);
            store.putMeta(owned.meta, String(owned.next));
            return i;
          }
          this.counters.duplicates++;
        } else {
          this.output.add(decisions, decisionMessage(decision));
          this.counters.processed++;
          if (changelog !== undefined) changelog.touch(partition, ev.key);
        }
      }
      owned.next = offset + 1;
      this.pendingEvents++;
    }
    // In the same synchronous run as the state changes: any batch that holds them holds it.
    store.putMeta(owned.meta, String(owned.next));
    if (owned.skip !== undefined && owned.next >= owned.skipUntil) {
      owned.skip = undefined;
      store.putMeta(skipMetaName(topic, partition), '');
    }
    return messages.length;
  }

  /** `take`, once per partition at a time (the first batch and the eager restore share it). */
  private takeOnce(topic: string, partition: number, tp: string): Promise<OwnedPartition> {
    const owned = this.owned.get(tp);
    if (owned !== undefined) return Promise.resolve(owned);
    let p = this.taking.get(tp);
    if (p === undefined) {
      p = this.take(topic, partition, tp).finally(() => this.taking.delete(tp));
      this.taking.set(tp, p);
    }
    return p;
  }

  /** A partition was assigned: restore its state and find where to resume. */
  private async take(topic: string, partition: number, tp: string): Promise<OwnedPartition> {
    const meta = offsetMetaName(topic, partition);
    let prepared: Prepared = { kind: 'local' };
    if (this.changelog !== undefined) {
      let p = this.prepared.get(partition);
      if (p === undefined) {
        this.prepare(topic, [partition]);
        p = this.prepared.get(partition)!;
      }
      prepared = await p;
      this.prepared.delete(partition);
    }
    let next = -1;
    let skip: Map<string, number> | undefined;
    let skipUntil = -1;
    if (prepared.kind === 'restore' && this.assignment.has(`${topic}\u0000${partition}`)) {
      const { restored } = prepared;
      this.changelog!.apply(partition, restored);
      // Restored partial matches keep their windows: their timers are armed here, as after a restart.
      this.engine.armTimers(restored.states.keys());
      this.counters.restoredKeys += restored.states.size;
      next = restored.resume;
      // In memory now; the next checkpoint writes states and offsets in one batch.
      this.store.putMeta(meta, String(next));
      this.store.putMeta(markMetaName(topic, partition), String(prepared.mark));
      if (restored.skip.size > 0) skip = restored.skip;
      this.store.putMeta(skipMetaName(topic, partition), skip === undefined ? '' : JSON.stringify([...skip]));
    } else {
      const stored = await this.store.getMeta(meta);
      if (stored !== undefined && stored !== '') next = Number(stored);
      const skipText = this.changelog === undefined ? undefined : await this.store.getMeta(skipMetaName(topic, partition));
      if (skipText !== undefined && skipText !== '') skip = new Map(JSON.parse(skipText) as [string, number][]);
    }
    if (skip !== undefined) for (const o of skip.values()) if (o > skipUntil) skipUntil = o;
    const owned: OwnedPartition = { topic, partition, meta, next, skip, skipUntil };
    if (!this.assignment.has(`${topic}\u0000${partition}`)) return owned; // lost meanwhile: not owned
    this.counters.resumedFrom[tp] = next;
    this.owned.set(tp, owned);
    this.hooks.log?.('partition taken', { topic, partition, offset: next, restored: prepared.kind === 'restore' ? prepared.restored.states.size : 0 });
    return owned;
  }

  /**
   * Starts finding how to take `partitions`: the store's own state when the changelog ends right
   * after the last marker this store wrote (nobody wrote since: a restart), else a restore from
   * the changelog — one read for every partition that needs it.
   */
  private prepare(topic: string, partitions: number[]): void {
    const changelog = this.changelog!;
    const all = (async () => {
      await this.resending;
      const ends = await changelog.ends();
      const local = new Set<number>();
      for (const p of partitions) {
        const end = ends.get(p) ?? 0;
        const mark = await this.store.getMeta(markMetaName(topic, p));
        const stored = await this.store.getMeta(offsetMetaName(topic, p));
        if (end === 0 || (mark !== undefined && mark !== '' && Number(mark) + 1 === end && stored !== undefined && stored !== '')) local.add(p);
      }
      const restore = partitions.filter((p) => !local.has(p));
      const read = restore.length > 0 ? await changelog.read(restore, ends) : new Map<number, RestoredPartition>();
      return { local, read, ends };
    })();
    for (const p of partitions) {
      this.prepared.set(
        p,
        all.then(({ local, read, ends }): Prepared => (local.has(p) ? { kind: 'local' } : { kind: 'restore', restored: read.get(p)!, mark: (ends.get(p) ?? 0) - 1 })),
      );
    }
    all.catch(() => undefined);
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
    if (this.changelog !== undefined) {
      // Partitions gained: read the changelog once for all of them, before their first batch.
      this.prepared.clear();
      const gained = new Map<string, number[]>();
      for (const topic of Object.keys(assignment)) {
        for (const p of assignment[topic]!) {
          if (this.owned.has(`${topic}/${p}`)) continue;
          let list = gained.get(topic);
          if (list === undefined) gained.set(topic, (list = []));
          list.push(p);
        }
      }
      for (const [topic, ps] of gained) {
        this.prepare(topic, ps);
        // Restored now, not at the partition's next event (the HTTP API serves its keys meanwhile).
        for (const p of ps) void this.takeOnce(topic, p, `${topic}/${p}`).catch((err) => this.fail(err));
      }
    }
    if (lost.length > 0) void this.release(lost).catch((err) => this.fail(err));
  }

  /** Partitions this worker lost: checkpoint them (changelog included), then drop their state. */
  private async release(lost: OwnedPartition[]): Promise<void> {
    this.changelogSentAt = 0; // the new owner restores from the changelog: send now
    await this.checkpoint();
    for (const p of lost) {
      const tp = `${p.topic}/${p.partition}`;
      if (this.releasing.get(tp) === p) this.releasing.delete(tp);
      if (this.changelog === undefined || this.owned.has(tp)) continue;
      // Its keys' timers go with it (the new owner arms them when it restores the partition).
      this.engine.disarmTimers(this.changelog.keysOf(p.partition));
      this.changelog.drop(p.partition);
      // Taken again later, it is restored from the changelog (written by the next checkpoint).
      this.store.putMeta(p.meta, '');
      this.store.putMeta(markMetaName(p.topic, p.partition), '');
      this.store.putMeta(skipMetaName(p.topic, p.partition), '');
      this.counters.droppedPartitions++;
    }
    if (this.changelog !== undefined) await this.checkpoint();
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
    const changelog = this.changelog;
    const commits: { topic: string; partition: number; offset: string }[] = [];
    // One synchronous cut: state, offsets, the outputs not yet acknowledged (the outbox, sent
    // again on restart) and the keys of the changelog records it is about to send go into one
    // batch, built in this tick. Processing goes on while it is written, unless the store was
    // still writing an earlier batch (then the next batch would only be built later, and could
    // carry changes made after the cut without their outputs: processing waits).
    let changes: CapturedChanges | undefined;
    if (changelog !== undefined) {
      const offsets = new Map<number, number>();
      for (const p of this.releasing.values()) if (p.next >= 0) offsets.set(p.partition, p.next);
      for (const p of this.owned.values()) if (p.next >= 0) offsets.set(p.partition, p.next);
      // Every key changed since the last send, with the offsets of this cut: what to send again
      // from the store (whose states are this cut's) if the process dies before the send.
      const pending = changelogOutbox(changelog.pending(), offsets);
      if (pending !== '' || this.changelogOutboxStored) this.store.putMeta(CHANGELOG_OUTBOX_META, pending);
      this.changelogOutboxStored = pending !== '';
      const now = Date.now();
      if (pending !== '' && now - this.changelogSentAt >= this.options.changelogIntervalMs) {
        changes = changelog.capture(offsets);
        this.changelogSentAt = now;
      }
    }
    const outbox = this.output.outbox();
    if (outbox !== null || this.outboxStored) this.store.putMeta(OUTBOX_META, outbox ?? '');
    this.outboxStored = outbox !== null;
    const flushed = this.store.flush();
    for (const p of this.owned.values()) if (p.next >= 0) commits.push({ topic: p.topic, partition: p.partition, offset: String(p.next) });
    this.pendingEvents = 0;
    const cut = this.store.stats();
    if (cut.dirtyKeys > 0 || cut.pendingRecords > 0) {
      let release!: () => void;
      this.gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      try {
        await flushed;
      } finally {
        this.gate = undefined;
        release();
      }
    } else {
      await flushed;
    }
    if (changes !== undefined && changes.partitions.size > 0) {
      // The store holds the cut (and the keys to send again if this process dies now); the
      // changelog gets it next. Its markers' offsets go with the next batch.
      await this.publishChangelog(changes);
    }
    this.counters.checkpoints++;
    this.metrics.checkpoints?.inc();
    // Kafka's committed offsets: for lag monitoring (restarts use the store's).
    const mine = commits.filter((c) => this.assignment.has(`${c.topic}\u0000${c.partition}`));
    if (mine.length > 0 && !this.stopped) await this.consumer.commitOffsets(mine).catch(() => undefined);
  }

  private async publishChangelog(changes: CapturedChanges): Promise<void> {
    const marks = await this.changelog!.publish(changes);
    const topic = this.options.topics.events[0]!;
    for (const [p, mark] of marks) this.store.putMeta(markMetaName(topic, p), String(mark));
    // Sent: unless keys changed since, the next batch stores an empty changelog outbox.
    if (this.changelog!.pending().size === 0 && this.changelogOutboxStored) {
      this.store.putMeta(CHANGELOG_OUTBOX_META, '');
      this.changelogOutboxStored = false;
    }
  }

  /**
   * On start: the changelog records of the last checkpoint the store holds and the changelog may
   * lack (the process died between the two), sent again with the states in the store (which are
   * the states of that cut). Records are correct on their own, so sending them twice is harmless.
   */
  private async resendChangelog(): Promise<void> {
    const text = await this.store.getMeta(CHANGELOG_OUTBOX_META);
    if (text === undefined || text === '') return;
    const entries = JSON.parse(text) as [number, number, string[]][];
    const partitions = new Map<number, Map<string, string | null>>();
    const offsets = new Map<number, number>();
    for (const [p, offset, keys] of entries) {
      const states = new Map<string, string | null>();
      for (const key of keys) {
        const state = await this.store.load(key);
        states.set(key, state === undefined ? null : keyStateCodec.encode(state));
      }
      partitions.set(p, states);
      offsets.set(p, offset);
    }
    await this.publishChangelog({ partitions, offsets });
    this.store.putMeta(CHANGELOG_OUTBOX_META, '');
    await this.store.flush();
    this.hooks.log?.('changelog records sent again', { partitions: entries.length });
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
      await this.resending;
      this.changelogSentAt = 0;
      if (this.failed === undefined) await this.checkpoint();
    } finally {
      await this.changelog?.close();
      await this.consumer.disconnect().catch(() => undefined);
      await this.producer.disconnect().catch(() => undefined);
    }
  }
}

/** Keys changed and not yet in the changelog, with their partitions' offsets, as the store keeps them ('' for none). */
function changelogOutbox(pending: Map<number, Set<string>>, offsets: Map<number, number>): string {
  const out: [number, number, string[]][] = [];
  for (const [p, keys] of pending) {
    const offset = offsets.get(p);
    if (offset !== undefined && keys.size > 0) out.push([p, offset, [...keys]]);
  }
  return out.length === 0 ? '' : JSON.stringify(out);
}
