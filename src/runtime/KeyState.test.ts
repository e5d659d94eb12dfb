import { describe, expect, it } from 'vitest';
import { IdWindow } from './IdWindow.ts';
import { keyStateCodec, newKeyState } from './KeyState.ts';
import { RecentLog } from './RecentLog.ts';

describe('keyStateCodec', () => {
  it('round-trips a key state with history, ids, derived events and opaque parts', () => {
    const s = newKeyState();
    s.eventCount = 3;
    s.firstSeen = 10;
    s.lastSeen = 30;
    s.decisions = [1, 1, 1];
    s.recent = RecentLog.of([
      { id: 'a', type: 'transaction', time: 10, decision: 'allow', score: 0 },
      { id: 'b', type: 'login', time: 20, decision: 'deny', score: 95.5 },
      { id: 'match:x:1', type: 'match:x', time: 20 },
    ]);
    s.ids = IdWindow.of([
      ['a', 10],
      ['b', 20],
    ]);
    s.cepTime = 20;
    s.deadline = 50;
    s.features = { v: 1, f: { h: { c: 1 } } };
    const back = keyStateCodec.decode(keyStateCodec.encode(s));
    expect(back.recent.toArray()).toEqual(s.recent.toArray());
    expect(back.recent.toArray()[1]).toEqual({ id: 'b', type: 'login', time: 20, decision: 'deny', score: 95.5 });
    const ids: [string, number][] = [];
    back.ids.forEach((id, time) => ids.push([id, time]));
    expect(ids).toEqual([['a', 10], ['b', 20]]);
    expect({ ...back, recent: null, ids: null }).toEqual({ ...s, recent: null, ids: null });
    expect(keyStateCodec.encode(back)).toBe(keyStateCodec.encode(s));
  });

  it('refuses an unknown version instead of guessing', () => {
    expect(() => keyStateCodec.decode('{"v":9}')).toThrow(/version 9/);
  });
});

describe('keyStateCodec text', () => {
  it('writes valid JSON for ids and types that need escaping, and non-finite numbers as null', () => {
    const s = newKeyState();
    s.eventCount = 2;
    s.recent = RecentLog.of([{ id: 'q"uote\\\n', type: 'ty\u2028pe', time: 5, decision: 'review', score: Number.NaN }]);
    s.ids = IdWindow.of([['q"uote\\\n', 5], ['\u00e9\ud83d\ude00', 6]]);
    const text = keyStateCodec.encode(s);
    const doc = JSON.parse(text) as { r: unknown[]; i: unknown[] };
    expect(doc.r).toEqual(['q"uote\\\n', 'ty\u2028pe', 5, 1, null]);
    expect(doc.i).toEqual(['q"uote\\\n', 5, '\u00e9\ud83d\ude00', 6]);
    const back = keyStateCodec.decode(text);
    expect(back.ids.has('\u00e9\ud83d\ude00')).toBe(true);
    expect(back.recent.toArray()[0]!.id).toBe('q"uote\\\n');
  });
});

describe('IdWindow', () => {
  it('forgets ids oldest first and keeps membership exact across compactions', () => {
    const w = new IdWindow();
    for (let i = 0; i < 500; i++) w.add(`e${i}`, i);
    const forgotten: string[] = [];
    while (w.size > 100) forgotten.push(w.shift()!);
    expect(forgotten).toEqual(Array.from({ length: 400 }, (_, i) => `e${i}`));
    expect(w.has('e399')).toBe(false);
    expect(w.has('e400')).toBe(true);
    expect(w.oldestId()).toBe('e400');
    expect(w.oldestTime()).toBe(400);
    const seen: string[] = [];
    w.forEach((id) => seen.push(id));
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => `e${400 + i}`));
  });
});

describe('RecentLog', () => {
  it('keeps the newest entries up to its limit, in order, through many pushes', () => {
    const log = new RecentLog();
    for (let i = 0; i < 300; i++) log.push({ id: `e${i}`, type: i % 2 ? 'login' : 'transaction', time: i, ...(i % 3 ? {} : { decision: 'deny' as const, score: i }) }, 5);
    expect(log.length).toBe(5);
    expect(log.toArray()).toEqual([
      { id: 'e295', type: 'login', time: 295 },
      { id: 'e296', type: 'transaction', time: 296 },
      { id: 'e297', type: 'login', time: 297, decision: 'deny', score: 297 },
      { id: 'e298', type: 'transaction', time: 298 },
      { id: 'e299', type: 'login', time: 299 },
    ]);
    expect(JSON.parse(`[${log.toJsonItems()}]`)).toHaveLength(25);
  });
});

describe('IdWindow duplicates', () => {
  it('adding an id already in the window changes nothing', () => {
    const w = IdWindow.of([['a', 1], ['b', 2]]);
    w.add('a', 3);
    expect(w.size).toBe(2);
    expect(w.shift()).toBe('a');
    expect(w.has('a')).toBe(false);
    expect(w.toJsonItems()).toBe('"b",2');
  });
});
