import { describe, expect, it } from 'vitest';
import { keyStateCodec, newKeyState } from './KeyState.ts';

describe('keyStateCodec', () => {
  it('round-trips a key state with history, ids, derived events and opaque parts', () => {
    const s = newKeyState();
    s.eventCount = 3;
    s.firstSeen = 10;
    s.lastSeen = 30;
    s.decisions = [1, 1, 1];
    s.recent = [
      { id: 'a', type: 'transaction', time: 10, decision: 'allow', score: 0 },
      { id: 'b', type: 'login', time: 20, decision: 'deny', score: 95.5 },
      { id: 'match:x:1', type: 'match:x', time: 20 },
    ];
    s.ids = new Map([
      ['a', 10],
      ['b', 20],
    ]);
    s.cepTime = 20;
    s.deadline = 50;
    s.features = { v: 1, f: { h: { c: 1 } } };
    const back = keyStateCodec.decode(keyStateCodec.encode(s));
    expect(back).toEqual(s);
    expect(keyStateCodec.encode(back)).toBe(keyStateCodec.encode(s));
  });

  it('refuses an unknown version instead of guessing', () => {
    expect(() => keyStateCodec.decode('{"v":9}')).toThrow(/version 9/);
  });
});
