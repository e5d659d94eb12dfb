import { JsonFragments } from './JsonFragments.ts';
import type { Outcome } from './types.ts';

/** One recent event of a key, as `GET /v1/keys/:key` shows it. */
export interface RecentEvent {
  id: string;
  type: string;
  time: number;
  decision?: Outcome;
  score?: number;
}

const OUTCOMES: readonly Outcome[] = ['allow', 'review', 'deny'];
const OUTCOME_INDEX: Record<Outcome, number> = { allow: 0, review: 1, deny: 2 };

/**
 * A key's most recent events, newest last, bounded. Held only as JSON text (five values per
 * event: id, type, time, outcome index or -1, score or null), because the state store writes it
 * at every group commit and `GET /v1/keys/:key` is the only reader of the entries.
 */
export class RecentLog {
  private readonly json = new JsonFragments();

  get length(): number {
    return this.json.count;
  }

  /** Appends an event and drops the oldest beyond `limit`. */
  push(entry: RecentEvent, limit: number): void {
    // One JSON.stringify gives a flat string; a concatenation would be a rope that every join re-walks.
    const text = JSON.stringify([
      entry.id,
      entry.type,
      entry.time,
      entry.decision === undefined ? -1 : OUTCOME_INDEX[entry.decision],
      entry.score === undefined ? null : entry.score,
    ]);
    this.json.push(text.slice(1, -1));
    while (this.json.count > limit) this.json.shift();
  }

  /** The entries, oldest first. */
  toArray(): RecentEvent[] {
    return RecentLog.decodeFlat(JSON.parse('[' + this.json.toString() + ']') as (string | number | null)[]);
  }

  /** The flat JSON text (the inside of an array). */
  toJsonItems(): string {
    return this.json.toString();
  }

  static of(entries: readonly RecentEvent[], limit = Infinity): RecentLog {
    const log = new RecentLog();
    for (const e of entries) log.push(e, limit);
    return log;
  }

  /** Entries from the flat form `[id, type, time, outcome, score, …]`. */
  static decodeFlat(flat: readonly (string | number | null)[]): RecentEvent[] {
    const out: RecentEvent[] = [];
    for (let j = 0; j + 4 < flat.length; j += 5) {
      const entry: RecentEvent = { id: flat[j] as string, type: flat[j + 1] as string, time: flat[j + 2] as number };
      const d = flat[j + 3] as number;
      if (d >= 0) entry.decision = OUTCOMES[d];
      if (flat[j + 4] !== null) entry.score = flat[j + 4] as number;
      out.push(entry);
    }
    return out;
  }
}
