import type { IncomingMessage } from 'node:http';
import { PayloadTooLargeError } from '../../errors.ts';

/** Per-request reading state, kept on the request so that the listeners are shared functions (no closures per request). */
interface Reading {
  limit: number;
  size: number;
  first: Buffer | undefined;
  chunks: Buffer[] | undefined;
  resolve: (body: Buffer) => void;
  reject: (err: Error) => void;
}

const READING = Symbol('argus.readBody');
type Req = IncomingMessage & { [READING]?: Reading };
const EMPTY = Buffer.alloc(0);

/**
 * Reads a request body into one Buffer, refusing it as soon as it passes `limit` bytes
 * (declared by Content-Length or counted while reading): nothing past the limit is kept.
 * The caller answers 413 and closes the connection.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(new PayloadTooLargeError(limit));
  return new Promise<Buffer>((resolve, reject) => {
    (req as Req)[READING] = { limit, size: 0, first: undefined, chunks: undefined, resolve, reject };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

function stop(req: Req): Reading | undefined {
  const reading = req[READING];
  if (reading === undefined) return undefined;
  req[READING] = undefined;
  req.removeListener('data', onData);
  req.removeListener('end', onEnd);
  req.removeListener('error', onError);
  req.removeListener('close', onClose);
  return reading;
}

function onData(this: Req, chunk: Buffer): void {
  const reading = this[READING];
  if (reading === undefined) return;
  reading.size += chunk.length;
  if (reading.size > reading.limit) {
    stop(this);
    reading.reject(new PayloadTooLargeError(reading.limit));
    return;
  }
  if (reading.first === undefined) reading.first = chunk;
  else (reading.chunks ??= [reading.first]).push(chunk);
}

function onEnd(this: Req): void {
  const reading = stop(this);
  if (reading === undefined) return;
  if (reading.chunks !== undefined) reading.resolve(Buffer.concat(reading.chunks, reading.size));
  else reading.resolve(reading.first ?? EMPTY);
}

function onError(this: Req, err: Error): void {
  stop(this)?.reject(err);
}

/** The connection closed before the body ended (the client went away). */
function onClose(this: Req): void {
  stop(this)?.reject(new Error('request aborted by the client'));
}
