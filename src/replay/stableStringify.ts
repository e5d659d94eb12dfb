/**
 * JSON with object keys in sorted (code unit) order at every level, so that the same value always
 * gives the same bytes whatever the order its properties were created in. `undefined` members
 * are left out (as JSON.stringify does); non-finite numbers become null.
 */
export function stableStringify(value: unknown, indent = 2): string {
  return write(value, indent > 0 ? ' '.repeat(indent) : '', '');
}

function write(value: unknown, unit: string, pad: string): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const inner = pad + unit;
  const nl = unit === '' ? '' : '\n';
  const colon = unit === '' ? ':' : ': ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((v) => inner + write(v, unit, inner));
    return `[${nl}${items.join(`,${nl}`)}${nl}${pad}]`;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  if (keys.length === 0) return '{}';
  const items = keys.map((k) => `${inner}${JSON.stringify(k)}${colon}${write(obj[k], unit, inner)}`);
  return `{${nl}${items.join(`,${nl}`)}${nl}${pad}}`;
}
