import { z } from 'zod';
import { ValidationError, fromZodIssues } from '../errors.ts';

/** How fired rules become a decision (`rules/policy.json`). */
export interface DecisionPolicy {
  /**
   * How the scores of the fired (enforced) rules combine: `sum` (capped at 100), `max`, or
   * `noisyOr` = 100·(1 − Π(1 − s/100)) (independent evidence: two 50s give 75).
   */
  combine: 'sum' | 'max' | 'noisyOr';
  /** Combined score ≥ this → review (when no rule forced the outcome). */
  reviewThreshold: number;
  /** Combined score ≥ this → deny (when no rule forced the outcome). */
  denyThreshold: number;
  description?: string;
}

export const DEFAULT_POLICY: Readonly<DecisionPolicy> = Object.freeze({
  combine: 'noisyOr',
  reviewThreshold: 50,
  denyThreshold: 80,
});

const threshold = z
  .number()
  .gt(0, 'must be greater than 0 and at most 100')
  .max(100, 'must be greater than 0 and at most 100');

export const policySchema = z
  .strictObject({
    combine: z.enum(['sum', 'max', 'noisyOr']),
    reviewThreshold: threshold,
    denyThreshold: threshold,
    description: z.string().optional(),
  })
  .check((ctx) => {
    if (ctx.value.reviewThreshold > ctx.value.denyThreshold) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value.reviewThreshold,
        path: ['reviewThreshold'],
        message: `must not exceed denyThreshold (${ctx.value.denyThreshold})`,
      });
    }
  });

/** Validates `rules/policy.json`; throws `ValidationError` with `file` and field paths. */
export function parsePolicy(json: unknown, file?: string): DecisionPolicy {
  const parsed = policySchema.safeParse(json);
  if (!parsed.success) throw new ValidationError('policy', fromZodIssues(parsed.error.issues), { file });
  const { combine, reviewThreshold, denyThreshold, description } = parsed.data;
  const policy: DecisionPolicy = { combine, reviewThreshold, denyThreshold };
  if (description !== undefined) policy.description = description;
  return policy;
}
