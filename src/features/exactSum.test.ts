import { describe, expect, it } from 'vitest';
import { sumAdd, sumValue } from './exactSum.ts';

function sum(values: number[]): number {
  const p: number[] = [];
  for (const v of values) sumAdd(p, v);
  return sumValue(p);
}

describe('exact sums', () => {
  it('round the exact sum once', () => {
    expect(sum(Array(10).fill(0.1))).toBe(1); // naive addition gives 0.9999999999999999
    expect(sum([1e100, 1, -1e100])).toBe(1); // naive addition gives 0
    expect(sum([0.1, 0.2])).toBe(0.30000000000000004); // the doubles' exact sum, correctly rounded
    expect(sum([])).toBe(0);
  });

  it('subtracting what was added leaves no drift', () => {
    const p: number[] = [];
    const xs = [0.1, 12.34, 1e-7, 99.99, 3.3];
    for (const x of xs) sumAdd(p, x);
    for (const x of xs.slice(0, 4)) sumAdd(p, -x);
    expect(sumValue(p)).toBe(3.3);
    sumAdd(p, -3.3);
    expect(sumValue(p)).toBe(0);
    expect(p.length).toBe(0);
  });

  it('rounds half-way cases to even across partials', () => {
    // 1 + 2^-53 is exactly half-way between 1 and 1 + 2^-52: ties to even gives 1, but a
    // further tiny positive partial pushes it up.
    expect(sum([1, 2 ** -53])).toBe(1);
    expect(sum([1, 2 ** -53, 2 ** -80])).toBe(1 + 2 ** -52);
  });
});
