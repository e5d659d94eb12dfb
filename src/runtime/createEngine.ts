import { mkdir } from 'node:fs/promises';
import { loadCatalog } from '../catalog/index.ts';
import { EventParser } from '../events/index.ts';
import { KeyedStateStore, LevelBackend, MemoryBackend } from '../state/index.ts';
import { DEFAULT_LIMITS, Engine, type EngineLimits } from './Engine.ts';
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
  const catalog = await loadCatalog({ rulesDir: c.rulesDir, patternsDir: c.patternsDir });
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
  });
  await store.open();
  const metrics = new EngineMetrics(registry);
  metrics.watchStore(() => store.stats());
  return new Engine(catalog, store, new EventParser({ keyField: c.keyField }), metrics, { ...DEFAULT_LIMITS, ...c.limits });
}
