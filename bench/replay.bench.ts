/**
 * `argus replay` end to end (read + parse + evaluate + write decisions, alerts and report) on
 * seeded transactions with the catalog the target names — 20 rules, 10 features, 4 patterns
 * (bench/lib/targetCatalog.ts, cut from the sample) — and then with the full sample catalog
 * (rules/, patterns/: 26 rules, 2 nools rules, 16 features, 4 patterns); and the peer measured
 * in the same run: the same engine deciding the same events, parsed from the same
 * file read at once, with no output and no metrics (the floor the replay adds to). Then the same
 * replay on twice the events over the same keys, to show memory follows keys, not events.
 *
 *   node --import tsx bench/replay.bench.ts [--events=1000000] [--keys=10000] [--dir=<dir>]
 *
 * `--dir`: keep the generated files there (and reuse them when present) instead of a temp dir.
 *
 * Each measurement runs in its own child process, so peak RSS is that run's own.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTransactions } from './lib/transactions.ts';
import { writeTargetCatalog } from './lib/targetCatalog.ts';

const HERE = fileURLToPath(import.meta.url);

interface Figures {
  events: number;
  seconds: number;
  cpuSeconds: number;
  maxRssMb: number;
  keys?: number;
}

function arg(argv: string[], name: string, fallback: number): number {
  const a = argv.find((x) => x.startsWith(`--${name}=`));
  return a === undefined ? fallback : Number(a.slice(name.length + 3));
}

/** `count` seeded transactions over `keys` users, one per second, written in batches (never all in memory). */
function writeEvents(file: string, count: number, keys: number): void {
  if (existsSync(file)) return;
  const partial = `${file}.partial`;
  const fd = openSync(partial, 'w');
  const start = Date.UTC(2026, 0, 1);
  const batch = 50_000;
  for (let offset = 0, b = 0; offset < count; offset += batch, b++) {
    const n = Math.min(batch, count - offset);
    const events = generateTransactions(n, { keys, seed: 1000 + b, startTime: start + offset * 1000 });
    let text = '';
    for (let i = 0; i < n; i++) {
      const e = events[i]!;
      e.id = `t${offset + i}`;
      e.label = { fraud: (e.amount as number) > 3_000 && (offset + i) % 3 === 0 };
      text += `${JSON.stringify(e)}\n`;
    }
    writeSync(fd, text);
  }
  closeSync(fd);
  renameSync(partial, file);
}

/** Where a child reads its catalog. */
interface CatalogDirs {
  rulesDir: string;
  patternsDir: string;
}
const SAMPLE: CatalogDirs = { rulesDir: 'rules', patternsDir: 'patterns' };

function child(mode: 'replay' | 'peer', file: string, outDir: string, catalog: CatalogDirs): Figures {
  const r = spawnSync(process.execPath, ['--max-semi-space-size=32', '--import', 'tsx', HERE, `--child=${mode}`, `--file=${file}`, `--out=${outDir}`, `--rules=${catalog.rulesDir}`, `--patterns=${catalog.patternsDir}`], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`${mode} child exited with ${r.status}: ${r.stdout}`);
  const line = r.stdout.trim().split('\n').at(-1)!;
  return JSON.parse(line) as Figures;
}

/** In a child: one replay (or the peer loop) of `file`; prints its figures as one JSON line. */
async function runChild(mode: string, file: string, outDir: string, catalog: CatalogDirs): Promise<void> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let events = 0;
  let keys: number | undefined;
  if (mode === 'replay') {
    const { runReplay } = await import('../src/replay/index.ts');
    const { report } = await runReplay({ events: file, rulesDir: catalog.rulesDir, patternsDir: catalog.patternsDir, outDir, label: 'label.fraud', html: false });
    events = report.input.events;
    keys = report.input.keys;
  } else {
    // The peer: the same engine class and catalog, deciding the same parsed events in file order, nothing else.
    const { ReplayEngine } = await import('../src/replay/index.ts');
    const engine = (await ReplayEngine.open({ rulesDir: catalog.rulesDir, patternsDir: catalog.patternsDir, keyField: 'userId', outOfOrdernessMs: 0 })).engine;
    const bytes = readFileSync(file);
    let start = 0;
    for (;;) {
      const nl = bytes.indexOf(10, start);
      if (nl < 0) break;
      const event = engine.parser.parseText(bytes.toString('utf8', start, nl));
      start = nl + 1;
      if (engine.decideNow(event) === undefined) await engine.decide(event);
      events++;
      if (events % 1000 === 0 && engine.watermark.pending > 0) await engine.watermark.tick();
    }
    engine.watermark.advanceTo(Number.POSITIVE_INFINITY);
    await engine.watermark.tick();
    await engine.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const figures: Figures = { events, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMb: process.resourceUsage().maxRSS / 1024, keys };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

function show(label: string, f: Figures): void {
  console.log(
    `${label.padEnd(44)} ${f.events.toLocaleString('en-US').padStart(10)} events  ${f.seconds.toFixed(1).padStart(6)} s  ` +
      `${Math.round(f.events / f.seconds).toLocaleString('en-US').padStart(8)} events/s  ` +
      `CPU ${f.cpuSeconds.toFixed(1).padStart(6)} s (${Math.round(f.events / f.cpuSeconds).toLocaleString('en-US')} events/CPU-s)  peak RSS ${f.maxRssMb.toFixed(0)} MB`,
  );
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const events = arg(argv, 'events', 1_000_000);
  const keys = arg(argv, 'keys', 10_000);
  const keep = argv.find((a) => a.startsWith('--dir='))?.slice(6);
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'argus-replay-bench-'));
  if (keep !== undefined) mkdirSync(keep, { recursive: true });
  try {
    const one = join(dir, `events-${events}-${keys}.jsonl`);
    const two = join(dir, `events-${2 * events}-${keys}.jsonl`);
    let t = performance.now();
    writeEvents(one, events, keys);
    writeEvents(two, 2 * events, keys);
    console.log(
      `generated ${events.toLocaleString('en-US')} and ${(2 * events).toLocaleString('en-US')} events over ${keys.toLocaleString('en-US')} keys ` +
        `(${(statSync(one).size / 1e6).toFixed(0)} MB + ${(statSync(two).size / 1e6).toFixed(0)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    t = performance.now();
    const target = writeTargetCatalog(join(dir, 'target-catalog'));
    const replay1 = child('replay', one, join(dir, 'out-1x'), target);
    show('replay (20 rules, 10 features, 4 patterns)', replay1);
    const peer = child('peer', one, join(dir, 'unused'), target);
    show('peer: engine only (parse + decide)', peer);
    const sample = child('replay', one, join(dir, 'out-sample'), SAMPLE);
    show('replay (full sample catalog)', sample);
    const replay2 = child('replay', two, join(dir, 'out-2x'), target);
    show('replay, 2x events, same keys', replay2);
    console.log(
      `replay / peer CPU time: ${(replay1.cpuSeconds / peer.cpuSeconds).toFixed(2)}x; target 1,000,000 events with 20 rules, 10 features and 4 patterns in ≤ 10 s: ` +
        `${replay1.seconds <= (10 * replay1.events) / 1_000_000 ? 'met' : 'NOT met'} (${Math.round(replay1.events / replay1.seconds).toLocaleString('en-US')} events/s) [load ${loadavg().map((x) => x.toFixed(2)).join(' ')}]`,
    );
    console.log(
      `peak RSS ${replay1.maxRssMb.toFixed(0)} MB at ${replay1.events.toLocaleString('en-US')} events vs ${replay2.maxRssMb.toFixed(0)} MB at ` +
        `${replay2.events.toLocaleString('en-US')} events (${replay1.keys} and ${replay2.keys} keys): ratio ${(replay2.maxRssMb / replay1.maxRssMb).toFixed(2)}`,
    );
  } finally {
    if (keep === undefined) rmSync(dir, { recursive: true, force: true });
    else for (const out of ['out-1x', 'out-2x', 'out-sample', 'target-catalog']) rmSync(join(dir, out), { recursive: true, force: true });
  }
}

const childMode = process.argv.find((a) => a.startsWith('--child='));
if (childMode !== undefined) {
  const get = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))!.slice(name.length + 3);
  await runChild(childMode.slice(8), get('file'), get('out'), { rulesDir: get('rules'), patternsDir: get('patterns') });
} else if (process.argv[1] === HERE) {
  await main();
}
