/**
 * nools reports errors without lines, with the offending text quoted (newlines turned into
 * spaces). This finds that text in the source to give the line, and trims the message (nools
 * appends the whole source after "starting at :").
 */

/** The first line of nools' message chain worth showing, without the echoed source. */
export function noolsMessage(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  const cut = raw.split(/;?\s*\n?starting at :/)[0]!;
  const parts = cut
    .split('\n')
    .map((p) => p.trim())
    .filter((p) => p.length > 0 && !/^Invalid (rule|when|then|define|global|function) definition$/.test(p));
  const text = parts
    .join(': ')
    .replace(/(?:if\(!\w+\)\{ )?var [\w$]+\s*=\s*(?:facts|scope|defined|flow)\.[\w$]+;\}?/g, '')
    .replace(/\(\(function\(\)\{:?\s*(?:return\s+)?/g, '')
    .replace(/:?\s*\}\)\(\)\)/g, '')
    .replace(/\s+/g, ' ');
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

const QUOTED: readonly RegExp[] = [
  /Invalid expression '([\s\S]+?)'(?:\s*$|\n)/,
  /Invalid constraint ([\s\S]+?)(?:;\s*\n|$)/,
  /Invalid action : ([\s\S]+?)\n/,
  /Error parsing (?:then block )?([\s\S]+?)(?:;\s*\n|\n|$)/,
  /Invalid class (\w+) for rule/,
];

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Offset in `text[from, to)` of the text nools quotes in its error, or undefined. Matches the first
 * few words of the quote with any whitespace between them.
 */
export function locateQuoted(err: unknown, text: string, from: number, to: number): number | undefined {
  const raw = err instanceof Error ? err.message : String(err);
  for (const re of QUOTED) {
    const m = re.exec(raw);
    if (m === null) continue;
    // "Invalid action" quotes the generated function: skip nools' own prelude (var x = …;).
    const quoted = m[1]!.replace(/^(?:\(\(function\(\)\{)?(?:(?:if\(!\w+\)\{ )?var [\w$]+\s*=\s*[^;]*;\}?)*\s*(?:return\s+)?/, '');
    const words = quoted.trim().split(/\s+/).filter((w) => w.length > 0).slice(0, 6);
    if (words.length === 0) continue;
    const re2 = new RegExp(words.map(escape).join('\\s+'), 'g');
    const body = text.slice(from, to);
    const hit = re2.exec(body);
    if (hit !== null) return from + hit.index;
  }
  return undefined;
}
