import type { Message, Producer, TopicMessages } from 'kafkajs';
import { ArgusError } from '../../errors.ts';
import type { Alert, Decision, RecordSink } from '../../runtime/types.ts';

/**
 * Everything a worker writes to Kafka (decisions, alerts, dead letters, changelog), buffered per
 * topic and sent in one `sendBatch` per `flush()`. `drain()` resolves once every message sent so
 * far is acknowledged: a checkpoint drains before it writes the source offsets, so output is
 * at-least-once (never lost, possibly repeated after a crash — ids are deterministic).
 */
export class KafkaOutput {
  private readonly buffers = new Map<string, Message[]>();
  private buffered = 0;
  /** Sends not yet acknowledged, with their messages (a checkpoint stores them as its outbox). */
  private readonly inFlight = new Map<Promise<void>, TopicMessages[]>();
  private inFlightCount = 0;
  private failure: unknown;
  /** Messages acknowledged by the brokers. */
  sent = 0;

  constructor(private readonly producer: Producer) {}

  /** Queues a message for the next `flush()`. Synchronous. */
  add(topic: string, message: Message): void {
    let list = this.buffers.get(topic);
    if (list === undefined) {
      list = [];
      this.buffers.set(topic, list);
    }
    list.push(message);
    this.buffered++;
  }

  /** Messages queued or sent and not yet acknowledged. */
  get pending(): number {
    return this.buffered + this.inFlightCount;
  }

  /** Sends everything queued (one request per broker), without waiting. */
  flush(): void {
    if (this.buffered === 0) return;
    const topicMessages: TopicMessages[] = [];
    for (const [topic, messages] of this.buffers) if (messages.length > 0) topicMessages.push({ topic, messages });
    this.buffers.clear();
    this.send(topicMessages, this.buffered);
    this.buffered = 0;
  }

  private send(topicMessages: TopicMessages[], n: number): void {
    this.inFlightCount += n;
    const p: Promise<void> = this.producer.sendBatch({ topicMessages, acks: -1 }).then(
      () => {
        this.sent += n;
        this.inFlightCount -= n;
        this.inFlight.delete(p);
      },
      (err: unknown) => {
        this.failure ??= err;
        this.inFlightCount -= n;
        this.inFlight.delete(p);
      },
    );
    this.inFlight.set(p, topicMessages);
  }

  /** Flushes, then resolves once everything sent so far is acknowledged; rejects if a send failed. */
  async drain(): Promise<void> {
    this.flush();
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight.keys()]);
    this.check();
  }

  /** Flushes, then resolves once the sends started so far are settled (not those started meanwhile). */
  async settle(): Promise<void> {
    this.flush();
    if (this.inFlight.size > 0) await Promise.all([...this.inFlight.keys()]);
  }

  /** Throws the first send failure, if any. */
  check(): void {
    if (this.failure !== undefined) {
      const cause = this.failure;
      throw new ArgusError(`Kafka output failed: ${(cause as Error).message ?? String(cause)}`, { code: 'KAFKA_OUTPUT_FAILED', retriable: true, cause });
    }
  }

  /**
   * Every message queued or in flight, encoded: a checkpoint stores it with the offsets it
   * covers, so that output the brokers had not acknowledged when the process died is sent again
   * on restart (at-least-once) instead of being lost.
   */
  outbox(): string | null {
    this.flush();
    if (this.inFlight.size === 0) return null;
    const out: [string, OutboxEntry[]][] = [];
    for (const batch of this.inFlight.values()) {
      for (const { topic, messages } of batch) {
        const list: OutboxEntry[] = [];
        for (const m of messages) list.push(encodeMessage(m));
        out.push([topic, list]);
      }
    }
    return JSON.stringify(out);
  }

  /** Sends an outbox stored by a checkpoint again (on start), and waits for the acknowledgement. */
  async resend(outbox: string): Promise<number> {
    const parsed = JSON.parse(outbox) as [string, OutboxEntry[]][];
    const topicMessages: TopicMessages[] = parsed.map(([topic, list]) => ({ topic, messages: list.map(decodeMessage) }));
    const n = topicMessages.reduce((a, t) => a + t.messages.length, 0);
    this.send(topicMessages, n);
    await this.drain();
    return n;
  }
}

/** A message as the outbox stores it: `[key, value]`, or `[key, base64 value, headers]`. */
type OutboxEntry = [string | null, string] | [string | null, string | null, Record<string, string>];

function encodeMessage(m: Message): OutboxEntry {
  const key = m.key === undefined || m.key === null ? null : Buffer.isBuffer(m.key) ? m.key.toString('latin1') : m.key;
  if (m.headers === undefined && typeof m.value === 'string') return [key, m.value];
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.headers ?? {})) if (v !== undefined) headers[k] = Buffer.isBuffer(v) ? v.toString() : String(v);
  const value = m.value === null ? null : Buffer.isBuffer(m.value) ? m.value.toString('base64') : Buffer.from(m.value).toString('base64');
  return [key, value, headers];
}

function decodeMessage(e: OutboxEntry): Message {
  if (e.length === 2) return { key: e[0], value: e[1] };
  const [key, value, headers] = e as [string | null, string | null, Record<string, string>];
  return { key: key === null ? null : Buffer.from(key, 'latin1'), value: value === null ? null : Buffer.from(value, 'base64'), headers };
}

/** The decision of an event as it goes to the decisions topic: deterministic id, catalog version. */
export function decisionMessage(decision: Decision): Message {
  const value = {
    id: `decision:${decision.key}:${decision.eventId}`,
    eventId: decision.eventId,
    key: decision.key,
    decision: decision.decision,
    score: decision.score,
    reasons: decision.reasons,
    shadow: decision.shadow,
    matches: decision.matches,
    catalogVersion: decision.catalogVersion,
  };
  return { key: decision.key, value: JSON.stringify(value) };
}

/** Alerts of patterns with `emit`, keyed by the key, to the alerts topic (ids are deterministic already). */
export class KafkaAlertSink implements RecordSink<Alert> {
  /** Where to write; set once the worker's producer exists (alerts before that are kept). */
  output: KafkaOutput | undefined;
  private early: Alert[] = [];

  constructor(private readonly topic: string) {}

  write(alert: Alert): void {
    if (this.output === undefined) {
      this.early.push(alert);
      return;
    }
    this.output.add(this.topic, { key: alert.key, value: JSON.stringify(alert) });
  }

  attach(output: KafkaOutput): void {
    this.output = output;
    for (const a of this.early) this.write(a);
    this.early = [];
  }

  async close(): Promise<void> {}
}
