export type { RuleFacts } from './RuleFacts.ts';
export { ruleFact, RESERVED_FACTS } from './RuleFacts.ts';
export { ruleSchema, RULE_ID, REASON_CODE, type RuleDefinition, type RuleMode } from './RuleDefinition.ts';
export { parseRule, type ParseRuleOptions } from './parseRule.ts';
export { parsePolicy, policySchema, DEFAULT_POLICY, type DecisionPolicy } from './DecisionPolicy.ts';
export { compileRuleSet, type CompiledRuleSet, type FiredRule } from './compileRuleSet.ts';
export { decide, type RuleDecision } from './decide.ts';
export {
  loadRuleDocuments,
  parseRuleFile,
  isRuleFile,
  NON_RULE_FILES,
  POLICY_FILE,
  type RuleDocument,
} from './loadRuleDocuments.ts';
