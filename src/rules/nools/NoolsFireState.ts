import type { FiredRule } from '../compileRuleSet.ts';
import type { NoolsRuleMeta } from './parseNoolsRuleMeta.ts';

/** A compiled nools rule: its metadata, its outcomes (built once) and this event's outcome. */
export interface NoolsRuleEntry {
  /** The nools rule name. */
  readonly name: string;
  readonly meta: NoolsRuleMeta;
  /** Line of the `rule` keyword. */
  readonly line: number;
  /** One frozen `FiredRule` per distinct literal `fire(…)` call of the then block. */
  readonly outcomes: readonly FiredRule[];
  /** The outcome fired during the current evaluation, or null. */
  slot: FiredRule | null;
}

/**
 * What the `fire` function of a rule set's then blocks writes to: the session sets `current` to
 * the rule whose then block it runs; `fire` finds the matching pre-built outcome and stores it in
 * that rule's slot. Nothing is allocated per call.
 */
export class NoolsFireState {
  current: NoolsRuleEntry | null = null;
  readonly file: string;
  readonly byName: ReadonlyMap<string, NoolsRuleEntry>;
  /** `fire(action, score, reason)` as then blocks see it (nools `scope`); built once per compile. */
  readonly fire: (action: unknown, score: unknown, reason: unknown) => void;

  constructor(file: string, entries: readonly NoolsRuleEntry[]) {
    this.file = file;
    this.byName = new Map(entries.map((e) => [e.name, e]));
    this.fire = (action, score, reason) => {
      const rule = this.current;
      if (rule === null) throw new Error('fire() called outside a then block');
      if (rule.slot !== null) return; // a rule fires once per event: its first outcome stands
      const outcomes = rule.outcomes;
      for (let i = 0; i < outcomes.length; i++) {
        const r = outcomes[i]!.reason;
        if (r.action === action && r.score === score && r.reason === reason) {
          rule.slot = outcomes[i]!;
          return;
        }
      }
      throw new Error(`fire(${String(action)}, ${String(score)}, ${String(reason)}) is not one of the rule's literal fire() calls`);
    };
  }
}
