import { describe, expect, it } from 'vitest';
import { stableStringify } from './stableStringify.ts';

describe('stableStringify', () => {
  it('sorts keys at every level whatever the insertion order, and parses back equal', () => {
    const a = { b: 1, a: { y: [3, { d: null, c: 'x' }], x: true } };
    const b = { a: { x: true, y: [3, { c: 'x', d: null }] }, b: 1 };
    expect(stableStringify(a)).toBe(stableStringify(b));
    expect(stableStringify(a, 0)).toBe('{"a":{"x":true,"y":[3,{"c":"x","d":null}]},"b":1}');
    expect(JSON.parse(stableStringify(a))).toEqual(a);
  });
  it('leaves out undefined members and writes non-finite numbers as null', () => {
    expect(stableStringify({ a: undefined, b: Number.NaN, c: [] , d: {} }, 0)).toBe('{"b":null,"c":[],"d":{}}');
  });
});
