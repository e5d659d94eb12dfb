/**
 * Kafka end to end through one worker against librdkafka's mock cluster (kcat): events are
 * produced, consumed, evaluated and their decisions produced. Prints events/s of the worker with
 * the sample catalog (rules/, patterns/; changelog on, as by default, and off) and with a
 * rules-only catalog (the sample rules that use no feature or pattern: what the Kafka path
 * costs when the engine is cheap), beside the raw kafkajs consume rate of the same topic in the
 * same run (the peer: what the client alone does on this broker and machine).
 *
 *   node --import tsx bench/kafka.bench.ts [--events=60000] [--interval=<checkpointIntervalMs>] [--only=sample|off|rules]
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { startKafkaWorker } from '../src/io/kafka/index.ts';
import { startMockBroker } from '../test/kafka/mockBroker.ts';
import { endOffsets, produce, scenarioEngineConfig, scenarioEvents } from '../test/kafka/fixtures/scenario.ts';

const arg = process.argv.find((a) => a.startsWith('--events='));
const total = arg !== undefined ? Number(arg.slice('--events='.length)) : 60_000;
const keys = 2_000;
const intervalArg = process.argv.find((a) => a.startsWith('--interval='));
const checkpointIntervalMs = intervalArg !== undefined ? Number(intervalArg.slice('--interval='.length)) : undefined;
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const broker = await startMockBroker();
const topic = 'bench.events';
const scratch = mkdtempSync(join(tmpdir(), 'argus-kafka-bench-'));

/** The sample rules that read no feature and no pattern match, with an empty patterns directory. */
function rulesOnlyCatalog(): { rulesDir: string; patternsDir: string } {
  const rulesDir = join(scratch, 'rules-only');
  const patternsDir = join(scratch, 'no-patterns');
  mkdirSync(rulesDir, { recursive: true });
  mkdirSync(patternsDir, { recursive: true });
  for (const f of readdirSync('rules')) {
    if (f === 'lists') cpSync(join('rules', f), join(rulesDir, f), { recursive: true });
    else if (f.endsWith('.json') && f !== 'features.json' && !/"features"|"matches"/.test(readFileSync(join('rules', f), 'utf8'))) cpSync(join('rules', f), join(rulesDir, f));
  }
  return { rulesDir, patternsDir };
}

async function runWorker(name: string, n: number, ends: Record<string, number>, engine: Record<string, unknown>, changelog: string | false): Promise<number> {
  const dir = join(scratch, name);
  const server = await startKafkaWorker(
    { ...scenarioEngineConfig, ...engine, dataDir: dir },
    { brokers: broker.brokers, groupId: `bench-${name}`, topics: { events: [topic], decisions: `bench.decisions.${name}`, control: false, changelog }, ...(checkpointIntervalMs === undefined ? {} : { checkpointIntervalMs }) },
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
  const rate = (n - base) / seconds;
  console.log(`argus worker, ${name.padEnd(34)} ${String(Math.round(rate)).padStart(6)} events/s (${seconds.toFixed(2)} s, ${stats.checkpoints} checkpoints, ${stats.outputSent} outputs acknowledged)`);
  return rate;
}

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
  let rawStart = 0;
  let rawEnd = 0;
  await new Promise<void>((resolve) => {
    void raw.run({ partitionsConsumedConcurrently: 4, eachBatch: async ({ batch }) => {
      if (rawStart === 0) rawStart = performance.now();
      seen += batch.messages.length;
      if (seen >= n) {
        rawEnd = performance.now();
        resolve();
      }
    } });
  });
  await raw.disconnect();
  const rawRate = n / ((rawEnd - rawStart) / 1000);

  console.log(`events: ${n} over ${keys} keys, 4 partitions, 3 mock brokers; consume + evaluate + produce decisions (and alerts) + checkpoints`);
  const sample = only === undefined || only === 'sample' ? await runWorker('sample catalog, changelog on', n, ends, {}, 'bench.changelog') : NaN;
  const sampleOff = only === undefined || only === 'off' ? await runWorker('sample catalog, changelog off', n, ends, {}, false) : NaN;
  const rulesOnly = only === undefined || only === 'rules' ? await runWorker('rules-only catalog, changelog on', n, ends, rulesOnlyCatalog(), 'bench.changelog2') : NaN;
  console.log(`kafkajs consume only (peer):              ${String(Math.round(rawRate)).padStart(6)} events/s`);
  console.log(`ratio to consume-only: sample ${(sample / rawRate).toFixed(2)}, sample without changelog ${(sampleOff / rawRate).toFixed(2)}, rules-only ${(rulesOnly / rawRate).toFixed(2)}`);
} finally {
  await broker.stop();
  rmSync(scratch, { recursive: true, force: true });
}
