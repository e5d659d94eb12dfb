import type { ArgusEvent } from '../events/ArgusEvent.ts';
import type { BufferEntry, BufferNode, KeyState } from './types.ts';

/**
 * The shared buffer of one key (SASE's shared versioned buffer, FlinkCEP's `SharedBuffer`):
 * each event is one `BufferEntry`, however many partial matches hold it; each event a stage takes
 * is one `BufferNode` pointing back to the node taken before it, so branches share prefixes.
 * Nodes and entries are reference-counted: releasing the last partial match that reaches a node
 * releases the node, its predecessors, and the events no node holds any more.
 */
export class Entry implements BufferEntry {
  refs = 0;
  mark = 0;
  index = 0;
  json: string | undefined = undefined;
  constructor(
    readonly event: ArgusEvent,
    readonly seq: number,
  ) {}
}

export class Node implements BufferNode {
  refs = 0;
  mark = 0;
  index = 0;
  constructor(
    readonly entry: BufferEntry,
    readonly stage: number,
    readonly prev: BufferNode | null,
  ) {}
}

/** A node taking `entry` for `stage` after `prev`; counts the references it makes. */
export function putNode(st: KeyState, entry: BufferEntry, stage: number, prev: BufferNode | null): BufferNode {
  if (entry.refs++ === 0) st.buffered++;
  if (prev !== null) prev.refs++;
  return new Node(entry, stage, prev);
}

/** Drops one reference to `node`; frees it (and walks back) when nothing else holds it. */
export function releaseNode(st: KeyState, node: BufferNode | null): void {
  while (node !== null) {
    if (--node.refs > 0) return;
    if (--node.entry.refs === 0) st.buffered--;
    node = node.prev;
  }
}

/** Events of a chain, oldest first. */
export function chainEvents(node: BufferNode | null, out: BufferNode[]): BufferNode[] {
  out.length = 0;
  for (let n = node; n !== null; n = n.prev) out.push(n);
  out.reverse();
  return out;
}
