import { watch, type FSWatcher } from 'node:fs';
import type { ValidationError } from '../errors.ts';
import type { Catalog } from './Catalog.ts';
import { CatalogLoadError, loadCatalog, type CatalogSources } from './loadCatalog.ts';

/** The outcome of one reload, as `GET /v1/catalog` and the logs show it. */
export interface ReloadResult {
  ok: boolean;
  /** When it finished (ISO-8601, wall clock). */
  at: string;
  trigger: string;
  /** The version serving after the reload (the old one when it failed). */
  version: string;
  /** Every problem, with file, line and field path, when it failed. */
  errors: { file?: string; line?: number; message: string; issues: { path: (string | number)[]; message: string }[] }[];
  durationMs: number;
}

export interface CatalogManagerOptions {
  /** Called with each new valid catalog: the swap (one reference assignment in the engine). */
  onSwap: (catalog: Catalog) => void;
  /** Called after every reload attempt (logs, metrics). */
  onReload?: (result: ReloadResult) => void;
  /** Quiet time after the last file change before reloading (default 150 ms). */
  debounceMs?: number;
}

/**
 * The catalog's life cycle: the serving catalog, reloads (all or nothing, one at a time), and a
 * watcher on the rule and pattern directories. A reload validates and compiles the whole catalog
 * off the hot path; only a fully valid one is swapped in. An invalid file leaves the previous
 * catalog serving and is reported with its file, line and path.
 */
export class CatalogManager {
  private currentCatalog: Catalog;
  private running: Promise<ReloadResult> | undefined;
  private again: string | undefined;
  private watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly debounceMs: number;
  lastReload: ReloadResult | undefined;
  reloads = 0;
  failedReloads = 0;

  constructor(
    initial: Catalog,
    private readonly sources: CatalogSources,
    private readonly options: CatalogManagerOptions,
  ) {
    this.currentCatalog = initial;
    this.debounceMs = options.debounceMs ?? 150;
  }

  get current(): Catalog {
    return this.currentCatalog;
  }

  /**
   * Reloads now. Concurrent calls share the reload under way, and a change that arrives during a
   * reload triggers exactly one more afterwards, so the last state of the files always wins.
   */
  reload(trigger = 'api'): Promise<ReloadResult> {
    if (this.running !== undefined) {
      this.again = trigger;
      return this.running.then(() => this.running ?? this.reload(trigger));
    }
    const run = this.load(trigger).finally(() => {
      this.running = undefined;
      const next = this.again;
      this.again = undefined;
      if (next !== undefined) void this.reload(next);
    });
    this.running = run;
    return run;
  }

  private async load(trigger: string): Promise<ReloadResult> {
    const started = performance.now();
    let result: ReloadResult;
    try {
      const next = await loadCatalog(this.sources);
      const previous = this.currentCatalog;
      next.activate();
      this.currentCatalog = next;
      this.options.onSwap(next);
      // Evaluation is synchronous: once swapped, nothing can still be inside the previous catalog.
      if (previous !== next) previous.dispose();
      result = { ok: true, at: new Date().toISOString(), trigger, version: next.version, errors: [], durationMs: performance.now() - started };
    } catch (err) {
      const errors =
        err instanceof CatalogLoadError
          ? err.errors.map((e: ValidationError) => ({ file: e.file, line: e.line, message: e.message, issues: e.issues }))
          : [{ message: (err as Error).message, issues: [] }];
      this.failedReloads++;
      result = {
        ok: false,
        at: new Date().toISOString(),
        trigger,
        version: this.currentCatalog.version,
        errors,
        durationMs: performance.now() - started,
      };
    }
    this.reloads++;
    this.lastReload = result;
    this.options.onReload?.(result);
    return result;
  }

  /** Watches the rule and pattern directories (recursively); each burst of changes reloads once. */
  watch(): void {
    for (const dir of [this.sources.rulesDir, this.sources.patternsDir]) {
      try {
        const w = watch(dir, { recursive: true, persistent: false }, () => this.changed());
        w.on('error', () => w.close());
        this.watchers.push(w);
      } catch {
        // A directory that does not exist has nothing to watch.
      }
    }
  }

  private changed(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.reload('watch');
    }, this.debounceMs);
    this.timer.unref();
  }

  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    for (const w of this.watchers) w.close();
    this.watchers = [];
  }
}
