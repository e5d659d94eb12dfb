import { ArgusError } from '../errors.ts';
import type { ArgusEvent } from '../events/ArgusEvent.ts';
import { FINAL, IGNORE, PENDING, PROCEED, STOP, TAKE, TRUE, type CompiledPattern, type Cond, type Edge, type NotCond, type NState } from './compilePattern.ts';
import { Entry, chainEvents, putNode, releaseNode } from './sharedBuffer.ts';
import type { BufferEntry, BufferNode, CepResult, ComputationState, KeyState, StepOutput } from './types.ts';

/**
 * The pure NFA step (SASE / FlinkCEP `NFA.process` and `NFA.advanceTime`): the compiled pattern
 * holds no per-key data; a key's state comes in and goes out. `undefined` is the state of a key
 * with nothing live, so idle keys cost nothing. Synchronous, non-reentrant, and allocation-free
 * for events that change nothing.
 */

export class CState implements ComputationState {
  constructor(
    readonly state: number,
    readonly node: BufferNode,
    readonly startTime: number,
    readonly startSeq: number,
    readonly prevTime: number,
    readonly deadline: number,
  ) {}
}

/** The state of a key that has nothing live. */
export function createKeyState(): KeyState | undefined {
  return undefined;
}

/** A fresh output collector. */
export function createStepOutput(): StepOutput {
  return { results: [], dropped: 0 };
}

/** Thrown by a skip strategy with `throwOnMiss` (FlinkCEP throws a runtime exception there too). */
export class SkipStrategyError extends ArgusError {
  constructor(message: string) {
    super(message, { code: 'CEP_SKIP_MISS' });
  }
}

// Scratch space of the (synchronous, non-reentrant) step, used with counters (no resizing).
const edgeBuf: Edge[] = [];
let edgeCount = 0;
const stateStack: NState[] = [];
const results: CState[] = [];
let resultCount = 0;
const nextPartials: CState[] = [];
let nextCount = 0;
const potential: CState[] = [];
const expired: CState[] = [];
const nodes: BufferNode[] = [];
const NO_PARTIALS: ComputationState[] = [];

// The event being processed.
let curState: KeyState | undefined;
let curEvent: ArgusEvent;
let curKeep: ((event: ArgusEvent) => ArgusEvent) | null = null;
let curSeq = 0;
let curEntry: BufferEntry | null = null;
let discard = false;

function newKeyState(): KeyState {
  // `partials` is replaced (never mutated) until the step writes its result back
  return { partials: NO_PARTIALS, held: null, seq: 0, buffered: 0, minDeadline: Infinity };
}

function refreshDeadline(st: KeyState): void {
  let d = Infinity;
  const partials = st.partials;
  for (let i = 0; i < partials.length; i++) if (partials[i]!.deadline < d) d = partials[i]!.deadline;
  st.minDeadline = d;
}

function deadlineOf(p: CompiledPattern, s: NState, startTime: number, prevTime: number): number {
  let d = p.window > 0 ? startTime + p.window : Infinity;
  if (s.window >= 0 && prevTime + s.window < d) d = prevTime + s.window;
  return d;
}

function newState(p: CompiledPattern, s: NState, node: BufferNode, startTime: number, startSeq: number, prevTime: number): CState {
  node.refs++;
  return new CState(s.id, node, startTime, startSeq, prevTime, deadlineOf(p, s, startTime, prevTime));
}

// Results of the conditions evaluated for one partial match and one event (a take condition
// and its negation on the ignore edge are evaluated once).
let memoA: Cond | null = null;
let memoB: Cond | null = null;
let resA = false;
let resB = false;

function test(p: CompiledPattern, c: Cond): boolean {
  if (c === TRUE) return true;
  const inner = (c as NotCond).negates;
  if (inner !== undefined) return !test(p, inner);
  if (c === memoA) return resA;
  if (c === memoB) return resB;
  const r = c(p.ctx);
  memoB = memoA;
  resB = resA;
  memoA = c;
  resA = r;
  return r;
}

/** Take / ignore edges enabled by the event, following proceed (epsilon) edges. */
function decisionGraph(p: CompiledPattern, state: NState): void {
  memoA = memoB = null;
  edgeCount = 0;
  let top = 0;
  stateStack[top++] = state;
  while (top > 0) {
    const s = stateStack[--top]!;
    const edges = s.edges;
    for (let i = 0; i < edges.length; i++) {
      const e = edges[i]!;
      if (!test(p, e.cond)) continue;
      if (e.action === PROCEED) {
        // a pending state is entered only by taking an event (see afterProceed)
        if (e.target.kind !== PENDING) stateStack[top++] = e.target;
      } else {
        edgeBuf[edgeCount++] = e;
      }
    }
  }
}

/** The final (or pending) state reachable from `state` by proceed edges, as FlinkCEP's findFinalStateAfterProceed. */
function afterProceed(p: CompiledPattern, state: NState): NState | null {
  let top = 0;
  stateStack[top++] = state;
  while (top > 0) {
    const s = stateStack[--top]!;
    const edges = s.edges;
    for (let i = 0; i < edges.length; i++) {
      const e = edges[i]!;
      if (e.action !== PROCEED || !test(p, e.cond)) continue;
      if (e.target.kind === FINAL || e.target.kind === PENDING) return e.target;
      stateStack[top++] = e.target;
    }
  }
  return null;
}

function entry(): BufferEntry {
  if (curEntry === null) curEntry = new Entry(curKeep === null ? curEvent : curKeep(curEvent), curSeq);
  return curEntry;
}

/**
 * Successors of one partial match (`cs` null: the implicit start) into `results`; sets
 * `discard` when a NOT stage's stop state was reached. Returns true when `cs` itself survives
 * unchanged (a self-ignore), without allocating.
 */
function computeNext(p: CompiledPattern, cs: CState | null): boolean {
  const state = cs === null ? p.start : p.states[cs.state]!;
  p.ctx.node = cs === null ? null : cs.node;
  resultCount = 0;
  discard = false;
  decisionGraph(p, state);
  if (cs !== null && edgeCount === 1 && edgeBuf[0]!.action === IGNORE && edgeBuf[0]!.target === state) return true;
  const t = curEvent.time;
  for (let i = 0; i < edgeCount; i++) {
    const e = edgeBuf[i]!;
    if (e.target.kind === STOP) {
      discard = true;
      continue;
    }
    if (e.action === IGNORE) {
      if (cs !== null) results[resultCount++] = newState(p, e.target, cs.node, cs.startTime, cs.startSeq, cs.prevTime);
    } else if (e.action === TAKE) {
      const src = e.source;
      if (cs !== null && src.window >= 0 && t - cs.prevTime >= src.window) continue;
      if (curState === undefined) curState = newKeyState();
      const node = putNode(curState, entry(), src.stage, cs === null ? null : cs.node);
      const startTime = cs === null ? t : cs.startTime;
      const startSeq = cs === null ? curSeq : cs.startSeq;
      results[resultCount++] = newState(p, e.target, node, startTime, startSeq, t);
      const end = afterProceed(p, e.target);
      if (end !== null) results[resultCount++] = newState(p, end, node, startTime, startSeq, t);
    }
  }
  return false;
}

function earlier(a: ComputationState, b: ComputationState): number {
  return a.startTime !== b.startTime ? a.startTime - b.startTime : a.startSeq - b.startSeq;
}

function keep(p: CompiledPattern, st: KeyState, cs: CState, out: StepOutput): void {
  if (nextCount >= p.maxPartialMatches) {
    releaseNode(st, cs.node);
    out.dropped++;
  } else {
    nextPartials[nextCount++] = cs;
  }
}

/**
 * Processes one event of the key: first advances the key's time to the event's (windows
 * expire), then steps every partial match and the start state. Results go to `out`.
 */
export function processEvent(p: CompiledPattern, state: KeyState | undefined, event: ArgusEvent, out: StepOutput): KeyState | undefined {
  if (state !== undefined && state.minDeadline <= event.time) state = advanceTime(p, state, event.time, out);
  curState = state;
  curEvent = event;
  curKeep = p.keep;
  curEntry = null;
  curSeq = state === undefined ? 0 : state.seq;
  p.ctx.data = event.data;
  nextCount = 0;
  if (potential.length !== 0) potential.length = 0;
  let changed = false;

  if (state !== undefined) {
    const partials = state.partials as CState[];
    for (let i = 0; i < partials.length; i++) {
      const cs = partials[i]!;
      if (computeNext(p, cs)) {
        keep(p, state, cs, out);
        continue;
      }
      changed = true;
      collect(p, state, out);
      releaseNode(state, cs.node);
    }
  }
  computeNext(p, null);
  if (resultCount > 0 || discard) {
    changed = true;
    collect(p, curState!, out);
  }
  p.ctx.node = null;
  const st = curState;
  curState = undefined;
  if (st === undefined) return undefined;
  st.seq = curSeq + 1;
  if (changed) {
    const partials = st.partials as CState[];
    if (nextCount === 0) st.partials = NO_PARTIALS;
    else if (partials === NO_PARTIALS || partials.length < nextCount) st.partials = nextPartials.slice(0, nextCount);
    else {
      for (let i = 0; i < nextCount; i++) partials[i] = nextPartials[i]!;
      if (partials.length !== nextCount) partials.length = nextCount;
    }
    refreshDeadline(st);
  }
  for (let i = 0; i < nextCount; i++) nextPartials[i] = undefined as unknown as CState;
  nextCount = 0;
  if (potential.length > 0 || (st.held !== null && st.held.length > 0)) emitMatches(p, st, out);
  return st.partials.length === 0 && (st.held === null || st.held.length === 0) ? undefined : st;
}

/** Sorts `results` of one partial match into matches, kept partial matches, or discarded ones. */
function collect(p: CompiledPattern, st: KeyState, out: StepOutput): void {
  for (let j = 0; j < resultCount; j++) {
    const r = results[j]!;
    results[j] = undefined as unknown as CState;
    if (p.states[r.state]!.kind === FINAL) potential.push(r);
    else if (discard) releaseNode(st, r.node);
    else keep(p, st, r, out);
  }
  resultCount = 0;
}

/**
 * Lets the key's event time reach `time` without an event: partial matches whose window ended
 * expire (timeouts emitted when the pattern asks for them), trailing-notFollowedBy matches whose
 * window passed complete. At `Infinity` every partial match ends.
 */
export function advanceTime(p: CompiledPattern, state: KeyState | undefined, time: number, out: StepOutput): KeyState | undefined {
  if (state === undefined) return undefined;
  if (state.minDeadline > time && time !== Infinity) return state;
  const partials = state.partials as CState[];
  potential.length = 0;
  expired.length = 0;
  let n = 0;
  for (let i = 0; i < partials.length; i++) {
    const cs = partials[i]!;
    if (cs.deadline <= time && cs.deadline !== Infinity) {
      if (p.states[cs.state]!.kind === PENDING) potential.push(cs);
      else if (p.timeouts) expired.push(cs);
      else releaseNode(state, cs.node);
    } else if (time === Infinity) {
      releaseNode(state, cs.node);
    } else {
      partials[n++] = cs;
    }
  }
  if (n !== partials.length) partials.length = n;
  refreshDeadline(state);
  emitMatches(p, state, out);
  for (let i = 0; i < expired.length; i++) {
    const cs = expired[i]!;
    out.results.push(materialize(p, 'timeout', cs, cs.deadline));
    releaseNode(state, cs.node);
  }
  expired.length = 0;
  return partials.length === 0 && (state.held === null || state.held.length === 0) ? undefined : state;
}

/** When the key next needs `advanceTime` without an event (a window ends), or undefined. */
export function nextDeadline(_p: CompiledPattern, state: KeyState | undefined): number | undefined {
  if (state === undefined || state.minDeadline === Infinity) return undefined;
  return state.minDeadline;
}

/** Emits the matches in `potential` (and held ones) under the pattern's skip strategy (spec §5). */
function emitMatches(p: CompiledPattern, st: KeyState, out: StepOutput): void {
  if (potential.length > 1) potential.sort(earlier);
  if (p.afterMatch.kind === 'noSkip') {
    for (let i = 0; i < potential.length; i++) {
      const m = potential[i]!;
      out.results.push(materialize(p, 'match', m, matchTime(p, m)));
      releaseNode(st, m.node);
    }
    potential.length = 0;
    return;
  }
  // FlinkCEP's processMatchesAccordingToSkipStrategy: hold matches back until no partial match
  // that started earlier is live, release them in start order, pruning after each.
  let held = st.held;
  if (potential.length > 0) {
    if (held === null) held = st.held = [];
    for (const m of potential) held.push(m);
    held.sort(earlier);
    potential.length = 0;
  }
  if (held === null) return;
  while (held.length > 0) {
    const m = held[0]!;
    let first: ComputationState | undefined;
    for (const cs of st.partials) if (first === undefined || earlier(cs, first) < 0) first = cs;
    if (first !== undefined && earlier(m, first) > 0) break;
    held.shift();
    prune(p, st, m);
    out.results.push(materialize(p, 'match', m, matchTime(p, m)));
    releaseNode(st, m.node);
  }
  if (held.length === 0) st.held = null;
}

function matchTime(p: CompiledPattern, m: ComputationState): number {
  return p.states[m.state]!.kind === PENDING ? m.deadline : m.prevTime;
}

/** Discards partial and held matches the skip strategy rules out after match `m`. */
function prune(p: CompiledPattern, st: KeyState, m: ComputationState): void {
  const a = p.afterMatch;
  chainEvents(m.node, nodes);
  let pr: BufferEntry | undefined;
  let inclusive = true;
  if (a.kind === 'skipToNext') pr = nodes[0]!.entry;
  else if (a.kind === 'skipPastLastEvent') pr = nodes[nodes.length - 1]!.entry;
  else if (a.kind === 'skipToFirst' || a.kind === 'skipToLast') {
    inclusive = false;
    for (const n of nodes) {
      if (n.stage !== p.skipStage) continue;
      if (pr === undefined || a.kind === 'skipToLast') pr = n.entry;
    }
    if (a.throwOnMiss) {
      if (pr === undefined) throw new SkipStrategyError(`could not skip to ${a.kind === 'skipToFirst' ? 'first' : 'last'} event of stage "${a.stage}": no such event in the match`);
      if (pr === nodes[0]!.entry) throw new SkipStrategyError(`could not skip to the first event of a match (stage "${a.stage}")`);
    }
  }
  nodes.length = 0;
  if (pr === undefined) return;
  const t = pr.event.time;
  const seq = pr.seq;
  const shouldPrune = (cs: ComputationState) => {
    const c = cs.startTime !== t ? cs.startTime - t : cs.startSeq - seq;
    return inclusive ? c <= 0 : c < 0;
  };
  let n = 0;
  const partials = st.partials as CState[];
  for (let i = 0; i < partials.length; i++) {
    const cs = partials[i]!;
    if (shouldPrune(cs)) releaseNode(st, cs.node);
    else partials[n++] = cs;
  }
  if (n !== partials.length) partials.length = n;
  refreshDeadline(st);
  const held = st.held!;
  n = 0;
  for (let i = 0; i < held.length; i++) {
    const cs = held[i]!;
    if (shouldPrune(cs)) releaseNode(st, cs.node);
    else held[n++] = cs;
  }
  held.length = n;
}

/** Builds the reported match: stage name → events, stages in pattern order. */
function materialize(p: CompiledPattern, kind: 'match' | 'timeout', cs: ComputationState, timestamp: number): CepResult {
  chainEvents(cs.node, nodes);
  const byStage: (ArgusEvent[] | undefined)[] = new Array(p.stageNames.length);
  for (const n of nodes) (byStage[n.stage] ??= []).push(n.entry.event);
  const events: Record<string, ArgusEvent[]> = {};
  for (let i = 0; i < byStage.length; i++) if (byStage[i] !== undefined) events[p.stageNames[i]!] = byStage[i]!;
  const key = nodes[0]!.entry.event.key;
  nodes.length = 0;
  return { kind, pattern: p.id, key, timestamp, events };
}
