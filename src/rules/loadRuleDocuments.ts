import { ValidationError } from '../errors.ts';
import { DEFAULT_POLICY, parsePolicy, type DecisionPolicy } from './DecisionPolicy.ts';
import type { RuleDefinition } from './RuleDefinition.ts';
import { parseRule, type ParseRuleOptions } from './parseRule.ts';

/** A parsed JSON file of `rules/` as the catalog loader reads it. */
export interface RuleDocument {
  file: string;
  json: unknown;
}

export const POLICY_FILE = 'policy.json';
/** Files of `rules/` that are not rules (`features.json` belongs to src/features). */
export const NON_RULE_FILES: ReadonlySet<string> = new Set([POLICY_FILE, 'features.json']);

function baseName(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i < 0 ? file : file.slice(i + 1);
}

/** Whether a file of `rules/` holds rules: every `*.json` but `policy.json` and `features.json`. */
export function isRuleFile(file: string): boolean {
  const name = baseName(file);
  return name.endsWith('.json') && !NON_RULE_FILES.has(name);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Rules from one file: either one rule object, or `{"rules": [rule, ...]}` (paths then start with
 * `rules[i]`). Throws `ValidationError` with the file.
 */
export function parseRuleFile(json: unknown, file?: string, options?: ParseRuleOptions): RuleDefinition[] {
  if (isPlainObject(json) && Object.prototype.hasOwnProperty.call(json, 'rules')) {
    const extra = Object.keys(json).filter((k) => k !== 'rules');
    if (extra.length > 0) {
      throw new ValidationError('rule', [{ path: [extra[0]!], message: `unknown key "${extra[0]}" (a rules file has only "rules")` }], { file });
    }
    if (!Array.isArray(json.rules)) {
      throw new ValidationError('rule', [{ path: ['rules'], message: 'must be an array of rules' }], { file });
    }
    return json.rules.map((r, i) => parseRule(r, file, ['rules', i], options));
  }
  return [parseRule(json, file, [], options)];
}

/**
 * Validates the parsed files of `rules/` (the catalog does the reading): every rule file, rule ids
 * unique across files, and `policy.json` (DEFAULT_POLICY when absent). `features.json` is ignored.
 * Files are taken in the order given; the first problem throws, with its file.
 */
export function loadRuleDocuments(docs: readonly RuleDocument[]): { rules: RuleDefinition[]; policy: DecisionPolicy } {
  const rules: RuleDefinition[] = [];
  const where = new Map<string, string>();
  let policy: DecisionPolicy = { ...DEFAULT_POLICY };
  for (const doc of docs) {
    const name = baseName(doc.file);
    if (name === POLICY_FILE) {
      policy = parsePolicy(doc.json, doc.file);
      continue;
    }
    if (!isRuleFile(doc.file)) continue;
    const fileRules = parseRuleFile(doc.json, doc.file);
    fileRules.forEach((rule, i) => {
      const other = where.get(rule.id);
      if (other !== undefined) {
        const path = isPlainObject(doc.json) && Object.prototype.hasOwnProperty.call(doc.json, 'rules') ? ['rules', i, 'id'] : ['id'];
        throw new ValidationError('rule', [{ path, message: `duplicate rule id "${rule.id}" (also in ${other})` }], { file: doc.file });
      }
      where.set(rule.id, doc.file);
      rules.push(rule);
    });
  }
  return { rules, policy };
}
