import { randomUUID } from 'node:crypto';
import type { Kafka, Message, Producer } from 'kafkajs';
import { keyStateCodec, type KeyState } from '../../runtime/KeyState.ts';
import type { KeyedStateStore } from '../../state/index.ts';

/** Key of the record that closes a checkpoint in a changelog partition. */
const MARKER_KEY = '\u0000checkpoint';

/** What one checkpoint publishes: per partition, the encoded states of the keys it changed, and the next offset. */
export interface CapturedChanges {
  readonly partitions: Map<number, Map<string, string | null>>;
  readonly offsets: Map<number, number>;
}

/**
 * The compacted changelog of key state (the Kafka Streams model). After each checkpoint landed
 * in LevelDB, the states of the keys it changed go to the changelog partition numbered like their
 * input partition, followed by a marker `{seq, offset}`; records of a checkpoint whose marker
 * never arrived (a worker died mid-publish) are ignored on restore. A worker that gains a
 * partition restores it from the changelog when the changelog is ahead of its own store.
 */
export class Changelog {
  private readonly touched = new Map<number, Set<string>>();
  /** Keys known per partition (processed or restored), for dropping a partition that moved away. */
  private readonly known = new Map<number, Set<string>>();
  private readonly writer = randomUUID().slice(0, 8);
  private seq = 0;

  constructor(
    private readonly kafka: Kafka,
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly store: KeyedStateStore<KeyState>,
    /** Next offset of each owned input partition (numbered like the changelog's). */
    private readonly offsets: () => Map<number, number>,
    private readonly offsetMeta: (topic: string, partition: number) => string,
  ) {}

  touch(partition: number, key: string): void {
    let set = this.touched.get(partition);
    if (set === undefined) {
      set = new Set();
      this.touched.set(partition, set);
    }
    set.add(key);
  }

  /** Synchronous, in the checkpoint's cut: the states as they go into the LevelDB batch. */
  capture(): CapturedChanges {
    const partitions = new Map<number, Map<string, string | null>>();
    for (const [p, keys] of this.touched) {
      const states = new Map<string, string | null>();
      let known = this.known.get(p);
      if (known === undefined) {
        known = new Set();
        this.known.set(p, known);
      }
      for (const key of keys) {
        const state = this.store.peek(key);
        states.set(key, state === undefined ? null : keyStateCodec.encode(state));
        known.add(key);
      }
      partitions.set(p, states);
    }
    this.touched.clear();
    const offsets = new Map<number, number>();
    for (const [p, next] of this.offsets()) if (partitions.has(p)) offsets.set(p, next);
    return { partitions, offsets };
  }

  async publish(changes: CapturedChanges): Promise<void> {
    if (changes.partitions.size === 0) return;
    const seq = `${this.writer}:${++this.seq}`;
    const messages: Message[] = [];
    for (const [p, states] of changes.partitions) {
      for (const [key, value] of states) messages.push({ key, value, partition: p, headers: { seq } });
      messages.push({ key: MARKER_KEY, value: JSON.stringify({ seq, offset: changes.offsets.get(p) }), partition: p, headers: { seq } });
    }
    await this.producer.send({ topic: this.topic, messages, acks: -1 });
  }

  /**
   * Restores partition `partition` from the changelog if the changelog's last complete
   * checkpoint is ahead of this worker's store; returns the offset to resume from.
   */
  async restore(topic: string, partition: number): Promise<{ keys: number; offset: number | undefined }> {
    const meta = this.offsetMeta(topic, partition);
    const localText = await this.store.getMeta(meta);
    const local = localText === undefined || localText === '' ? undefined : Number(localText);
    const log = await this.read(partition);
    if (log.offset === undefined || (local !== undefined && local >= log.offset)) return { keys: 0, offset: local };
    let known = this.known.get(partition);
    if (known === undefined) {
      known = new Set();
      this.known.set(partition, known);
    }
    for (const [key, value] of log.states) {
      if (value === null) this.store.delete(key);
      else this.store.set(key, keyStateCodec.decode(value));
      known.add(key);
    }
    this.store.putMeta(meta, String(log.offset));
    await this.store.flush();
    return { keys: log.states.size, offset: log.offset };
  }

  /** Reads one changelog partition to its end: the states and offset of its last complete checkpoint. */
  private async read(partition: number): Promise<{ states: Map<string, string | null>; offset: number | undefined }> {
    const admin = this.kafka.admin();
    await admin.connect();
    let high: number;
    try {
      const offsets = await admin.fetchTopicOffsets(this.topic).catch(() => []);
      high = Number(offsets.find((o) => o.partition === partition)?.high ?? 0);
    } finally {
      await admin.disconnect();
    }
    const states = new Map<string, string | null>();
    let offset: number | undefined;
    if (high === 0) return { states, offset };
    const pending = new Map<string, Map<string, string | null>>();
    const consumer = this.kafka.consumer({ groupId: `argus-restore-${randomUUID()}`, allowAutoTopicCreation: false });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: this.topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            autoCommit: false,
            eachBatch: async ({ batch }) => {
              if (batch.partition !== partition) return;
              for (const m of batch.messages) {
                const seq = m.headers?.seq?.toString() ?? '';
                const key = m.key?.toString() ?? '';
                if (key === MARKER_KEY) {
                  const marker = JSON.parse(m.value!.toString()) as { seq: string; offset: number };
                  const records = pending.get(marker.seq);
                  if (records !== undefined) for (const [k, v] of records) states.set(k, v);
                  pending.delete(marker.seq);
                  if (typeof marker.offset === 'number') offset = marker.offset;
                } else {
                  let records = pending.get(seq);
                  if (records === undefined) {
                    records = new Map();
                    pending.set(seq, records);
                  }
                  records.set(key, m.value === null ? null : m.value.toString());
                }
                if (Number(m.offset) >= high - 1) resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    return { states, offset };
  }

  /** A partition moved to another worker: drop its keys here (the changelog holds them). */
  async drop(topic: string, partition: number): Promise<void> {
    const keys = this.known.get(partition);
    if (keys !== undefined) for (const key of keys) this.store.delete(key);
    this.known.delete(partition);
    this.touched.delete(partition);
    this.store.putMeta(this.offsetMeta(topic, partition), '');
    await this.store.flush();
  }

  async close(): Promise<void> {}
}
