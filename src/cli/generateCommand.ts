import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { createGzip, type Gzip } from 'node:zlib';
import { ValidationError } from '../errors.ts';
import { DEFAULT_START, generateEvents, parseGenerateOptions } from '../replay/generate/generateEvents.ts';
import { SCENARIOS, type GenerateOptions } from '../replay/generate/types.ts';
import type { Output } from './logger.ts';

export const GENERATE_USAGE = `Usage: argus generate [--users N] [--days D] [--seed S] [--fraud-rate R] [--start DATE] [--out FILE]

Writes a seeded synthetic stream of labelled events (JSONL, sorted by timestamp): users with a home
country, devices, IP ranges, favourite merchants and a daily rhythm, who log in, pay (amounts
log-normal per merchant category, several currencies), receive transfers and pay out; and, for a
fraction of them, an injected fraud scenario: account takeover, card testing, velocity abuse,
impossible travel, mule fan-in. Every event has label: {fraud, scenario?}. The same options give
byte-identical output. Format and scenarios: docs/generate.md.

Options:
  --users N        users (default 1000)
  --days D         days of activity (default 7)
  --seed S         random seed, a non-negative integer (default 1)
  --fraud-rate R   fraction of users with a fraud scenario, 0..1 (default 0.02)
  --start DATE     start of the stream, ISO date or epoch ms (default ${new Date(DEFAULT_START).toISOString()})
  --out FILE       write to FILE (gzip when it ends in .gz) instead of stdout
  -h, --help       this help
`;

const FLAG: Record<string, string> = { users: '--users', days: '--days', seed: '--seed', fraudRate: '--fraud-rate', start: '--start' };

/** Strict number parsing for flags: the whole text must be a decimal number (zod then checks the range). */
function numberFlag(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  return /^\s*-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/.test(text) ? Number(text) : Number.NaN;
}

function startFlag(text: string | undefined): number {
  if (text === undefined) return DEFAULT_START;
  if (/^\d+$/.test(text)) return Number(text);
  const t = /^\d{4}-\d{2}-\d{2}(T.*)?$/.test(text) ? Date.parse(text) : Number.NaN;
  return t;
}

/** `argus generate`: exit 0 ok, 1 write failure, 2 bad arguments. */
export async function generateCommand(argv: string[], io: Output): Promise<number> {
  let values: { users?: string; days?: string; seed?: string; 'fraud-rate'?: string; start?: string; out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        users: { type: 'string' },
        days: { type: 'string' },
        seed: { type: 'string' },
        'fraud-rate': { type: 'string' },
        start: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    io.stderr(`argus generate: ${(err as Error).message}\n\n${GENERATE_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout(GENERATE_USAGE);
    return 0;
  }
  let options: GenerateOptions;
  try {
    options = parseGenerateOptions({
      users: numberFlag(values.users, 1000),
      days: numberFlag(values.days, 7),
      seed: numberFlag(values.seed, 1),
      fraudRate: numberFlag(values['fraud-rate'], 0.02),
      start: startFlag(values.start),
    });
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const given: Record<string, string | undefined> = { users: values.users, days: values.days, seed: values.seed, fraudRate: values['fraud-rate'], start: values.start };
    const lines = err.issues.map((i) => {
      const field = String(i.path[0] ?? '');
      const nan = i.message.startsWith('Invalid input: expected number');
      const message = field === 'start' ? 'must be an ISO date (2026-01-05) or epoch milliseconds' : nan ? 'must be a number' : i.message;
      return `${FLAG[field] ?? field}: ${message}${given[field] !== undefined ? `, got ${JSON.stringify(given[field])}` : ''}`;
    });
    io.stderr(`argus generate: invalid options:\n  ${lines.join('\n  ')}\n\n${GENERATE_USAGE}`);
    return 2;
  }
  if (values.out === '') {
    io.stderr(`argus generate: --out: must be a file name\n`);
    return 2;
  }

  const { events, injections } = generateEvents(options);
  try {
    await writeLines(events, values.out, io);
  } catch (err) {
    io.stderr(`argus generate: cannot write ${values.out}: ${(err as Error).message}\n`);
    return 1;
  }
  const perScenario = SCENARIOS.map((s) => `${s} ${injections.filter((i) => i.scenario === s).length}`).join(', ');
  const fraudEvents = events.reduce((n, e) => n + (e.label.fraud ? 1 : 0), 0);
  io.stderr(
    `argus generate: ${events.length} events, ${options.users} users, ${options.days} days, seed ${options.seed}; ` +
      `${injections.length} scenarios (${perScenario}), ${fraudEvents} fraud events${values.out !== undefined ? ` → ${values.out}` : ''}\n`,
  );
  return 0;
}

const CHUNK = 1 << 20;

/** Writes JSON lines in ~1 MB chunks to `file` (gzip for `.gz`) or to stdout. */
async function writeLines(events: readonly Record<string, unknown>[], file: string | undefined, io: Output): Promise<void> {
  let sink: WriteStream | undefined;
  let gzip: Gzip | undefined;
  if (file !== undefined) {
    sink = createWriteStream(file);
    await once(sink, 'open');
    if (file.endsWith('.gz')) {
      gzip = createGzip({ level: 9 });
      gzip.pipe(sink);
    }
  }
  const target = gzip ?? sink;
  let buf = '';
  const flush = async () => {
    if (target === undefined) io.stdout(buf);
    else if (!target.write(buf)) await once(target, 'drain');
    buf = '';
  };
  for (let i = 0; i < events.length; i++) {
    buf += `${JSON.stringify(events[i])}\n`;
    if (buf.length >= CHUNK) await flush();
  }
  if (buf.length > 0) await flush();
  if (target !== undefined) {
    const done = once(sink!, 'finish');
    target.end();
    await done;
  }
}
