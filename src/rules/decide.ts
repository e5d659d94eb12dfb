import type { Outcome, Reason } from '../runtime/types.ts';
import type { FiredRule } from './compileRuleSet.ts';
import type { DecisionPolicy } from './DecisionPolicy.ts';

export interface RuleDecision {
  decision: Outcome;
  /** Combined score of the enforced rules that fired, 0–100, rounded to 2 decimals. */
  score: number;
  /** Enforced rules that fired, in evaluation order. */
  reasons: Reason[];
  /** Shadow rules that fired, in evaluation order; they never affect `decision` or `score`. */
  shadow: Reason[];
}

/**
 * Combines fired rules into a decision, with Stripe Radar's precedence: an `allow` rule wins,
 * then `deny`, then `review`; otherwise the combined score against the policy thresholds
 * (≥ deny → deny, ≥ review → review, else allow). `flag` rules add their score and appear in
 * the reasons but force nothing. Every enforced rule's score counts, whatever its action.
 */
export function decide(fired: readonly FiredRule[], policy: DecisionPolicy): RuleDecision {
  const reasons: Reason[] = [];
  const shadow: Reason[] = [];
  let allow = false;
  let deny = false;
  let review = false;
  let sum = 0;
  let max = 0;
  let keep = 1; // Π(1 − s/100)
  for (let i = 0; i < fired.length; i++) {
    const f = fired[i]!;
    const r = f.reason;
    if (f.mode === 'shadow') {
      shadow.push(r);
      continue;
    }
    reasons.push(r);
    if (r.action === 'allow') allow = true;
    else if (r.action === 'deny') deny = true;
    else if (r.action === 'review') review = true;
    sum += r.score;
    if (r.score > max) max = r.score;
    keep *= 1 - r.score / 100;
  }
  let raw: number;
  if (policy.combine === 'sum') raw = sum > 100 ? 100 : sum;
  else if (policy.combine === 'max') raw = max;
  else raw = 100 * (1 - keep);
  const score = Math.round(raw * 100) / 100;
  let decision: Outcome;
  if (allow) decision = 'allow';
  else if (deny) decision = 'deny';
  else if (review) decision = 'review';
  else if (score >= policy.denyThreshold) decision = 'deny';
  else if (score >= policy.reviewThreshold) decision = 'review';
  else decision = 'allow';
  return { decision, score, reasons, shadow };
}
