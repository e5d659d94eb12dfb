/**
 * Kafka end to end through one worker against librdkafka's mock cluster (kcat): events are
 * produced, consumed, evaluated with the sample catalog (rules/, patterns/) and their decisions
 * produced. Prints events/s of the worker, beside the raw kafkajs consume rate of the same
 * topic in the same run (the peer: what the client alone does on this broker and machine).
 *
 *   node --import tsx bench/kafka.bench.ts [--events=60000]
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { startKafkaWorker } from '../src/io/kafka/index.ts';
import { startMockBroker } from '../test/kafka/mockBroker.ts';
import { endOffsets, produce, scenarioEngineConfig, scenarioEvents } from '../test/kafka/fixtures/scenario.ts';

const arg = process.argv.find((a) => a.startsWith('--events='));
const total = arg !== undefined ? Number(arg.slice('--events='.length)) : 60_000;
const keys = 2_000;
const broker = await startMockBroker();
const topic = 'bench.events';
try {
  await produce(broker.brokers, topic, scenarioEvents('b', keys, Math.ceil(total / keys)));
  const ends = await endOffsets(broker.brokers, topic);
  const n = Object.values(ends).reduce((a, b) => a + b, 0);

  // Peer: kafkajs consuming the same topic, doing nothing with the messages.
  const kafka = new Kafka({ brokers: broker.brokers, logLevel: logLevel.NOTHING });
  const raw = kafka.consumer({ groupId: 'bench-raw' });
  await raw.connect();
  await raw.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  const rawStart = performance.now();
  let rawEnd = 0;
  await new Promise<void>((resolve) => {
    void raw.run({ partitionsConsumedConcurrently: 4, eachBatch: async ({ batch }) => {
      seen += batch.messages.length;
      if (seen >= n) {
        rawEnd = performance.now();
        resolve();
      }
    } });
  });
  await raw.disconnect();
  const rawRate = n / ((rawEnd - rawStart) / 1000);

  const dir = join(tmpdir(), `argus-kafka-bench-${process.pid}`);
  const server = await startKafkaWorker(
    { ...scenarioEngineConfig, dataDir: dir },
    { brokers: broker.brokers, groupId: 'bench', topics: { events: [topic], decisions: 'bench.decisions', control: false } },
  );
  // Timed from the first processed event (the group join is not throughput).
  while (server.worker.stats().processed === 0) await new Promise((r) => setTimeout(r, 5));
  const start = performance.now();
  const base = server.worker.stats().processed;
  for (;;) {
    const s = server.worker.stats();
    if (Object.entries(ends).every(([tp, end]) => s.offsets[tp] === end)) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  await server.worker.checkpoint();
  const seconds = (performance.now() - start) / 1000;
  const stats = server.worker.stats();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  const rate = (n - base) / seconds;
  console.log(`events: ${n} over ${keys} keys, 4 partitions, 3 mock brokers`);
  console.log(`argus worker (consume + evaluate + produce decisions + checkpoints): ${Math.round(rate)} events/s (${seconds.toFixed(2)} s, ${stats.checkpoints} checkpoints, ${stats.outputSent} decisions acknowledged)`);
  console.log(`kafkajs consume only (peer):                                         ${Math.round(rawRate)} events/s`);
  console.log(`ratio argus / consume-only: ${(rate / rawRate).toFixed(2)}`);
} finally {
  await broker.stop();
}
