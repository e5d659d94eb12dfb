/**
 * Dot paths into plain objects (`"device.id"`, `"items.0.sku"`), compiled once into a getter.
 * Only own properties are read, so `"constructor"` or `"__proto__"` never reach the prototype.
 */
export type Getter = (obj: unknown) => unknown;

const hasOwn = Object.prototype.hasOwnProperty;

export function splitPath(path: string): string[] {
  return path.split('.');
}

export function compilePath(path: string | readonly string[]): Getter {
  const parts = typeof path === 'string' ? splitPath(path) : [...path];
  if (parts.length === 1) {
    const p = parts[0]!;
    return (obj) => (obj !== null && typeof obj === 'object' && hasOwn.call(obj, p) ? (obj as Record<string, unknown>)[p] : undefined);
  }
  if (parts.length === 2) {
    const [a, b] = parts as [string, string];
    return (obj) => {
      if (obj === null || typeof obj !== 'object' || !hasOwn.call(obj, a)) return undefined;
      const v = (obj as Record<string, unknown>)[a];
      return v !== null && typeof v === 'object' && hasOwn.call(v, b) ? (v as Record<string, unknown>)[b] : undefined;
    };
  }
  return (obj) => {
    let cur: unknown = obj;
    for (let i = 0; i < parts.length; i++) {
      if (cur === null || typeof cur !== 'object' || !hasOwn.call(cur, parts[i]!)) return undefined;
      cur = (cur as Record<string, unknown>)[parts[i]!];
    }
    return cur;
  };
}
