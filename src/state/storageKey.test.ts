import { describe, expect, it } from 'vitest';
import { nameOf, storageKey } from './storageKey.ts';

describe('storageKey', () => {
  const names = ['', ':', 'a:b', 'k:x', '日本', '😀', '\ud800', 'a\udc00', '\ud83d', '"quoted"'];

  it('is injective across spaces and names, and nameOf inverts it', () => {
    const seen = new Set<string>();
    for (const space of ['k', 'r', 'm'] as const) {
      for (const name of names) {
        const key = storageKey(space, name);
        expect(seen.has(key)).toBe(false);
        seen.add(key);
        expect(nameOf(space, key)).toBe(name);
        for (const other of ['k', 'r', 'm'] as const) if (other !== space) expect(nameOf(other, key)).toBeUndefined();
        // Every storage key survives UTF-8 (what LevelDB stores).
        expect(Buffer.from(key, 'utf8').toString('utf8')).toBe(key);
      }
    }
  });

  it('keeps well-formed names readable', () => {
    expect(storageKey('k', 'user:42')).toBe('k:user:42');
    expect(storageKey('r', 'evt-1')).toBe('r:evt-1');
  });
});
