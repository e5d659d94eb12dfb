/**
 * In-process decisions/s through the whole decision path (parse → key state → rules → policy →
 * state update → group commit to LevelDB), with the sample rules in `rules/`.
 *
 *   node --import tsx bench/engine.bench.ts [--events 300000] [--keys 20000] [--concurrency 1000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { createEngine } from '../src/runtime/index.ts';
import { MetricsRegistry } from '../src/runtime/metrics.ts';
import { generateTransactions } from './lib/transactions.ts';

export async function main(argv: string[] = []): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      events: { type: 'string', default: '300000' },
      keys: { type: 'string', default: '20000' },
      concurrency: { type: 'string', default: '1000' },
    },
  });
  const count = Number(values.events);
  const keys = Number(values.keys);
  const concurrency = Number(values.concurrency);
  const texts = generateTransactions(count, { keys, seed: 7 }).map((e) => JSON.stringify(e));

  for (const durability of ['sync', 'process'] as const) {
    const dir = mkdtempSync(join(tmpdir(), 'argus-bench-engine-'));
    const engine = await createEngine({ dataDir: join(dir, 'data'), rulesDir: 'rules', patternsDir: 'patterns', durability, metrics: new MetricsRegistry() });
    const rules = engine.catalog.rules.length;
    const outcomes = { allow: 0, review: 0, deny: 0 };
    let next = 0;
    const started = performance.now();
    const worker = async (): Promise<void> => {
      while (next < count) {
        const text = texts[next++]!;
        const d = await engine.decide(engine.parser.parseText(text));
        outcomes[d.decision]++;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (performance.now() - started) / 1000;
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
    console.log(
      `engine (${durability === 'sync' ? 'fsync per batch' : 'no fsync'}): ${count} decisions, ${rules} rules, ${keys} keys, ` +
        `${concurrency} in flight: ${(count / seconds).toFixed(0)} decisions/s ` +
        `(allow ${outcomes.allow}, review ${outcomes.review}, deny ${outcomes.deny})`,
    );
  }
  console.log('target: >= 100,000 decisions/s on one core with 20 rules');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main(process.argv.slice(2));
