import type { CounterChild, Histogram, MetricsRegistry, Counter } from './metrics.ts';
import type { StateStoreStats } from '../state/index.ts';

/**
 * The runtime's metrics, declared once; hot-path children are kept so that counting allocates
 * nothing.
 */
export class EngineMetrics {
  /** Decisions by outcome, indexed like `OUTCOME_INDEX` (allow, review, deny). */
  readonly decisions: [CounterChild, CounterChild, CounterChild];
  readonly duplicates: Counter;
  readonly decisionLatency: Histogram;
  readonly lateEvents: Counter;
  readonly droppedPartialMatches: Counter;
  readonly alerts: Counter;
  private readonly patternResults: Counter;
  private readonly patternChildren = new Map<string, CounterChild>();
  private readonly ruleHits: Counter;
  private readonly ruleChildren = new Map<string, CounterChild>();

  constructor(readonly registry: MetricsRegistry) {
    const decisions = registry.counter('decisions_total', 'Decisions by outcome.', ['outcome']);
    this.decisions = [decisions.labels('allow'), decisions.labels('review'), decisions.labels('deny')];
    this.duplicates = registry.counter(
      'duplicate_events_total',
      'Events whose id was already processed: answered from the stored decision.',
    );
    this.ruleHits = registry.counter('rule_hits_total', 'Rules that fired, by rule and mode (enforce or shadow).', ['rule', 'mode']);
    this.lateEvents = registry.counter(
      'late_events_total',
      'Events older than the watermark or than their key\'s latest matched event: decided, but not matched by patterns.',
    );
    this.droppedPartialMatches = registry.counter(
      'cep_dropped_partial_matches_total',
      'Partial matches dropped because a key reached the bound on live partial matches.',
    );
    this.alerts = registry.counter('alerts_total', 'Alerts written by patterns with emit.');
    this.patternResults = registry.counter('pattern_results_total', 'Pattern matches and timeouts, by pattern and mode.', ['pattern', 'kind', 'mode']);
    this.decisionLatency = registry.histogram(
      'engine_decision_seconds',
      'Time from an event entering the runtime to its durable decision.',
    );
  }

  ruleHit(rule: string, mode: 'enforce' | 'shadow'): void {
    const id = mode === 'enforce' ? rule : `${rule}\u0000shadow`;
    let child = this.ruleChildren.get(id);
    if (child === undefined) {
      child = this.ruleHits.labels(rule, mode);
      this.ruleChildren.set(id, child);
    }
    child.inc();
  }

  patternResult(pattern: string, kind: 'match' | 'timeout', mode: 'enforce' | 'shadow'): void {
    const id = `${pattern}\u0000${kind}\u0000${mode}`;
    let child = this.patternChildren.get(id);
    if (child === undefined) {
      child = this.patternResults.labels(pattern, kind, mode);
      this.patternChildren.set(id, child);
    }
    child.inc();
  }

  /** Exposes the state store's figures as gauges, read at scrape time. */
  watchStore(stats: () => StateStoreStats): void {
    const r = this.registry;
    const cached = r.gauge('state_cached_keys', 'Keys whose state is in memory.');
    const dirty = r.gauge('state_dirty_keys', 'Keys changed since their last durable write.');
    const batches = r.gauge('state_batches', 'Group-commit batches written since start.');
    const ops = r.gauge('state_batch_ops', 'Operations written in group-commit batches since start.');
    const failed = r.gauge('state_failed_batches', 'Group-commit batches that failed (and were retried).');
    const evictions = r.gauge('state_evictions', 'Clean keys evicted from memory.');
    r.onCollect(() => {
      const s = stats();
      cached.set(s.cachedKeys);
      dirty.set(s.dirtyKeys);
      batches.set(s.batches);
      ops.set(s.ops);
      failed.set(s.failedBatches);
      evictions.set(s.evictions);
    });
  }
}
