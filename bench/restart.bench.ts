/**
 * Restart after `kill -9` with 100,000 keys of state (sample catalog), against librdkafka's mock
 * cluster (kcat): a worker process builds the state, is killed with SIGKILL, and a new process is
 * started on the same data directory. Prints, from the new process' start: consumer ready
 * (joined the group, partitions assigned) and first event processed; beside it, the same
 * figures for a first start on an empty directory (the peer: what a start costs without state).
 *
 *   node --import tsx bench/restart.bench.ts [--keys=100000] [--session=6000] [--changelog=false]
 *
 * `--session` is the group session timeout: after a kill -9 the dead member stays in the group
 * until it expires, so it bounds the time to rejoin on any Kafka without static membership.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KafkaWorkerStats } from '../src/io/kafka/index.ts';
import { startMockBroker } from '../test/kafka/mockBroker.ts';
import { produce, scenarioEvent } from '../test/kafka/fixtures/scenario.ts';
import { spawnWorker, waitFor, type WorkerProcess } from '../test/kafka/workerProcess.ts';

const arg = (name: string, dflt: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const keys = Number(arg('keys', '100000'));
const sessionTimeoutMs = Number(arg('session', '6000'));
const changelog = arg('changelog', 'true') === 'false' ? false : 'rs.changelog';
const broker = await startMockBroker();
const dir = mkdtempSync(join(tmpdir(), 'argus-restart-bench-'));
const topic = 'rs.events';
const kafka = {
  brokers: broker.brokers,
  groupId: 'rs-group',
  topics: { events: [topic], decisions: 'rs.decisions', alerts: 'rs.alerts', deadLetters: 'rs.dlq', control: false, changelog },
  sessionTimeoutMs,
};
const processed = async (w: WorkerProcess) => (await w.get<KafkaWorkerStats>('/stats')).processed;

/** Starts a worker, returns ms from spawn to READY (consumer ready) and to its first processed event. */
async function timedStart(): Promise<{ worker: WorkerProcess; joining: number; ready: number; first: number }> {
  process.env.ARGUS_TEST_LOG = '1';
  const wall0 = Date.now();
  const t0 = performance.now();
  const worker = await spawnWorker({ dataDir: dir, kafka }, 120_000);
  const ready = performance.now() - t0;
  await waitFor('the first event', async () => (await processed(worker)) > 0, 120_000);
  const first = performance.now() - t0;
  // When the process had its engine and store open, outbox sent, and asked to join the group.
  const at = /joining the group .*"at":(\d+)/.exec(worker.stderr());
  return { worker, joining: at === null ? NaN : Number(at[1]) - wall0, ready, first };
}

try {
  // Build the state: one event per key, produced in slices the worker consumes as they come
  // (the mock broker keeps only the last few MB of each partition).
  const slice = 10_000;
  await produce(broker.brokers, topic, Array.from({ length: Math.min(slice, keys) }, (_, u) => scenarioEvent('rs', u, 0)));
  const fresh = await timedStart();
  const w = fresh.worker;
  const buildStart = performance.now();
  for (let from = slice; from < keys; from += slice) {
    await produce(broker.brokers, topic, Array.from({ length: Math.min(slice, keys - from) }, (_, i) => scenarioEvent('rs', from + i, 0)));
    await waitFor('the worker to keep up', async () => (await processed(w)) >= from, 600_000);
  }
  await waitFor('the worker to process every key', async () => (await processed(w)) >= keys, 600_000);
  await w.get('/checkpointed');
  const built = (performance.now() - buildStart) / 1000;
  await w.kill9();
  // Events that arrive while the worker is down: the restarted one processes them first.
  await produce(broker.brokers, topic, Array.from({ length: 100 }, (_, u) => scenarioEvent('rs', u, 1)));
  const again = await timedStart();
  const s = await again.worker.get<KafkaWorkerStats>('/stats');
  await again.worker.stop();
  console.log(`state: ${keys} keys (sample catalog), built in ${built.toFixed(1)} s; changelog ${changelog === false ? 'off' : 'on'}; session timeout ${sessionTimeoutMs} ms`);
  console.log(`restart after kill -9: state open and joining the group ${(again.joining / 1000).toFixed(2)} s, consumer ready ${(again.ready / 1000).toFixed(2)} s, first event processed ${(again.first / 1000).toFixed(2)} s (resumed from ${Object.values(s.resumedFrom).reduce((a, b) => a + b, 0)} stored offsets, ${s.restoredKeys} keys restored from the changelog)`);
  console.log(`first start, empty directory (peer): joining the group ${(fresh.joining / 1000).toFixed(2)} s, consumer ready ${(fresh.ready / 1000).toFixed(2)} s, first event processed ${(fresh.first / 1000).toFixed(2)} s`);
  console.log(`ratio restart / first start (first event): ${(again.first / fresh.first).toFixed(2)}`);
} finally {
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
}
