import { ValidationError } from '../errors.ts';
import { compileCondition } from '../conditions/compileCondition.ts';
import type { CompileOptions, Predicate } from '../conditions/types.ts';
import type { Reason } from '../runtime/types.ts';
import { ruleFact, type RuleFacts } from './RuleFacts.ts';
import type { RuleDefinition, RuleMode } from './RuleDefinition.ts';

/**
 * A rule that fired. One immutable object per rule, built at compile time: evaluating pushes it,
 * so a decision allocates nothing per fired rule. `reason` is what decisions report.
 */
export interface FiredRule {
  readonly reason: Readonly<Reason>;
  readonly mode: RuleMode;
  readonly priority: number;
}

interface CompiledRule {
  readonly id: string;
  readonly test: Predicate<RuleFacts>;
  readonly fired: FiredRule;
}

export interface CompiledRuleSet {
  /** The definitions, in evaluation order (priority descending, then id). */
  readonly rules: readonly RuleDefinition[];
  /**
   * Runs the rules that apply to `eventType`, in priority order (higher first, then by id), and
   * pushes each one that fires (enforced and shadow alike) onto `out`. Synchronous; allocates
   * nothing beyond `out`'s growth.
   */
  evaluate(eventType: string, facts: RuleFacts, out: FiredRule[]): void;
  /** Ids of the rules that run for an event type, in evaluation order. */
  rulesFor(eventType: string): readonly string[];
}

function order(a: RuleDefinition, b: RuleDefinition): number {
  return b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Compiles validated rules (see `parseRule`) into a rule set, indexed by event type. Throws a
 * `ValidationError` for duplicate ids, or a `ConditionError` (with the rule's file) for a
 * condition that does not compile.
 */
export function compileRuleSet(
  rules: readonly RuleDefinition[],
  options: {
    list?: CompileOptions['list'];
    /** Conditions already compiled against the same lists (`parseRule`'s `compiled`): not compiled again. */
    compiled?: ReadonlyMap<RuleDefinition, Predicate<RuleFacts>>;
  } = {},
): CompiledRuleSet {
  const seen = new Map<string, RuleDefinition>();
  for (const rule of rules) {
    const other = seen.get(rule.id);
    if (other !== undefined) {
      const where = other.file ? ` (also in ${other.file})` : '';
      throw new ValidationError('rule', [{ path: ['id'], message: `duplicate rule id "${rule.id}"${where}` }], { file: rule.file });
    }
    seen.set(rule.id, rule);
  }
  const sorted = [...rules].sort(order);
  const compiled = new Map<RuleDefinition, CompiledRule>();
  for (const rule of sorted) {
    const test =
      options.compiled?.get(rule) ??
      compileCondition<RuleFacts>(rule.conditions, { fact: ruleFact, path: ['conditions'], file: rule.file, list: options.list });
    const reason: Reason = Object.freeze({
      rule: rule.id,
      version: rule.version,
      action: rule.event.type,
      score: rule.event.params.score,
      reason: rule.event.params.reason,
    });
    compiled.set(rule, { id: rule.id, test, fired: Object.freeze({ reason, mode: rule.mode, priority: rule.priority }) });
  }

  // Index by event type: each type gets its own rules merged with the all-types rules, in order.
  const types = new Set<string>();
  for (const rule of sorted) for (const t of rule.appliesTo ?? []) types.add(t);
  const forAll = sorted.filter((r) => r.appliesTo === undefined).map((r) => compiled.get(r)!);
  const byType = new Map<string, CompiledRule[]>();
  for (const t of types) {
    byType.set(
      t,
      sorted.filter((r) => r.appliesTo === undefined || r.appliesTo.includes(t)).map((r) => compiled.get(r)!),
    );
  }

  return {
    rules: sorted,
    evaluate(eventType, facts, out) {
      const list = byType.get(eventType) ?? forAll;
      for (let i = 0; i < list.length; i++) {
        const rule = list[i]!;
        if (rule.test(facts)) out.push(rule.fired);
      }
    },
    rulesFor(eventType) {
      return (byType.get(eventType) ?? forAll).map((r) => r.id);
    },
  };
}
