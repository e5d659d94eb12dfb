import type { ArgusEvent } from '../events/ArgusEvent.ts';
import type { Decision, MatchSummary, Reason } from '../runtime/types.ts';

/**
 * One line of `decisions.jsonl` (docs/replay.md): the decision without its latency (so the same
 * replay gives the same bytes), rule and pattern ids only.
 */
export interface DecisionRow {
  eventId: string;
  key: string;
  timestamp: number;
  type: string;
  decision: Decision['decision'];
  score: number;
  /** Enforced rules that fired, in evaluation order. */
  reasons: string[];
  /** Shadow rules that fired. */
  shadow: string[];
  /** Patterns whose match the event completed (one entry per match). */
  matches: string[];
  /** Shadow-mode patterns whose match the event completed (present only when there are some). */
  shadowMatches?: string[];
  /** With `--label`: the event's label (absent when the event has none). */
  label?: boolean;
}

function ruleIds(reasons: readonly Reason[]): string {
  if (reasons.length === 0) return '[]';
  let s = '[';
  for (let i = 0; i < reasons.length; i++) s += (i === 0 ? '' : ',') + JSON.stringify(reasons[i]!.rule);
  return `${s}]`;
}

function patternIds(matches: readonly MatchSummary[]): string {
  if (matches.length === 0) return '[]';
  let s = '[';
  for (let i = 0; i < matches.length; i++) s += (i === 0 ? '' : ',') + JSON.stringify(matches[i]!.pattern);
  return `${s}]`;
}

/** The JSON text of a `DecisionRow` (keys in the order above), built without an intermediate object. */
export function formatDecisionRow(event: ArgusEvent, decision: Decision, label: boolean | undefined): string {
  return (
    `{"eventId":${JSON.stringify(event.id)},"key":${JSON.stringify(event.key)},"timestamp":${event.time},` +
    `"type":${JSON.stringify(event.type)},"decision":"${decision.decision}","score":${decision.score},` +
    `"reasons":${ruleIds(decision.reasons)},"shadow":${ruleIds(decision.shadow)},"matches":${patternIds(decision.matches)}` +
    (decision.shadowMatches === undefined ? '' : `,"shadowMatches":${patternIds(decision.shadowMatches)}`) +
    (label === undefined ? '}' : label ? ',"label":true}' : ',"label":false}')
  );
}
