import { z } from 'zod';
import type { RuleAction } from '../runtime/types.ts';

export type RuleMode = 'enforce' | 'shadow';

/** A rule as written in `rules/*.json`, validated: a json-rules-engine rule plus Argus fields. */
export interface RuleDefinition {
  /** Unique in the catalog, `[a-z0-9][a-z0-9_.-]*`. */
  id: string;
  /** Positive integer, reported with every reason. */
  version: number;
  description: string;
  /** json-rules-engine's optional rule name. */
  name?: string;
  /** `shadow` rules are evaluated and reported apart; they never change the decision or the score. */
  mode: RuleMode;
  /** Event types the rule runs on; undefined = every type. */
  appliesTo?: string[];
  /** json-rules-engine priority (≥ 1, default 1): higher runs first. */
  priority: number;
  /** json-rules-engine condition tree; its root is `all`, `any` or `not`. */
  conditions: Record<string, unknown>;
  event: { type: RuleAction; params: { score: number; reason: string; message?: string } };
  /** File the rule came from (set by the loader), for error messages. */
  file?: string;
}

export const RULE_ID = /^[a-z0-9][a-z0-9_.-]*$/;
export const REASON_CODE = /^[A-Z][A-Z0-9_]*$/;

export const ruleSchema = z.strictObject({
  id: z.string().regex(RULE_ID, 'must match [a-z0-9][a-z0-9_.-]*'),
  version: z.number().int('must be a positive integer').positive('must be a positive integer'),
  description: z.string().min(1, 'must be a non-empty string'),
  name: z.string().min(1).optional(),
  mode: z.enum(['enforce', 'shadow']).default('enforce'),
  appliesTo: z.array(z.string().min(1, 'must be a non-empty event type')).min(1, 'must list at least one event type (omit it for all types)').optional(),
  priority: z.number().int('must be a positive integer').positive('must be a positive integer').default(1),
  conditions: z.record(z.string(), z.unknown()),
  event: z.strictObject({
    type: z.enum(['allow', 'review', 'deny', 'flag']),
    params: z.strictObject({
      score: z.number().min(0, 'must be between 0 and 100').max(100, 'must be between 0 and 100'),
      reason: z.string().regex(REASON_CODE, 'must be a stable code like HIGH_AMOUNT_NEW_COUNTRY ([A-Z][A-Z0-9_]*)'),
      message: z.string().optional(),
    }),
  }),
});
