import { createReadStream, statSync } from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ArgusError } from '../errors.ts';

/** A JSONL events file opened for streaming, plain or gzip (by the `.gz` suffix). */
export interface EventInput {
  /** Byte chunks of the (decompressed) file. */
  readonly chunks: AsyncIterable<Buffer>;
  /** Size of the file on disk (compressed size for `.gz`). */
  readonly totalBytes: number;
  /** Bytes of the file on disk read so far (for progress). */
  bytesRead(): number;
  close(): void;
}

/** The events file cannot be opened (missing, a directory, unreadable). */
export class ReplayInputError extends ArgusError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'REPLAY_INPUT', cause });
  }
}

const CHUNK_BYTES = 1 << 20;

export function openEventInput(file: string): EventInput {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new ReplayInputError(`cannot read ${file}: not a file`);
    size = st.size;
  } catch (err) {
    if (err instanceof ReplayInputError) throw err;
    throw new ReplayInputError(`cannot read ${file}: ${(err as Error).message}`, err);
  }
  const raw = createReadStream(file, { highWaterMark: CHUNK_BYTES });
  let chunks: Readable = raw;
  if (file.endsWith('.gz')) {
    // pipeline: an error of either stream (unreadable file, corrupt gzip) ends the iteration with it.
    chunks = pipeline(raw, createGunzip({ chunkSize: CHUNK_BYTES }), () => {});
  }
  return {
    chunks: chunks as AsyncIterable<Buffer>,
    totalBytes: size,
    bytesRead: () => raw.bytesRead,
    close: () => {
      raw.destroy();
      if (chunks !== raw) chunks.destroy();
    },
  };
}
