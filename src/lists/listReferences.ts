/** A `{"list": name}` value found in a condition, with the path of that value. */
export interface ListReference {
  name: string;
  path: (string | number)[];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The lists a condition (json-rules-engine condition JSON) refers to, without compiling it: every
 * leaf whose `value` is `{"list": name}`, in tree order. For checks that do not recompile
 * (e.g. refusing to drop a list file that a loaded rule still uses).
 */
export function collectListReferences(condition: unknown, base: (string | number)[] = []): ListReference[] {
  const out: ListReference[] = [];
  const walk = (node: unknown, at: (string | number)[]): void => {
    if (!isPlainObject(node)) return;
    for (const key of ['all', 'any'] as const) {
      const sub = node[key];
      if (Array.isArray(sub)) sub.forEach((child, i) => walk(child, [...at, key, i]));
    }
    if (isPlainObject(node.not)) walk(node.not, [...at, 'not']);
    const value = node.value;
    if (isPlainObject(value) && typeof value.list === 'string') out.push({ name: value.list, path: [...at, 'value'] });
  };
  walk(condition, base);
  return out;
}
