import { z } from 'zod';
import { ValidationError } from '../../errors.ts';
import type { RuleAction } from '../../runtime/types.ts';
import { REASON_CODE } from '../RuleDefinition.ts';

/** One `fire(action, score, reason)` call of a then block, validated. */
export interface FireCall {
  action: RuleAction;
  score: number;
  reason: string;
  /** 1-based line of the call. */
  line: number;
}

export const fireCallSchema = z.strictObject({
  action: z.enum(['allow', 'review', 'deny', 'flag']),
  score: z.number().min(0, 'must be between 0 and 100').max(100, 'must be between 0 and 100'),
  reason: z.string().regex(REASON_CODE, 'must be a stable code like HIGH_AMOUNT_NEW_COUNTRY ([A-Z][A-Z0-9_]*)'),
});

const CALL = /(?<![\w$.])fire\s*\(/g;
const ARGS = /\s*(['"])([^'"]*)\1\s*,\s*(-?[0-9]+(?:\.[0-9]+)?)\s*,\s*(['"])([^'"]*)\4\s*\)/y;

/**
 * The `fire(…)` calls in a rule's text (`//` comments already blanked). Each must have literal
 * arguments — `fire('review', 60, 'HIGH_AMOUNT')` — so that every outcome a rule can produce is
 * validated when the file loads, and built once. Throws a `ValidationError` at the call's line.
 */
export function findFireCalls(
  text: string,
  from: number,
  to: number,
  ruleName: string,
  lineAt: (offset: number) => number,
  file?: string,
): FireCall[] {
  const calls: FireCall[] = [];
  const body = text.slice(from, to);
  for (const m of body.matchAll(CALL)) {
    const at = from + m.index;
    const line = lineAt(at);
    ARGS.lastIndex = m.index + m[0].length;
    const args = ARGS.exec(body);
    if (args === null) {
      throw new ValidationError(
        'nools rule',
        [{ path: ['rule', ruleName, 'fire'], message: "fire() takes literal arguments: fire('review', 60, 'REASON_CODE')" }],
        { file, line },
      );
    }
    const parsed = fireCallSchema.safeParse({ action: args[2], score: Number(args[3]), reason: args[5] });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = String(issue.path[0] ?? '');
      const message = field === 'action' ? 'must be allow, review, deny or flag' : issue.message;
      throw new ValidationError('nools rule', [{ path: ['rule', ruleName, 'fire', field], message }], { file, line });
    }
    calls.push({ ...parsed.data, line });
  }
  return calls;
}
