/**
 * Reads a label value as fraud (true), not fraud (false) or unlabelled (undefined).
 * Booleans are themselves; numbers: non-zero is fraud; strings: `true`, `1`, `yes`, `fraud`
 * (any case) are fraud, `false`, `0`, `no`, `legit`, `""` are not; null, undefined and anything
 * else (objects, other strings) are unlabelled.
 */
export function labelValue(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isNaN(value) ? undefined : value !== 0;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === 'true' || v === '1' || v === 'yes' || v === 'fraud') return true;
    if (v === 'false' || v === '0' || v === 'no' || v === 'legit' || v === '') return false;
  }
  return undefined;
}
