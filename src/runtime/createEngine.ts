import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { JsonlSink, StreamSink, TeeSink } from '../io/file/index.ts';
import type { Alert, LateEvent, RecordSink } from './types.ts';
import { Watermark, type WatermarkOptions } from './Watermark.ts';
import { CatalogManager, loadCatalog, type ReloadResult } from '../catalog/index.ts';
import { ListRegistry } from '../lists/index.ts';
import { EventParser } from '../events/index.ts';
import { KeyedStateStore, LevelBackend, MemoryBackend } from '../state/index.ts';
import { DEFAULT_LIMITS, Engine, LISTS_META, type EngineLimits, type EngineSinks } from './Engine.ts';
import { EngineMetrics } from './engineMetrics.ts';
import { keyStateCodec, type KeyState } from './KeyState.ts';
import { MetricsRegistry } from './metrics.ts';

export interface EngineConfig {
  /** LevelDB directory; `':memory:'` keeps state in memory only (tests, replay). */
  dataDir: string;
  rulesDir: string;
  patternsDir: string;
  /** Dot path of the key field (default `userId`). */
  keyField: string;
  /** `sync`: fsync every group-commit batch (survives power loss); `process`: survives a process crash. */
  durability: 'sync' | 'process';
  /** Group-commit window in ms; 0 = the next turn of the event loop. */
  groupCommitMs: number;
  maxCachedKeys: number;
  metrics: MetricsRegistry;
  limits?: Partial<EngineLimits>;
  /** Bound on live partial matches per key and pattern (default 10,000). */
  maxPartialMatches?: number;
  /** Event-time watermark and timers. */
  watermark?: WatermarkOptions;
  /** Alerts JSONL file (default `<dataDir>/alerts.jsonl`; none with `:memory:` data); `false`: no file. */
  alertsFile?: string | false;
  /** Also print alerts on stdout, one JSON line each (default false). */
  alertsStdout?: boolean;
  /** Late events JSONL file (default `<dataDir>/late-events.jsonl`); `false`: none. */
  lateFile?: string | false;
  /** Extra sinks (Kafka, tests). */
  sinks?: EngineSinks;
  /** Start the wall-clock timer loop (serve: yes; tests may drive `engine.watermark.tick()`). Default true. */
  startTimers?: boolean;
  /** Watch `rulesDir` and `patternsDir` and reload the catalog on change (default true). */
  watchCatalog?: boolean;
  /** Called after each catalog reload attempt (logging). */
  onCatalogReload?: (result: ReloadResult) => void;
}

export const DEFAULT_ENGINE_CONFIG: Omit<EngineConfig, 'metrics'> = {
  dataDir: './data',
  rulesDir: './rules',
  patternsDir: './patterns',
  keyField: 'userId',
  durability: 'sync',
  groupCommitMs: 0,
  maxCachedKeys: 1_000_000,
};

/**
 * Builds a running engine: loads and compiles the catalog (failing start-up on an invalid one),
 * opens the state store, and wires metrics.
 */
export async function createEngine(config: Partial<EngineConfig> & { metrics?: MetricsRegistry } = {}): Promise<Engine> {
  const c = { ...DEFAULT_ENGINE_CONFIG, ...config };
  const registry = config.metrics ?? new MetricsRegistry();
  const lists = new ListRegistry();
  const sources = { rulesDir: c.rulesDir, patternsDir: c.patternsDir, keyField: c.keyField, maxPartialMatches: c.maxPartialMatches, lists };
  const catalog = await loadCatalog(sources);
  let backend;
  if (c.dataDir === ':memory:') backend = new MemoryBackend();
  else {
    await mkdir(c.dataDir, { recursive: true });
    backend = new LevelBackend(c.dataDir);
  }
  const store = new KeyedStateStore<KeyState>(backend, {
    codec: keyStateCodec,
    sync: c.durability === 'sync',
    groupCommitMs: c.groupCommitMs,
    maxCachedKeys: c.maxCachedKeys,
    // a key's state is encoded by the request that changed it (while in cache), not all at once by
    // the group commit: no burst of encoding at flush time stalls the other requests
    encodeOnWrite: true,
  });
  await store.open();
  // The admin API's list changes, on top of the list files (kept across restarts).
  const overlay = await store.getMeta(LISTS_META);
  if (overlay !== undefined) lists.restoreOverlay(overlay);
  catalog.activate();
  const metrics = new EngineMetrics(registry);
  metrics.watchStore(() => store.stats());
  const inMemory = c.dataDir === ':memory:';
  const alerts: RecordSink<Alert>[] = [];
  const alertsFile = c.alertsFile ?? (inMemory ? false : join(c.dataDir, 'alerts.jsonl'));
  if (alertsFile !== false) alerts.push(new JsonlSink<Alert>(alertsFile));
  if (c.alertsStdout === true) alerts.push(new StreamSink<Alert>(process.stdout));
  if (c.sinks?.alerts !== undefined) alerts.push(c.sinks.alerts);
  const late: RecordSink<LateEvent>[] = [];
  const lateFile = c.lateFile ?? (inMemory ? false : join(c.dataDir, 'late-events.jsonl'));
  if (lateFile !== false) late.push(new JsonlSink<LateEvent>(lateFile));
  if (c.sinks?.late !== undefined) late.push(c.sinks.late);
  const engine = new Engine(
    catalog,
    store,
    new EventParser({ keyField: c.keyField }),
    metrics,
    { ...DEFAULT_LIMITS, ...c.limits },
    { alerts: new TeeSink(alerts), late: new TeeSink(late) },
    new Watermark(c.watermark),
  );
  const reloads = registry.counter('catalog_reloads_total', 'Catalog reloads by result (ok: swapped in; error: the old catalog kept serving).', ['result']);
  const reloadOk = reloads.labels('ok');
  const reloadError = reloads.labels('error');
  const lastOk = registry.gauge('catalog_last_reload_ok', '1 if the last catalog reload succeeded (or none was tried), 0 if it failed.');
  const lastErrors = registry.gauge('catalog_errors', 'Errors found by the last catalog reload (0 when it succeeded).');
  lastOk.set(1);
  engine.lists = lists;
  engine.catalogs = new CatalogManager(catalog, sources, {
    onSwap: (next) => engine.swapCatalog(next),
    onReload: (result) => {
      (result.ok ? reloadOk : reloadError).inc();
      lastOk.set(result.ok ? 1 : 0);
      lastErrors.set(result.errors.length);
      c.onCatalogReload?.(result);
    },
  });
  if (c.watchCatalog !== false) engine.catalogs.watch();
  await engine.restoreTimers();
  if (c.startTimers !== false) engine.watermark.start();
  return engine;
}
