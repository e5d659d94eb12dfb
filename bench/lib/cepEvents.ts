/**
 * Deterministic event streams for the CEP benchmarks (bench/cep.bench.ts and its durable_rules
 * peer, which runs in a child process and must see exactly the same events).
 */
import type { ArgusEvent } from '../../src/events/index.ts';

export interface CepStream {
  events: ArgusEvent[];
  /** Key number of each event (for runs that keep states in an array). */
  slots: Int32Array;
}

/** Event types drawn uniformly: a, b and c 10 % each, other types 70 %. */
const TYPES = ['a', 'b', 'c', 'view', 'view', 'click', 'view', 'search', 'view', 'click'];

/** `n` events over `keys` keys (`user-<i>`), event time = index in ms (1 ms apart), mulberry32 from `seed`. */
export function generateCepEvents(n: number, keys: number, seed = 42): CepStream {
  const slots = new Int32Array(n);
  let s = seed;
  const rnd = (): number => {
    // mulberry32
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const names = Array.from({ length: keys }, (_, i) => `user-${i}`);
  const events: ArgusEvent[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const k = (rnd() * keys) | 0;
    slots[i] = k;
    const key = names[k]!;
    const type = TYPES[(rnd() * 10) | 0]!;
    const id = `ev-${i}`;
    events[i] = { id, type, time: i, key, data: { id, type, timestamp: i, userId: key, amount: i % 500 } };
  }
  return { events, slots };
}

/** Wall and CPU time of a run (CPU time is the steadier figure on a shared machine). */
export interface Timing {
  ms: number;
  cpuMs: number;
}

export interface Clock {
  wall: number;
  cpu: NodeJS.CpuUsage;
}

export const startClock = (): Clock => ({ wall: performance.now(), cpu: process.cpuUsage() });

export function since(start: Clock): Timing {
  const cpu = process.cpuUsage(start.cpu);
  return { ms: performance.now() - start.wall, cpuMs: (cpu.user + cpu.system) / 1000 };
}
