import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { RecordSink } from '../../runtime/types.ts';

/** Appends one JSON object per line to a file (alerts, late events, decisions of a replay). */
export class JsonlSink<T> implements RecordSink<T> {
  private readonly stream: WriteStream;
  written = 0;

  constructor(readonly path: string, options: { append?: boolean } = {}) {
    mkdirSync(dirname(path), { recursive: true });
    this.stream = createWriteStream(path, { flags: options.append === false ? 'w' : 'a' });
  }

  write(record: T): void {
    this.stream.write(`${JSON.stringify(record)}\n`);
    this.written++;
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}

/** Writes one JSON object per line to a stream such as stdout. */
export class StreamSink<T> implements RecordSink<T> {
  constructor(private readonly out: NodeJS.WritableStream, private readonly prefix = '') {}

  write(record: T): void {
    this.out.write(`${this.prefix}${JSON.stringify(record)}\n`);
  }

  async close(): Promise<void> {}
}

/** Sends each record to every sink. */
export class TeeSink<T> implements RecordSink<T> {
  constructor(private readonly sinks: RecordSink<T>[]) {}

  write(record: T): void {
    for (const s of this.sinks) s.write(record);
  }

  async close(): Promise<void> {
    await Promise.all(this.sinks.map((s) => s.close()));
  }
}
