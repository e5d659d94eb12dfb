/**
 * A typed view of the parts of nools 0.4.4 (CommonJS, no type declarations) that Argus uses.
 * Only this file touches the untyped module; the names below follow nools' own sources
 * (`lib/index.js`, `lib/flow.js`, `lib/agenda.js`, `lib/workingMemory.js`).
 */
import { createRequire } from 'node:module';

/** What `nools.parse(source)` returns: the file's blocks, not yet compiled (`lib/parser/nools`). */
export interface NoolsParsedRule {
  name: string;
  options: Record<string, unknown>;
  /** `[Type, alias, constraint?, refs?, from?]` per pattern, or `['not'|'exists'|'or', …]`. */
  constraints: unknown[] | null;
  /** The `then` body, newlines replaced by spaces. */
  action: string | null;
}

export interface NoolsParsed {
  define: { name: string; properties: string }[];
  rules: NoolsParsedRule[];
  scope: { name: string; body: string }[];
  loaded: string[];
  file?: string;
}

/** A compiled rule inside a flow (`lib/rule.js`): the `then` block is `cb(facts, flow)`. */
export interface NoolsRule {
  readonly name: string;
  readonly cb: (this: NoolsSession, facts: Record<string, unknown>, flow: NoolsSession) => unknown;
}

/** An activation on the agenda (`lib/nodes/terminalNode.js`). */
export interface NoolsActivation {
  readonly rule: NoolsRule;
  readonly match: { readonly factHash: Record<string, unknown> };
}

export interface NoolsAgenda {
  /** Pops emptied agenda groups off the focus stack; true when the focused group is empty. */
  isEmpty(): boolean;
  /** Removes and returns the next activation of the focused group (salience, then recency). */
  pop(): NoolsActivation;
}

export interface NoolsLinkedList<T> {
  readonly head: { data: T; next: unknown } | null;
  readonly length: number;
}

export interface NoolsSession {
  readonly name: string;
  readonly agenda: NoolsAgenda;
  readonly workingMemory: { readonly facts: NoolsLinkedList<{ object: unknown }> };
  /** Set by `match()`; Argus sets its own so that `halt()` works in a then block. */
  executionStrategy: { halt(): void } | null;
  assert(fact: object): object;
  retract(fact: object): object;
  /** Every fact in working memory but nools' own InitialFact (allocates an array). */
  getFacts(): object[];
  match(cb?: (err: unknown) => void): PromiseLike<void>;
  dispose(): void;
}

export interface NoolsFlow {
  readonly name: string;
  getSession(...facts: object[]): NoolsSession;
}

export interface NoolsCompileOptions {
  /** Flow name; nools keeps flows in one global registry by name. */
  name: string;
  /** Classes usable as fact types in `when` blocks. */
  define?: Record<string, new (...args: never[]) => object>;
  /** Values and functions visible in `when` and `then` blocks. */
  scope?: Record<string, unknown>;
}

export interface NoolsModule {
  parse(source: string): NoolsParsed;
  compile(parsed: NoolsParsed, options: NoolsCompileOptions): NoolsFlow;
  hasFlow(name: string): boolean;
  getFlow(name: string): NoolsFlow | undefined;
  deleteFlow(name: string): NoolsModule;
}

const require = createRequire(import.meta.url);

/** The nools module (loaded once). */
export const nools = require('nools') as NoolsModule;
