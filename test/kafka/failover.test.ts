import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyStateCodec } from '../../src/runtime/KeyState.ts';
import type { KafkaWorkerStats } from '../../src/io/kafka/index.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { startMockBroker, type MockBroker } from './mockBroker.ts';
import { endOffsets, produce, referenceStates, scenarioEvents } from './fixtures/scenario.ts';
import { killAllWorkers, spawnWorker, waitFor, type WorkerProcess } from './workerProcess.ts';

const KEYS = 100;
const PER_KEY = 60;


const stats = (w: WorkerProcess) => w.get<KafkaWorkerStats>('/stats');
const assigned = (w: WorkerProcess) => w.get<string[]>('/assigned');

describe('two workers in one group: a killed worker\'s partitions move to the survivor', () => {
  let broker: MockBroker;
  const dirs = [tempDir('argus-kafka-a-'), tempDir('argus-kafka-b-')];

  beforeAll(async () => {
    broker = await startMockBroker();
  });
  afterAll(async () => {
    killAllWorkers();
    await broker?.stop();
    for (const d of dirs) d.cleanup();
  });

  it('the survivor restores the dead worker\'s keys from the changelog and ends with the state of a single run', async () => {
    const topic = 'fo.events';
    const events = scenarioEvents('fo', KEYS, PER_KEY);
    // Three phases, each a slice of the production order (a key's events stay in order):
    // A alone; A and B together; B alone after A was killed with SIGKILL mid-stream.
    const cut1 = Math.floor(events.length * 0.3);
    const cut2 = Math.floor(events.length * 0.7);
    const expected = await referenceStates(events);
    const kafka = {
      brokers: broker.brokers,
      groupId: 'fo-group',
      topics: { events: [topic], decisions: 'fo.decisions', alerts: 'fo.alerts', deadLetters: 'fo.dlq', control: false, changelog: 'fo.changelog' },
      checkpointIntervalMs: 100,
      checkpointEvents: 400,
      sessionTimeoutMs: 6_000,
    };
    await produce(broker.brokers, topic, events.slice(0, cut1));
    const a = await spawnWorker({ dataDir: dirs[0]!.path, kafka });
    await waitFor('A to process the first phase', async () => (await stats(a)).processed >= cut1, 60_000);

    // B joins (its own data directory): the group splits the partitions; B restores what it gains.
    const b = await spawnWorker({ dataDir: dirs[1]!.path, kafka }, 60_000);
    await waitFor('the partitions to be split', async () => (await assigned(a)).length === 2 && (await assigned(b)).length === 2, 60_000);
    expect((await assigned(a)).concat(await assigned(b)).sort()).toEqual([0, 1, 2, 3].map((p) => `${topic}/${p}`));

    // Second phase, produced while A is killed mid-stream.
    const base = (await stats(a)).processed;
    const producing = produce(broker.brokers, topic, events.slice(cut1, cut2));
    await waitFor('A and B to process part of the second phase', async () => {
      const s = await stats(a);
      return s.processed >= base + 300 && s.checkpoints > 0 && (await stats(b)).processed > 0;
    }, 60_000);
    const sb = await stats(b);
    expect(sb.restoredKeys).toBeGreaterThan(0); // B's keys came from the changelog (its store was empty)
    await a.kill9();
    await producing;
    await produce(broker.brokers, topic, events.slice(cut2));
    const ends = await endOffsets(broker.brokers, topic);
    expect(Object.values(ends).reduce((x, y) => x + y, 0)).toBe(events.length);

    await waitFor('the survivor to own every partition and catch up', async () => {
      const s = await stats(b);
      return Object.entries(ends).every(([tp, end]) => s.offsets[tp] === end);
    }, 90_000);
    expect((await assigned(b)).length).toBe(4);
    const after = await stats(b);
    expect(after.restoredKeys).toBeGreaterThan(sb.restoredKeys); // A's keys, from the changelog
    expect(after.duplicates).toBe(0); // idempotency is off: offsets alone keep events from counting twice

    const actual = await b.get<Record<string, string>>('/dump');
    expect(Object.keys(actual).length).toBe(KEYS);
    let total = 0;
    for (const s of Object.values(actual)) total += keyStateCodec.decode(s).eventCount;
    expect(total).toBe(events.length); // none lost, none counted twice
    // Partial matches moved too (the reference has some, and every key equals the reference).
    expect(Object.values(expected).filter((s) => keyStateCodec.decode(s).cep !== undefined).length).toBeGreaterThan(0);
    for (const key of Object.keys(expected)) expect(actual[key], key).toBe(expected[key]);
    await b.stop();
  }, 240_000);
});
