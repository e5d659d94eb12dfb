const NL = 0x0a;
const CR = 0x0d;

/**
 * Splits a byte stream into lines (LF or CRLF), numbered from 1. `push(chunk)` fills `lines` and
 * `numbers` with the complete lines of the chunk (reset on every push); `end()` flushes the
 * last line. A line longer than `maxBytes` is not decoded (nor kept in memory): it comes out as
 * `null` with its number, so a huge line without newlines cannot exhaust memory. A UTF-8 byte
 * order mark at the start of the input is dropped.
 */
export class LineSplitter {
  /** Lines of the last push (`null`: longer than maxBytes). Valid up to `count`. */
  readonly lines: (string | null)[] = [];
  /** 1-based line numbers, parallel to `lines`. */
  readonly numbers: number[] = [];
  count = 0;
  /** Lines seen so far (complete ones). */
  lineCount = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private oversize = false;
  private first = true;

  constructor(readonly maxBytes: number) {}

  push(chunk: Buffer): void {
    this.count = 0;
    let start = 0;
    if (this.first && chunk.length > 0) {
      this.first = false;
      if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) start = 3;
    }
    for (;;) {
      const nl = chunk.indexOf(NL, start);
      if (nl < 0) break;
      if (this.pendingBytes > 0 || this.oversize) {
        this.appendPending(chunk, start, nl);
        this.emitPending();
      } else {
        this.emit(chunk, start, nl);
      }
      start = nl + 1;
    }
    if (start < chunk.length) this.appendPending(chunk, start, chunk.length);
  }

  /** The last line when the input does not end with a newline. */
  end(): void {
    this.count = 0;
    if (this.pendingBytes > 0 || this.oversize) this.emitPending();
  }

  private appendPending(chunk: Buffer, start: number, end: number): void {
    if (this.oversize) return;
    this.pendingBytes += end - start;
    // +1: a CR before the newline does not count towards the limit.
    if (this.pendingBytes > this.maxBytes + 1) {
      this.oversize = true;
      this.pending = [];
      this.pendingBytes = 0;
      return;
    }
    this.pending.push(chunk.subarray(start, end));
  }

  private emitPending(): void {
    if (this.oversize) {
      this.oversize = false;
      this.add(null);
      return;
    }
    const buf = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    this.emit(buf, 0, buf.length);
  }

  private emit(buf: Buffer, start: number, end: number): void {
    if (end > start && buf[end - 1] === CR) end--;
    this.add(end - start > this.maxBytes ? null : buf.toString('utf8', start, end));
  }

  private add(line: string | null): void {
    this.lineCount++;
    this.lines[this.count] = line;
    this.numbers[this.count] = this.lineCount;
    this.count++;
  }
}
