/**
 * The smallest string that sorts after every string starting with `prefix`, in code point order
 * (which is UTF-8 byte order, LevelDB's order); `undefined` when no such bound exists (empty
 * prefix, or a prefix of only U+10FFFF). Used as the exclusive `lt` bound of a prefix scan.
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const points = Array.from(prefix);
  while (points.length > 0) {
    const last = points.pop() as string;
    let cp = last.codePointAt(0) as number;
    if (cp === 0x10ffff) continue;
    cp += 1;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xe000; // skip the surrogate range: not code points
    return points.join('') + String.fromCodePoint(cp);
  }
  return undefined;
}
