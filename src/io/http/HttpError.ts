import { ArgusError } from '../../errors.ts';

/** A request the HTTP layer refuses (404, 405, 401, 415, …): the client's mistake, never a 500. */
export class HttpError extends ArgusError {
  readonly status: number;
  readonly headers: Record<string, string> | undefined;

  constructor(status: number, code: string, message: string, headers?: Record<string, string>) {
    super(message, { code, retriable: status === 503 });
    this.status = status;
    this.headers = headers;
  }
}
