import type { ArgusEvent } from '../events/ArgusEvent.ts';
import type { Predicate } from '../conditions/types.ts';
import type { AfterMatch, EvalContext, PatternDefinition, StageDefinition } from './types.ts';

/** SASE / FlinkCEP edge actions. */
export const TAKE = 0;
export const IGNORE = 1;
export const PROCEED = 2;

export const NORMAL = 0;
export const FINAL = 1;
export const STOP = 2;
/** Waiting out a trailing `notFollowedBy`: completes as a match when its window passes. */
export const PENDING = 3;

export type Cond = Predicate<EvalContext>;
/** The always-true condition (identity-compared, so the step can skip the call). */
export const TRUE: Cond = () => true;
const FALSE: Cond = () => false;

export interface Edge {
  action: number;
  source: NState;
  target: NState;
  cond: Cond;
}

export interface NState {
  id: number;
  /** Stage name (original, not made unique). */
  name: string;
  kind: number;
  edges: Edge[];
  /** Index of the stage in `CompiledPattern.stageNames` (events this state takes are reported under it). */
  stage: number;
  /** Stage window (ms) applying to events this state takes, or -1. */
  window: number;
}

export interface CompileOptions {
  /** Live partial matches per key beyond which new ones are dropped (default 10,000). */
  maxPartialMatches?: number;
}

/** A pattern compiled once into an NFA; holds no per-key data. */
export interface CompiledPattern {
  readonly id: string;
  readonly definition: PatternDefinition;
  readonly states: NState[];
  readonly start: NState;
  /** Every stage name in pattern order (groups too); a node's `stage` indexes this. */
  readonly stageNames: string[];
  /** Pattern window in ms, or 0. */
  readonly window: number;
  readonly timeouts: boolean;
  readonly afterMatch: AfterMatch;
  /** Index of the skip strategy's stage in `stageNames`, or -1. */
  readonly skipStage: number;
  readonly maxPartialMatches: number;
  /** The evaluation context, reused by every step (the step is synchronous). */
  readonly ctx: EvalContext;
  /** What of an event a partial match keeps (see `PatternDefinition.bufferFields`); null: all of it. */
  readonly keep: ((event: ArgusEvent) => ArgusEvent) | null;
}

// --- condition combinators (compile time only) ---
function and(a: Cond, b: Cond): Cond {
  if (a === TRUE) return b;
  if (b === TRUE) return a;
  if (a === FALSE || b === FALSE) return FALSE;
  return (c) => a(c) && b(c);
}
/** A negation remembers what it negates, so the step can reuse a result it already has. */
export type NotCond = Cond & { negates?: Cond };
function not(a: Cond): Cond {
  if (a === TRUE) return FALSE;
  if (a === FALSE) return TRUE;
  if ((a as NotCond).negates !== undefined) return (a as NotCond).negates!;
  const n: NotCond = (c) => !a(c);
  n.negates = a;
  return n;
}

const STRICT = 0;
const SKIP_TILL_NEXT = 1;
const SKIP_TILL_ANY = 2;
const NOT_NEXT = 3;
const NOT_FOLLOW = 4;

/** FlinkCEP's `Pattern` with its `Quantifier`, linked backwards. */
interface PNode {
  name: string;
  stage: number;
  cond: Cond;
  consuming: number;
  inner: number;
  looping: boolean;
  timesQ: boolean;
  optional: boolean;
  greedy: boolean;
  from: number;
  to: number;
  until: Cond | null;
  window: number;
  group: PNode | null;
  previous: PNode | null;
}

const CONTIGUITY: Record<string, number> = {
  next: STRICT,
  followedBy: SKIP_TILL_NEXT,
  followedByAny: SKIP_TILL_ANY,
  notNext: NOT_NEXT,
  notFollowedBy: NOT_FOLLOW,
};
const INNER: Record<string, number> = { strict: STRICT, relaxed: SKIP_TILL_NEXT, any: SKIP_TILL_ANY };

function toNodes(stages: StageDefinition[], names: string[], inheritedWindow: number): PNode {
  let prev: PNode | null = null;
  for (const s of stages) {
    const window = s.within ?? inheritedWindow;
    const looping = s.times !== undefined && s.times.max === Infinity;
    const node: PNode = {
      name: s.name,
      stage: names.indexOf(s.name),
      cond: s.where ?? TRUE,
      consuming: CONTIGUITY[s.contiguity]!,
      inner: INNER[s.inner]!,
      looping,
      timesQ: s.times !== undefined && !looping,
      optional: s.optional,
      greedy: s.greedy,
      from: s.times?.min ?? 1,
      to: looping ? s.times!.min : (s.times?.max ?? 1),
      until: s.until ?? null,
      window,
      group: s.group ? toNodes(s.group, names, window) : null,
      previous: prev,
    };
    prev = node;
  }
  return prev!;
}

function flattenNames(stages: StageDefinition[], out: string[]): string[] {
  for (const s of stages) {
    out.push(s.name);
    if (s.group) flattenNames(s.group, out);
  }
  return out;
}

/** Compiles a validated pattern into an NFA (a port of FlinkCEP's `NFACompiler`). */
export function compilePattern(def: PatternDefinition, options: CompileOptions = {}): CompiledPattern {
  const stageNames = flattenNames(def.stages, []);
  const last = toNodes(def.stages, stageNames, -1);
  const c = new NfaCompiler(last, stageNames);
  const first = c.compile();
  // The start state is a copy: a partial match that comes back to the first state (a looping
  // group) is then never confused with the implicit, event-less start.
  const start: NState = { id: c.states.length, name: first.name, kind: first.kind, edges: [], stage: first.stage, window: first.window };
  for (const e of first.edges) start.edges.push({ action: e.action, source: start, target: e.target === first ? start : e.target, cond: e.cond });
  c.states.push(start);
  const a = def.afterMatch;
  return {
    id: def.id,
    definition: def,
    states: c.states,
    start,
    stageNames,
    window: def.within ?? 0,
    timeouts: def.timeouts,
    afterMatch: a,
    skipStage: a.kind === 'skipToFirst' || a.kind === 'skipToLast' ? stageNames.indexOf(a.stage) : -1,
    maxPartialMatches: options.maxPartialMatches ?? 10_000,
    ctx: { data: {}, node: null },
    keep: def.bufferFields === undefined ? null : keeper(def.bufferFields),
  };
}

const NO_FIELDS: Readonly<Record<string, unknown>> = Object.freeze({});

/** The part of an event a partial match keeps: envelope, and the top-level parts of `fields`. */
function keeper(fields: readonly string[]): (event: ArgusEvent) => ArgusEvent {
  const tops = [...new Set(fields.map((f) => f.split('.')[0]!))];
  if (tops.length === 0) return (e) => ({ id: e.id, type: e.type, time: e.time, key: e.key, data: NO_FIELDS });
  return (e) => {
    const data: Record<string, unknown> = {};
    for (let i = 0; i < tops.length; i++) {
      const k = tops[i]!;
      if (Object.prototype.hasOwnProperty.call(e.data, k)) data[k] = e.data[k];
    }
    return { id: e.id, type: e.type, time: e.time, key: e.key, data };
  };
}

class NfaCompiler {
  readonly states: NState[] = [];
  private readonly stopStates = new Map<string, NState>();
  private readonly firstOfLoop = new Map<PNode, boolean>();
  private readonly originalStateMap = new Map<NState, NState>();
  private currentGroup: PNode | null = null;
  private current: PNode;
  private following: PNode | null = null;

  constructor(
    last: PNode,
    private readonly stageNames: string[],
  ) {
    this.current = last;
  }

  compile(): NState {
    let sink = this.createState('$endState$', FINAL, -1, -1);
    sink = this.createMiddleStates(sink);
    return this.convertPattern(sink);
  }

  private createState(name: string, kind: number, stage: number, window: number): NState {
    const s: NState = { id: this.states.length, name, kind, edges: [], stage, window };
    this.states.push(s);
    return s;
  }

  private stateFor(p: PNode, kind = NORMAL): NState {
    return this.createState(p.name, kind, p.stage, p.window);
  }

  private add(source: NState, action: number, target: NState, cond: Cond): void {
    source.edges.push({ action, source, target, cond });
  }

  private createMiddleStates(sink: NState): NState {
    let lastSink = sink;
    while (this.current.previous !== null) {
      const cur = this.current;
      if (cur.consuming === NOT_FOLLOW) {
        if (lastSink.kind === FINAL) {
          // trailing notFollowedBy: wait out the window, fail on a matching event
          const pending = this.stateFor(cur, PENDING);
          const notCond = this.getTakeCondition(cur);
          const stop = this.createStopState(notCond, cur);
          this.add(pending, PROCEED, stop, notCond);
          this.add(pending, IGNORE, pending, not(notCond));
          this.addStopStates(pending);
          lastSink = pending;
        }
        // otherwise converted into edge conditions (stop states) of the states around it
      } else if (cur.consuming === NOT_NEXT) {
        const notNext = this.stateFor(cur);
        const notCond = this.getTakeCondition(cur);
        const stop = this.createStopState(notCond, cur);
        if (lastSink.kind === FINAL) this.add(notNext, IGNORE, lastSink, not(notCond));
        else this.add(notNext, PROCEED, lastSink, not(notCond));
        this.add(notNext, PROCEED, stop, notCond);
        lastSink = notNext;
      } else {
        lastSink = this.convertPattern(lastSink);
      }
      this.following = cur;
      this.current = cur.previous!;
    }
    return lastSink;
  }

  private convertPattern(sink: NState): NState {
    const cur = this.current;
    let lastSink: NState;
    if (cur.looping) {
      this.setFirstOfLoop(false);
      const s = this.copyWithoutTransitiveNots(sink);
      const looping = this.createLooping(s);
      this.setFirstOfLoop(true);
      lastSink = this.createTimesState(looping, sink, cur.from, cur.to);
    } else if (cur.timesQ) {
      lastSink = this.createTimesState(sink, sink, cur.from, cur.to);
    } else {
      lastSink = this.createSingletonState(sink, sink, this.getTakeCondition(cur), this.getIgnoreCondition(cur), this.isPatternOptional(cur));
    }
    this.addStopStates(lastSink);
    return lastSink;
  }

  private createStopState(notCond: Cond, p: PNode): NState {
    let stop = this.stopStates.get(p.name);
    if (!stop) {
      stop = this.stateFor(p, STOP);
      this.add(stop, TAKE, stop, notCond);
      this.stopStates.set(p.name, stop);
    }
    return stop;
  }

  /** NOT conditions before the current stage, reachable backwards through optional stages. */
  private getCurrentNotConditions(): { cond: Cond; node: PNode }[] {
    const out: { cond: Cond; node: PNode }[] = [];
    let p = this.current;
    while (p.previous !== null && (p.previous.optional || p.previous.consuming === NOT_FOLLOW)) {
      p = p.previous;
      if (p.consuming === NOT_FOLLOW) out.push({ cond: this.getTakeCondition(p), node: p });
    }
    return out;
  }

  /** A copy of `sink` without the stop edges of NOTs that an optional stage taking an event cancels. */
  private copyWithoutTransitiveNots(sink: NState): NState {
    const nots = this.getCurrentNotConditions();
    if (nots.length === 0 || !this.current.optional) return sink;
    const copy = this.createState(sink.name, sink.kind, sink.stage, sink.window);
    for (const t of sink.edges) {
      if (t.action === PROCEED) {
        let target = t.target;
        let remove = false;
        if (target.kind === STOP) {
          for (const n of nots) if (target.name === n.node.name) remove = true;
        } else {
          target = this.copyWithoutTransitiveNots(t.target);
        }
        if (!remove) this.add(copy, PROCEED, target, t.cond);
      } else {
        this.add(copy, t.action, t.target === t.source ? copy : t.target, t.cond);
      }
    }
    return copy;
  }

  private copy(state: NState): NState {
    const copy = this.createState(state.name, state.kind, state.stage, state.window);
    for (const t of state.edges) this.add(copy, t.action, t.target === t.source ? copy : t.target, t.cond);
    return copy;
  }

  private addStopStates(state: NState): void {
    for (const n of this.getCurrentNotConditions()) {
      const stop = this.createStopState(n.cond, n.node);
      this.add(state, PROCEED, stop, n.cond);
    }
  }

  private addStopStateToLooping(state: NState): void {
    const f = this.following;
    if (f !== null && f.consuming === NOT_FOLLOW) {
      const cond = this.getTakeCondition(f);
      this.add(state, PROCEED, this.createStopState(cond, f), cond);
    }
  }

  private createTimesState(sink: NState, proceedState: NState, from: number, to: number): NState {
    const cur = this.current;
    let lastSink = sink;
    this.setFirstOfLoop(false);
    const until = cur.until;
    const innerIgnore = extendWithUntil(this.getInnerIgnoreCondition(cur), until, false);
    const take = extendWithUntil(this.getTakeCondition(cur), until, true)!;
    if (cur.greedy && from !== to) {
      if (until !== null) this.originalStateMap.set(sink, this.copy(sink));
      this.updateWithGreedyCondition(sink, take);
    }
    for (let i = from; i < to; i++) {
      lastSink = this.createSingletonState(lastSink, proceedState, take, innerIgnore, true);
      this.addStopStateToLooping(lastSink);
    }
    for (let i = 0; i < from - 1; i++) {
      lastSink = this.createSingletonState(lastSink, null, take, innerIgnore, false);
      this.addStopStateToLooping(lastSink);
    }
    this.setFirstOfLoop(true);
    return this.createSingletonState(lastSink, proceedState, take, this.getIgnoreCondition(cur), cur.optional);
  }

  private setFirstOfLoop(first: boolean): void {
    if (this.current.group !== null) this.firstOfLoop.set(this.current, first);
  }

  private isCurrentGroupFirstOfLoop(): boolean {
    const g = this.currentGroup;
    return g === null || !this.firstOfLoop.has(g) ? true : this.firstOfLoop.get(g)!;
  }

  private headOfGroup(p: PNode): boolean {
    return this.currentGroup !== null && p.previous === null;
  }

  private isPatternOptional(p: PNode): boolean {
    return p.optional;
  }

  private isHeadOfOptionalGroup(p: PNode): boolean {
    return this.headOfGroup(p) && this.isCurrentGroupFirstOfLoop() && this.currentGroup!.optional;
  }

  private createSingletonState(sink: NState, proceedState: NState | null, take: Cond, ignore: Cond | null, isOptional: boolean): NState {
    const cur = this.current;
    if (cur.group !== null) return this.createGroupPatternState(cur, sink, proceedState, isOptional);
    const single = this.stateFor(cur);
    const s = this.copyWithoutTransitiveNots(sink);
    this.add(single, TAKE, s, take);
    const proceedCond = this.getTrueFunction();
    if (isOptional && proceedState !== null) {
      if (cur.greedy) {
        const until = cur.until;
        if (until !== null) this.add(single, PROCEED, this.originalStateMap.get(proceedState) ?? proceedState, and(proceedCond, until));
        this.add(single, PROCEED, proceedState, until !== null ? and(proceedCond, not(until)) : proceedCond);
      } else {
        this.add(single, PROCEED, proceedState, proceedCond);
      }
    }
    if (ignore !== null) {
      let ignoreState: NState;
      if (isOptional || this.isHeadOfOptionalGroup(cur)) {
        ignoreState = this.stateFor(cur);
        this.add(ignoreState, TAKE, s, take);
        this.add(ignoreState, IGNORE, ignoreState, ignore);
        this.addStopStates(ignoreState);
      } else {
        ignoreState = single;
      }
      this.add(single, IGNORE, ignoreState, ignore);
    }
    return single;
  }

  private createGroupPatternState(group: PNode, sink: NState, proceedState: NState | null, isOptional: boolean): NState {
    const proceedCond = this.getTrueFunction();
    const saved = [this.current, this.following, this.currentGroup] as const;
    this.currentGroup = group;
    this.current = group.group!;
    let lastSink = this.createMiddleStates(sink);
    lastSink = this.convertPattern(lastSink);
    if (isOptional && proceedState !== null) this.add(lastSink, PROCEED, proceedState, proceedCond);
    [this.current, this.following, this.currentGroup] = saved;
    return lastSink;
  }

  private createLoopingGroupPatternState(group: PNode, sink: NState): NState {
    const proceedCond = this.getTrueFunction();
    const saved = [this.current, this.following, this.currentGroup] as const;
    const dummy = this.stateFor(group);
    this.currentGroup = group;
    this.current = group.group!;
    let lastSink = this.createMiddleStates(dummy);
    lastSink = this.convertPattern(lastSink);
    this.add(lastSink, PROCEED, sink, proceedCond);
    this.add(dummy, PROCEED, lastSink, proceedCond);
    [this.current, this.following, this.currentGroup] = saved;
    return lastSink;
  }

  private createLooping(sink: NState): NState {
    const cur = this.current;
    if (cur.group !== null) return this.createLoopingGroupPatternState(cur, sink);
    const until = cur.until;
    const ignore = extendWithUntil(this.getInnerIgnoreCondition(cur), until, false);
    const take = extendWithUntil(this.getTakeCondition(cur), until, true)!;
    const proceedCond = this.getTrueFunction();
    const looping = this.stateFor(cur);
    if (cur.greedy) {
      if (until !== null) {
        const copy = this.copy(sink);
        this.add(looping, PROCEED, copy, and(proceedCond, until));
        this.originalStateMap.set(sink, copy);
      }
      this.add(looping, PROCEED, sink, until !== null ? and(proceedCond, not(until)) : proceedCond);
      this.updateWithGreedyCondition(sink, this.getTakeCondition(cur));
    } else {
      this.add(looping, PROCEED, sink, proceedCond);
    }
    this.add(looping, TAKE, looping, take);
    this.addStopStateToLooping(looping);
    if (ignore !== null) {
      const ignoreState = this.stateFor(cur);
      this.add(ignoreState, TAKE, looping, take);
      this.add(ignoreState, IGNORE, ignoreState, ignore);
      this.add(looping, IGNORE, ignoreState, ignore);
      this.addStopStateToLooping(ignoreState);
    }
    return looping;
  }

  private getInnerIgnoreCondition(p: PNode): Cond | null {
    let cs = p.inner;
    if (this.headOfGroup(p)) cs = this.currentGroup!.inner;
    return this.withGroupUntil(ignoreFor(cs, p.cond), false);
  }

  private getIgnoreCondition(p: PNode): Cond | null {
    let cs = p.consuming;
    if (this.headOfGroup(p)) cs = this.isCurrentGroupFirstOfLoop() ? this.currentGroup!.consuming : this.currentGroup!.inner;
    return this.withGroupUntil(ignoreFor(cs, p.cond), false);
  }

  private getTakeCondition(p: PNode): Cond {
    return this.withGroupUntil(p.cond, true)!;
  }

  private getTrueFunction(): Cond {
    return this.withGroupUntil(TRUE, true)!;
  }

  private withGroupUntil(cond: Cond | null, isTake: boolean): Cond | null {
    const g = this.currentGroup;
    return g !== null && g.until !== null ? extendWithUntil(cond, g.until, isTake) : cond;
  }

  private updateWithGreedyCondition(state: NState, take: Cond): void {
    const notTake = not(take);
    for (const t of state.edges) t.cond = and(t.cond, notTake);
  }
}

function ignoreFor(consuming: number, cond: Cond): Cond | null {
  switch (consuming) {
    case SKIP_TILL_NEXT:
      return not(cond);
    case SKIP_TILL_ANY:
      return TRUE;
    default:
      return null;
  }
}

function extendWithUntil(cond: Cond | null, until: Cond | null, isTake: boolean): Cond | null {
  if (until !== null && cond !== null) return and(not(until), cond);
  if (until !== null && isTake) return not(until);
  return cond;
}
