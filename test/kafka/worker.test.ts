import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKafkaWorker, type KafkaServer } from '../../src/io/kafka/index.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { startMockBroker, type MockBroker } from './mockBroker.ts';
import { consumeAll, endOffsets, produce, scenarioEngineConfig, scenarioEvents } from './fixtures/scenario.ts';
import { waitFor } from './workerProcess.ts';

describe('Kafka worker: decisions, dead letters, back-pressure', () => {
  let broker: MockBroker;
  let server: KafkaServer | undefined;
  const dir = tempDir('argus-kafka-worker-');

  beforeAll(async () => {
    broker = await startMockBroker();
  });
  afterAll(async () => {
    await server?.close();
    await broker?.stop();
    dir.cleanup();
  });

  it('decides every event to the decisions topic, dead-letters invalid ones without stopping, pauses when the queue is full', async () => {
    const topic = 'w.events';
    const events = scenarioEvents('w', 50, 12);
    const bad = [
      { key: 'u1', value: '{"id": "broken", ' },
      { key: 'u2', value: JSON.stringify({ id: 'no-key', type: 'transaction', timestamp: 1 }) },
      { key: 'u3', value: JSON.stringify({ id: 'bad-time', type: 'transaction', timestamp: 'yesterday', userId: 'u3' }) },
    ];
    // Bad messages in the middle of the stream: the partitions must go on past them.
    await produce(broker.brokers, topic, [...events.slice(0, 300), ...bad, ...events.slice(300)]);
    const ends = await endOffsets(broker.brokers, topic);
    server = await startKafkaWorker(
      { ...scenarioEngineConfig, dataDir: dir.path },
      {
        brokers: broker.brokers,
        groupId: 'w-group',
        topics: { events: [topic], decisions: 'w.decisions', alerts: 'w.alerts', deadLetters: 'w.dlq', control: false, changelog: false },
        checkpointIntervalMs: 1_000,
        maxPendingEvents: 40,
      },
    );
    const worker = server.worker;
    await waitFor('the worker to catch up', () => Object.entries(ends).every(([tp, end]) => worker.stats().offsets[tp] === end), 60_000);
    await worker.checkpoint();
    const stats = worker.stats();
    expect(stats.processed).toBe(events.length);
    expect(stats.deadLetters).toBe(3);
    // Back-pressure: the partitions were paused, and what waited for a checkpoint stayed bounded.
    expect(stats.pauses).toBeGreaterThan(0);
    expect(stats.maxPending).toBeLessThan(40 + 1_000);

    const decisions = await consumeAll(broker.brokers, 'w.decisions', events.length);
    expect(decisions.length).toBe(events.length);
    const parsed = decisions.map((m) => JSON.parse(m.value!.toString()) as { id: string; key: string; eventId: string; catalogVersion: string; decision: string });
    expect(new Set(parsed.map((d) => d.id)).size).toBe(events.length);
    for (const d of parsed.slice(0, 20)) {
      expect(d.id).toBe(`decision:${d.key}:${d.eventId}`);
      expect(d.catalogVersion).toBe(server.engine.catalogVersion);
      expect(['allow', 'review', 'deny']).toContain(d.decision);
    }
    // Keyed by the key: a key's decisions are in one partition, in event order.
    expect(decisions.every((m, i) => m.key === parsed[i]!.key)).toBe(true);

    const dead = await consumeAll(broker.brokers, 'w.dlq', 3);
    expect(dead.map((m) => m.value!.toString()).sort()).toEqual(bad.map((b) => b.value).sort());
    const byValue = new Map(dead.map((m) => [m.value!.toString(), m.headers]));
    expect(byValue.get(bad[0]!.value)!['argus-error']).toMatch(/malformed JSON/);
    expect(byValue.get(bad[1]!.value)!['argus-error']).toMatch(/userId/);
    expect(JSON.parse(byValue.get(bad[2]!.value)!['argus-issues']!)[0].path).toEqual(['timestamp']);
    expect(byValue.get(bad[1]!.value)!['argus-source-topic']).toBe(topic);
  }, 120_000);
});
