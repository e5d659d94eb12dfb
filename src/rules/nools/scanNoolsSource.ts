import { ValidationError } from '../../errors.ts';

export type NoolsBlockKind = 'rule' | 'define' | 'global' | 'function';

/** A comment `/** … *\/` (its text between the delimiters) and where it starts. */
export interface DocComment {
  text: string;
  /** Offset of the text's first character in the source. */
  start: number;
}

/** One top-level block of a `.nools` file. */
export interface NoolsBlock {
  kind: NoolsBlockKind;
  /** Rule, type, global or function name (a rule's quotes removed). */
  name: string;
  /** Offsets in the source: `start` at the keyword, `end` just past the block. */
  start: number;
  end: number;
  /** 1-based line of the keyword. */
  line: number;
  /** For rules: the `/** … *\/` comment right before the rule (only whitespace between). */
  doc?: DocComment;
}

export interface ScannedSource {
  blocks: NoolsBlock[];
  /** The source as nools reads it: `//` comments blanked (same length, so offsets hold). */
  text: string;
  /** 1-based line of an offset. */
  lineAt(offset: number): number;
}

/** Offsets where each line starts, for `lineAt`. */
function lineStarts(source: string): number[] {
  const starts = [0];
  for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** A line locator over `source` (binary search over line starts). */
export function lineLocator(source: string): (offset: number) => number {
  const starts = lineStarts(source);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/**
 * nools removes `//` to the end of the line everywhere before parsing — inside strings and
 * comments too. Blank them the same way, keeping every offset.
 */
export function blankLineComments(source: string): string {
  return source.replace(/\/\/.*/g, (m) => ' '.repeat(m.length));
}

const IDENT = /[A-Za-z_$][\w$]*/y;
const RULE_NAME = /[A-Za-z_$][\w$]*|"[^"]*"|'[^']*'/y;
const WS = /\s/;

/**
 * Splits a `.nools` source into its top-level blocks (`rule`, `define`, `global`, `function`),
 * with lines, the way nools itself delimits them (braces counted as nools counts them, `//`
 * comments removed first). Anything else at top level is an error with its line — including
 * `import(…)`, which would read other files: a nools file of Argus is self-contained.
 */
export function scanNoolsSource(source: string, file?: string): ScannedSource {
  const text = blankLineComments(source);
  const lineAt = lineLocator(source);
  const fail = (offset: number, message: string): never => {
    throw new ValidationError('nools rule file', [{ path: [], message }], { file, line: lineAt(offset) });
  };
  const skipWs = (i: number): number => {
    while (i < text.length && WS.test(text[i]!)) i++;
    return i;
  };
  const matchClose = (open: number, openCh: string, closeCh: string, what: string): number => {
    let depth = 0;
    for (let i = open; i < text.length; i++) {
      const c = text[i];
      if (c === openCh) depth++;
      else if (c === closeCh && --depth === 0) return i + 1;
    }
    return fail(open, `unbalanced "${openCh}" in ${what}: no matching "${closeCh}"`);
  };
  const ident = (i: number, re: RegExp, what: string): { name: string; end: number } => {
    re.lastIndex = i;
    const m = re.exec(text);
    if (m === null) return fail(i, `missing ${what} name`);
    return { name: m[0], end: i + m[0].length };
  };
  const expect = (i: number, ch: string, what: string): number => {
    if (text[i] !== ch) fail(i, `expected "${ch}" in ${what}, found ${i < text.length ? `"${text[i]}"` : 'end of file'}`);
    return i;
  };

  const blocks: NoolsBlock[] = [];
  let doc: DocComment | undefined;
  let i = skipWs(0);
  while (i < text.length) {
    if (text.startsWith('/*', i)) {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) fail(i, 'unterminated comment "/*"');
      doc = text.startsWith('/**', i) ? { text: text.slice(i + 3, close), start: i + 3 } : undefined;
      i = skipWs(close + 2);
      continue;
    }
    IDENT.lastIndex = i;
    const word = IDENT.exec(text)?.[0];
    const start = i;
    let block: NoolsBlock;
    if (word === 'rule') {
      const { name, end } = ident(skipWs(i + 4), RULE_NAME, 'rule');
      const open = expect(skipWs(end), '{', `rule ${name}`);
      const unquoted = name.replace(/^["']|["']$/g, '');
      block = { kind: 'rule', name: unquoted, start, end: matchClose(open, '{', '}', `rule ${unquoted}`), line: lineAt(start) };
      if (doc !== undefined) block.doc = doc;
    } else if (word === 'define') {
      const { name, end } = ident(skipWs(i + 6), IDENT, 'define');
      const open = expect(skipWs(end), '{', `define ${name}`);
      block = { kind: 'define', name, start, end: matchClose(open, '{', '}', `define ${name}`), line: lineAt(start) };
    } else if (word === 'function') {
      const { name, end } = ident(skipWs(i + 8), IDENT, 'function');
      const params = expect(skipWs(end), '(', `function ${name}`);
      const open = expect(skipWs(matchClose(params, '(', ')', `function ${name}`)), '{', `function ${name}`);
      block = { kind: 'function', name, start, end: matchClose(open, '{', '}', `function ${name}`), line: lineAt(start) };
    } else if (word === 'global') {
      const { name, end } = ident(skipWs(i + 6), IDENT, 'global');
      expect(skipWs(end), '=', `global ${name}`);
      const semi = text.indexOf(';', end);
      if (semi < 0) fail(start, `global ${name}: missing ";" after its value`);
      if (/\brequire\s*\(/.test(text.slice(end, semi))) {
        fail(start, `global ${name}: require() is not allowed; a rule file is self-contained (no modules, no I/O)`);
      }
      block = { kind: 'global', name, start, end: semi + 1, line: lineAt(start) };
    } else if (word === 'import') {
      return fail(i, 'import is not allowed: a rule file is self-contained (the catalog reads each file from rules/ itself)');
    } else {
      const found = word ?? text.slice(i, i + 12).split(/\s/)[0];
      return fail(i, `unexpected "${found}" at top level: expected rule, define, global, function or a comment`);
    }
    blocks.push(block);
    doc = undefined;
    i = skipWs(block.end);
  }
  return { blocks, text, lineAt };
}
