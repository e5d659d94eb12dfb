/**
 * Exact floating-point summation (Shewchuk's algorithm, as Python's `math.fsum`). The running
 * sum is kept as a list of non-overlapping partials whose exact real sum is the exact sum of
 * every value added; subtracting is adding the negation, so a sliding window can add and remove
 * values forever without drift. `sumValue` rounds that exact sum once, correctly (to nearest,
 * ties to even). Inputs must be finite.
 */

/** Partials: a plain array (grown as needed) or a key's arena (room for n + 1 from `base`). */
type Partials = number[] | Float64Array;

/** Adds `x` to the partials, in place (no allocation once the array has its size). */
export function sumAdd(partials: number[], x: number): void {
  const n = sumAddAt(partials, 0, partials.length, x);
  if (n < partials.length) partials.length = n; // (the length setter is a builtin call: only when it shrinks)
}

/** The exact sum of the partials, correctly rounded to a double. */
export function sumValue(partials: readonly number[]): number {
  return sumValueAt(partials, 0, partials.length);
}

/** `sumAdd` on `n` partials stored in `a` from `base` (room for n + 1); returns their new count. */
export function sumAddAt(a: Partials, base: number, n: number, x: number): number {
  let i = 0;
  for (let j = 0; j < n; j++) {
    let y = a[base + j]!;
    if (Math.abs(x) < Math.abs(y)) {
      const tmp = x;
      x = y;
      y = tmp;
    }
    const hi = x + y;
    const lo = y - (hi - x);
    if (lo !== 0) a[base + i++] = lo;
    x = hi;
  }
  if (x !== 0) a[base + i++] = x;
  return i;
}

/** `sumValue` of `n` partials stored in `a` from `base`. */
export function sumValueAt(a: Readonly<Partials>, base: number, n: number): number {
  if (n === 0) return 0;
  let hi = a[base + --n]!;
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = a[base + --n]!;
    hi = x + y;
    const yr = hi - x;
    lo = y - yr;
    if (lo !== 0) break;
  }
  // Half-even rounding across partials: if the remainder is exactly half an ulp in the same
  // direction as the next partial, the true sum lies beyond the halfway point.
  if (n > 0 && ((lo < 0 && a[base + n - 1]! < 0) || (lo > 0 && a[base + n - 1]! > 0))) {
    const y = lo * 2;
    const x = hi + y;
    const yr = x - hi;
    if (y === yr) hi = x;
  }
  return hi + 0;
}
