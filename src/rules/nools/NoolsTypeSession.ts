import type { FiredRule } from '../compileRuleSet.ts';
import type { RuleFacts } from '../RuleFacts.ts';
import type { NoolsFireState, NoolsRuleEntry } from './NoolsFireState.ts';
import type { NoolsFlow, NoolsSession } from './noolsLib.ts';
import { NoolsRuleError } from './NoolsRuleError.ts';

/**
 * The one fact a nools rule matches on (`f: Facts`): the four objects JSON rules read. One
 * instance per session, refilled for each event, so an evaluation allocates no fact of its own.
 */
export class NoolsFacts implements RuleFacts {
  event: Record<string, unknown> = EMPTY;
  features: Record<string, unknown> = EMPTY;
  matches: Record<string, unknown> = EMPTY;
  lists: Record<string, unknown> = EMPTY;
}
const EMPTY: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

function isThenable(v: unknown): boolean {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function';
}

/**
 * One long-lived nools session for the rules of one event type. Per event: assert the facts,
 * fire the agenda synchronously (Argus pops activations itself: nools' `session.match()` goes
 * through `setImmediate` after every activation that fires, see docs/nools.md), retract every
 * fact, then push the rules' outcomes in priority order.
 */
export class NoolsTypeSession {
  readonly entries: readonly NoolsRuleEntry[];
  private readonly flow: NoolsFlow;
  private readonly state: NoolsFireState;
  private readonly facts = new NoolsFacts();
  private session: NoolsSession;
  private halted = false;
  private readonly strategy = { halt: (): void => void (this.halted = true) };

  constructor(flow: NoolsFlow, entries: readonly NoolsRuleEntry[], state: NoolsFireState) {
    this.flow = flow;
    this.entries = entries;
    this.state = state;
    this.session = this.open();
  }

  private open(): NoolsSession {
    const session = this.flow.getSession();
    session.executionStrategy = this.strategy;
    // Activations of nools' InitialFact alone (rules without a Facts pattern) are not events.
    const agenda = session.agenda;
    while (!agenda.isEmpty()) agenda.pop();
    return session;
  }

  run(facts: RuleFacts, out: FiredRule[]): void {
    const f = this.facts;
    f.event = facts.event;
    f.features = facts.features;
    f.matches = facts.matches;
    f.lists = facts.lists;
    const session = this.session;
    try {
      session.assert(f);
      this.fireAll(session);
      this.clear(session);
    } catch (err) {
      const rule = this.state.current?.meta.id;
      this.recover();
      throw err instanceof NoolsRuleError ? err : new NoolsRuleError(this.state.file, rule, err);
    } finally {
      this.state.current = null;
      f.event = f.features = f.matches = f.lists = EMPTY;
    }
    const entries = this.entries;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      if (e.slot !== null) {
        out.push(e.slot);
        e.slot = null;
      }
    }
  }

  private fireAll(session: NoolsSession): void {
    const agenda = session.agenda;
    const state = this.state;
    this.halted = false;
    while (!this.halted && !agenda.isEmpty()) {
      const activation = agenda.pop();
      const rule = activation.rule;
      state.current = state.byName.get(rule.name) ?? null;
      const result = rule.cb.call(session, activation.match.factHash, session);
      if (isThenable(result)) throw new Error('then blocks must be synchronous (it returned a promise)');
    }
    state.current = null;
  }

  /** Retracts every fact (the event's and any a then block asserted) and drops what is left on the agenda. */
  private clear(session: NoolsSession): void {
    const memory = session.workingMemory.facts;
    const tail = memory.length === 2 ? (memory.head!.next as { data: { object: unknown } }).data.object : undefined;
    if (tail === this.facts) session.retract(this.facts);
    else if (memory.length > 1) for (const fact of session.getFacts()) session.retract(fact);
    const agenda = session.agenda;
    while (!agenda.isEmpty()) agenda.pop();
  }

  /** After a rule threw, the network may hold half-propagated facts: start a fresh session. */
  private recover(): void {
    for (const e of this.entries) e.slot = null;
    try {
      this.session.dispose();
    } catch {
      // a broken session is dropped either way
    }
    this.session = this.open();
  }

  /** Facts in working memory, nools' InitialFact excluded. */
  factCount(): number {
    return this.session.workingMemory.facts.length - 1;
  }

  dispose(): void {
    this.session.dispose();
  }
}
