import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyStateCodec } from '../../src/runtime/KeyState.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { startMockBroker, type MockBroker } from './mockBroker.ts';
import { endOffsets, produce, referenceStates, scenarioEvents } from './fixtures/scenario.ts';
import { killAllWorkers, spawnWorker, waitFor, type WorkerProcess } from './workerProcess.ts';
import type { KafkaWorkerStats } from '../../src/io/kafka/index.ts';

const KEYS = 200;
const PER_KEY = 60;


function caughtUp(stats: KafkaWorkerStats, ends: Record<string, number>): boolean {
  return Object.entries(ends).every(([tp, end]) => end === 0 || stats.offsets[tp] === end);
}

describe('exactly-once state across kill -9', () => {
  let broker: MockBroker;
  const dirs: { cleanup: () => void }[] = [];
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    broker = await startMockBroker();
  });
  afterAll(async () => {
    killAllWorkers();
    await broker?.stop();
    for (const d of dirs) d.cleanup();
  });

  it.each([
    ['without a changelog', 'crash', false],
    ['with the changelog on', 'crashcl', 'crashcl.changelog'],
  ] as const)('a worker killed mid-stream and restarted ends with the state of a run without the crash, %s', async (_, run, changelog) => {
    const topic = `${run}.events`;
    const events = scenarioEvents(run, KEYS, PER_KEY);
    await produce(broker.brokers, topic, events);
    const ends = await endOffsets(broker.brokers, topic);
    expect(Object.values(ends).reduce((a, b) => a + b, 0)).toBe(events.length);
    const expected = await referenceStates(events);

    const dir = tempDir('argus-kafka-crash-');
    dirs.push(dir);
    const settings = {
      dataDir: dir.path,
      kafka: {
        brokers: broker.brokers,
        groupId: `${run}-group`,
        topics: { events: [topic], decisions: `${run}.decisions`, alerts: `${run}.alerts`, deadLetters: `${run}.dlq`, control: false, changelog },
        checkpointIntervalMs: 50,
        checkpointEvents: 2_000,
      },
    };
    const first = await spawnWorker(settings);
    workers.push(first);
    // Kill it once it has processed part of the stream (and checkpointed some of it).
    await waitFor('the first worker to be mid-stream', async () => {
      const s = await first.get<KafkaWorkerStats>('/stats');
      return s.processed >= 4_000 && s.checkpoints >= 1;
    });
    await first.kill9();

    const second = await spawnWorker(settings);
    workers.push(second);
    await waitFor('the restarted worker to catch up', async () => caughtUp(await second.get<KafkaWorkerStats>('/stats'), ends), 60_000);
    const stats = await second.get<KafkaWorkerStats>('/stats');
    // It resumed from the stored offsets, not from the beginning…
    const resumed = Object.values(stats.resumedFrom).reduce((a, b) => a + Math.max(b, 0), 0);
    expect(resumed).toBeGreaterThan(0);
    expect(resumed).toBeLessThan(events.length);
    // …and processed exactly the rest (the idempotency ids are off: only offsets prevent double counting).
    expect(stats.processed).toBe(events.length - resumed);
    expect(stats.duplicates).toBe(0);

    const actual = await second.get<Record<string, string>>('/dump');
    expect(Object.keys(actual).length).toBe(KEYS);
    let total = 0;
    for (const s of Object.values(actual)) total += keyStateCodec.decode(s).eventCount;
    expect(total).toBe(events.length); // none lost, none counted twice
    const partials = Object.values(actual).filter((s) => keyStateCodec.decode(s).cep !== undefined).length;
    expect(partials).toBeGreaterThan(0); // partial matches survived too
    for (const key of Object.keys(expected)) expect(actual[key], key).toBe(expected[key]);
    await second.stop();

    if (changelog !== false) {
      // The changelog holds the same state despite the kill: a worker with an empty directory
      // restores every key from it and has nothing left to process.
      const fresh = tempDir('argus-kafka-crash-fresh-');
      dirs.push(fresh);
      const third = await spawnWorker({ ...settings, dataDir: fresh.path });
      workers.push(third);
      await waitFor('the third worker to restore', async () => caughtUp(await third.get<KafkaWorkerStats>('/stats'), ends), 60_000);
      const s3 = await third.get<KafkaWorkerStats>('/stats');
      expect(s3.restoredKeys).toBe(KEYS);
      expect(s3.processed).toBe(0);
      expect(await third.get<Record<string, string>>('/dump')).toEqual(expected);
      await third.stop();
    }
  }, 120_000);
});
