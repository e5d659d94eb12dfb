import type { Predicate } from '../conditions/index.ts';
import type { CompiledPattern } from '../cep/index.ts';
import type { FeatureSet } from '../features/index.ts';
import type { NoolsRuleSet } from '../rules/nools/index.ts';
import type { ListRegistry, PreparedLists } from '../lists/index.ts';
import { compileRuleSet, decide, type CompiledRuleSet, type DecisionPolicy, type FiredRule, type RuleDecision, type RuleDefinition, type RuleFacts } from '../rules/index.ts';

/** One file of the catalog and how it loaded. */
export interface CatalogFile {
  file: string;
  kind: 'rule' | 'nools' | 'policy' | 'features' | 'pattern' | 'list';
  /** Content hash (sha-256, 12 hex digits). */
  hash: string;
}

/** A pattern of `patterns/`, compiled. */
export interface LoadedPattern {
  readonly id: string;
  readonly file: string;
  /** Hash of the pattern's definition: key state of a pattern is only valid for the same hash. */
  readonly hash: string;
  readonly compiled: CompiledPattern;
  /** `shadow`: matched and reported (alerts, decision `shadowMatches`, metrics) but never a fact for rules or features. */
  readonly mode: 'enforce' | 'shadow';
  /** What a match raises (spec §1 `emit`): alert type, severity, score, reason. */
  readonly emit: Readonly<Record<string, unknown>> | undefined;
}

/**
 * A validated, compiled, immutable set of rules, policy (and, as they land, patterns, features
 * and lists), with the version stamped on every decision made with it. The runtime holds one
 * reference and swaps it whole.
 */
export class Catalog {
  readonly ruleSet: CompiledRuleSet;
  /** Patterns by id. */
  readonly patternById: ReadonlyMap<string, LoadedPattern>;
  /** Reused per evaluation: the runtime is single-threaded and `evaluate` is synchronous. */
  private readonly fired: FiredRule[] = [];

  constructor(
    readonly version: string,
    readonly rules: readonly RuleDefinition[],
    readonly policy: Readonly<DecisionPolicy>,
    readonly files: readonly CatalogFile[],
    readonly patterns: readonly LoadedPattern[] = [],
    /** History features of `rules/features.json`, if any. */
    readonly features: FeatureSet | undefined = undefined,
    /** Rules in the nools DSL (`rules/*.nools`), evaluated after the JSON rules into the same outcomes. */
    readonly nools: readonly NoolsRuleSet[] = [],
    /** The list files of `rules/lists/`, validated; put in effect by `activate` when this catalog is swapped in. */
    private readonly lists?: { registry: ListRegistry; prepared: PreparedLists },
    /** The rules' conditions, compiled against these lists while they were read (not compiled again here). */
    compiled?: ReadonlyMap<RuleDefinition, Predicate<RuleFacts>>,
  ) {
    this.ruleSet = compileRuleSet(rules, { list: lists?.prepared.hook, compiled });
    this.patternById = new Map(patterns.map((p) => [p.id, p]));
  }

  /** Runs the rules for one event's facts and combines them with the policy. */
  evaluate(eventType: string, facts: RuleFacts): RuleDecision {
    const fired = this.fired;
    fired.length = 0;
    this.ruleSet.evaluate(eventType, facts, fired);
    for (let i = 0; i < this.nools.length; i++) this.nools[i]!.evaluate(eventType, facts, fired);
    return decide(fired, this.policy);
  }

  /**
   * Puts this catalog's list files in effect (the engine-wide registry keeps the API's changes on
   * top of them). Called in the same synchronous step as the swap.
   */
  activate(): void {
    if (this.lists !== undefined) this.lists.registry.commit(this.lists.prepared);
  }

  /** Releases what the catalog holds outside the heap's reach (nools flows are global). */
  dispose(): void {
    for (const set of this.nools) set.dispose();
  }
}
