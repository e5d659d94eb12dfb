/**
 * The key space of a state store. Every storage key is `<space>:<name>`, and the space is the
 * first character, so no name can make a key of one space look like a key of another:
 *
 * - `k:<key>`  — the state of a key;
 * - `r:<name>` — a side record (e.g. the decision of an event id);
 * - `m:<name>` — small metadata (catalog version, source offsets).
 *
 * LevelDB stores utf8, which cannot represent a lone surrogate (it would become U+FFFD, and two
 * different names would collide). Names that are not well-formed UTF-16 are therefore stored in
 * the upper-case space (`K:`, `R:`, `M:`) as a JSON string literal, which escapes them.
 */
export type KeySpace = 'k' | 'r' | 'm';

const ESCAPED: Record<KeySpace, string> = { k: 'K', r: 'R', m: 'M' };

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const nativeWellFormed = (String.prototype as { isWellFormed?: () => boolean }).isWellFormed;

/** True when `s` has no lone surrogate (so it round-trips through UTF-8). */
export const isWellFormed: (s: string) => boolean =
  typeof nativeWellFormed === 'function'
    ? (s) => nativeWellFormed.call(s)
    : (s) => !LONE_SURROGATE.test(s);

/** The storage key of `name` in `space`. */
export function storageKey(space: KeySpace, name: string): string {
  return isWellFormed(name) ? `${space}:${name}` : `${ESCAPED[space]}:${JSON.stringify(name)}`;
}

/** The prefixes under which the names of `space` are stored (plain, then escaped). */
export function spacePrefixes(space: KeySpace): [string, string] {
  return [`${space}:`, `${ESCAPED[space]}:`];
}

/** The name stored under `key` (inverse of `storageKey`), or undefined if `key` is not in `space`. */
export function nameOf(space: KeySpace, key: string): string | undefined {
  if (key.length < 2 || key.charCodeAt(1) !== 58 /* : */) return undefined;
  const s = key[0];
  if (s === space) return key.slice(2);
  if (s === ESCAPED[space]) return JSON.parse(key.slice(2)) as string;
  return undefined;
}
