import { decodeState, encodeStateJson, type KeyState as MatcherState } from '../cep/index.ts';
import { FeatureState } from '../features/index.ts';
import { IdWindow } from './IdWindow.ts';
import { RecentLog, type RecentEvent } from './RecentLog.ts';
import type { Outcome } from './types.ts';

export type { RecentEvent };

/** One pattern's matcher state for a key, tagged with the pattern definition it belongs to. */
export interface PatternSlot {
  /** Hash of the pattern definition; a slot whose hash differs from the catalog's is dropped. */
  hash: string;
  state: MatcherState;
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
  recent: RecentLog;
  /**
   * Event ids decided for this key, with their event time, oldest first: the idempotency
   * window. Bounded by count and by event time (see `EngineLimits`).
   */
  ids: IdWindow;
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
    recent: new RecentLog(),
    ids: new IdWindow(),
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

/**
 * The codec of key state in the store: compact JSON, versioned. `encode` runs for every dirty key
 * at every group commit, so it writes the text directly (no intermediate document).
 */
export const keyStateCodec = {
  encode(state: KeyState): string {
    // (JSON.stringify of a number or null writes what JSON.stringify of the whole document would)
    let s =
      '{"v":1,"n":' + JSON.stringify(state.eventCount) +
      ',"f":' + JSON.stringify(state.firstSeen) +
      ',"l":' + JSON.stringify(state.lastSeen) +
      ',"d":' + JSON.stringify(state.decisions) +
      ',"r":[' + state.recent.toJsonItems() +
      '],"i":[' + state.ids.toJsonItems() + ']';
    if (state.cep !== undefined) {
      let c = '';
      for (const [id, slot] of state.cep) c += (c === '' ? '' : ',') + JSON.stringify(id) + ':[' + JSON.stringify(slot.hash) + ',' + encodeStateJson(slot.state) + ']';
      s += ',"c":{' + c + '}';
    }
    if (state.cepTime !== null) s += ',"ct":' + JSON.stringify(state.cepTime);
    if (state.deadline !== null) s += ',"dl":' + JSON.stringify(state.deadline);
    const features = state.features;
    if (features !== undefined) {
      // a live feature state writes its text directly; one decoded but not used since is JSON already
      const x = features instanceof FeatureState ? features.owner.encodeText(features) : JSON.stringify(features);
      if (x !== undefined) s += ',"x":' + x;
    }
    return s + '}';
  },
  decode(text: string): KeyState {
    const doc = JSON.parse(text) as EncodedKeyState;
    if (doc.v !== 1) throw new Error(`unknown key state version ${String(doc.v)}`);
    const ids = new IdWindow();
    for (let j = 0; j + 1 < doc.i.length; j += 2) {
      ids.add(doc.i[j] as string, doc.i[j + 1] as number);
    }
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
      recent: RecentLog.of(RecentLog.decodeFlat(doc.r)),
      ids,
      cep,
      cepTime: doc.ct ?? null,
      deadline: doc.dl ?? null,
      features: doc.x,
    };
  },
};
