import { loadCatalog, type Catalog } from '../catalog/index.ts';
import { EventParser } from '../events/index.ts';
import { DEFAULT_LIMITS, Engine, EngineMetrics, type KeyState } from '../runtime/index.ts';
import { MetricsRegistry, type Counter } from '../runtime/metrics.ts';
import { Watermark } from '../runtime/Watermark.ts';
import type { Alert, LateEvent, RecordSink } from '../runtime/types.ts';
import { StateStoreError } from '../errors.ts';
import { KeyedStateStore, type StateCodec } from '../state/index.ts';
import { DiscardBackend } from './DiscardBackend.ts';
import type { CatalogSummary } from './Report.ts';
import type { RuleInfo } from './metrics/index.ts';

/** Counts records (and hands them on, when given a writer). */
export class CountingSink<T> implements RecordSink<T> {
  count = 0;
  constructor(private readonly onRecord?: (record: T) => void) {}
  write(record: T): void {
    this.count++;
    if (this.onRecord !== undefined) this.onRecord(record);
  }
  async close(): Promise<void> {}
}

export interface ReplayEngineOptions {
  rulesDir: string;
  patternsDir: string;
  keyField: string;
  outOfOrdernessMs: number;
  /** Receives each alert (the champion's go to alerts.jsonl). */
  onAlert?: (alert: Alert) => void;
}

/**
 * Key states of a replay are never written anywhere, so never encoded: encoding is what a
 * `:memory:` store would spend most of a replay on (every dirty key's whole state, features and
 * partial matches included, at every group commit — about 0.7 ms for a key with 100 events).
 */
const UNWRITTEN: StateCodec<KeyState> = {
  encode: () => '',
  decode: () => {
    throw new StateStoreError('replay key states are never read back', undefined, false);
  },
};

/**
 * One catalog's engine for a replay: the same `Engine` class as `serve` (what `createEngine`
 * builds, one evaluation path), with fresh state kept in memory only (the store's cache, never
 * evicted: memory grows with keys; see `UNWRITTEN`), event time only (no wall clock; timers fired
 * by the replay at fixed points), no idempotency records and no catalog watching. Throws
 * `CatalogLoadError` on an invalid catalog.
 */
export class ReplayEngine {
  private constructor(
    readonly engine: Engine,
    readonly registry: MetricsRegistry,
    readonly alerts: CountingSink<Alert>,
    readonly late: CountingSink<LateEvent>,
    readonly options: ReplayEngineOptions,
  ) {}

  static async open(options: ReplayEngineOptions): Promise<ReplayEngine> {
    const registry = new MetricsRegistry();
    const alerts = new CountingSink<Alert>(options.onAlert);
    const late = new CountingSink<LateEvent>();
    const catalog = await loadCatalog({ rulesDir: options.rulesDir, patternsDir: options.patternsDir, keyField: options.keyField });
    const store = new KeyedStateStore<KeyState>(new DiscardBackend(), {
      codec: UNWRITTEN,
      sync: false,
      groupCommitMs: 0,
      maxCachedKeys: Number.POSITIVE_INFINITY,
    });
    await store.open();
    const engine = new Engine(
      catalog,
      store,
      new EventParser({ keyField: options.keyField }),
      new EngineMetrics(registry),
      // No idempotency records and no recent-events list (nobody inspects a replay's keys).
      { ...DEFAULT_LIMITS, idempotency: false, recentEventsPerKey: 0 },
      { alerts, late },
      new Watermark({ idleAdvance: false, outOfOrdernessMs: options.outOfOrdernessMs }),
    );
    return new ReplayEngine(engine, registry, alerts, late, options);
  }

  get catalog(): Catalog {
    return this.engine.catalog;
  }

  /** Fires the timers the watermark has passed (deterministic: called at fixed event counts). */
  async tick(): Promise<void> {
    if (this.engine.watermark.pending > 0) await this.engine.watermark.tick();
  }

  /** End of input: event time jumps to +infinity, every pending window closes. */
  async finish(): Promise<void> {
    const wm = this.engine.watermark;
    wm.advanceTo(Number.POSITIVE_INFINITY);
    // Firing a timer may re-arm another; a few rounds drain them all.
    for (let round = 0; round < 8 && wm.pending > 0; round++) await wm.tick();
    await this.engine.commit();
  }

  close(): Promise<void> {
    return this.engine.close();
  }

  rules(): RuleInfo[] {
    return this.catalog.rules.map((r) => ({ id: r.id, version: r.version, mode: r.mode, action: r.event.type, appliesTo: r.appliesTo }));
  }

  patternIds(): string[] {
    return this.catalog.patterns.map((p) => p.id);
  }

  /**
   * Matches and timeouts per pattern, as the engine counted them (including those fired by
   * timers), read from its metrics (whatever other labels the counter has).
   */
  patternCounts(): Map<string, { matches: number; timeouts: number }> {
    const out = new Map<string, { matches: number; timeouts: number }>();
    const results = this.registry.get('pattern_results_total') as Counter | undefined;
    if (results === undefined) return out;
    const lines: string[] = [];
    results.render(lines);
    for (const line of lines.join('').split('\n')) {
      const pattern = /[{,]pattern="((?:[^"\\]|\\.)*)"/.exec(line)?.[1];
      const kind = /[{,]kind="(match|timeout)"/.exec(line)?.[1];
      const value = Number(line.slice(line.lastIndexOf(' ') + 1));
      if (pattern === undefined || kind === undefined || !Number.isFinite(value)) continue;
      const id = pattern.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
      let c = out.get(id);
      if (c === undefined) out.set(id, (c = { matches: 0, timeouts: 0 }));
      if (kind === 'match') c.matches += value;
      else c.timeouts += value;
    }
    return out;
  }

  summary(): CatalogSummary {
    const c = this.catalog;
    return {
      version: c.version,
      rulesDir: this.options.rulesDir,
      patternsDir: this.options.patternsDir,
      rules: c.rules.length,
      patterns: c.patterns.length,
      features: c.features?.definitions.length ?? 0,
    };
  }
}
