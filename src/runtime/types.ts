import type { ArgusEvent } from '../events/ArgusEvent.ts';

/** Actions a rule can take (its json-rules-engine `event.type`). */
export type RuleAction = 'allow' | 'review' | 'deny' | 'flag';
/** The final outcome of a decision. */
export type Outcome = 'allow' | 'review' | 'deny';

/** One rule that fired. */
export interface Reason {
  rule: string;
  version: number;
  action: RuleAction;
  score: number;
  reason: string;
}

/** A pattern match completed by the event (CEP issue); stages map to event ids. */
export interface MatchSummary {
  pattern: string;
  timestamp: number;
  stages: Record<string, string[]>;
}

/** What `POST /v1/decisions` answers, and what is stored per event id for idempotency. */
export interface Decision {
  eventId: string;
  key: string;
  decision: Outcome;
  score: number;
  reasons: Reason[];
  /** What shadow-mode rules would have done; never affects `decision`. */
  shadow: Reason[];
  matches: MatchSummary[];
  /** Matches of shadow-mode patterns completed by the event (present only when there are some); they affect nothing. */
  shadowMatches?: MatchSummary[];
  catalogVersion: string;
  /** Time spent in the engine for this request, in milliseconds (fractional). */
  latencyMs: number;
  /** True when the event id had been decided before: this is the stored decision, state unchanged. */
  duplicate?: boolean;
}

/** What `GET /v1/keys/:key` shows. */
export interface KeyView {
  key: string;
  eventCount: number;
  firstSeen: number | null;
  lastSeen: number | null;
  decisions: Record<Outcome, number>;
  /** The most recent events (newest last), bounded. */
  recent: { id: string; type: string; time: number; decision?: Outcome; score?: number }[];
  [extra: string]: unknown;
}

/** The keyed runtime as the I/O shell (HTTP, Kafka, replay) sees it. */
export interface DecisionEngine {
  /** Decides an event; resolves once the state change is durable. */
  decide(event: ArgusEvent): Promise<Decision>;
  /** Ingests an event that needs no answer (login, device change); resolves once durable. */
  ingest(event: ArgusEvent): Promise<void>;
  /** What Argus holds for a key, or undefined if it has never seen it. */
  inspectKey(key: string): Promise<KeyView | undefined>;
  readonly catalogVersion: string;
  close(): Promise<void>;
}

/** A pattern match (or timeout) raised as an alert by a pattern with `emit`. */
export interface Alert {
  /** Deterministic: the same match always gets the same id, so consumers can de-duplicate. */
  id: string;
  kind: 'match' | 'timeout';
  pattern: string;
  key: string;
  /** Time of the match (its last event, or the window end); for a timeout, when it expired. */
  timestamp: number;
  stages: Record<string, string[]>;
  /** From the pattern's `emit`: alert type, severity, score, reason, … */
  emit: Record<string, unknown>;
  /** `shadow` when the pattern runs in shadow mode (what it would have raised). */
  mode: 'enforce' | 'shadow';
  catalogVersion: string;
}

/** An event that arrived too late for pattern matching (older than the watermark or its key's time). */
export interface LateEvent {
  eventId: string;
  key: string;
  type: string;
  timestamp: number;
  watermark: number;
  keyTime: number | null;
}

/** Where the runtime writes alerts and late events (JSONL file, stdout, Kafka, …). */
export interface RecordSink<T> {
  write(record: T): void;
  close(): Promise<void>;
}
