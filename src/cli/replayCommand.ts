import { parseArgs } from 'node:util';
import { CatalogLoadError } from '../catalog/index.ts';
import { ArgusError } from '../errors.ts';
import { parseDuration } from '../events/index.ts';
import { formatSummary } from '../replay/formatSummary.ts';
import { ReplayInputError } from '../replay/openEventInput.ts';
import { ProgressLine } from '../replay/ProgressLine.ts';
import { runReplay, type ReplayOptions } from '../replay/runReplay.ts';
import type { Output } from './logger.ts';

export const REPLAY_USAGE = `Usage: argus replay --events <file.jsonl | file.jsonl.gz> [options]

Runs the engine's evaluation path (the same as serve) over a file of events in event time, with
fresh state, deterministically: the same input and catalog give byte-identical output. Writes
decisions.jsonl, alerts.jsonl, report.json and report.html to the output directory and prints a
summary. Malformed lines are reported with their line number and reason, counted and skipped.
See docs/replay.md.

Options:
  --events <file>            JSONL events, one per line (.gz: gzip)
  --rules <dir>              rules directory (default ./rules)
  --patterns <dir>           patterns directory (default ./patterns)
  --key-field <path>         key field (default userId)
  --label <path>             label field, truthy = fraud (e.g. label.fraud): precision, recall,
                             F1 of the decision and of every rule and pattern, score sweep
  --target-precision <x>     find the score threshold reaching this precision (0–1)
  --target-recall <x>        find the score threshold keeping this recall (0–1)
                             (default with --label: precision 0.9 and recall 0.8)
  --compare <dir>            challenger rules directory, replayed in the same pass
  --compare-patterns <dir>   challenger patterns directory (default: --patterns)
  --out <dir>                output directory (default ./replay-out)
  --out-of-orderness <d>     watermark lag for patterns, e.g. 5s (default 0: events in time order)
  --no-html                  do not write report.html
  --no-progress              no progress output
  -h, --help                 this help

Exit code: 0 done, 2 bad arguments, unreadable events file or invalid catalog, 1 failure.
`;

interface Values {
  events?: string;
  rules?: string;
  patterns?: string;
  'key-field'?: string;
  label?: string;
  'target-precision'?: string;
  'target-recall'?: string;
  compare?: string;
  'compare-patterns'?: string;
  out?: string;
  'out-of-orderness'?: string;
  'no-html'?: boolean;
  'no-progress'?: boolean;
  help?: boolean;
}

export interface ReplayCommandOptions {
  /** Where progress goes (default process.stderr; a TTY gets one line updated in place). */
  progress?: { write(s: string): unknown; isTTY?: boolean };
}

function ratioArg(name: string, value: string | undefined): number | undefined | string {
  if (value === undefined) return undefined;
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x) || x <= 0 || x > 1) return `--${name} must be a number in (0, 1], got ${JSON.stringify(value)}`;
  return x;
}

/** `argus replay`: exit 0 done, 2 bad arguments / unreadable events / invalid catalog, 1 failure. */
export async function replayCommand(argv: string[], io: Output, options: ReplayCommandOptions = {}): Promise<number> {
  let values: Values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        events: { type: 'string' },
        rules: { type: 'string' },
        patterns: { type: 'string' },
        'key-field': { type: 'string' },
        label: { type: 'string' },
        'target-precision': { type: 'string' },
        'target-recall': { type: 'string' },
        compare: { type: 'string' },
        'compare-patterns': { type: 'string' },
        out: { type: 'string' },
        'out-of-orderness': { type: 'string' },
        'no-html': { type: 'boolean' },
        'no-progress': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    io.stderr(`argus replay: ${(err as Error).message}\n\n${REPLAY_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout(REPLAY_USAGE);
    return 0;
  }
  const usage = (message: string): number => {
    io.stderr(`argus replay: ${message}\n\n${REPLAY_USAGE}`);
    return 2;
  };
  if (values.events === undefined || values.events === '') return usage('--events is required');
  const targetPrecision = ratioArg('target-precision', values['target-precision']);
  if (typeof targetPrecision === 'string') return usage(targetPrecision);
  const targetRecall = ratioArg('target-recall', values['target-recall']);
  if (typeof targetRecall === 'string') return usage(targetRecall);
  if ((targetPrecision !== undefined || targetRecall !== undefined) && values.label === undefined) {
    return usage('--target-precision and --target-recall need --label');
  }
  if (values['compare-patterns'] !== undefined && values.compare === undefined) return usage('--compare-patterns needs --compare');
  let outOfOrdernessMs = 0;
  if (values['out-of-orderness'] !== undefined) {
    const raw = values['out-of-orderness'];
    const ms = parseDuration(/^\d+$/.test(raw) ? Number(raw) : raw);
    if (ms === undefined) return usage(`--out-of-orderness: invalid duration ${JSON.stringify(raw)} (e.g. 5000, 5s, 1m)`);
    outOfOrdernessMs = ms;
  }
  if (values.label !== undefined && values.label.trim() === '') return usage('--label must name a field, e.g. label.fraud');

  const outDir = values.out ?? './replay-out';
  const progressOut = options.progress ?? process.stderr;
  const progress = values['no-progress'] ? undefined : new ProgressLine(progressOut);
  let shownMalformed = 0;
  const replayOptions: ReplayOptions = {
    events: values.events,
    rulesDir: values.rules ?? './rules',
    patternsDir: values.patterns ?? './patterns',
    keyField: values['key-field'] ?? 'userId',
    label: values.label,
    outDir,
    compareRulesDir: values.compare,
    comparePatternsDir: values['compare-patterns'],
    targetPrecision,
    targetRecall,
    outOfOrdernessMs,
    html: !values['no-html'],
    onProgress: progress === undefined ? undefined : (p) => progress.update(p),
    onMalformed: (line, reason) => {
      shownMalformed++;
      if (shownMalformed <= 10) io.stderr(`argus replay: ${values.events}:${line}: skipped: ${reason}\n`);
      else if (shownMalformed === 11) io.stderr('argus replay: more malformed lines: see report.json\n');
    },
  };
  try {
    const result = await runReplay(replayOptions);
    if (result.htmlNote !== null) io.stderr(`argus replay: ${result.htmlNote}\n`);
    io.stdout(formatSummary(result.report, { elapsedMs: result.elapsedMs, outDir }));
    return 0;
  } catch (err) {
    if (err instanceof CatalogLoadError) {
      const which = err.errors.map((e) => `  ${e.message}\n`).join('');
      io.stderr(`argus replay: the catalog is invalid (${err.errors.length} error${err.errors.length === 1 ? '' : 's'}):\n${which}`);
      return 2;
    }
    if (err instanceof ReplayInputError) {
      io.stderr(`argus replay: ${err.message}\n`);
      return 2;
    }
    if (err instanceof ArgusError) {
      io.stderr(`argus replay: ${err.message}\n`);
      return 1;
    }
    io.stderr(`argus replay: failed: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}
