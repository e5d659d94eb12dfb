import { compileRuleSet, decide, type CompiledRuleSet, type DecisionPolicy, type FiredRule, type RuleDecision, type RuleDefinition, type RuleFacts } from '../rules/index.ts';

/** One file of the catalog and how it loaded. */
export interface CatalogFile {
  file: string;
  kind: 'rule' | 'policy' | 'features' | 'pattern';
  /** Content hash (sha-256, 12 hex digits). */
  hash: string;
}

/**
 * A validated, compiled, immutable set of rules, policy (and, as they land, patterns, features
 * and lists), with the version stamped on every decision made with it. The runtime holds one
 * reference and swaps it whole.
 */
export class Catalog {
  readonly ruleSet: CompiledRuleSet;
  /** Reused per evaluation: the runtime is single-threaded and `evaluate` is synchronous. */
  private readonly fired: FiredRule[] = [];

  constructor(
    readonly version: string,
    readonly rules: readonly RuleDefinition[],
    readonly policy: Readonly<DecisionPolicy>,
    readonly files: readonly CatalogFile[],
  ) {
    this.ruleSet = compileRuleSet(rules);
  }

  /** Runs the rules for one event's facts and combines them with the policy. */
  evaluate(eventType: string, facts: RuleFacts): RuleDecision {
    const fired = this.fired;
    fired.length = 0;
    this.ruleSet.evaluate(eventType, facts, fired);
    return decide(fired, this.policy);
  }
}
