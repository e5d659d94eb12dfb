import { readFileSync } from 'node:fs';
import type { Output } from './logger.ts';
import { serveCommand } from './serveCommand.ts';
import { validateCommand } from './validateCommand.ts';

export const USAGE = `Usage: argus <command> [options]

Commands:
  serve    run the decision API over HTTP (argus serve --help)
  validate check the rules, policy and patterns as serve would load them (argus validate --help)
  match    run a pattern over a JSONL file of events and print the matches (argus match --help)
  replay   backtest the catalog on a JSONL file of events: decisions, metrics, report (argus replay --help)
  generate write a seeded synthetic stream of users with labelled fraud (argus generate --help)

Options:
  -h, --help       this help
  -v, --version    print the version
`;

const processOutput: Output = {
  stdout: (s) => void process.stdout.write(s),
  stderr: (s) => void process.stderr.write(s),
};

/** The `argus` command (bin/argus.js). Returns the exit code: 0 ok, 1 failure, 2 usage or configuration error. */
export async function main(argv: string[], io: Output = processOutput): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serveCommand(rest, io);
    case 'validate':
      return validateCommand(rest, io);
    case 'match': {
      // Loaded on use: `serve` does not pay for the CEP command line.
      const { matchCommand } = await import('./matchCommand.ts');
      return matchCommand(rest, io);
    }
    case 'replay': {
      const { replayCommand } = await import('./replayCommand.ts');
      return replayCommand(rest, io);
    }
    case 'generate': {
      const { generateCommand } = await import('./generateCommand.ts');
      return generateCommand(rest, io);
    }
    case '-h':
    case '--help':
    case 'help':
      io.stdout(USAGE);
      return 0;
    case '-v':
    case '--version':
      io.stdout(`${version()}\n`);
      return 0;
    case undefined:
      io.stderr(USAGE);
      return 2;
    default:
      io.stderr(`argus: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
      return 2;
  }
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
