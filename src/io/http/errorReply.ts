import { EngineClosedError, PayloadTooLargeError, ValidationError } from '../../errors.ts';
import { HttpError } from './HttpError.ts';
import type { Logger, Reply } from './types.ts';

/** The `error` object of an error reply: `{code, message, issues?}`. */
export interface ErrorBody {
  code: string;
  message: string;
  issues?: { path: (string | number)[]; message: string }[];
  file?: string;
  line?: number;
}

/**
 * Maps an error to what the client sees. Client mistakes keep their code and message;
 * anything unexpected is logged and answered with a generic 500, never with its message.
 */
export function errorStatus(err: unknown): { status: number; error: ErrorBody; headers?: Record<string, string> } | undefined {
  if (err instanceof ValidationError) return { status: 400, error: err.toJSON() };
  if (err instanceof PayloadTooLargeError) return { status: 413, error: { code: err.code, message: err.message }, headers: { connection: 'close' } };
  if (err instanceof HttpError) return { status: err.status, error: { code: err.code, message: err.message }, headers: err.headers };
  if (err instanceof EngineClosedError) return { status: 503, error: { code: err.code, message: 'the engine is shutting down; retry on another instance' }, headers: { 'retry-after': '1' } };
  return undefined;
}

export const INTERNAL_ERROR: ErrorBody = { code: 'INTERNAL', message: 'internal error' };

export function errorReply(err: unknown, logger: Logger, context: Record<string, unknown>): Reply {
  const known = errorStatus(err);
  if (known !== undefined) return { status: known.status, body: JSON.stringify({ error: known.error }), headers: known.headers };
  logger.error('request failed', { ...context, error: describe(err) });
  return { status: 500, body: JSON.stringify({ error: INTERNAL_ERROR }) };
}

export function describe(err: unknown): string {
  return err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
}
