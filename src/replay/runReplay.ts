import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PayloadTooLargeError, ValidationError, formatPath } from '../errors.ts';
import type { ArgusEvent } from '../events/ArgusEvent.ts';
import { compilePath, MAX_EVENT_BYTES, type Getter } from '../events/index.ts';
import type { Alert, Decision } from '../runtime/types.ts';
import { ChunkedWriter } from './ChunkedWriter.ts';
import { formatDecisionRow } from './decisionRow.ts';
import { LineSplitter } from './LineSplitter.ts';
import {
  CatalogTally,
  compareDeltas,
  EventTally,
  labelValue,
  scoreSweep,
  sweepTarget,
  TimelineTally,
  type MetricSnapshot,
} from './metrics/index.ts';
import { openEventInput } from './openEventInput.ts';
import { ReplayEngine } from './ReplayEngine.ts';
import type { CompareReport, LabelReport, ReplayReport, RuleStats } from './Report.ts';
import { stableStringify } from './stableStringify.ts';

export interface ReplayOptions {
  /** JSONL events file (`.gz`: gzip). */
  events: string;
  rulesDir: string;
  patternsDir: string;
  /** Dot path of the key field (default `userId`). */
  keyField?: string;
  /** Dot path of the label field (truthy = fraud, see `labelValue`); no label metrics without it. */
  label?: string;
  /** Output directory (created): decisions.jsonl, alerts.jsonl, report.json, report.html. */
  outDir: string;
  /** Challenger catalog: rules directory (and patterns directory, default the champion's). */
  compareRulesDir?: string;
  comparePatternsDir?: string;
  /** Thresholds to find on the score sweep (with labels). Default: precision 0.9 and recall 0.8 when neither is given. */
  targetPrecision?: number;
  targetRecall?: number;
  /** Bounded out-of-orderness of the watermark, in ms (default 0: events are expected in time order). */
  outOfOrdernessMs?: number;
  /** Timers fire every this many decided events (default 1,000); fixed, so every run fires them at the same points. */
  tickEvery?: number;
  /** State is committed every this many decided events (default 20,000). */
  commitEvery?: number;
  /** Write report.html (default true; skipped with a note when the renderer is not available). */
  html?: boolean;
  /** Called about every `progressEveryMs` (default 250 ms) while reading, and once at the end. */
  onProgress?: (progress: ReplayProgress) => void;
  progressEveryMs?: number;
  /** Called for each malformed line (the report keeps the first 100). */
  onMalformed?: (line: number, reason: string) => void;
}

export interface ReplayProgress {
  /** Bytes of the file read so far, and its size (compressed sizes for `.gz`). */
  bytesRead: number;
  totalBytes: number;
  lines: number;
  events: number;
  malformed: number;
  elapsedMs: number;
  done: boolean;
}

export interface ReplayResult {
  report: ReplayReport;
  files: { decisions: string; alerts: string; report: string; html: string | null };
  /** Why report.html was not written (renderer missing or failed), when it was not. */
  htmlNote: string | null;
  /** Wall time of the replay (not part of any output file). */
  elapsedMs: number;
}

/** Malformed lines kept in the report. */
export const MAX_MALFORMED_IN_REPORT = 100;
/** Changed-decision examples kept in the compare report. */
export const MAX_COMPARE_EXAMPLES = 20;

const OUTCOME_INDEX = { allow: 0, review: 1, deny: 2 } as const;

/** Why a line was skipped: the validation issues with their field paths, or the error's message. */
export function malformedReason(err: unknown): string {
  if (err instanceof ValidationError) return err.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ');
  if (err instanceof PayloadTooLargeError) return err.message;
  return `evaluation failed: ${err instanceof Error ? err.message : String(err)}`;
}

/**
 * `argus replay`: runs the engine's one evaluation path (the same `Engine` as `serve`) over a
 * file of events in event time, with fresh state, and writes decisions, alerts and the report.
 * Deterministic: the same file and catalogs give byte-identical output files. Lines are taken
 * strictly in file order; an event waits only when its key is new (its state is created).
 * Malformed lines are counted, reported with their line number and reason, and skipped.
 * Throws `ReplayInputError` when the file cannot be opened and `CatalogLoadError` on an
 * invalid catalog (nothing is written then).
 */
export async function runReplay(options: ReplayOptions): Promise<ReplayResult> {
  const started = performance.now();
  const input = openEventInput(options.events);
  const keyField = options.keyField ?? 'userId';
  const outOfOrdernessMs = options.outOfOrdernessMs ?? 0;
  const engines: ReplayEngine[] = [];
  let decisions: ChunkedWriter | undefined;
  let alerts: ChunkedWriter | undefined;
  try {
    const writeAlert = (a: Alert): void => alerts!.line(JSON.stringify(a));
    const champion = await ReplayEngine.open({ rulesDir: options.rulesDir, patternsDir: options.patternsDir, keyField, outOfOrdernessMs, onAlert: writeAlert });
    engines.push(champion);
    let challenger: ReplayEngine | undefined;
    if (options.compareRulesDir !== undefined) {
      challenger = await ReplayEngine.open({
        rulesDir: options.compareRulesDir,
        patternsDir: options.comparePatternsDir ?? options.patternsDir,
        keyField,
        outOfOrdernessMs,
      });
      engines.push(challenger);
    }
    mkdirSync(options.outDir, { recursive: true });
    const files = {
      decisions: join(options.outDir, 'decisions.jsonl'),
      alerts: join(options.outDir, 'alerts.jsonl'),
      report: join(options.outDir, 'report.json'),
      html: null as string | null,
    };
    decisions = new ChunkedWriter(files.decisions);
    alerts = new ChunkedWriter(files.alerts);
    const replayer = new Replayer(options, champion, challenger, decisions, input.totalBytes, input.bytesRead, started);
    await replayer.run(input.chunks);
    decisions.close();
    alerts.close();
    const report = replayer.report();
    writeFileSync(files.report, `${stableStringify(report)}\n`);
    let htmlNote: string | null = null;
    if (options.html !== false) {
      const html = await renderHtml(report);
      if (typeof html === 'string') {
        files.html = join(options.outDir, 'report.html');
        writeFileSync(files.html, html);
      } else htmlNote = html.note;
    }
    replayer.progress(true);
    return { report, files, htmlNote, elapsedMs: performance.now() - started };
  } finally {
    input.close();
    decisions?.close();
    alerts?.close();
    for (const e of engines) await e.close();
  }
}

/** report.html from `src/replay/html/renderReportHtml.ts`, loaded on use (another module; may be absent). */
async function renderHtml(report: ReplayReport): Promise<string | { note: string }> {
  const path = './html/renderReportHtml.ts';
  let mod: { renderReportHtml?: (r: ReplayReport) => string };
  try {
    mod = (await import(path)) as typeof mod;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return { note: 'report.html skipped: the HTML renderer is not available' };
    return { note: `report.html skipped: the HTML renderer did not load: ${(err as Error).message}` };
  }
  if (typeof mod.renderReportHtml !== 'function') return { note: 'report.html skipped: the HTML renderer is not available' };
  try {
    return mod.renderReportHtml(report);
  } catch (err) {
    return { note: `report.html skipped: rendering failed: ${(err as Error).message}` };
  }
}

/** The replay loop and its tallies (one per run). */
class Replayer {
  private readonly splitter = new LineSplitter(MAX_EVENT_BYTES);
  private readonly tooLarge = new PayloadTooLargeError(MAX_EVENT_BYTES).message;
  private readonly label: Getter | undefined;
  private readonly events = new EventTally();
  private readonly championTally: CatalogTally;
  private readonly challengerTally: CatalogTally | undefined;
  private readonly timeline = new TimelineTally();
  private readonly keys = new Set<string>();
  private readonly malformed: { line: number; reason: string }[] = [];
  private malformedCount = 0;
  private firstTime = Number.POSITIVE_INFINITY;
  private lastTime = Number.NEGATIVE_INFINITY;
  private readonly changed = new Map<string, number>();
  private changedTotal = 0;
  private readonly examples: CompareReport['examples'] = [];
  private readonly tickEvery: number;
  private readonly commitEvery: number;
  private sinceTick = 0;
  private sinceCommit = 0;
  private readonly progressEveryMs: number;
  private lastProgress = 0;
  private sinceProgressCheck = 0;

  constructor(
    private readonly options: ReplayOptions,
    private readonly champion: ReplayEngine,
    private readonly challenger: ReplayEngine | undefined,
    private readonly out: ChunkedWriter,
    private readonly totalBytes: number,
    private readonly bytesRead: () => number,
    private readonly started: number,
  ) {
    this.label = options.label === undefined ? undefined : compilePath(options.label);
    this.championTally = new CatalogTally(champion.rules(), champion.patternIds());
    this.challengerTally = challenger === undefined ? undefined : new CatalogTally(challenger.rules(), challenger.patternIds());
    this.tickEvery = Math.max(1, options.tickEvery ?? 1_000);
    this.commitEvery = Math.max(1, options.commitEvery ?? 20_000);
    this.progressEveryMs = options.progressEveryMs ?? 250;
    this.lastProgress = started;
  }

  async run(chunks: AsyncIterable<Buffer>): Promise<void> {
    const splitter = this.splitter;
    try {
      for await (const chunk of chunks) {
        splitter.push(chunk);
        await this.lines();
      }
      splitter.end();
      await this.lines();
    } catch (err) {
      // An unreadable or corrupt file (e.g. a truncated gzip): what was read is replayed, the rest reported.
      this.skip(splitter.lineCount + 1, `unreadable input: ${(err as Error).message}`);
    }
    await this.champion.finish();
    if (this.challenger !== undefined) await this.challenger.finish();
  }

  /** The lines of the last chunk, in order. Awaits only for a new key, timers and commits. */
  private async lines(): Promise<void> {
    const s = this.splitter;
    const parser = this.champion.engine.parser;
    for (let i = 0; i < s.count; i++) {
      const text = s.lines[i]!;
      const line = s.numbers[i]!;
      if (text === null) {
        this.skip(line, this.tooLarge);
        continue;
      }
      if (text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim() === '')) continue;
      let event: ArgusEvent;
      try {
        event = parser.parseText(text);
      } catch (err) {
        this.skip(line, malformedReason(err));
        continue;
      }
      let a: Decision | undefined;
      let b: Decision | undefined;
      try {
        const champion = this.champion.engine;
        a = champion.decideNow(event);
        if (a === undefined) a = await champion.decide(event);
        if (this.challenger !== undefined) {
          const challenger = this.challenger.engine;
          b = challenger.decideNow(event);
          if (b === undefined) b = await challenger.decide(event);
        }
      } catch (err) {
        this.skip(line, malformedReason(err));
        continue;
      }
      this.count(event, a, b);
      if (++this.sinceTick >= this.tickEvery) {
        this.sinceTick = 0;
        await this.champion.tick();
        if (this.challenger !== undefined) await this.challenger.tick();
      }
      if (++this.sinceCommit >= this.commitEvery) {
        this.sinceCommit = 0;
        await this.champion.engine.commit();
        if (this.challenger !== undefined) await this.challenger.engine.commit();
      }
      if (++this.sinceProgressCheck >= 1024) {
        this.sinceProgressCheck = 0;
        this.progress(false);
      }
    }
  }

  private count(event: ArgusEvent, a: Decision, b: Decision | undefined): void {
    let label: -1 | 0 | 1 = -1;
    let labelBool: boolean | undefined;
    if (this.label !== undefined) {
      labelBool = labelValue(this.label(event.data));
      if (labelBool !== undefined) label = labelBool ? 1 : 0;
    }
    this.events.add(event.type, label);
    this.championTally.add(a, label);
    this.timeline.add(event.time, OUTCOME_INDEX[a.decision]);
    this.keys.add(event.key);
    if (event.time < this.firstTime) this.firstTime = event.time;
    if (event.time > this.lastTime) this.lastTime = event.time;
    this.out.line(formatDecisionRow(event, a, labelBool));
    if (b !== undefined) {
      this.challengerTally!.add(b, label);
      if (a.decision !== b.decision) {
        const pair = `${a.decision}->${b.decision}`;
        this.changed.set(pair, (this.changed.get(pair) ?? 0) + 1);
        this.changedTotal++;
        if (this.examples.length < MAX_COMPARE_EXAMPLES) {
          this.examples.push({
            eventId: event.id,
            key: event.key,
            champion: a.decision,
            challenger: b.decision,
            championReasons: a.reasons.map((r) => r.rule),
            challengerReasons: b.reasons.map((r) => r.rule),
          });
        }
      }
    }
  }

  private skip(line: number, reason: string): void {
    this.malformedCount++;
    if (this.malformed.length < MAX_MALFORMED_IN_REPORT) this.malformed.push({ line, reason });
    this.options.onMalformed?.(line, reason);
  }

  progress(done: boolean): void {
    const onProgress = this.options.onProgress;
    if (onProgress === undefined) return;
    const now = performance.now();
    if (!done && now - this.lastProgress < this.progressEveryMs) return;
    this.lastProgress = now;
    onProgress({
      bytesRead: done ? this.totalBytes : this.bytesRead(),
      totalBytes: this.totalBytes,
      lines: this.splitter.lineCount,
      events: this.events.events,
      malformed: this.malformedCount,
      elapsedMs: now - this.started,
      done,
    });
  }

  report(): ReplayReport {
    const labelled = this.label !== undefined;
    const champion = this.champion;
    const rules = this.championTally.ruleStats(this.events, labelled);
    const patternCounts = champion.patternCounts();
    const any = this.events.events > 0;
    return {
      version: 1,
      input: {
        file: this.options.events,
        lines: this.splitter.lineCount,
        events: this.events.events,
        malformed: this.malformedCount,
        late: champion.late.count,
        keys: this.keys.size,
        firstEventTime: any ? this.firstTime : null,
        lastEventTime: any ? this.lastTime : null,
      },
      malformed: this.malformed,
      catalog: champion.summary(),
      decisions: this.championTally.decisions,
      timeline: this.timeline.finish(),
      rules,
      patterns: this.championTally.patternStats(this.events, labelled, (id) => patternCounts.get(id) ?? { matches: 0, timeouts: 0 }),
      alerts: champion.alerts.count,
      labels: labelled ? this.labelReport(this.options.label!) : null,
      compare: this.compareReport(rules, labelled),
    };
  }

  private labelReport(field: string): LabelReport {
    const t = this.championTally;
    const sweep = scoreSweep(t.positiveScores, t.negativeScores);
    const { targetPrecision, targetRecall } = this.options;
    const targets: LabelReport['targets'] = [];
    const none = targetPrecision === undefined && targetRecall === undefined;
    if (targetPrecision !== undefined || none) targets.push(sweepTarget(sweep, 'precision', targetPrecision ?? 0.9));
    if (targetRecall !== undefined || none) targets.push(sweepTarget(sweep, 'recall', targetRecall ?? 0.8));
    return {
      field,
      positives: this.events.positives,
      negatives: this.events.negatives,
      unlabelled: this.events.unlabelled,
      decision: t.decisionConfusion(true)!,
      sweep,
      targets,
    };
  }

  private compareReport(championRules: RuleStats[], labelled: boolean): CompareReport | null {
    if (this.challenger === undefined || this.challengerTally === undefined) return null;
    const challengerRules = this.challengerTally.ruleStats(this.events, labelled);
    const deltas = compareDeltas(
      this.snapshot(this.championTally, championRules, labelled),
      this.snapshot(this.challengerTally, challengerRules, labelled),
    ).filter((d) => !d.metric.startsWith('rule.') || d.delta !== 0);
    const changed: Record<string, number> = {};
    for (const pair of [...this.changed.keys()].sort()) changed[pair] = this.changed.get(pair)!;
    return {
      challenger: this.challenger.summary(),
      changed,
      changedTotal: this.changedTotal,
      deltas,
      examples: this.examples,
      challengerDecisions: this.challengerTally.decisions,
    };
  }

  /** The metrics compared between champion and challenger (rule hits: only those that moved are kept). */
  private snapshot(t: CatalogTally, rules: RuleStats[], labelled: boolean): MetricSnapshot {
    const n = this.events.events;
    const m = new Map<string, number | null>([
      ['decisions.allow', t.outcomes[0]],
      ['decisions.review', t.outcomes[1]],
      ['decisions.deny', t.outcomes[2]],
      ['flaggedRate', n === 0 ? null : (t.outcomes[1] + t.outcomes[2]) / n],
      ['score.mean', n === 0 ? null : t.scoreSum / n],
    ]);
    if (labelled) {
      const c = t.decisionConfusion(true)!;
      m.set('decision.tp', c.tp);
      m.set('decision.fp', c.fp);
      m.set('decision.fn', c.fn);
      m.set('decision.precision', c.precision);
      m.set('decision.recall', c.recall);
      m.set('decision.f1', c.f1);
    }
    for (const r of [...rules].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))) m.set(`rule.${r.id}.hits`, r.hits);
    return m;
  }
}
