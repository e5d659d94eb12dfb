import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export interface MockBroker {
  /** `host:port` of each of the 3 mock brokers. */
  brokers: string[];
  stop(): Promise<void>;
}

/** kcat on PATH, installed with apt-get when possible; otherwise a clear error. */
export function ensureKcat(): void {
  if (spawnSync('kcat', ['-V'], { stdio: 'ignore' }).status === 0) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (root && apt) {
    spawnSync('apt-get', ['install', '-y', 'kcat'], { stdio: 'ignore', timeout: 180_000 });
    if (spawnSync('kcat', ['-V'], { stdio: 'ignore' }).status !== 0) {
      spawnSync('sh', ['-c', 'apt-get update && apt-get install -y kcat'], { stdio: 'ignore', timeout: 300_000 });
    }
    if (spawnSync('kcat', ['-V'], { stdio: 'ignore' }).status === 0) return;
  }
  throw new Error(
    'The Kafka tests need kcat (librdkafka\'s mock cluster is their broker) and it is not installed. ' +
      'Install it with `apt-get install -y kcat` (Debian/Ubuntu) or `brew install kcat`, then run the tests again.',
  );
}

/**
 * Starts librdkafka's mock cluster (3 brokers, a real Kafka-protocol broker) through kcat, and
 * resolves with its bootstrap servers. Topics are auto-created with 4 partitions.
 */
export async function startMockBroker(timeoutMs = 15_000): Promise<MockBroker> {
  ensureKcat();
  const child: ChildProcess = spawn('kcat', ['-b', 'localhost:9092', '-X', 'test.mock.num.brokers=3', '-C', '-t', '_argus_keepalive', '-d', 'mock', '-q'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const brokers = await new Promise<string[]>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kcat mock cluster did not start within ${timeoutMs} ms: ${text.slice(-500)}`));
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kcat exited (${code}) before the mock cluster was up: ${text.slice(-500)}`));
    });
    const onData = (chunk: Buffer): void => {
      if (text.length < 100_000) text += chunk.toString();
      const m = /bootstrap\.servers=(\S+)/.exec(text);
      if (m !== null) {
        clearTimeout(timer);
        child.stderr!.off('data', onData);
        child.removeAllListeners('exit');
        resolve(m[1]!.split(','));
      }
    };
    child.stderr!.on('data', onData);
  });
  // Keep draining stderr (debug output) so kcat never blocks on a full pipe.
  child.stderr!.resume();
  return {
    brokers,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3_000).unref();
      }),
  };
}
