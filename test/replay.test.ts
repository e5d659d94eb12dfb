import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { generateTransactions } from '../bench/lib/transactions.ts';
import { main } from '../src/cli/main.ts';
import { replayCommand } from '../src/cli/replayCommand.ts';
import { runReplay, type ReplayOptions } from '../src/replay/index.ts';
import type { ReplayReport } from '../src/replay/Report.ts';
import { tempDir, writeJsonFiles } from './helpers/tempDir.ts';

const FIX = 'fixtures/replay-small';
const T0 = Date.UTC(2026, 0, 1);

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.reverse()) c();
  cleanups = [];
});

function temp(): string {
  const dir = tempDir('argus-replay-');
  cleanups.push(dir.cleanup);
  return dir.path;
}

function replay(options: Partial<ReplayOptions> & { events: string }, outDir = join(temp(), 'out')) {
  return runReplay({ rulesDir: join(FIX, 'rules'), patternsDir: join(FIX, 'patterns'), outDir, html: false, ...options });
}

const read = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');
const jsonl = (text: string) => text.trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);

/** The pattern events of the fixture followed by a few thousand seeded transactions (labelled at random). */
function mixedEvents(dir: string): string {
  const lines = readFileSync(join(FIX, 'patterns.jsonl'), 'utf8').trim().split('\n');
  const start = T0 + 4 * 3_600_000;
  for (const e of generateTransactions(3_000, { keys: 300, startTime: start, seed: 7 })) {
    lines.push(JSON.stringify({ ...e, label: { fraud: (e.amount as number) > 2_000 } }));
  }
  const file = join(dir, 'events.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('argus replay', () => {
  it('is deterministic: two runs give byte-identical decisions, alerts and report', async () => {
    const dir = temp();
    const events = mixedEvents(dir);
    const options = { events, label: 'label.fraud', compareRulesDir: join(FIX, 'rules-challenger') };
    await replay(options, join(dir, 'a'));
    await replay(options, join(dir, 'b'));
    for (const name of ['decisions.jsonl', 'alerts.jsonl', 'report.json']) {
      expect(read(join(dir, 'b'), name), name).toBe(read(join(dir, 'a'), name));
    }
    const alerts = jsonl(read(join(dir, 'a'), 'alerts.jsonl'));
    // One match completed by an event (card testing), one by event time passing (login without 2FA).
    expect(alerts.map((a) => a.pattern).sort()).toEqual(['card-testing', 'login-without-2fa']);
    const decisions = jsonl(read(join(dir, 'a'), 'decisions.jsonl'));
    expect(decisions).toHaveLength(3_008);
    expect(decisions.find((d) => d.eventId === 'p6')).toMatchObject({ matches: ['card-testing'], label: true });
    expect(decisions.every((d) => !('latencyMs' in d))).toBe(true);
    const report = JSON.parse(read(join(dir, 'a'), 'report.json')) as ReplayReport;
    expect(report.patterns.find((p) => p.id === 'login-without-2fa')).toMatchObject({ matches: 1 });
    expect(report.patterns.find((p) => p.id === 'card-testing')?.confusion).toMatchObject({ tp: 1, fp: 0 });
    expect(report.alerts).toBe(2);
  });

  it('computes the label metrics of a hand-computed case (fixtures/replay-small/labelled.jsonl)', async () => {
    const { report } = await replay({ events: join(FIX, 'labelled.jsonl'), label: 'label.fraud', targetPrecision: 0.9, targetRecall: 0.75 });
    expect(report.input).toMatchObject({ lines: 10, events: 10, malformed: 0, keys: 3, firstEventTime: T0, lastEventTime: T0 + 9_000 });
    expect(report.decisions).toEqual({ allow: 7, review: 2, deny: 1 });
    const l = report.labels!;
    expect(l).toMatchObject({ field: 'label.fraud', positives: 4, negatives: 5, unlabelled: 1 });
    expect(l.decision).toMatchObject({ tp: 3, fp: 0, fn: 1, tn: 5, precision: 1, recall: 0.75 });
    expect(l.decision.f1).toBeCloseTo(6 / 7, 12);
    expect(l.sweep[0]).toEqual({ threshold: 0, precision: 4 / 9, recall: 1, flagged: 9 });
    expect(l.sweep[41]).toEqual({ threshold: 41, precision: 0.75, recall: 0.75, flagged: 4 });
    expect(l.sweep[61]).toEqual({ threshold: 61, precision: 1, recall: 0.25, flagged: 1 });
    expect(l.targets).toEqual([
      { metric: 'precision', target: 0.9, threshold: 61, precision: 1, recall: 0.25 },
      { metric: 'recall', target: 0.75, threshold: 60, precision: 0.75, recall: 0.75 },
    ]);
    const rule = (id: string) => report.rules.find((r) => r.id === id)!;
    expect(report.rules.map((r) => r.id)).toEqual(['big-amount', 'blocked-card', 'risky-country', 'shadow-mid-amount', 'vip']);
    expect(rule('big-amount')).toMatchObject({ hits: 3, hitRate: 3 / 9, uniqueCatches: 0, confusion: { tp: 2, fp: 1, fn: 2, tn: 3 } });
    expect(rule('blocked-card')).toMatchObject({ hits: 1, uniqueCatches: 1, confusion: { tp: 1, fp: 0, fn: 3, tn: 4, precision: 1, recall: 0.25 } });
    expect(rule('risky-country')).toMatchObject({ hits: 3, hitRate: 0.3, confusion: { tp: 1, fp: 1, fn: 3, tn: 4 } });
    expect(rule('shadow-mid-amount')).toMatchObject({ mode: 'shadow', hits: 4, uniqueCatches: 0, confusion: { tp: 2, fp: 2, precision: 0.5, recall: 0.5 } });
    expect(rule('vip')).toMatchObject({ action: 'allow', hits: 1, uniqueCatches: null, confusion: { tp: 0, fp: 1 } });
  });

  it('compares champion and challenger in one pass: the changed decision, the metric deltas, the example', async () => {
    const { report } = await replay({ events: join(FIX, 'labelled.jsonl'), label: 'label.fraud', compareRulesDir: join(FIX, 'rules-challenger') });
    const c = report.compare!;
    expect(c.changed).toEqual({ 'allow->review': 1 });
    expect(c.changedTotal).toBe(1);
    expect(c.challengerDecisions).toEqual({ allow: 6, review: 3, deny: 1 });
    expect(c.examples).toEqual([{ eventId: 'e3', key: 'u1', champion: 'allow', challenger: 'review', championReasons: [], challengerReasons: ['big-amount'] }]);
    const delta = (m: string) => c.deltas.find((d) => d.metric === m);
    expect(delta('decision.precision')).toEqual({ metric: 'decision.precision', champion: 1, challenger: 0.75, delta: -0.25 });
    expect(delta('decision.fp')).toMatchObject({ champion: 0, challenger: 1, delta: 1 });
    expect(delta('rule.big-amount.hits')).toMatchObject({ champion: 3, challenger: 4, delta: 1 });
    expect(delta('rule.vip.hits')).toBeUndefined(); // unchanged rules are left out
    expect(report.decisions).toEqual({ allow: 7, review: 2, deny: 1 }); // the champion's own figures are untouched
  });

  it('reports malformed lines with their line number and reason, skips them, and goes on', async () => {
    const dir = temp();
    const ok = (id: string, t: number) => JSON.stringify({ id, type: 'transaction', timestamp: T0 + t, userId: 'u1', amount: 10 });
    const huge = JSON.stringify({ id: 'big', type: 'transaction', timestamp: T0, userId: 'u1', note: 'x'.repeat(70_000) });
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, [ok('a', 0), '{"id": "b", "type": ', JSON.stringify({ id: 'c', type: 'transaction', timestamp: T0 }), '', huge, '   ', '[1,2]', ok('d', 1)].join('\n'));
    const seen: number[] = [];
    const { report } = await replay({ events: file, onMalformed: (line) => seen.push(line) }, join(dir, 'out'));
    expect(report.input).toMatchObject({ lines: 8, events: 2, malformed: 4 });
    expect(seen).toEqual([2, 3, 5, 7]);
    expect(report.malformed).toEqual([
      { line: 2, reason: expect.stringMatching(/^\(root\): malformed JSON/) },
      { line: 3, reason: 'userId: required (the key field)' },
      { line: 5, reason: 'payload larger than 65536 bytes' },
      { line: 7, reason: expect.stringContaining('(root)') },
    ]);
    expect(jsonl(read(join(dir, 'out'), 'decisions.jsonl')).map((d) => d.eventId)).toEqual(['a', 'd']);
  });

  it('reads gzip input and gives the same decisions as the plain file', async () => {
    const dir = temp();
    const plain = mixedEvents(dir);
    const gz = join(dir, 'events.jsonl.gz');
    writeFileSync(gz, gzipSync(readFileSync(plain)));
    const a = await replay({ events: plain }, join(dir, 'plain'));
    const b = await replay({ events: gz }, join(dir, 'gz'));
    expect(read(join(dir, 'gz'), 'decisions.jsonl')).toBe(read(join(dir, 'plain'), 'decisions.jsonl'));
    expect({ ...b.report, input: { ...b.report.input, file: '' } }).toEqual({ ...a.report, input: { ...a.report.input, file: '' } });
    // A truncated gzip is reported, not a crash: what was read is replayed.
    const truncated = join(dir, 'cut.jsonl.gz');
    const bytes = readFileSync(gz);
    writeFileSync(truncated, bytes.subarray(0, bytes.length >> 1));
    const cut = await replay({ events: truncated }, join(dir, 'cut'));
    expect(cut.report.input.malformed).toBe(1);
    expect(cut.report.malformed[0]!.reason).toMatch(/^unreadable input/);
  });
});

describe('argus replay (command line)', () => {
  const io = () => {
    const out = { stdout: '', stderr: '' };
    return { out, io: { stdout: (s: string) => void (out.stdout += s), stderr: (s: string) => void (out.stderr += s) } };
  };
  const progress = { write: () => true };

  it('exits 0, writes the files and prints the summary', async () => {
    const dir = temp();
    const { out, io: o } = io();
    const code = await replayCommand(
      ['--events', join(FIX, 'labelled.jsonl'), '--rules', join(FIX, 'rules'), '--patterns', join(FIX, 'patterns'), '--label', 'label.fraud', '--out', dir, '--compare', join(FIX, 'rules-challenger'), '--no-html'],
      o,
      { progress },
    );
    expect(out.stderr).toBe('');
    expect(code).toBe(0);
    expect(out.stdout).toMatch(/10 events, 0 malformed/);
    expect(out.stdout).toMatch(/allow->review: 1/);
    expect(JSON.parse(read(dir, 'report.json')).labels.positives).toBe(4);
    expect(jsonl(read(dir, 'decisions.jsonl'))).toHaveLength(10);
  });

  it('exits 2 on bad arguments, an unreadable events file or an invalid catalog', async () => {
    const dir = temp();
    const bad = join(dir, 'bad-rules');
    writeJsonFiles(bad, { 'r.json': { id: 'r', version: 1, description: 'x', conditions: { all: [] }, event: { type: 'nope', params: { score: 1, reason: 'R' } } } });
    mkdirSync(join(dir, 'out'));
    const cases: [string[], RegExp][] = [
      [[], /--events is required/],
      [['--events', 'x.jsonl', '--bogus'], /Unknown option/],
      [['--events', join(FIX, 'labelled.jsonl'), '--label', 'label.fraud', '--target-precision', '1.5'], /target-precision must be a number in \(0, 1\]/],
      [['--events', join(FIX, 'labelled.jsonl'), '--target-recall', '0.5'], /need --label/],
      [['--events', join(FIX, 'labelled.jsonl'), '--compare-patterns', 'p'], /needs --compare/],
      [['--events', join(FIX, 'labelled.jsonl'), '--out-of-orderness', 'soon'], /invalid duration/],
      [['--events', join(dir, 'missing.jsonl'), '--out', join(dir, 'out')], /cannot read .*missing\.jsonl/],
      [['--events', join(FIX, 'labelled.jsonl'), '--rules', bad, '--out', join(dir, 'out')], /catalog is invalid[\s\S]*r\.json/],
      [['--events', join(FIX, 'labelled.jsonl'), '--compare', bad, '--out', join(dir, 'out')], /catalog is invalid/],
    ];
    for (const [args, message] of cases) {
      const { out, io: o } = io();
      expect(await replayCommand(args, o, { progress }), args.join(' ')).toBe(2);
      expect(out.stderr, args.join(' ')).toMatch(message);
    }
  });

  it('is wired as `argus replay` with its help', async () => {
    const { out, io: o } = io();
    expect(await main(['replay', '--help'], o)).toBe(0);
    expect(out.stdout).toMatch(/Usage: argus replay --events/);
    const usage = io();
    await main(['--help'], usage.io);
    expect(usage.out.stdout).toMatch(/replay /);
  });
});
