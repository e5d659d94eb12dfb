import { describe, expect, it } from 'vitest';
import { FIRE_SLICE, Watermark } from './Watermark.ts';

describe('Watermark', () => {
  it('trails the latest event time by the out-of-orderness bound and never goes back', () => {
    const clock = { now: 1_000_000 };
    const w = new Watermark({ outOfOrdernessMs: 100, idleAdvance: false, clock: () => clock.now });
    expect(w.current()).toBe(Number.NEGATIVE_INFINITY);
    w.observe(1_000);
    w.observe(500);
    expect(w.current()).toBe(900);
    clock.now += 10_000; // no wall-clock advance without idleAdvance
    expect(w.current()).toBe(900);
  });

  it('advances with the wall clock while the source is idle', () => {
    const clock = { now: 1_000_000 };
    const w = new Watermark({ outOfOrdernessMs: 100, clock: () => clock.now });
    w.observe(1_000_000);
    clock.now += 5_000;
    expect(w.current()).toBe(1_004_900);
  });

  it('ignores an event time far ahead of the wall clock, so one bad clock cannot make everything late', () => {
    const clock = { now: 1_000_000 };
    const w = new Watermark({ outOfOrdernessMs: 0, maxFutureMs: 60_000, clock: () => clock.now });
    w.observe(999_000);
    w.observe(4_102_444_800_000); // year 2100
    expect(w.current()).toBe(999_000);
    w.observe(1_030_000); // 30 s ahead: a skewed but plausible clock still counts
    expect(w.current()).toBe(1_030_000);
  });

  it('fires each key\'s timer once the watermark passes its deadline, the latest schedule winning', async () => {
    const w = new Watermark({ outOfOrdernessMs: 0, idleAdvance: false });
    const fired: [string, number][] = [];
    w.onDue = async (key, time) => {
      fired.push([key, time]);
    };
    w.schedule('a', 50);
    w.schedule('b', 20);
    w.schedule('a', 30); // moved earlier: the old entry is stale
    w.schedule('c', 100);
    w.cancel('c');
    w.observe(40);
    await w.tick();
    expect(fired).toEqual([
      ['b', 40],
      ['a', 40],
    ]);
    w.advanceTo(Infinity);
    await w.tick();
    expect(fired).toHaveLength(2); // a's stale 50 and the cancelled c do not fire
    expect(w.pending).toBe(0);
  });
});

describe('Watermark bursts', () => {
  it('fires a burst of due timers a slice per turn of the event loop, every one exactly once', async () => {
    const w = new Watermark({ outOfOrdernessMs: 0, idleAdvance: false });
    const fired: string[] = [];
    w.onDue = async (key) => {
      fired.push(key);
    };
    const keys = Array.from({ length: FIRE_SLICE * 3 + 5 }, (_, i) => `k${i}`);
    for (const k of keys) w.schedule(k, 10);
    w.observe(20);
    const ticked = w.tick();
    expect(fired).toHaveLength(FIRE_SLICE); // the first slice now; the rest after other work had its turn
    let requestRan = false;
    setImmediate(() => {
      requestRan = true;
    });
    await ticked;
    expect(requestRan).toBe(true);
    expect(fired.sort()).toEqual([...keys].sort());
    expect(w.pending).toBe(0);
  });
});
