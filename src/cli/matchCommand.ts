import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { locateError, parseJsonDocument } from '../catalog/jsonSource.ts';
import { compilePattern, parsePattern, PatternMatcher, toMatchOutput, type CepResult } from '../cep/index.ts';
import { ArgusError, ValidationError } from '../errors.ts';
import { EventParser } from '../events/index.ts';

export const MATCH_USAGE = `Usage: argus match --pattern <pattern.json> --events <events.jsonl> [--key <field>]

Runs one pattern over a file of events (one JSON event a line, in the order given) and prints
one JSON object per line: {"kind":"match"|"timeout","pattern","key","timestamp","stages"}.
At the end of the input, time advances to +infinity (windows expire, pending matches complete).

Options:
  --pattern <file>   pattern JSON (spec: docs/patterns.md)
  --events <file>    JSONL events
  --key <field>      key field path (default: the pattern's "key", else userId)
  -h, --help         this help
`;

/** `argus match`: exit 0 ok, 1 runtime failure, 2 usage error or invalid input. */
export async function matchCommand(
  argv: string[],
  io: { stdout: (s: string) => void; stderr: (s: string) => void },
): Promise<number> {
  let values: { pattern?: string; events?: string; key?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        pattern: { type: 'string' },
        events: { type: 'string' },
        key: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    io.stderr(`argus match: ${(err as Error).message}\n\n${MATCH_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout(MATCH_USAGE);
    return 0;
  }
  if (!values.pattern || !values.events) {
    io.stderr(`argus match: --pattern and --events are required\n\n${MATCH_USAGE}`);
    return 2;
  }

  const patternFile = values.pattern;
  let matcher: PatternMatcher;
  let keyField: string;
  let text: string;
  try {
    text = readFileSync(patternFile, 'utf8');
  } catch (err) {
    io.stderr(`argus match: cannot read ${patternFile}: ${(err as Error).message}\n`);
    return 2;
  }
  try {
    const def = parsePattern(parseJsonDocument(text, patternFile, 'pattern'), patternFile);
    matcher = new PatternMatcher(compilePattern(def));
    keyField = values.key ?? def.key ?? 'userId';
  } catch (err) {
    if (err instanceof ValidationError) {
      io.stderr(`argus match: ${(err.line === undefined ? locateError(err, text, patternFile) : err).message}\n`);
      return 2;
    }
    throw err;
  }

  const eventsFile = values.events;
  const parser = new EventParser({ keyField });
  const print = (results: CepResult[]) => {
    for (const r of results) io.stdout(`${JSON.stringify(toMatchOutput(r))}\n`);
  };
  let line = 0;
  try {
    const lines = createInterface({ input: createReadStream(eventsFile, 'utf8'), crlfDelay: Infinity });
    for await (const raw of lines) {
      line++;
      if (raw.trim() === '') continue;
      print(matcher.push(parser.parseText(raw, { file: eventsFile, line })));
    }
    print(matcher.finish());
  } catch (err) {
    if (err instanceof ValidationError) {
      io.stderr(`argus match: ${err.message}\n`);
      return 2;
    }
    if (err instanceof ArgusError) {
      io.stderr(`argus match: ${eventsFile}:${line}: ${err.message}\n`);
      return err.code === 'PAYLOAD_TOO_LARGE' ? 2 : 1;
    }
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EISDIR') {
      io.stderr(`argus match: cannot read ${eventsFile}: ${(err as Error).message}\n`);
      return 2;
    }
    throw err;
  }
  if (matcher.dropped > 0) io.stderr(`argus match: ${matcher.dropped} partial matches dropped at the per-key bound\n`);
  return 0;
}
