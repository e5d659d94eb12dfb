import { describe, expect, it } from 'vitest';
import { compileOwnPath } from './ownPath.ts';

describe('compileOwnPath', () => {
  it('reads own properties at any depth, unrolled or not', () => {
    const o = { a: { b: { c: { d: { e: 5 } } } }, list: [{ x: 1 }] };
    expect(compileOwnPath(['a'])(o)).toBe(o.a);
    expect(compileOwnPath(['a', 'b'])(o)).toBe(o.a.b);
    expect(compileOwnPath(['a', 'b', 'c'])(o)).toBe(o.a.b.c);
    expect(compileOwnPath(['a', 'b', 'c', 'd'])(o)).toBe(o.a.b.c.d);
    expect(compileOwnPath(['a', 'b', 'c', 'd', 'e'])(o)).toBe(5);
    expect(compileOwnPath(['list', '0', 'x'])(o)).toBe(1);
  });

  it('never reads through the prototype, and stops at null and primitives', () => {
    expect(compileOwnPath(['constructor'])({})).toBeUndefined();
    expect(compileOwnPath(['a', 'toString'])({ a: {} })).toBeUndefined();
    expect(compileOwnPath(['list', 'map'])({ list: [] })).toBeUndefined();
    expect(compileOwnPath(['a', 'length'])({ a: 'abc' })).toBeUndefined();
    expect(compileOwnPath(['a', 'b'])({ a: null })).toBeUndefined();
    expect(compileOwnPath(['a'])(null)).toBeUndefined();
    const polluted = Object.create({ amount: 1 }) as Record<string, unknown>;
    expect(compileOwnPath(['amount'])(polluted)).toBeUndefined();
  });
});
