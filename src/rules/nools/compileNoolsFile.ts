import { ArgusError, ValidationError } from '../../errors.ts';
import type { Reason } from '../../runtime/types.ts';
import type { FiredRule } from '../compileRuleSet.ts';
import type { RuleFacts } from '../RuleFacts.ts';
import { findFireCalls } from './findFireCalls.ts';
import { locateQuoted, noolsMessage } from './locateNoolsError.ts';
import { nools, type NoolsFlow, type NoolsParsed, type NoolsParsedRule } from './noolsLib.ts';
import { NoolsFireState, type NoolsRuleEntry } from './NoolsFireState.ts';
import { NoolsFacts, NoolsTypeSession } from './NoolsTypeSession.ts';
import { parseNoolsRuleMeta, type NoolsRuleMeta } from './parseNoolsRuleMeta.ts';
import { scanNoolsSource, type NoolsBlock, type ScannedSource } from './scanNoolsSource.ts';

/** A rule of a `.nools` file as the catalog and `argus validate` show it. */
export interface NoolsRuleInfo extends NoolsRuleMeta {
  /** The nools rule name (`rule HighAmount { … }`). */
  name: string;
  file: string;
  /** Line of the `rule` keyword. */
  line: number;
  /** Every outcome its then block can fire, in the order of the `fire(…)` calls. */
  outcomes: readonly Readonly<Reason>[];
}

/**
 * The rules of one `.nools` file, compiled into long-lived nools sessions (one per event type
 * named in an `@appliesTo`, plus one for the other types). Shapes match `CompiledRuleSet`.
 */
export interface NoolsRuleSet {
  readonly file: string;
  /** The rules, in evaluation order (priority descending, then id). */
  readonly rules: readonly NoolsRuleInfo[];
  /**
   * Runs the rules that apply to `eventType` on `facts` and pushes one pre-built, frozen
   * `FiredRule` per rule that fired (enforced and shadow alike), in priority order — exactly what
   * `CompiledRuleSet.evaluate` pushes for a JSON rule. Synchronous: when it returns, the event's
   * facts (and any fact a then block asserted) are out of the session again. Throws
   * `NoolsRuleError` if a rule throws (the session is rebuilt first).
   */
  evaluate(eventType: string, facts: RuleFacts, out: FiredRule[]): void;
  /** Ids of the rules that run for an event type, in evaluation order. */
  rulesFor(eventType: string): readonly string[];
  /** Facts in the sessions' working memories, nools' own InitialFact excluded: 0 between evaluations. */
  factCount(): number;
  /** Names of this set's flows in nools' global flow registry (unique per compile). */
  readonly flowNames: readonly string[];
  /** Removes the flows from nools' registry and frees the sessions; later `evaluate` throws. Idempotent. */
  dispose(): void;
}

/** The fact type rules match on: the same four objects JSON rules read. */
const FACT_TYPE = 'Facts';
const ALL_TYPES = '*';
let compiled = 0;

function order(a: NoolsRuleEntry, b: NoolsRuleEntry): number {
  const x = a.meta;
  const y = b.meta;
  return y.priority - x.priority || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
}

function fail(file: string, line: number | undefined, path: (string | number)[], message: string): never {
  throw new ValidationError('nools rule', [{ path, message }], line === undefined ? { file } : { file, line });
}

/**
 * nools' parser on the text. `nools.parse` takes a string ending in `.nools` for a file name and
 * reads that file: a trailing newline keeps it from ever doing I/O.
 */
function noolsParse(text: string): NoolsParsed {
  return nools.parse(`${text}\n`);
}

/** nools' parser on the whole text; on failure, on each block alone to find the culprit's line. */
function parseSource(scanned: ScannedSource, file: string): NoolsParsed {
  try {
    return noolsParse(scanned.text);
  } catch (err) {
    for (const block of scanned.blocks) {
      try {
        noolsParse(scanned.text.slice(block.start, block.end));
      } catch (blockErr) {
        const at = locateQuoted(blockErr, scanned.text, block.start, block.end);
        fail(file, at === undefined ? block.line : scanned.lineAt(at), [block.kind, block.name], noolsMessage(blockErr));
      }
    }
    return fail(file, undefined, [], noolsMessage(err));
  }
}

interface FlowPlan {
  key: string;
  entries: NoolsRuleEntry[];
}

/**
 * Compiles the rules of a `.nools` file (its text: the catalog reads the file). Each rule needs a
 * comment block with its metadata (`@id`, `@version`, `@description`, optional `@mode`,
 * `@appliesTo`, `@priority`) and calls `fire(action, score, reason)` with literal arguments in its
 * then block. Rules match on the fact type `Facts` (`{ event, features, matches, lists }`).
 * Throws `ValidationError` with the file and line: nools syntax errors, metadata, outcomes,
 * duplicate ids or names, and the constructs Argus does not run (`import`, `require`, `next()`,
 * nools `salience`/`priority` options, a `define Facts`).
 */
export function compileNoolsFile(source: string, file: string): NoolsRuleSet {
  const scanned = scanNoolsSource(source, file);
  const { blocks, text, lineAt } = scanned;
  for (const b of blocks) {
    if (b.kind === 'define' && b.name === FACT_TYPE) {
      fail(file, b.line, ['define', b.name], `"${FACT_TYPE}" is the fact type Argus provides ({ event, features, matches, lists }); choose another name`);
    }
  }
  const parsed = parseSource(scanned, file);
  const ruleBlocks = blocks.filter((b) => b.kind === 'rule');
  if (ruleBlocks.length !== parsed.rules.length) {
    fail(file, undefined, [], `found ${ruleBlocks.length} rule blocks but nools parsed ${parsed.rules.length}`);
  }

  // Metadata, outcomes and Argus' restrictions, rule by rule.
  const entries: NoolsRuleEntry[] = [];
  const byId = new Map<string, NoolsBlock>();
  const byName = new Map<string, NoolsBlock>();
  for (let i = 0; i < ruleBlocks.length; i++) {
    const block = ruleBlocks[i]!;
    const rule = parsed.rules[i]!;
    if (rule.name !== block.name) fail(file, block.line, ['rule', block.name], `nools read this rule as "${rule.name}"`);
    if (byName.has(rule.name)) fail(file, block.line, ['rule', rule.name], `duplicate rule name (also line ${byName.get(rule.name)!.line})`);
    byName.set(rule.name, block);
    const meta = parseNoolsRuleMeta(block.doc, rule.name, block.line, lineAt, file);
    const other = byId.get(meta.id);
    if (other !== undefined) fail(file, block.line, ['rule', rule.name, 'id'], `duplicate rule id "${meta.id}" (also line ${other.line})`);
    byId.set(meta.id, block);
    if (rule.options.priority !== undefined) {
      fail(file, block.line, ['rule', rule.name, 'salience'], 'set the priority with @priority in the comment block, not salience/priority in the rule');
    }
    if (rule.action !== null && /(?<![\w$.])next\s*\(/.test(rule.action)) {
      fail(file, block.line, ['rule', rule.name, 'then'], 'then blocks run synchronously: next() (asynchronous actions) is not supported');
    }
    const calls = findFireCalls(text, block.start, block.end, rule.name, lineAt, file);
    if (calls.length === 0) {
      fail(file, block.line, ['rule', rule.name, 'then'], "the then block must call fire(action, score, reason), e.g. fire('review', 60, 'HIGH_AMOUNT')");
    }
    const outcomes: FiredRule[] = [];
    for (const c of calls) {
      if (outcomes.some((o) => o.reason.action === c.action && o.reason.score === c.score && o.reason.reason === c.reason)) continue;
      const reason: Reason = Object.freeze({ rule: meta.id, version: meta.version, action: c.action, score: c.score, reason: c.reason });
      outcomes.push(Object.freeze({ reason, mode: meta.mode, priority: meta.priority }));
    }
    entries.push({ name: rule.name, meta, line: block.line, outcomes, slot: null });
  }
  entries.sort(order);

  // One flow per event type named in an @appliesTo (its rules + the all-types rules), one for the rest.
  const types = new Set<string>();
  for (const e of entries) for (const t of e.meta.appliesTo ?? []) types.add(t);
  const plans: FlowPlan[] = [];
  for (const t of types) {
    plans.push({ key: t, entries: entries.filter((e) => e.meta.appliesTo === undefined || e.meta.appliesTo.includes(t)) });
  }
  plans.push({ key: ALL_TYPES, entries: entries.filter((e) => e.meta.appliesTo === undefined) });

  const seq = ++compiled;
  const state = new NoolsFireState(file, entries);
  const sessions = new Map<string, NoolsTypeSession>();
  const flowNames: string[] = [];
  try {
    for (const plan of plans) {
      if (plan.entries.length === 0) continue;
      const name = `argus:${file}#${seq}:${plan.key}`;
      const flow = compileFlow(parsed, plan.entries, name, state, scanned, file);
      flowNames.push(name);
      sessions.set(plan.key, new NoolsTypeSession(flow, plan.entries, state));
    }
  } catch (err) {
    for (const s of sessions.values()) s.dispose();
    for (const n of flowNames) nools.deleteFlow(n);
    throw err;
  }

  const forAll = sessions.get(ALL_TYPES);
  const infos: NoolsRuleInfo[] = entries.map((e) => ({
    ...e.meta,
    name: e.name,
    file,
    line: e.line,
    outcomes: e.outcomes.map((o) => o.reason),
  }));
  let disposed = false;

  return {
    file,
    rules: infos,
    flowNames,
    evaluate(eventType, facts, out) {
      if (disposed) throw new ArgusError(`${file}: nools rule set used after dispose()`, { code: 'NOOLS_DISPOSED' });
      const session = sessions.get(eventType) ?? forAll;
      if (session !== undefined) session.run(facts, out);
    },
    rulesFor(eventType) {
      const session = sessions.get(eventType) ?? forAll;
      return session === undefined ? [] : session.entries.map((e) => e.meta.id);
    },
    factCount() {
      let n = 0;
      for (const s of sessions.values()) n += s.factCount();
      return n;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const s of sessions.values()) s.dispose();
      for (const n of flowNames) nools.deleteFlow(n);
    },
  };
}

function compileFlow(
  parsed: NoolsParsed,
  entries: readonly NoolsRuleEntry[],
  name: string,
  state: NoolsFireState,
  scanned: ScannedSource,
  file: string,
): NoolsFlow {
  const names = new Set(entries.map((e) => e.name));
  const priority = new Map(entries.map((e) => [e.name, e.meta.priority]));
  const build = (rules: NoolsParsedRule[], flowName: string, base: NoolsParsed = parsed): NoolsFlow => {
    // nools.compile mutates the parsed rules (shifts `not`/`or` patterns): compile a copy.
    const copy = structuredClone({ ...base, rules }) as NoolsParsed;
    for (const r of copy.rules) r.options = { ...r.options, priority: priority.get(r.name) ?? 1 };
    return nools.compile(copy, { name: flowName, define: { [FACT_TYPE]: NoolsFacts }, scope: { fire: state.fire } });
  };
  const rules = parsed.rules.filter((r) => names.has(r.name));
  try {
    return build(rules, name);
  } catch (err) {
    if (nools.hasFlow(name)) nools.deleteFlow(name);
    // Find the culprit: the file's definitions alone, then each rule alone.
    const probe = `${name}:probe`;
    const attempt = (subset: NoolsParsedRule[], base: NoolsParsed = parsed): unknown => {
      try {
        build(subset, probe, base);
        return undefined;
      } catch (e) {
        return e;
      } finally {
        if (nools.hasFlow(probe)) nools.deleteFlow(probe);
      }
    };
    const blocks = scanned.blocks;
    const bare = attempt([]);
    if (bare !== undefined) {
      // nools compiles every define, then every global/function, in file order: grow the prefix.
      const defines = blocks.filter((b) => b.kind === 'define');
      const scopes = blocks.filter((b) => b.kind === 'global' || b.kind === 'function');
      const steps: [NoolsBlock, NoolsParsed][] = [
        ...defines.map((b, k): [NoolsBlock, NoolsParsed] => [b, { ...parsed, define: parsed.define.slice(0, k + 1), scope: [] }]),
        ...scopes.map((b, k): [NoolsBlock, NoolsParsed] => [b, { ...parsed, scope: parsed.scope.slice(0, k + 1) }]),
      ];
      for (const [b, subset] of steps) {
        const e = attempt([], subset);
        if (e === undefined) continue;
        const at = locateQuoted(e, scanned.text, b.start, b.end);
        fail(file, at === undefined ? b.line : scanned.lineAt(at), [b.kind, b.name], noolsMessage(e));
      }
      fail(file, undefined, [], noolsMessage(bare));
    }
    for (const r of rules) {
      const e = attempt([r]);
      if (e === undefined) continue;
      const block = blocks.find((b) => b.kind === 'rule' && b.name === r.name)!;
      const at = locateQuoted(e, scanned.text, block.start, block.end);
      fail(file, at === undefined ? block.line : scanned.lineAt(at), ['rule', r.name], noolsMessage(e));
    }
    return fail(file, undefined, [], noolsMessage(err));
  }
}

