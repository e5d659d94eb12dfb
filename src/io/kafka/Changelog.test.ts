import type { Kafka, Producer } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { keyStateCodec, newKeyState, type KeyState } from '../../runtime/KeyState.ts';
import { KeyedStateStore, MemoryBackend } from '../../state/index.ts';
import { Changelog } from './Changelog.ts';

/** The changelog's bookkeeping of keys per partition (no broker needed: nothing is sent here). */
async function changelogOnMemory(): Promise<{ changelog: Changelog; store: KeyedStateStore<KeyState> }> {
  const store = await new KeyedStateStore<KeyState>(new MemoryBackend(), { codec: keyStateCodec }).open();
  return { changelog: new Changelog({} as Kafka, {} as Producer, 'test.changelog', store), store };
}

const stateText = (eventCount: number): string => keyStateCodec.encode({ ...newKeyState(), eventCount });

describe('Changelog keys per partition', () => {
  it('puts a key changed by a timer in the partition that knows it, and nowhere else', async () => {
    const { changelog } = await changelogOnMemory();
    changelog.apply(2, { states: new Map([['u1', { value: stateText(3), offset: 10 }]]), resume: 11, skip: new Map() });
    changelog.apply(3, { states: new Map([['u2', { value: stateText(1), offset: 4 }]]), resume: 5, skip: new Map() });
    expect(changelog.pending().size).toBe(0);
    expect(changelog.touchKnown('u2')).toBe(true);
    expect(changelog.touchKnown('stranger')).toBe(false);
    expect([...changelog.pending()].map(([p, keys]) => [p, [...keys]])).toEqual([[3, ['u2']]]);
    expect([...changelog.keysOf(2)]).toEqual(['u1']);
    expect([...changelog.keysOf(9)]).toEqual([]);
  });

  it('dropping a partition removes its keys from the store and forgets them', async () => {
    const { changelog, store } = await changelogOnMemory();
    changelog.apply(1, { states: new Map([['a', { value: stateText(2), offset: 7 }], ['b', { value: stateText(5), offset: 8 }]]), resume: 9, skip: new Map() });
    expect(store.peek('a')!.eventCount).toBe(2);
    expect(changelog.drop(1)).toBe(2);
    expect(store.peek('a')).toBeUndefined();
    expect(changelog.touchKnown('a')).toBe(false);
    expect([...changelog.keysOf(1)]).toEqual([]);
    await store.close();
  });
});
