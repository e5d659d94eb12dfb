import type { Logger } from '../io/http/types.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface CliLogger extends Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
}

export interface Output {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/**
 * One line per entry: `<ISO time> <level> <message> <fields as JSON>`. Debug and info go to
 * stdout, warnings and errors to stderr; entries below `level` are dropped.
 */
export function createLogger(level: LogLevel, out: Output, clock: () => Date = () => new Date()): CliLogger {
  const min = RANK[level];
  const write = (lvl: Exclude<LogLevel, 'silent'>, message: string, fields?: Record<string, unknown>): void => {
    if (RANK[lvl] < min) return;
    const line = `${clock().toISOString()} ${lvl.padEnd(5)} ${message}${fields !== undefined ? ` ${JSON.stringify(fields)}` : ''}\n`;
    if (RANK[lvl] >= RANK.warn) out.stderr(line);
    else out.stdout(line);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
