import { join } from 'node:path';
import { createEngine, type Engine, type EngineConfig } from '../../src/runtime/index.ts';
import { MetricsRegistry } from '../../src/runtime/metrics.ts';

/**
 * An engine for a scenario test: state in `<dir>/data`, no patterns unless given, its own metrics,
 * and no wall-clock timers or file watcher (tests drive time and reloads themselves).
 */
export function openTestEngine(dir: string, rulesDir: string, overrides: Partial<EngineConfig> = {}): Promise<Engine> {
  return createEngine({
    dataDir: join(dir, 'data'),
    rulesDir,
    patternsDir: join(dir, 'none'),
    metrics: new MetricsRegistry(),
    startTimers: false,
    watchCatalog: false,
    ...overrides,
  });
}
