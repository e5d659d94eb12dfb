import { ArgusError } from '../errors.ts';
import type { ArgusEvent } from '../events/ArgusEvent.ts';
import { CState } from './processEvent.ts';
import { Entry, Node } from './sharedBuffer.ts';
import type { BufferEntry, BufferNode, ComputationState, KeyState } from './types.ts';

/**
 * JSON form of a key's matcher state: the shared buffer written once (each event once, each
 * node once, back pointers as indices), then the partial matches pointing into it. It refers to
 * NFA states by id, so it is only valid for the compiled pattern it came from (the catalog drops
 * partial matches of a changed pattern).
 */
export interface EncodedKeyState {
  v: 1;
  seq: number;
  /** [id, type, time, key, data, seq] */
  events: [string, string, number, string, Record<string, unknown>, number][];
  /** [event index, stage, previous node index or -1] — a node always after its predecessor. */
  nodes: [number, number, number][];
  /** [state, node index, startTime, startSeq, prevTime, deadline (null: none)] */
  partials: EncodedPartial[];
  held: EncodedPartial[];
}
type EncodedPartial = [number, number, number, number, number, number | null];

/** Scratch of `encodeState` (synchronous, so one is enough): indices given to entries and nodes in this call. */
const entryIndex = new Map<BufferEntry, number>();
const nodeIndex = new Map<BufferNode, number>();
const chain: BufferNode[] = [];

export function encodeState(state: KeyState | undefined): EncodedKeyState | null {
  if (state === undefined) return null;
  const events: EncodedKeyState['events'] = [];
  const nodes: EncodedKeyState['nodes'] = [];
  try {
    const partials: EncodedPartial[] = new Array(state.partials.length);
    for (let i = 0; i < partials.length; i++) partials[i] = encodePartial(state.partials[i]!, events, nodes);
    const held: EncodedPartial[] = [];
    if (state.held !== null) for (let i = 0; i < state.held.length; i++) held.push(encodePartial(state.held[i]!, events, nodes));
    return { v: 1, seq: state.seq, events, nodes, partials, held };
  } finally {
    entryIndex.clear();
    nodeIndex.clear();
    chain.length = 0;
  }
}

function encodePartial(cs: ComputationState, events: EncodedKeyState['events'], nodes: EncodedKeyState['nodes']): EncodedPartial {
  return [cs.state, nodeOf(cs.node, events, nodes), cs.startTime, cs.startSeq, cs.prevTime, cs.deadline === Infinity ? null : cs.deadline];
}

/** The index of `node` in `nodes`, writing it (and the part of its chain not written yet) first. */
function nodeOf(node: BufferNode, events: EncodedKeyState['events'], nodes: EncodedKeyState['nodes']): number {
  chain.length = 0;
  for (let n: BufferNode | null = node; n !== null && !nodeIndex.has(n); n = n.prev) chain.push(n);
  for (let i = chain.length - 1; i >= 0; i--) {
    const n = chain[i]!;
    let e = entryIndex.get(n.entry);
    if (e === undefined) {
      const ev = n.entry.event;
      e = events.length;
      events.push([ev.id, ev.type, ev.time, ev.key, ev.data as Record<string, unknown>, n.entry.seq]);
      entryIndex.set(n.entry, e);
    }
    nodeIndex.set(n, nodes.length);
    nodes.push([e, n.stage, n.prev === null ? -1 : nodeIndex.get(n.prev)!]);
  }
  return nodeIndex.get(node)!;
}

/** Numbers as `JSON.stringify` writes them (non-finite → null). */
const num = (x: number): string => (x - x === 0 ? '' + x : 'null');

/** Marks of `encodeStateJson`: a node or entry whose `mark` equals the current one is written in this call. */
let epoch = 0;
let jsonEvents = '';
let jsonNodes = '';
let eventCount = 0;
let nodeCount = 0;

/**
 * `JSON.stringify(encodeState(state))`, byte for byte, without the intermediate document: the
 * hot path of every group commit. Each buffered event's JSON is made once, when first written,
 * and kept on its entry (events in the buffer never change).
 */
export function encodeStateJson(state: KeyState | undefined): string {
  if (state === undefined) return 'null';
  epoch++; // (never wraps in practice: exact up to 2^53; a wrap could meet a live node's old mark)
  jsonEvents = '';
  jsonNodes = '';
  eventCount = 0;
  nodeCount = 0;
  let partials = '';
  for (let i = 0; i < state.partials.length; i++) partials += (i === 0 ? '' : ',') + partialJson(state.partials[i]!);
  let held = '';
  if (state.held !== null) for (let i = 0; i < state.held.length; i++) held += (i === 0 ? '' : ',') + partialJson(state.held[i]!);
  const s = '{"v":1,"seq":' + num(state.seq) + ',"events":[' + jsonEvents + '],"nodes":[' + jsonNodes + '],"partials":[' + partials + '],"held":[' + held + ']}';
  jsonEvents = '';
  jsonNodes = '';
  return s;
}

function partialJson(cs: ComputationState): string {
  return '[' + cs.state + ',' + nodeJson(cs.node) + ',' + num(cs.startTime) + ',' + num(cs.startSeq) + ',' + num(cs.prevTime) + ',' + num(cs.deadline) + ']'; // (num writes Infinity, "no deadline", as null)
}

/** The index of `node` in this call's nodes, writing it (and the part of its chain not written yet) first. */
function nodeJson(node: BufferNode): number {
  if (node.mark === epoch) return node.index;
  chain.length = 0;
  for (let n: BufferNode | null = node; n !== null && n.mark !== epoch; n = n.prev) chain.push(n);
  for (let i = chain.length - 1; i >= 0; i--) {
    const n = chain[i]!;
    const entry = n.entry;
    if (entry.mark !== epoch) {
      entry.mark = epoch;
      entry.index = eventCount++;
      let json = entry.json;
      if (json === undefined) {
        const ev = entry.event;
        json = entry.json = JSON.stringify([ev.id, ev.type, ev.time, ev.key, ev.data, entry.seq]);
      }
      jsonEvents += entry.index === 0 ? json : ',' + json;
    }
    n.mark = epoch;
    n.index = nodeCount++;
    jsonNodes += (n.index === 0 ? '[' : ',[') + entry.index + ',' + n.stage + ',' + (n.prev === null ? -1 : n.prev.index) + ']';
  }
  chain.length = 0;
  return node.index;
}

/** Rebuilds a key's state from `encodeState`'s output (reference counts included). */
export function decodeState(json: unknown): KeyState | undefined {
  if (json === null || json === undefined) return undefined;
  const enc = json as EncodedKeyState;
  if (typeof enc !== 'object' || enc.v !== 1 || !Array.isArray(enc.nodes) || !Array.isArray(enc.partials)) {
    throw new ArgusError('cannot decode CEP key state: unknown format', { code: 'CEP_STATE_FORMAT' });
  }
  const st: KeyState = { partials: [], held: null, seq: enc.seq, buffered: 0, minDeadline: Infinity };
  const entries = enc.events.map(([id, type, time, key, data, seq]) => new Entry({ id, type, time, key, data } as ArgusEvent, seq));
  const nodes: Node[] = [];
  for (const [e, stage, prev] of enc.nodes) {
    const entry = entries[e]!;
    if (entry.refs++ === 0) st.buffered++;
    const p = prev < 0 ? null : nodes[prev]!;
    if (p !== null) p.refs++;
    nodes.push(new Node(entry, stage, p));
  }
  const partial = ([s, n, startTime, startSeq, prevTime, deadline]: EncodedPartial): CState => {
    const node = nodes[n]!;
    node.refs++;
    return new CState(s, node, startTime, startSeq, prevTime, deadline === null ? Infinity : deadline);
  };
  st.partials = enc.partials.map(partial);
  for (const cs of st.partials) if (cs.deadline < st.minDeadline) st.minDeadline = cs.deadline;
  if (enc.held.length > 0) st.held = enc.held.map(partial);
  return st;
}
