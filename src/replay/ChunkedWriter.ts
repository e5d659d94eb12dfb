import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Writes lines of text to a file through a buffer of `chunkBytes` (default 1 MiB), with
 * synchronous writes: few system calls, no promise per line, each line encoded to UTF-8 once,
 * straight into the buffer, and the bytes on disk are exactly the lines written, in order.
 */
export class ChunkedWriter {
  private readonly fd: number;
  private readonly buffer: Buffer;
  private used = 0;
  /** Lines written so far. */
  lines = 0;
  private closed = false;

  constructor(readonly path: string, chunkBytes = 1 << 20) {
    this.fd = openSync(path, 'w');
    this.buffer = Buffer.allocUnsafe(Math.max(64, chunkBytes));
  }

  /** Appends `text` and a newline. */
  line(text: string): void {
    this.lines++;
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    const worst = text.length * 3 + 1;
    if (worst > this.buffer.length - this.used) {
      this.flush();
      if (worst > this.buffer.length) {
        writeSync(this.fd, `${text}\n`);
        return;
      }
    }
    this.used += this.buffer.write(text, this.used, 'utf8');
    this.buffer[this.used++] = 0x0a;
  }

  flush(): void {
    let done = 0;
    while (done < this.used) done += writeSync(this.fd, this.buffer, done, this.used - done);
    this.used = 0;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }
}
