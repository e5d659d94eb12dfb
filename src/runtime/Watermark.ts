export interface WatermarkOptions {
  /** Bounded out-of-orderness: the watermark trails the latest event time by this much (default 5 s). */
  outOfOrdernessMs?: number;
  /**
   * Live sources: event time keeps advancing with the wall clock after the latest event, so
   * windows expire and trailing `notFollowedBy` matches complete while the source is idle
   * (default true; replay turns it off).
   */
  idleAdvance?: boolean;
  /** How often due timers are checked, in ms (default 250). */
  tickMs?: number;
  /**
   * Live sources: an event time further than this ahead of the wall clock does not move the
   * watermark (default 60 s), so one event with a wrong clock cannot make every other event late.
   */
  maxFutureMs?: number;
  /** The wall clock (swappable in tests). */
  clock?: () => number;
}

interface Timer {
  deadline: number;
  key: string;
}

/** Due timers fired per turn of the event loop (see `Watermark.fire`). */
export const FIRE_SLICE = 128;

/**
 * Event time of the runtime: a watermark with bounded out-of-orderness, and a timer per key (its
 * earliest pattern deadline) that fires once the watermark reaches it. A min-heap with lazy
 * deletion: `schedule` replaces a key's timer, stale heap entries are skipped when they surface.
 */
export class Watermark {
  readonly outOfOrdernessMs: number;
  readonly idleAdvance: boolean;
  readonly tickMs: number;
  readonly maxFutureMs: number;
  private readonly clock: () => number;
  private maxEventTime = Number.NEGATIVE_INFINITY;
  private wallAtMax = 0;
  private value = Number.NEGATIVE_INFINITY;
  private readonly heap: Timer[] = [];
  private readonly deadlines = new Map<string, number>();
  private interval: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  /** Called for each key whose timer is due, with the watermark; set by the engine. */
  onDue: (key: string, time: number) => Promise<void> = async () => {};
  /** Called when a timer callback fails (the timer is not re-armed; the key's next event re-arms it). */
  onError: (err: unknown) => void = (err) => console.error('argus: timer failed:', err);

  constructor(options: WatermarkOptions = {}) {
    this.outOfOrdernessMs = options.outOfOrdernessMs ?? 5_000;
    this.idleAdvance = options.idleAdvance ?? true;
    this.tickMs = options.tickMs ?? 250;
    this.maxFutureMs = options.maxFutureMs ?? 60_000;
    this.clock = options.clock ?? Date.now;
  }

  /** An event's time was seen. */
  observe(time: number): void {
    if (time > this.maxEventTime) {
      if (this.idleAdvance && time > this.clock() + this.maxFutureMs) return;
      this.maxEventTime = time;
      this.wallAtMax = this.clock();
    }
  }

  /** The current watermark: no event older than it is expected any more. Never goes back. */
  current(): number {
    if (this.maxEventTime !== Number.NEGATIVE_INFINITY) {
      let w = this.maxEventTime - this.outOfOrdernessMs;
      if (this.idleAdvance) w += Math.max(0, this.clock() - this.wallAtMax);
      if (w > this.value) this.value = w;
    }
    return this.value;
  }

  /** Moves the watermark to at least `time` (replay, end of input: `Infinity`). */
  advanceTo(time: number): void {
    if (time > this.value) this.value = time;
  }

  /** Arms (or moves) the key's timer. */
  schedule(key: string, deadline: number): void {
    if (this.deadlines.get(key) === deadline) return;
    this.deadlines.set(key, deadline);
    this.push({ deadline, key });
  }

  cancel(key: string): void {
    this.deadlines.delete(key);
  }

  /** Keys with an armed timer. */
  get pending(): number {
    return this.deadlines.size;
  }

  /** Fires every due timer; resolves when their callbacks are done. Ticks never overlap. */
  tick(): Promise<void> {
    if (this.ticking !== undefined) return this.ticking;
    const w = this.current();
    const due: string[] = [];
    while (this.heap.length > 0 && this.heap[0]!.deadline <= w) {
      const t = this.pop();
      if (this.deadlines.get(t.key) === t.deadline) {
        this.deadlines.delete(t.key);
        due.push(t.key);
      }
    }
    if (due.length === 0) return Promise.resolve();
    this.ticking = this.fire(due, w).then(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  /**
   * Runs the due keys' callbacks, `FIRE_SLICE` per turn of the event loop: a burst of due timers
   * (after an idle spell, or keys restored together) yields to requests between slices instead
   * of stalling them. An event that arrives for a key still waiting advances that key's time
   * itself; its late timer then finds nothing left to expire.
   */
  private async fire(due: string[], w: number): Promise<void> {
    const running: Promise<void>[] = new Array(due.length);
    for (let i = 0; i < due.length; i++) {
      if (i > 0 && i % FIRE_SLICE === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      running[i] = this.onDue(due[i]!, w).catch(this.onError);
    }
    await Promise.all(running);
  }

  /** Starts checking timers on the wall clock (live sources). */
  start(): void {
    if (this.interval !== undefined) return;
    this.interval = setInterval(() => void this.tick(), this.tickMs);
    this.interval.unref();
  }

  stop(): void {
    if (this.interval !== undefined) clearInterval(this.interval);
    this.interval = undefined;
  }

  private push(t: Timer): void {
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent]!.deadline <= t.deadline) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = t;
  }

  private pop(): Timer {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const r = l + 1;
        const c = r < h.length && h[r]!.deadline < h[l]!.deadline ? r : l;
        if (h[c]!.deadline >= last.deadline) break;
        h[i] = h[c]!;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}
