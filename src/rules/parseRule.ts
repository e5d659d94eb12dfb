import { ValidationError, fromZodIssues } from '../errors.ts';
import { compileCondition } from '../conditions/compileCondition.ts';
import type { CompileOptions, Predicate } from '../conditions/types.ts';
import { ruleFact, type RuleFacts } from './RuleFacts.ts';
import { ruleSchema, type RuleDefinition } from './RuleDefinition.ts';

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Validates one rule document (parsed JSON). `base` is the rule's path inside its file (e.g.
 * `["rules", 3]` for a `{"rules": [...]}` file). Throws `ValidationError` (or its subclass
 * `ConditionError` for a condition that cannot compile) with `file` set and field paths.
 */
/** Stands for any list while a rule is validated on its own. */
const ANY_LIST = { has: (): boolean => false };
const anyList = () => ANY_LIST;

/** How `parseRule` compiles a rule's conditions (which validates them). */
export interface ParseRuleOptions {
  /** The catalog's lists (default: any list name is accepted, and checked when the rule set is compiled). */
  list?: CompileOptions['list'];
  /** Receives each rule's compiled conditions, for `compileRuleSet` to use instead of compiling them again. */
  compiled?: Map<RuleDefinition, Predicate<RuleFacts>>;
}

export function parseRule(json: unknown, file?: string, base: (string | number)[] = [], options: ParseRuleOptions = {}): RuleDefinition {
  const parsed = ruleSchema.safeParse(json);
  if (!parsed.success) throw new ValidationError('rule', fromZodIssues(parsed.error.issues, base), { file });
  const data = parsed.data;
  const conditions = data.conditions;
  const roots = ['all', 'any', 'not'].filter((k) => hasOwn.call(conditions, k));
  if (roots.length !== 1 && !hasOwn.call(conditions, 'condition')) {
    throw new ValidationError(
      'rule',
      [{ path: [...base, 'conditions'], message: 'root must be exactly one of "all", "any" or "not" (as in json-rules-engine)' }],
      { file },
    );
  }
  // Compiling is the validation of the condition tree (operators, paths, regexes, facts). Without
  // the catalog's lists, list names are checked later, when the rule set is compiled.
  const test = compileCondition<RuleFacts>(conditions, { fact: ruleFact, path: [...base, 'conditions'], file, list: options.list ?? anyList });
  const rule: RuleDefinition = {
    id: data.id,
    version: data.version,
    description: data.description,
    mode: data.mode,
    priority: data.priority,
    conditions,
    event: data.event,
  };
  if (data.name !== undefined) rule.name = data.name;
  if (data.appliesTo !== undefined) rule.appliesTo = [...new Set(data.appliesTo)];
  if (file !== undefined) rule.file = file;
  options.compiled?.set(rule, test);
  return rule;
}
