import { decodeState, encodeState, type KeyState as MatcherState } from '../cep/index.ts';
import type { Outcome } from './types.ts';

/** One pattern's matcher state for a key, tagged with the pattern definition it belongs to. */
export interface PatternSlot {
  /** Hash of the pattern definition; a slot whose hash differs from the catalog's is dropped. */
  hash: string;
  state: MatcherState;
}

/** One recent event of a key, as `GET /v1/keys/:key` shows it. */
export interface RecentEvent {
  id: string;
  type: string;
  time: number;
  decision?: Outcome;
  score?: number;
}

/**
 * Everything Argus holds for one key. Mutated in place by the runtime (one key is processed
 * serially), written back to the state store by group commit.
 */
export interface KeyState {
  eventCount: number;
  firstSeen: number | null;
  lastSeen: number | null;
  /** Decisions by outcome: allow, review, deny. */
  decisions: [number, number, number];
  /** The most recent events, newest last (bounded by `recentLimit`). */
  recent: RecentEvent[];
  /**
   * Event ids decided for this key, with their event time, oldest first: the idempotency
   * window. Bounded by count and by event time (see `EngineLimits`).
   */
  ids: Map<string, number>;
  /** Live partial matches per pattern id; undefined when the key has none (the common case). */
  cep: Map<string, PatternSlot> | undefined;
  /** Event time of the latest event the key's patterns took (events older than it are late for CEP). */
  cepTime: number | null;
  /** Earliest time at which a pattern of this key needs time to pass (a window ends), or null. */
  deadline: number | null;
  /** History-feature state (opaque, JSON-safe). */
  features: unknown;
}

export const OUTCOME_INDEX: Record<Outcome, 0 | 1 | 2> = { allow: 0, review: 1, deny: 2 };

export function newKeyState(): KeyState {
  return {
    eventCount: 0,
    firstSeen: null,
    lastSeen: null,
    decisions: [0, 0, 0],
    recent: [],
    ids: new Map(),
    cep: undefined,
    cepTime: null,
    deadline: null,
    features: undefined,
  };
}

interface EncodedKeyState {
  v: 1;
  n: number;
  f: number | null;
  l: number | null;
  d: [number, number, number];
  /** recent events, flattened: [id, type, time, outcome index or -1, score or null, …] */
  r: (string | number | null)[];
  /** ids and times, flattened: [id0, t0, id1, t1, …] */
  i: (string | number)[];
  /** pattern id → [definition hash, matcher state] */
  c?: Record<string, [string, unknown]>;
  ct?: number;
  dl?: number;
  x?: unknown;
}

/** The codec of key state in the store: compact JSON, versioned. */
export const keyStateCodec = {
  encode(state: KeyState): string {
    const ids: (string | number)[] = [];
    for (const [id, time] of state.ids) ids.push(id, time);
    const doc: EncodedKeyState = {
      v: 1,
      n: state.eventCount,
      f: state.firstSeen,
      l: state.lastSeen,
      d: state.decisions,
      r: encodeRecent(state.recent),
      i: ids,
    };
    if (state.cep !== undefined) {
      const c: Record<string, [string, unknown]> = {};
      for (const [id, slot] of state.cep) c[id] = [slot.hash, encodeState(slot.state)];
      doc.c = c;
    }
    if (state.cepTime !== null) doc.ct = state.cepTime;
    if (state.deadline !== null) doc.dl = state.deadline;
    if (state.features !== undefined) doc.x = state.features;
    return JSON.stringify(doc);
  },
  decode(text: string): KeyState {
    const doc = JSON.parse(text) as EncodedKeyState;
    if (doc.v !== 1) throw new Error(`unknown key state version ${String(doc.v)}`);
    const ids = new Map<string, number>();
    for (let j = 0; j + 1 < doc.i.length; j += 2) ids.set(doc.i[j] as string, doc.i[j + 1] as number);
    let cep: Map<string, PatternSlot> | undefined;
    if (doc.c !== undefined) {
      cep = new Map();
      for (const id of Object.keys(doc.c)) {
        const [hash, encoded] = doc.c[id]!;
        const state = decodeState(encoded);
        if (state !== undefined) cep.set(id, { hash, state });
      }
      if (cep.size === 0) cep = undefined;
    }
    return {
      eventCount: doc.n,
      firstSeen: doc.f,
      lastSeen: doc.l,
      decisions: doc.d,
      recent: decodeRecent(doc.r),
      ids,
      cep,
      cepTime: doc.ct ?? null,
      deadline: doc.dl ?? null,
      features: doc.x,
    };
  },
};

const OUTCOMES: Outcome[] = ['allow', 'review', 'deny'];

function encodeRecent(recent: readonly RecentEvent[]): (string | number | null)[] {
  const out: (string | number | null)[] = [];
  for (const r of recent) out.push(r.id, r.type, r.time, r.decision === undefined ? -1 : OUTCOME_INDEX[r.decision], r.score ?? null);
  return out;
}

function decodeRecent(flat: (string | number | null)[]): RecentEvent[] {
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
