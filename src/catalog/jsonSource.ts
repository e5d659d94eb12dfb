import { ValidationError } from '../errors.ts';

/**
 * JSON documents read from files, with line numbers: a syntax error names its line, and a
 * validation error's field path is mapped back to the line where that field stands.
 */

/** Parses JSON text; a syntax error becomes a ValidationError with file and line. */
export function parseJsonDocument(text: string, file: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const pos = /position (\d+)/.exec(message);
    const line = lineAt(text, pos ? Number(pos[1]) : syntaxErrorOffset(text));
    throw new ValidationError(what, [{ path: [], message: `malformed JSON: ${message}` }], { file, line });
  }
}

/** 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * The line where the value at `path` starts in a JSON text; for a path that does not exist (a
 * missing field), the line of its deepest existing parent. Undefined if the text is not JSON.
 */
export function lineOfPath(text: string, path: readonly (string | number)[]): number | undefined {
  const scanner = new Scanner(text);
  try {
    scanner.ws();
    return lineAt(text, scanner.find(path, 0));
  } catch {
    return undefined;
  }
}

/** Offset where a strict scan of invalid JSON text stops (used when JSON.parse gives no position). */
function syntaxErrorOffset(text: string): number {
  const scanner = new Scanner(text);
  try {
    scanner.ws();
    scanner.skipValue();
    scanner.ws();
  } catch {
    /* the scanner stopped at the error */
  }
  return scanner.i;
}

/** Places a validation error in its file, on the line of its first issue's path. */
export function locateError(err: ValidationError, text: string, file: string): ValidationError {
  const first = err.issues[0];
  const line = first ? lineOfPath(text, first.path) : undefined;
  return err.at({ file, line: line ?? err.line });
}

class Scanner {
  i = 0;
  constructor(private readonly s: string) {}

  ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.i++;
      else break;
    }
  }

  /** Returns the offset of the value at path[depth…] starting at the current position (a value). */
  find(path: readonly (string | number)[], depth: number): number {
    const start = this.i;
    if (depth === path.length) return start;
    const want = path[depth];
    const c = this.s[this.i];
    if (c === '{') {
      this.i++;
      this.ws();
      while (this.s[this.i] !== '}') {
        const name = this.string();
        this.ws();
        this.expect(':');
        this.ws();
        if (name === String(want)) return this.find(path, depth + 1);
        this.skipValue();
        this.ws();
        if (this.s[this.i] === ',') {
          this.i++;
          this.ws();
        }
      }
      return start;
    }
    if (c === '[') {
      this.i++;
      this.ws();
      let index = 0;
      while (this.s[this.i] !== ']') {
        if (index === want) return this.find(path, depth + 1);
        this.skipValue();
        this.ws();
        if (this.s[this.i] === ',') {
          this.i++;
          this.ws();
        }
        index++;
      }
      return start;
    }
    return start;
  }

  string(): string {
    this.expect('"');
    const begin = this.i - 1;
    while (this.i < this.s.length) {
      const c = this.s[this.i++];
      if (c === '\\') this.i++;
      else if (c === '"') return JSON.parse(this.s.slice(begin, this.i)) as string;
    }
    throw new Error('unterminated string');
  }

  skipValue(): void {
    const c = this.s[this.i];
    if (c === '"') {
      this.string();
      return;
    }
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      this.i++;
      this.ws();
      while (this.s[this.i] !== close) {
        if (c === '{') {
          this.string();
          this.ws();
          this.expect(':');
          this.ws();
        }
        this.skipValue();
        this.ws();
        if (this.s[this.i] === ',') {
          this.i++;
          this.ws();
        }
        if (this.i >= this.s.length) throw new Error('unterminated');
      }
      this.i++;
      return;
    }
    const begin = this.i;
    while (this.i < this.s.length && !/[,\]}\s]/.test(this.s[this.i]!)) this.i++;
    const token = this.s.slice(begin, this.i);
    if (!/^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)$/.test(token)) {
      this.i = begin;
      throw new Error('unexpected token');
    }
  }

  expect(ch: string): void {
    if (this.s[this.i] !== ch) throw new Error(`expected ${ch}`);
    this.i++;
  }
}
