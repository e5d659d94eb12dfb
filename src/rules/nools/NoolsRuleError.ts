import { ArgusError } from '../../errors.ts';

/**
 * A nools rule failed while an event was evaluated: a `when` test or a `then` block threw (for
 * instance `f.event.card.country` on an event without `card`), or a then block was asynchronous.
 * The rule set has already recovered (fresh session, nothing of the event left in it); the event's
 * nools outcomes are unknown, so the caller must not decide as if no rule had fired.
 */
export class NoolsRuleError extends ArgusError {
  readonly file: string;
  /** The rule whose then block failed; undefined when a `when` test failed (nools shares tests between rules). */
  readonly rule?: string;

  constructor(file: string, rule: string | undefined, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`${file}: nools rule${rule === undefined ? 's' : ` "${rule}"`} failed: ${why}`, { code: 'NOOLS_RULE_ERROR', cause });
    this.file = file;
    if (rule !== undefined) this.rule = rule;
  }
}
