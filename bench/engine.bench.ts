/**
 * In-process decisions/s through the whole decision path (parse → key state → rules → policy →
 * state update → group commit to LevelDB, idempotency records included), on three catalogs:
 * - 20 JSON rules (the sample rules minus six; no features, patterns or nools) — the issue's
 *   target case ("on one core with 20 rules");
 * - 20 rules + 10 features + 4 patterns (bench/lib/targetCatalog.ts);
 * - the full sample catalog (`rules/`, `patterns/`: 26 rules, 2 nools rules, 16 features, 4 patterns).
 *
 *   node --max-semi-space-size=32 --import tsx bench/engine.bench.ts [--events 300000] [--keys 20000] [--concurrency 1000] [--cases 0,2]
 * (`--cases`: indices of the cases to run, in the order above; the last case is the full catalog without fsync)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { createEngine } from '../src/runtime/index.ts';
import { MetricsRegistry } from '../src/runtime/metrics.ts';
import { generateTransactions } from './lib/transactions.ts';
import { writeTargetCatalog } from './lib/targetCatalog.ts';

export async function main(argv: string[] = []): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      events: { type: 'string', default: '300000' },
      keys: { type: 'string', default: '20000' },
      concurrency: { type: 'string', default: '1000' },
      cases: { type: 'string' },
    },
  });
  const count = Number(values.events);
  const keys = Number(values.keys);
  const concurrency = Number(values.concurrency);
  const texts = generateTransactions(count, { keys, seed: 7 }).map((e) => JSON.stringify(e));

  const catalogDir = mkdtempSync(join(tmpdir(), 'argus-bench-catalog-'));
  const target = writeTargetCatalog(join(catalogDir, 'target'));
  const rulesOnly = writeTargetCatalog(join(catalogDir, 'rules-only'), { rulesOnly: true });
  const cases = [
    { name: '20 rules', rulesDir: rulesOnly.rulesDir, patternsDir: rulesOnly.patternsDir, durability: 'sync' as const },
    { name: '20 rules + 10 features + 4 patterns', rulesDir: target.rulesDir, patternsDir: target.patternsDir, durability: 'sync' as const },
    { name: 'full sample catalog', rulesDir: 'rules', patternsDir: 'patterns', durability: 'sync' as const },
    { name: 'full sample catalog', rulesDir: 'rules', patternsDir: 'patterns', durability: 'process' as const },
  ];
  const only = values.cases === undefined ? undefined : values.cases.split(',').map(Number);
  for (const c of cases.filter((_, i) => only === undefined || only.includes(i))) {
    const durability = c.durability;
    const dir = mkdtempSync(join(tmpdir(), 'argus-bench-engine-'));
    const engine = await createEngine({ dataDir: join(dir, 'data'), rulesDir: c.rulesDir, patternsDir: c.patternsDir, durability, metrics: new MetricsRegistry() });
    const rules = engine.catalog.rules.length;
    const outcomes = { allow: 0, review: 0, deny: 0 };
    let next = 0;
    const cpu0 = process.cpuUsage();
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
    const cpu = process.cpuUsage(cpu0);
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
    console.log(
      `engine, ${c.name} (${rules} JSON rules; ${durability === 'sync' ? 'fsync per batch' : 'no fsync'}): ${count} decisions, ${keys} keys, ` +
        `${concurrency} in flight: ${(count / seconds).toFixed(0)} decisions/s, ${(count / ((cpu.user + cpu.system) / 1e6)).toFixed(0)} per CPU-second of this process ` +
        `(allow ${outcomes.allow}, review ${outcomes.review}, deny ${outcomes.deny}) [load ${loadavg().map((x) => x.toFixed(2)).join(' ')}]`,
    );
  }
  rmSync(catalogDir, { recursive: true, force: true });
  console.log('target: >= 100,000 decisions/s on one core with 20 rules');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main(process.argv.slice(2));
