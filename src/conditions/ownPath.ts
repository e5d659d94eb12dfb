/**
 * Dot-path getters over plain data that read own properties only (never the prototype), unrolled
 * for up to four steps: the fact accessors of compiled conditions. Same results as
 * `compilePath` in src/events/path.ts.
 */
export type OwnGetter = (obj: unknown) => unknown;

const hasOwn = Object.prototype.hasOwnProperty;

function get(o: unknown, k: string): unknown {
  if (o === null || typeof o !== 'object') return undefined;
  const v = (o as Record<string, unknown>)[k];
  return v !== undefined && hasOwn.call(o, k) ? v : undefined;
}

export function compileOwnPath(parts: readonly string[]): OwnGetter {
  const [a, b, c, d] = parts as [string, string, string, string];
  switch (parts.length) {
    case 1:
      return (o) => get(o, a);
    case 2:
      return (o) => get(get(o, a), b);
    case 3:
      return (o) => get(get(get(o, a), b), c);
    case 4:
      return (o) => get(get(get(get(o, a), b), c), d);
    default: {
      const all = parts.slice();
      const n = all.length;
      return (o) => {
        let cur = o;
        for (let i = 0; i < n; i++) cur = get(cur, all[i]!);
        return cur;
      };
    }
  }
}
