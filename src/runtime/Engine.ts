import { ArgusError, EngineClosedError } from '../errors.ts';
import type { ArgusEvent } from '../events/ArgusEvent.ts';
import type { EventParser } from '../events/parseEvent.ts';
import type { Catalog, LoadedPattern } from '../catalog/Catalog.ts';
import type { CatalogManager, ReloadResult } from '../catalog/CatalogManager.ts';
import type { FeatureOutput } from '../features/index.ts';
import type { ListRegistry, ListSummary, ListUpdate, ListView } from '../lists/index.ts';
import { advanceTime, createStepOutput, nextDeadline, processEvent, type CepResult, type StepOutput } from '../cep/index.ts';
import type { KeyedStateStore } from '../state/index.ts';
import { newKeyState, OUTCOME_INDEX, type KeyState, type RecentEvent } from './KeyState.ts';
import type { EngineMetrics } from './engineMetrics.ts';
import type { Alert, Decision, DecisionEngine, KeyView, LateEvent, MatchSummary, Outcome, RecordSink } from './types.ts';
import { Watermark } from './Watermark.ts';

/** Bounds on what the runtime keeps per key. */
export interface EngineLimits {
  /** Recent events shown by `GET /v1/keys/:key` (default 20). */
  recentEventsPerKey: number;
  /** Event ids remembered per key for idempotency (default 1,000; the oldest are forgotten first). */
  idsPerKey: number;
  /** Event-time span for which an event id is remembered (default 24 h before the key's latest event). */
  idempotencyWindowMs: number;
  /**
   * Remember event ids and their decisions (default true). Replay turns it off: its input is a
   * fixed file, and memory must grow with keys, not with events.
   */
  idempotency: boolean;
}

export const DEFAULT_LIMITS: EngineLimits = {
  recentEventsPerKey: 20,
  idsPerKey: 1_000,
  idempotencyWindowMs: 24 * 3_600_000,
  idempotency: true,
};

const OUTCOMES: Outcome[] = ['allow', 'review', 'deny'];
const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});

/** Name of the record holding the decision of one event id of one key. */
function decisionRecord(key: string, eventId: string): string {
  return `d\u0000${key}\u0000${eventId}`;
}

/** Metadata record holding the lists' overlay (items added and removed through the admin API). */
export const LISTS_META = 'lists';

/** Prefix of the records holding each key's next CEP deadline (the timers survive a restart). */
export const TIMER_RECORD_PREFIX = 't\u0000';

/** Outputs of the runtime besides decisions. */
export interface EngineSinks {
  alerts?: RecordSink<Alert>;
  late?: RecordSink<LateEvent>;
}

function stagesOf(result: CepResult): Record<string, string[]> {
  const stages: Record<string, string[]> = {};
  for (const name of Object.keys(result.events)) stages[name] = result.events[name]!.map((e) => e.id);
  return stages;
}

/**
 * The keyed runtime: per event, load the key's state once (then it stays hot), evaluate the
 * catalog synchronously, update the state in place, and acknowledge once group commit made the
 * change durable. Events of one key are processed in arrival order.
 */
export class Engine implements DecisionEngine {
  private catalogRef: Catalog;
  private closed = false;
  /** The catalog's life cycle (reloads, watcher); set by `createEngine`. */
  catalogs: CatalogManager | undefined;
  /** Named lists (files of `rules/lists/` plus the admin API's changes); set by `createEngine`. */
  lists: ListRegistry | undefined;
  /** List changes run one at a time: each persists before the next starts. */
  private listChain: Promise<unknown> = Promise.resolve();
  /** Reused by every CEP step (steps are synchronous). */
  private readonly cepOut: StepOutput = createStepOutput();
  /** Shadow-pattern matches of the event being processed (reported in its decision). */
  private shadowMatches: MatchSummary[] | undefined;
  /**
   * Called when a timer (not an event) changed a key's state — a window expired, a trailing
   * `notFollowedBy` completed. A Kafka worker uses it to put the key in its changelog.
   */
  onTimerChange: ((key: string) => void) | undefined;
  /** Derived `match:<pattern>` events of the event being processed, added to its key's history after it. */
  private readonly derived: RecentEvent[] = [];

  constructor(
    catalog: Catalog,
    private readonly store: KeyedStateStore<KeyState>,
    readonly parser: EventParser,
    private readonly metrics: EngineMetrics,
    private readonly limits: EngineLimits = DEFAULT_LIMITS,
    private readonly sinks: EngineSinks = {},
    /** Event-time watermark and timers; the engine fires a key's timers when it passes their deadline. */
    readonly watermark: Watermark = new Watermark(),
  ) {
    this.catalogRef = catalog;
    this.watermark.onDue = (key, time) => this.fireTimers(key, time);
  }

  /** Re-arms the timers of keys with live partial matches, from the store (after a restart). */
  async restoreTimers(): Promise<number> {
    let n = 0;
    for await (const [name, value] of this.store.records(TIMER_RECORD_PREFIX)) {
      this.watermark.schedule(name.slice(TIMER_RECORD_PREFIX.length), Number(value));
      n++;
    }
    return n;
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

  /** Reloads the catalog now (admin API); the old one keeps serving if the new one is invalid. */
  async reloadCatalog(trigger = 'api'): Promise<ReloadResult> {
    if (this.catalogs === undefined) throw new ArgusError('this engine has no catalog manager', { code: 'NO_CATALOG_MANAGER' });
    return this.catalogs.reload(trigger);
  }

  /** What `GET /v1/catalog` shows: what is serving, and how the last reload went. */
  describeCatalog(): Record<string, unknown> {
    const c = this.catalogRef;
    const last = this.catalogs?.lastReload;
    return {
      version: c.version,
      status: last === undefined || last.ok ? 'ok' : 'error',
      lastReload: last ?? null,
      reloads: this.catalogs?.reloads ?? 0,
      failedReloads: this.catalogs?.failedReloads ?? 0,
      rules: [
        ...c.rules.map((r) => ({
          id: r.id,
          version: r.version,
          mode: r.mode,
          action: r.event.type,
          appliesTo: r.appliesTo ?? null,
          file: r.file ?? null,
        })),
        ...c.nools.flatMap((set) =>
          set.rules.map((r) => ({
            id: r.id,
            version: r.version,
            mode: r.mode,
            action: r.outcomes.map((o) => o.action).join('|'),
            appliesTo: r.appliesTo ?? null,
            file: set.file,
            line: r.line,
          })),
        ),
      ],
      policy: c.policy,
      patterns: c.patterns.map((p) => ({
        id: p.id,
        version: p.compiled.definition.version ?? null,
        file: p.file,
        hash: p.hash,
        emit: p.emit ?? null,
      })),
      features: c.features === undefined ? [] : c.features.definitions.map((d) => ({ name: d.name, kind: d.kind, hash: c.features!.definitionHash(d.name) })),
      lists: this.lists?.describe() ?? [],
      files: c.files,
    };
  }

  // ---------------------------------------------------------------- lists (the admin API's ListService)

  addListItems(name: string, items: readonly unknown[]): Promise<ListUpdate> {
    return this.changeList((lists) => lists.add(name, items));
  }

  removeListItems(name: string, items: readonly unknown[]): Promise<ListUpdate> {
    return this.changeList((lists) => lists.remove(name, items));
  }

  async getList(name: string, limit: number): Promise<ListView | undefined> {
    return this.lists?.get(name, limit);
  }

  async describeLists(): Promise<ListSummary[]> {
    return this.lists?.describe() ?? [];
  }

  /**
   * Applies a change to the lists and persists the overlay (the API's changes) before resolving;
   * if persisting fails, the change is rolled back. The next decision sees the change.
   */
  private changeList(change: (lists: ListRegistry) => ListUpdate): Promise<ListUpdate> {
    const run = async (): Promise<ListUpdate> => {
      const lists = this.lists;
      if (lists === undefined) throw new ArgusError('this engine has no lists', { code: 'NO_LISTS' });
      const before = lists.overlay();
      const update = change(lists);
      try {
        this.store.putMeta(LISTS_META, JSON.stringify(lists.overlay()));
        await this.store.flush();
      } catch (err) {
        lists.restoreOverlay(before);
        throw err;
      }
      return update;
    };
    const result = this.listChain.then(run, run);
    this.listChain = result.catch(() => undefined);
    return result;
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
    if (state === undefined) state = await this.loadState(key);
    if (this.limits.idempotency && state.ids.has(event.id)) return this.duplicate(event, start);
    const decision = this.step(state, event);
    await this.store.commit();
    decision.latencyMs = performance.now() - start;
    this.metrics.decisionLatency.observe(decision.latencyMs / 1000);
    return decision;
  }

  /**
   * The synchronous path for callers that do not wait for durability (replay): decides the event
   * now if its key's state is in memory and the event is not a duplicate; otherwise returns
   * undefined and the caller uses `decide`. The same evaluation as `decide`, without the wait.
   */
  decideNow(event: ArgusEvent): Decision | undefined {
    if (this.closed) throw new EngineClosedError();
    const state = this.store.peek(event.key);
    if (state === undefined) return undefined;
    if (this.limits.idempotency && state.ids.has(event.id)) return undefined;
    return this.step(state, event);
  }

  /** Evaluates the event on its key's state and records it; the change is pending group commit. */
  private step(state: KeyState, event: ArgusEvent): Decision {
    this.watermark.observe(event.time);
    const catalog = this.catalogRef;
    const decision = this.evaluate(catalog, state, event);
    this.record(catalog, state, event, decision);
    this.store.markDirty(event.key);
    if (this.limits.idempotency) this.store.putRecord(decisionRecord(event.key, event.id), JSON.stringify(decision));
    return decision;
  }

  /**
   * The engine's keyed state store (Kafka source: source offsets and changelog restores go into
   * the same store, so that they land in the same batches as the state they belong to).
   */
  get stateStore(): KeyedStateStore<KeyState> {
    return this.store;
  }

  /** Brings a key's state into memory (a new one if it has none), so that `decideNow` can take its events. */
  async preload(key: string): Promise<void> {
    if (this.store.peek(key) === undefined) await this.loadState(key);
  }

  /** Resolves once every change made so far is durable (callers of `decideNow`). */
  commit(): Promise<void> {
    return this.store.commit();
  }

  /** The key's state, loaded once (then it stays hot), or a new one. */
  private async loadState(key: string): Promise<KeyState> {
    const loaded = await this.store.load(key);
    // Another event of this key may have created the state while we waited: take the live one.
    let state = this.store.peek(key) ?? loaded;
    if (state === undefined) state = newKeyState();
    if (this.store.peek(key) !== state) this.store.set(key, state);
    return state;
  }

  /**
   * The synchronous heart: patterns (matches become facts) → rules → policy. Mutates only the
   * key's matcher state; the rest of the history is updated by `record`.
   */
  private evaluate(catalog: Catalog, state: KeyState, event: ArgusEvent): Decision {
    let matches: MatchSummary[] = [];
    let matchFacts: Readonly<Record<string, unknown>> = EMPTY;
    if (state.cep !== undefined) this.dropRemovedPatterns(catalog, state);
    if (catalog.patterns.length > 0) {
      const watermark = this.watermark.current();
      if (event.time < watermark || (state.cepTime !== null && event.time < state.cepTime)) {
        this.late(event, watermark, state.cepTime);
      } else {
        const out = this.cepOut;
        out.results.length = 0;
        out.dropped = 0;
        state.cepTime = event.time;
        for (let i = 0; i < catalog.patterns.length; i++) {
          const p = catalog.patterns[i]!;
          this.stepPattern(state, p, processEvent(p.compiled, this.slotOf(state, p), event, out));
        }
        if (out.results.length > 0) {
          matches = [];
          const counts: Record<string, number> = {};
          this.emitResults(catalog, event.key, out.results, matches, counts, this.derived);
          matchFacts = counts;
        }
        if (out.dropped > 0) this.metrics.droppedPartialMatches.inc(out.dropped);
        this.scheduleKey(event.key, state);
      }
    }
    let features: Readonly<Record<string, unknown>> = EMPTY;
    if (catalog.features !== undefined) {
      // Features describe the key's history strictly before this event; `record` adds the event after.
      const fs = catalog.features;
      const fstate = fs.load(state.features);
      state.features = fstate;
      const values: FeatureOutput = {};
      fs.evaluate(fstate, event, values);
      features = values;
    }
    const facts = { event: event.data, features, matches: matchFacts, lists: EMPTY };
    const outcome = catalog.evaluate(event.type, facts);
    const shadowMatches = this.shadowMatches;
    this.shadowMatches = undefined;
    for (let i = 0; i < outcome.reasons.length; i++) this.metrics.ruleHit(outcome.reasons[i]!.rule, 'enforce');
    for (let i = 0; i < outcome.shadow.length; i++) this.metrics.ruleHit(outcome.shadow[i]!.rule, 'shadow');
    this.metrics.decisions[OUTCOME_INDEX[outcome.decision]].inc();
    const decision: Decision = {
      eventId: event.id,
      key: event.key,
      decision: outcome.decision,
      score: outcome.score,
      reasons: outcome.reasons,
      shadow: outcome.shadow,
      matches,
      catalogVersion: catalog.version,
      latencyMs: 0,
    };
    if (shadowMatches !== undefined) decision.shadowMatches = shadowMatches;
    return decision;
  }

  /** Partial matches of patterns no longer in the catalog are dropped (changed ones: see `slotOf`). */
  private dropRemovedPatterns(catalog: Catalog, state: KeyState): void {
    for (const id of state.cep!.keys()) if (!catalog.patternById.has(id)) state.cep!.delete(id);
    if (state.cep!.size === 0) state.cep = undefined;
  }

  /** The key's matcher state for a pattern; a slot left by another definition of it is dropped. */
  private slotOf(state: KeyState, p: LoadedPattern) {
    const slot = state.cep?.get(p.id);
    if (slot === undefined) return undefined;
    if (slot.hash === p.hash) return slot.state;
    state.cep!.delete(p.id);
    return undefined;
  }

  private stepPattern(state: KeyState, p: LoadedPattern, next: ReturnType<typeof processEvent>): void {
    if (next === undefined) {
      if (state.cep !== undefined) {
        state.cep.delete(p.id);
        if (state.cep.size === 0) state.cep = undefined;
      }
      return;
    }
    if (state.cep === undefined) state.cep = new Map();
    const slot = state.cep.get(p.id);
    if (slot === undefined || slot.state !== next) state.cep.set(p.id, { hash: p.hash, state: next });
  }

  /** Turns CEP results into match summaries, match facts, derived history entries and alerts. */
  private emitResults(
    catalog: Catalog,
    key: string,
    results: readonly CepResult[],
    matches: MatchSummary[],
    counts: Record<string, number>,
    derived: RecentEvent[],
  ): void {
    for (let i = 0; i < results.length; i++) {
      const r = results[i]!;
      const pattern = catalog.patternById.get(r.pattern);
      const shadow = pattern?.mode === 'shadow';
      const stages = stagesOf(r);
      this.metrics.patternResult(r.pattern, r.kind, shadow ? 'shadow' : 'enforce');
      const first = Object.values(stages)[0]?.[0] ?? '';
      const lastStage = Object.values(stages).at(-1);
      const last = lastStage?.at(-1) ?? '';
      const id = `${r.kind}:${r.pattern}:${key}:${first}:${last}:${r.timestamp}`;
      if (r.kind === 'match') {
        if (shadow) (this.shadowMatches ??= []).push({ pattern: r.pattern, timestamp: r.timestamp, stages });
        else {
          matches.push({ pattern: r.pattern, timestamp: r.timestamp, stages });
          counts[r.pattern] = (counts[r.pattern] ?? 0) + 1;
          // The derived event `match:<pattern>` joins the key's history (after the event that completed it).
          derived.push({ id, type: `match:${r.pattern}`, time: r.timestamp });
        }
      }
      if (pattern?.emit !== undefined && this.sinks.alerts !== undefined) {
        this.metrics.alerts.inc();
        this.sinks.alerts.write({
          id,
          kind: r.kind,
          pattern: r.pattern,
          key,
          timestamp: r.timestamp,
          stages,
          emit: { ...pattern.emit },
          mode: shadow ? 'shadow' : 'enforce',
          catalogVersion: catalog.version,
        });
      }
    }
  }

  /** Keeps the key's earliest pattern deadline armed (in memory and in the store). */
  /** `rearm`: the key's timer has just fired (the watermark dropped it), so arm it even if unchanged. */
  private scheduleKey(key: string, state: KeyState, rearm = false): void {
    let deadline: number | undefined;
    if (state.cep !== undefined) {
      for (const p of this.catalogRef.patterns) {
        const slot = state.cep.get(p.id);
        if (slot === undefined) continue;
        const d = nextDeadline(p.compiled, slot.state);
        if (d !== undefined && (deadline === undefined || d < deadline)) deadline = d;
      }
    }
    const next = deadline ?? null;
    if (next === state.deadline && !rearm) return;
    state.deadline = next;
    if (next === null) {
      this.store.deleteRecord(TIMER_RECORD_PREFIX + key);
      this.watermark.cancel(key);
    } else {
      this.store.putRecord(TIMER_RECORD_PREFIX + key, String(next));
      this.watermark.schedule(key, next);
    }
  }

  /** Event time passed a key's deadline: windows expire, trailing notFollowedBy matches complete. */
  private async fireTimers(key: string, time: number): Promise<void> {
    if (this.closed) return;
    const state = this.store.peek(key) ?? (await this.loadState(key));
    const catalog = this.catalogRef;
    if (state.cep !== undefined) this.dropRemovedPatterns(catalog, state);
    if (state.cep !== undefined) {
      const out = this.cepOut;
      out.results.length = 0;
      out.dropped = 0;
      for (let i = 0; i < catalog.patterns.length; i++) {
        const p = catalog.patterns[i]!;
        const current = this.slotOf(state, p);
        if (current !== undefined) this.stepPattern(state, p, advanceTime(p.compiled, current, time, out));
      }
      if (out.results.length > 0) {
        const derived: RecentEvent[] = [];
        this.emitResults(catalog, key, out.results, [], {}, derived);
        this.shadowMatches = undefined;
        for (const d of derived) {
          this.pushRecent(state, d);
          if (catalog.features !== undefined) {
            state.features = catalog.features.update(catalog.features.load(state.features), this.derivedEvent(key, d));
          }
        }
      }
      if (state.cepTime === null || time > state.cepTime) state.cepTime = time;
    }
    this.scheduleKey(key, state, true);
    this.store.markDirty(key);
    this.onTimerChange?.(key);
    await this.store.commit();
  }

  /**
   * Arms the timers of keys whose state was put in the store from outside the engine (a Kafka
   * worker restoring a partition from its changelog): each key's earliest pattern deadline, as
   * held in its state. Keys not in memory, or without a live partial match, are skipped.
   */
  armTimers(keys: Iterable<string>): void {
    for (const key of keys) {
      const state = this.store.peek(key);
      if (state !== undefined && state.deadline !== null) this.scheduleKey(key, state, true);
    }
  }

  /** Disarms the timers of keys whose state is leaving this engine (a partition moved to another worker). */
  disarmTimers(keys: Iterable<string>): void {
    for (const key of keys) {
      this.watermark.cancel(key);
      this.store.deleteRecord(TIMER_RECORD_PREFIX + key);
    }
  }

  /** The derived event `match:<pattern>` as features see it. */
  private derivedEvent(key: string, entry: RecentEvent): ArgusEvent {
    return { id: entry.id, type: entry.type, time: entry.time, key, data: { id: entry.id, type: entry.type, timestamp: entry.time } };
  }

  private late(event: ArgusEvent, watermark: number, keyTime: number | null): void {
    this.metrics.lateEvents.inc();
    this.sinks.late?.write({ eventId: event.id, key: event.key, type: event.type, timestamp: event.time, watermark, keyTime });
  }

  private pushRecent(state: KeyState, entry: RecentEvent): void {
    if (this.limits.recentEventsPerKey > 0) state.recent.push(entry, this.limits.recentEventsPerKey);
  }

  /** Adds the event (and the derived match events it caused) to the key's history. */
  private record(catalog: Catalog, state: KeyState, event: ArgusEvent, decision: Decision): void {
    const limits = this.limits;
    if (catalog.features !== undefined) {
      const fs = catalog.features;
      const fstate = fs.load(state.features);
      state.features = fs.update(fstate, event);
      for (let i = 0; i < this.derived.length; i++) fs.update(fstate, this.derivedEvent(event.key, this.derived[i]!));
    }
    state.eventCount++;
    if (state.firstSeen === null || event.time < state.firstSeen) state.firstSeen = event.time;
    if (state.lastSeen === null || event.time > state.lastSeen) state.lastSeen = event.time;
    state.decisions[OUTCOME_INDEX[decision.decision]]++;
    this.pushRecent(state, { id: event.id, type: event.type, time: event.time, decision: decision.decision, score: decision.score });
    for (let i = 0; i < this.derived.length; i++) this.pushRecent(state, this.derived[i]!);
    this.derived.length = 0;
    if (!limits.idempotency) return;
    const ids = state.ids;
    ids.add(event.id, event.time);
    // Forget the oldest ids past the count bound or the event-time window (and their stored decisions).
    const cutoff = state.lastSeen - limits.idempotencyWindowMs;
    while (ids.size > limits.idsPerKey || ids.oldestTime() < cutoff) {
      this.store.deleteRecord(decisionRecord(event.key, ids.shift()!));
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
    const partialMatches: Record<string, number> = {};
    if (state.cep !== undefined) for (const [id, slot] of state.cep) partialMatches[id] = slot.state.partials.length;
    return {
      key,
      eventCount: state.eventCount,
      firstSeen: state.firstSeen,
      lastSeen: state.lastSeen,
      decisions,
      recent: state.recent.toArray(),
      features:
        this.catalogRef.features !== undefined && state.lastSeen !== null
          ? this.catalogRef.features.describe(this.catalogRef.features.load(state.features), state.lastSeen)
          : {},
      partialMatches,
      nextDeadline: state.deadline,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.watermark.stop();
    this.catalogs?.close();
    this.catalogRef.dispose();
    await this.store.close();
    await this.sinks.alerts?.close();
    await this.sinks.late?.close();
  }
}
