import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Predicate } from '../conditions/index.ts';
import { compilePattern, parsePattern } from '../cep/index.ts';
import { compileFeatures, parseFeatures, type FeatureSet } from '../features/index.ts';
import { ArgusError, ValidationError } from '../errors.ts';
import {
  DEFAULT_POLICY,
  isRuleFile,
  parsePolicy,
  parseRuleFile,
  POLICY_FILE,
  type DecisionPolicy,
  type RuleDefinition,
  type RuleFacts,
} from '../rules/index.ts';
import { compileNoolsFile, isNoolsFile, type NoolsRuleSet } from '../rules/nools/index.ts';
import { ListRegistry } from '../lists/index.ts';
import { Catalog, type CatalogFile, type LoadedPattern } from './Catalog.ts';
import { locateError, parseJsonDocument } from './jsonSource.ts';

export interface CatalogSources {
  rulesDir: string;
  patternsDir: string;
  /** The engine's key field: a pattern that names another key is rejected (the runtime partitions by one key). */
  keyField?: string;
  /** Bound on live partial matches per key and pattern (default 10,000). */
  maxPartialMatches?: number;
  /** The engine's lists (they outlive reloads); `rules/lists/*.json` are validated against it. */
  lists?: ListRegistry;
}

/** A catalog that did not load: every file error, each with its file, line and field path. */
export class CatalogLoadError extends ArgusError {
  constructor(readonly errors: ValidationError[]) {
    super(`catalog not loaded: ${errors.map((e) => e.message).join('\n')}`, { code: 'CATALOG_INVALID' });
  }
}

/** Files parsed and compiled between two yields to the event loop during a load. */
const YIELD_EVERY_FILES = 8;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function listJson(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names.filter((n) => n.endsWith('.json') || isNoolsFile(n)).sort();
}

function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/**
 * Reads, validates and compiles the whole catalog. All or nothing: any invalid file makes it
 * throw a `CatalogLoadError` listing every problem; nothing half-loaded is ever returned. The
 * version is a hash of every file's name and content, so the same files give the same version
 * (replays are reproducible).
 */
export async function loadCatalog(sources: CatalogSources): Promise<Catalog> {
  const errors: ValidationError[] = [];
  const files: CatalogFile[] = [];
  const rules: RuleDefinition[] = [];
  let policy: DecisionPolicy = { ...DEFAULT_POLICY };
  const texts = new Map<string, string>();
  let features: FeatureSet | undefined;
  const nools: NoolsRuleSet[] = [];
  const display = (path: string): string => {
    const rel = relative(process.cwd(), path);
    return rel === '' || rel.startsWith('..') ? path : rel;
  };

  const listFiles: { file: string; text: string }[] = [];
  const listsDir = join(sources.rulesDir, 'lists');
  for (const name of (await listJson(listsDir)).filter((n) => n.endsWith('.json'))) {
    const path = join(listsDir, name);
    const file = display(path);
    const text = await readFile(path, 'utf8');
    files.push({ file, kind: 'list', hash: hashOf(text) });
    listFiles.push({ file, text });
  }
  // Lists first: the rules' conditions are compiled against them as each rule file is read.
  // Without the engine's registry (argus validate, tests), lists are checked against a private one,
  // so rules that use lists validate the same way as in `serve`.
  const listRegistry = sources.lists ?? new ListRegistry();
  const prepared = listRegistry.prepare(listFiles);
  errors.push(...prepared.errors);
  /** Each rule's conditions, compiled once, as its file is read (between yields). */
  const compiled = new Map<RuleDefinition, Predicate<RuleFacts>>();

  // Reads go out together; parsing and compiling yield to the event loop between files, so a
  // reload of a large catalog never holds up requests for long (it runs beside live traffic).
  const ruleNames = await listJson(sources.rulesDir);
  const ruleTexts = await Promise.all(ruleNames.map((name) => readFile(join(sources.rulesDir, name), 'utf8')));
  for (let n = 0; n < ruleNames.length; n++) {
    if (n > 0 && n % YIELD_EVERY_FILES === 0) await yieldToEventLoop();
    const name = ruleNames[n]!;
    const file = display(join(sources.rulesDir, name));
    const text = ruleTexts[n]!;
    texts.set(file, text);
    const kind = isNoolsFile(name) ? 'nools' : name === POLICY_FILE ? 'policy' : isRuleFile(name) ? 'rule' : 'features';
    files.push({ file, kind, hash: hashOf(text) });
    try {
      if (kind === 'nools') {
        nools.push(compileNoolsFile(text, file));
        continue;
      }
      const json = parseJsonDocument(text, file, kind);
      if (kind === 'features') features = compileFeatures(parseFeatures(json, file));
      else if (kind === 'policy') policy = parsePolicy(json, file);
      else rules.push(...parseRuleFile(json, file, { list: prepared.hook, compiled }));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      errors.push(err.line === undefined ? locateError(err, text, file) : err);
    }
  }


  const patterns: LoadedPattern[] = [];
  const patternIds = new Map<string, string>();
  for (const name of (await listJson(sources.patternsDir)).filter((n) => n.endsWith('.json'))) {
    const path = join(sources.patternsDir, name);
    const file = display(path);
    const text = await readFile(path, 'utf8');
    const hash = hashOf(text);
    files.push({ file, kind: 'pattern', hash });
    try {
      const def = parsePattern(parseJsonDocument(text, file, 'pattern'), file);
      const other = patternIds.get(def.id);
      if (other !== undefined) {
        throw new ValidationError('pattern', [{ path: ['id'], message: `duplicate pattern id "${def.id}" (also in ${other})` }], { file });
      }
      if (def.key !== undefined && sources.keyField !== undefined && def.key !== sources.keyField) {
        throw new ValidationError(
          'pattern',
          [{ path: ['key'], message: `the engine partitions by "${sources.keyField}"; a pattern cannot use another key` }],
          { file },
        );
      }
      patternIds.set(def.id, file);
      const compiled = compilePattern(def, { maxPartialMatches: sources.maxPartialMatches });
      patterns.push({ id: def.id, file, hash: hashOf(JSON.stringify(def.source)), compiled, emit: def.emit, mode: def.mode ?? 'enforce' });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      errors.push(err.line === undefined ? locateError(err, text, file) : err);
    }
  }

  let catalog: Catalog | undefined;
  if (errors.length === 0) {
    try {
      await yieldToEventLoop();
      const ruleFiles = new Map(rules.map((r) => [r.id, r.file ?? '?']));
      for (const set of nools) {
        for (const r of set.rules) {
          const other = ruleFiles.get(r.id);
          if (other !== undefined) {
            throw new ValidationError('rule', [{ path: ['@id'], message: `duplicate rule id "${r.id}" (also in ${other})` }], { file: set.file, line: r.line });
          }
          ruleFiles.set(r.id, set.file);
        }
      }
      const version = `c${hashOf(files.map((f) => `${f.file}\u0000${f.hash}`).join('\n'))}`;
      catalog = new Catalog(version, rules, policy, files, patterns, features, nools, { registry: listRegistry, prepared }, compiled);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const text = err.file !== undefined ? texts.get(err.file) : undefined;
      errors.push(text !== undefined && err.file !== undefined ? locateError(err, text, err.file) : err);
    }
  }
  if (errors.length > 0 || catalog === undefined) {
    for (const set of nools) set.dispose();
    throw new CatalogLoadError(errors);
  }
  return catalog;
}
