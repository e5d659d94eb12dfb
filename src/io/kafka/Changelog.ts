import { randomUUID } from 'node:crypto';
import type { Admin, Kafka, Message, Producer } from 'kafkajs';
import { keyStateCodec, type KeyState } from '../../runtime/KeyState.ts';
import type { KeyedStateStore } from '../../state/index.ts';

/** Key of the record that closes a checkpoint in a changelog partition (its value: the input offset). */
export const MARKER_KEY = '\u0000checkpoint';
/** Header of every state record: the input partition's next offset at the checkpoint that wrote it. */
export const OFFSET_HEADER = 'argus-offset';

/** What one checkpoint publishes: per partition, the encoded states of the keys it changed, and the next input offset. */
export interface CapturedChanges {
  readonly partitions: Map<number, Map<string, string | null>>;
  readonly offsets: Map<number, number>;
}

/** One changelog partition read to its end. */
export interface RestoredPartition {
  /** Most advanced record of each key: encoded state (null: deleted) and the input offset it is valid at. */
  readonly states: Map<string, { value: string | null; offset: number }>;
  /** Input offset to resume from: every event before it is in `states`. */
  readonly resume: number;
  /**
   * Keys whose record is ahead of `resume` (written by a checkpoint whose marker is not the last
   * one, e.g. a worker that lost the partition and published once more): their events below the
   * offset are already in the state and must be skipped.
   */
  readonly skip: Map<string, number>;
}

/**
 * The compacted changelog of key state (the Kafka Streams model). Each checkpoint publishes the
 * states of the keys it changed to the changelog partition numbered like their input partition,
 * each record carrying (header `argus-offset`) the input offset its state is valid at, then a
 * marker record with that offset. A record is therefore correct on its own, whichever writer or
 * checkpoint it comes from, and compaction (the last record per key) keeps what a restore needs:
 * the states, and the last marker. Restore = the most advanced record of each key; resume at
 * the highest marker, skipping per key the events a record ahead of it already holds.
 */
const EMPTY_KEYS: ReadonlySet<string> = new Set();

export class Changelog {
  private readonly touched = new Map<number, Set<string>>();
  /** Keys known per partition (processed or restored), for dropping a partition that moved away. */
  private readonly known = new Map<number, Set<string>>();
  private admin: Admin | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly producer: Producer,
    readonly topic: string,
    private readonly store: KeyedStateStore<KeyState>,
  ) {}

  touch(partition: number, key: string): void {
    let set = this.touched.get(partition);
    if (set === undefined) {
      set = new Set();
      this.touched.set(partition, set);
    }
    set.add(key);
  }

  /**
   * A key changed without an event of its own (a pattern timer fired): touched in the partition it
   * is known in. False when no partition knows it (then it is not this worker's to publish).
   */
  touchKnown(key: string): boolean {
    for (const [partition, keys] of this.known) {
      if (keys.has(key)) {
        this.touch(partition, key);
        return true;
      }
    }
    return false;
  }

  /** The keys known in a partition (processed or restored there). */
  keysOf(partition: number): ReadonlySet<string> {
    return this.known.get(partition) ?? EMPTY_KEYS;
  }

  /** Keys changed and not yet captured, by partition (without clearing them). */
  pending(): Map<number, Set<string>> {
    return this.touched;
  }

  /** Synchronous, in the checkpoint's cut: the states of the keys changed since the last one, and the partitions' offsets. */
  capture(offsets: Map<number, number>): CapturedChanges {
    const partitions = new Map<number, Map<string, string | null>>();
    const at = new Map<number, number>();
    for (const [p, keys] of this.touched) {
      const next = offsets.get(p);
      if (next === undefined) continue;
      const states = new Map<string, string | null>();
      const known = this.knownOf(p);
      for (const key of keys) {
        const state = this.store.peek(key);
        states.set(key, state === undefined ? null : keyStateCodec.encode(state));
        known.add(key);
      }
      partitions.set(p, states);
      at.set(p, next);
    }
    this.touched.clear();
    return { partitions, offsets: at };
  }

  /**
   * Sends a capture (records, then the marker, per partition) and waits for the acknowledgement.
   * Returns, per partition, the changelog offset of its marker.
   */
  async publish(changes: CapturedChanges): Promise<Map<number, number>> {
    const marks = new Map<number, number>();
    if (changes.partitions.size === 0) return marks;
    const messages: Message[] = [];
    for (const [p, states] of changes.partitions) {
      const offset = String(changes.offsets.get(p));
      const headers = { [OFFSET_HEADER]: offset };
      for (const [key, value] of states) messages.push({ key, value, partition: p, headers });
      messages.push({ key: MARKER_KEY, value: offset, partition: p, headers });
    }
    const sent = await this.producer.send({ topic: this.topic, messages, acks: -1 });
    for (const r of sent) {
      const n = (changes.partitions.get(r.partition)?.size ?? 0) + 1;
      if (r.baseOffset !== undefined) marks.set(r.partition, Number(r.baseOffset) + n - 1);
    }
    return marks;
  }

  /** End offset (high watermark) of each changelog partition; empty when the topic does not exist yet. */
  async ends(): Promise<Map<number, number>> {
    if (this.admin === undefined) {
      this.admin = this.kafka.admin();
      await this.admin.connect();
    }
    const out = new Map<number, number>();
    const offsets = await this.admin.fetchTopicOffsets(this.topic).catch(() => []);
    for (const o of offsets) out.set(o.partition, Number(o.high));
    return out;
  }

  /** Reads changelog partitions to `ends` (one consumer for all of them) and returns what each restores to. */
  async read(partitions: number[], ends: Map<number, number>): Promise<Map<number, RestoredPartition>> {
    const wanted = new Set(partitions.filter((p) => (ends.get(p) ?? 0) > 0));
    const raw = new Map<number, { states: Map<string, { value: string | null; offset: number }>; marker: number | undefined }>();
    for (const p of partitions) raw.set(p, { states: new Map(), marker: undefined });
    if (wanted.size > 0) {
      const remaining = new Set(wanted);
      const consumer = this.kafka.consumer({ groupId: `argus-restore-${randomUUID()}`, allowAutoTopicCreation: false, maxWaitTimeInMs: 100 });
      await consumer.connect();
      try {
        await consumer.subscribe({ topic: this.topic, fromBeginning: true });
        await new Promise<void>((resolve, reject) => {
          consumer
            .run({
              autoCommit: false,
              eachBatch: async ({ batch }) => {
                const p = batch.partition;
                if (!remaining.has(p)) {
                  if (!wanted.has(p)) consumer.pause([{ topic: this.topic, partitions: [p] }]);
                  return;
                }
                const into = raw.get(p)!;
                const end = ends.get(p)!;
                for (const m of batch.messages) {
                  const key = m.key?.toString() ?? '';
                  const offsetHeader = m.headers?.[OFFSET_HEADER];
                  const offset = offsetHeader === undefined ? NaN : Number(offsetHeader.toString());
                  if (key === MARKER_KEY) {
                    const marker = m.value === null ? NaN : Number(m.value.toString());
                    if (Number.isFinite(marker) && (into.marker === undefined || marker > into.marker)) into.marker = marker;
                  } else if (Number.isFinite(offset)) {
                    // The most advanced record of a key wins (a late record of a previous owner
                    // cannot take a key back); on equal offsets, the later one.
                    const had = into.states.get(key);
                    if (had === undefined || offset >= had.offset) into.states.set(key, { value: m.value === null ? null : m.value.toString(), offset });
                  }
                  if (Number(m.offset) >= end - 1) {
                    remaining.delete(p);
                    break;
                  }
                }
                if (remaining.size === 0) resolve();
              },
            })
            .catch(reject);
        });
      } finally {
        await consumer.disconnect();
      }
    }
    const out = new Map<number, RestoredPartition>();
    for (const [p, { states, marker }] of raw) out.set(p, restoredPartition(states, marker));
    return out;
  }

  /** Applies a restored partition to the store (in memory: the next checkpoint writes it). */
  apply(partition: number, restored: RestoredPartition): void {
    const known = this.knownOf(partition);
    for (const [key, { value }] of restored.states) {
      if (value === null) this.store.delete(key);
      else this.store.set(key, keyStateCodec.decode(value));
      known.add(key);
    }
  }

  /** A partition moved to another worker: drop its keys from the store (the changelog holds them). */
  drop(partition: number): number {
    const keys = this.known.get(partition);
    if (keys !== undefined) for (const key of keys) this.store.delete(key);
    this.known.delete(partition);
    this.touched.delete(partition);
    return keys?.size ?? 0;
  }

  private knownOf(p: number): Set<string> {
    let known = this.known.get(p);
    if (known === undefined) {
      known = new Set();
      this.known.set(p, known);
    }
    return known;
  }

  async close(): Promise<void> {
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = undefined;
  }
}

/**
 * What a changelog partition restores to, from the most advanced record of each key and the
 * highest marker: resume at the marker (every event before it is in some record: a key whose
 * record is older simply had no event since), from the start without one, and skip per key the
 * events a record ahead of the marker already holds (a checkpoint whose marker did not land).
 */
export function restoredPartition(states: Map<string, { value: string | null; offset: number }>, marker: number | undefined): RestoredPartition {
  const resume = marker ?? 0;
  const skip = new Map<string, number>();
  for (const [key, s] of states) if (s.offset > resume) skip.set(key, s.offset);
  return { states, resume, skip };
}
