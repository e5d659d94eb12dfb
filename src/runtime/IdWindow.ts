import { JsonFragments } from './JsonFragments.ts';

/**
 * The event ids a key has decided, oldest first, with their event times: the idempotency window.
 * A FIFO queue (parallel arrays from `head`) plus a set for membership, so that forgetting the
 * oldest id is O(1) (iterating a `Map` from its start after deletions walks every deleted slot
 * again). The JSON text of the window (`[id0, t0, id1, t1, …]` without brackets) is kept up to
 * date as ids come and go, so writing the key's state does not serialise every id again.
 */
export class IdWindow {
  private readonly members = new Set<string>();
  private ids: string[] = [];
  private times: number[] = [];
  private head = 0;
  private readonly json = new JsonFragments();

  get size(): number {
    return this.members.size;
  }

  has(id: string): boolean {
    return this.members.has(id);
  }

  /** Appends an id; an id already in the window stays where it is. */
  add(id: string, time: number): void {
    if (this.members.has(id)) return;
    this.members.add(id);
    this.ids.push(id);
    this.times.push(time);
    const text = JSON.stringify([id, time]); // flat (a concatenation would be a rope)
    this.json.push(text.slice(1, -1));
  }

  /** The oldest id, or undefined when empty. */
  oldestId(): string | undefined {
    return this.head < this.ids.length ? this.ids[this.head] : undefined;
  }

  /** The event time of the oldest id (NaN when empty). */
  oldestTime(): number {
    return this.head < this.times.length ? this.times[this.head]! : NaN;
  }

  /** Forgets the oldest id and returns it. */
  shift(): string | undefined {
    if (this.head >= this.ids.length) return undefined;
    const id = this.ids[this.head]!;
    this.ids[this.head] = '';
    this.head++;
    this.members.delete(id);
    this.json.shift();
    if (this.head >= 64 && this.head * 2 >= this.ids.length) {
      this.ids = this.ids.slice(this.head);
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return id;
  }

  /** Calls `fn` for each id, oldest first. */
  forEach(fn: (id: string, time: number) => void): void {
    for (let i = this.head; i < this.ids.length; i++) fn(this.ids[i]!, this.times[i]!);
  }

  /** The ids and times as `id0,t0,id1,t1,…` JSON text (the inside of an array). */
  toJsonItems(): string {
    return this.json.toString();
  }

  static of(entries: Iterable<readonly [string, number]>): IdWindow {
    const w = new IdWindow();
    for (const [id, time] of entries) w.add(id, time);
    return w;
  }
}

