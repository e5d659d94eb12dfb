import { ArgusError, EngineClosedError } from '../errors.ts';
import type { ArgusEvent } from '../events/ArgusEvent.ts';
import type { EventParser } from '../events/parseEvent.ts';
import type { Catalog } from '../catalog/Catalog.ts';
import type { KeyedStateStore } from '../state/index.ts';
import { newKeyState, OUTCOME_INDEX, type KeyState } from './KeyState.ts';
import type { EngineMetrics } from './engineMetrics.ts';
import type { Decision, DecisionEngine, KeyView, Outcome } from './types.ts';

/** Bounds on what the runtime keeps per key. */
export interface EngineLimits {
  /** Recent events shown by `GET /v1/keys/:key` (default 20). */
  recentEventsPerKey: number;
  /** Event ids remembered per key for idempotency (default 1,000; the oldest are forgotten first). */
  idsPerKey: number;
  /** Event-time span for which an event id is remembered (default 24 h before the key's latest event). */
  idempotencyWindowMs: number;
}

export const DEFAULT_LIMITS: EngineLimits = {
  recentEventsPerKey: 20,
  idsPerKey: 1_000,
  idempotencyWindowMs: 24 * 3_600_000,
};

const OUTCOMES: Outcome[] = ['allow', 'review', 'deny'];
const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});

/** Name of the record holding the decision of one event id of one key. */
function decisionRecord(key: string, eventId: string): string {
  return `d\u0000${key}\u0000${eventId}`;
}

/**
 * The keyed runtime: per event, load the key's state once (then it stays hot), evaluate the
 * catalog synchronously, update the state in place, and acknowledge once group commit made the
 * change durable. Events of one key are processed in arrival order.
 */
export class Engine implements DecisionEngine {
  private catalogRef: Catalog;
  private closed = false;

  constructor(
    catalog: Catalog,
    private readonly store: KeyedStateStore<KeyState>,
    readonly parser: EventParser,
    private readonly metrics: EngineMetrics,
    private readonly limits: EngineLimits = DEFAULT_LIMITS,
  ) {
    this.catalogRef = catalog;
  }

  get catalog(): Catalog {
    return this.catalogRef;
  }

  get catalogVersion(): string {
    return this.catalogRef.version;
  }

  /** Replaces the running catalog: one reference assignment; in-flight decisions keep the one they started with. */
  swapCatalog(next: Catalog): void {
    this.catalogRef = next;
  }

  decide(event: ArgusEvent): Promise<Decision> {
    return this.process(event);
  }

  async ingest(event: ArgusEvent): Promise<void> {
    await this.process(event);
  }

  private async process(event: ArgusEvent): Promise<Decision> {
    if (this.closed) throw new EngineClosedError();
    const start = performance.now();
    const key = event.key;
    let state = this.store.peek(key);
    if (state === undefined) {
      const loaded = await this.store.load(key);
      // Another event of this key may have created the state while we waited: take the live one.
      state = this.store.peek(key) ?? loaded;
      if (state === undefined) state = newKeyState();
      if (this.store.peek(key) !== state) this.store.set(key, state);
    }
    if (state.ids.has(event.id)) return this.duplicate(event, start);

    const decision = this.evaluate(this.catalogRef, state, event);
    this.record(state, event, decision);
    this.store.markDirty(key);
    this.store.putRecord(decisionRecord(key, event.id), JSON.stringify(decision));
    await this.store.commit();
    decision.latencyMs = performance.now() - start;
    this.metrics.decisionLatency.observe(decision.latencyMs / 1000);
    return decision;
  }

  /** The synchronous heart: facts → rules → policy. Pure but for metrics. */
  private evaluate(catalog: Catalog, state: KeyState, event: ArgusEvent): Decision {
    void state; // history features and patterns plug in here (they read the key's prior state)
    const facts = { event: event.data, features: EMPTY, matches: EMPTY, lists: EMPTY };
    const outcome = catalog.evaluate(event.type, facts);
    for (let i = 0; i < outcome.reasons.length; i++) this.metrics.ruleHit(outcome.reasons[i]!.rule, 'enforce');
    for (let i = 0; i < outcome.shadow.length; i++) this.metrics.ruleHit(outcome.shadow[i]!.rule, 'shadow');
    this.metrics.decisions[OUTCOME_INDEX[outcome.decision]].inc();
    return {
      eventId: event.id,
      key: event.key,
      decision: outcome.decision,
      score: outcome.score,
      reasons: outcome.reasons,
      shadow: outcome.shadow,
      matches: [],
      catalogVersion: catalog.version,
      latencyMs: 0,
    };
  }

  /** Adds the event to the key's history. */
  private record(state: KeyState, event: ArgusEvent, decision: Decision): void {
    const limits = this.limits;
    state.eventCount++;
    if (state.firstSeen === null || event.time < state.firstSeen) state.firstSeen = event.time;
    if (state.lastSeen === null || event.time > state.lastSeen) state.lastSeen = event.time;
    state.decisions[OUTCOME_INDEX[decision.decision]]++;
    state.recent.push({ id: event.id, type: event.type, time: event.time, decision: decision.decision, score: decision.score });
    if (state.recent.length > limits.recentEventsPerKey) state.recent.shift();
    const ids = state.ids;
    ids.set(event.id, event.time);
    // Forget the oldest ids past the count bound or the event-time window (and their stored decisions).
    const cutoff = state.lastSeen - limits.idempotencyWindowMs;
    for (const [id, time] of ids) {
      if (ids.size <= limits.idsPerKey && time >= cutoff) break;
      ids.delete(id);
      this.store.deleteRecord(decisionRecord(event.key, id));
    }
  }

  private async duplicate(event: ArgusEvent, start: number): Promise<Decision> {
    this.metrics.duplicates.inc();
    const stored = await this.store.getRecord(decisionRecord(event.key, event.id));
    if (stored === undefined) {
      throw new ArgusError(`event ${event.id} was processed before but its decision is no longer stored`, {
        code: 'DUPLICATE_EVENT',
      });
    }
    // The first request with this id may still be waiting for its batch: answer after it is durable too.
    await this.store.commit();
    const decision = JSON.parse(stored) as Decision;
    decision.duplicate = true;
    decision.latencyMs = performance.now() - start;
    return decision;
  }

  async inspectKey(key: string): Promise<KeyView | undefined> {
    const state = this.store.peek(key) ?? (await this.store.load(key));
    if (state === undefined) return undefined;
    const decisions = {} as Record<Outcome, number>;
    for (let i = 0; i < OUTCOMES.length; i++) decisions[OUTCOMES[i]!] = state.decisions[i]!;
    return {
      key,
      eventCount: state.eventCount,
      firstSeen: state.firstSeen,
      lastSeen: state.lastSeen,
      decisions,
      recent: state.recent.slice(),
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.store.close();
  }
}
