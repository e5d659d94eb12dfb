import type { ArgusEvent } from '../events/ArgusEvent.ts';
import type { Predicate } from '../conditions/types.ts';

/** Relation of a stage to the previous one (spec/patterns.md §2.1). */
export type Contiguity = 'next' | 'followedBy' | 'followedByAny' | 'notNext' | 'notFollowedBy';

/**
 * A stage as pattern JSON writes it (spec §2). `W` is how `within` is given: a duration (`"10m"`
 * or ms) in what the builder writes, milliseconds once the schema has parsed it.
 */
export interface StageSource<W> {
  name: string;
  contiguity?: Contiguity;
  where?: unknown;
  times?: number | { min: number; max?: number };
  optional?: boolean;
  greedy?: boolean;
  inner?: 'relaxed' | 'strict' | 'any';
  until?: unknown;
  within?: W;
  group?: StageSource<W>[];
}
/** Contiguity between the events a quantifier takes (§3). */
export type InnerContiguity = 'relaxed' | 'strict' | 'any';

/** After-match skip strategy, normalised (§5). */
export type AfterMatch =
  | { kind: 'noSkip' }
  | { kind: 'skipToNext' }
  | { kind: 'skipPastLastEvent' }
  | { kind: 'skipToFirst' | 'skipToLast'; stage: string; throwOnMiss: boolean };

/** A validated stage, with its conditions compiled. */
export interface StageDefinition {
  name: string;
  contiguity: Contiguity;
  /** Compiled `where` (absent: every event qualifies). */
  where?: Predicate<EvalContext>;
  /** Quantifier: `min`/`max` events (`max` Infinity = unbounded); absent = exactly once. */
  times?: { min: number; max: number };
  optional: boolean;
  greedy: boolean;
  inner: InnerContiguity;
  until?: Predicate<EvalContext>;
  /** Stage window in milliseconds (§4). */
  within?: number;
  group?: StageDefinition[];
}

/** A validated pattern (spec §1); `source` is the JSON it was parsed from. */
export interface PatternDefinition {
  id: string;
  version?: number;
  description?: string;
  key?: string;
  /** Pattern window in milliseconds. */
  within?: number;
  afterMatch: AfterMatch;
  timeouts: boolean;
  stages: StageDefinition[];
  emit?: Record<string, unknown>;
  /** Runtime extension: `shadow` patterns are matched and reported but never feed rules, features or decisions. */
  mode?: 'enforce' | 'shadow';
  /**
   * The event fields the pattern's conditions read from events a partial match has already taken
   * (`field` of its `$stage` facts). When set, a taken event is kept with only these fields (their
   * top-level parts); matches report event ids, so nothing else is ever read back. Undefined:
   * events are kept whole.
   */
  bufferFields?: readonly string[];
  source: unknown;
}

/**
 * What a stage condition sees: the event under test (`data` is what facts read) and the partial
 * match it would extend (for the `$stage` fact). One object per compiled pattern, reused.
 */
export interface EvalContext {
  data: Readonly<Record<string, unknown>>;
  /** The last node of the partial match under test (null for a new match). */
  node: BufferNode | null;
}

/** One event of a key, stored once however many partial matches hold it. */
export interface BufferEntry {
  readonly event: ArgusEvent;
  /** Per-key arrival number: with `event.time`, orders events like FlinkCEP's EventId. */
  readonly seq: number;
  /** Number of nodes that reference this event. */
  refs: number;
  /** @internal `encodeStateJson`'s scratch: the call that last wrote it, and its index there. */
  mark: number;
  index: number;
  /** @internal its encoded form (`[id, type, time, key, data, seq]` as JSON), made once. */
  json: string | undefined;
}

/**
 * One event taken by one stage of a partial match, with a back pointer to the event taken just
 * before: partial matches are chains of these, sharing their common prefixes.
 */
export interface BufferNode {
  readonly entry: BufferEntry;
  /** Index of the stage (in `CompiledPattern.stageNames`) that took the event. */
  readonly stage: number;
  readonly prev: BufferNode | null;
  /** Partial matches and later nodes that point here; released at zero. */
  refs: number;
  /** @internal `encodeStateJson`'s scratch: the call that last wrote it, and its index there. */
  mark: number;
  index: number;
}

/** A partial match (SASE / FlinkCEP `ComputationState`). */
export interface ComputationState {
  /** NFA state id in the compiled pattern. */
  readonly state: number;
  readonly node: BufferNode;
  readonly startTime: number;
  readonly startSeq: number;
  /** Time of the last event taken. */
  readonly prevTime: number;
  /** Event time at which it expires (Infinity: never). */
  readonly deadline: number;
}

/** Everything the matcher holds for one key. `undefined` stands for a key with nothing live. */
export interface KeyState {
  /** Live partial matches, in order of their first event. */
  partials: ComputationState[];
  /** Completed matches held back by a skip strategy (§5), in start order. */
  held: ComputationState[] | null;
  /** Next per-key event number. */
  seq: number;
  /** Events referenced by live nodes. */
  buffered: number;
  /** Earliest deadline of the partial matches (Infinity: none), so idle steps skip expiry. */
  minDeadline: number;
}

/** A match or a timed-out partial match. */
export interface CepResult {
  kind: 'match' | 'timeout';
  pattern: string;
  key: string;
  /** Last event's time; window end for trailing-notFollowedBy matches and timeouts. */
  timestamp: number;
  /** Stage name → events it took, stages in pattern order, events in time order. */
  events: Record<string, ArgusEvent[]>;
}

/** Collects what steps produce; reuse one across steps. */
export interface StepOutput {
  results: CepResult[];
  /** Partial matches dropped because a key reached `maxPartialMatches`. */
  dropped: number;
}

/** The `matchEvents` / `argus match` output record (spec §8). */
export interface MatchOutput {
  kind: 'match' | 'timeout';
  pattern: string;
  key: string;
  timestamp: number;
  stages: Record<string, string[]>;
}
