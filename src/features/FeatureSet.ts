import { ArgusError } from '../errors.ts';
import type { ArgusEvent } from '../events/ArgusEvent.ts';
import type { Getter } from '../events/path.ts';
import type { Predicate } from '../conditions/index.ts';
import { AgeFeature } from './AgeFeature.ts';
import type { Feature } from './Feature.ts';
import { FeatureState, type EncodedFeatureState } from './FeatureState.ts';
import { L_CLOCK, LATEST_HEADER, LatestFeature } from './LatestFeature.ts';
import type { LogSlot } from './LogSlot.ts';
import { R_CLOCK, R_HORIZON, R_PRUNED, R_SIZE, R_SWEPT, RECENT_HEADER, RecentSeenFeature, type RecentSeenSlot } from './RecentSeenFeature.ts';
import { SeenFeature, type SeenSlot } from './SeenFeature.ts';
import { decodeState, encodeState, encodeText } from './stateCodec.ts';
import { upperBoundAt } from './sortedSearch.ts';
import type { FeatureDefinition, FeatureDescription, FeatureOutput, FeatureValue, FieldValue } from './types.ts';
import { VEC_SLOTS, WINDOW_SCALARS, type WindowFeature } from './WindowFeature.ts';
import { CAP, COL_HORIZON, DROPPED, END, FIRST, growRegion, HEAD, HORIZON, initHeader, INITIAL_CAP, LAST, OFF, type Arena } from './WindowLog.ts';

/** Which events a group of features counts: event types (null = all) and a filter (null = none). */
export interface FilterGroup {
  types: string[] | null;
  filter: Predicate<Readonly<Record<string, unknown>>> | null;
}

/** The windowed features of one filter group with one cap share one log per key. */
export interface LogGroup {
  /** Filter group. */
  fg: number;
  cap: number;
  /** Entries older than clock − retain are dropped: the longest window + lateness of its features. */
  retain: number;
  /** Columns: field, numeric or value, its getter, its key in the encoded form (`#field` for numeric). */
  fields: string[];
  numeric: boolean[];
  getters: Getter[];
  colKeys: string[];
  /** Per column: the longest window + lateness of the features reading it. */
  colRetain: number[];
  /** Windowed feature indices. */
  members: number[];
  /** Offset of the shared log's header in a key's arena. */
  header: number;
  /** The column keys joined by spaces, and the bit set of all columns (encoding). */
  keysAll: string;
  usedAll: number;
  /** The concatenated tags of its features (encoding). */
  tagsAll: string;
}

/** Kinds of the other features, dispatched by a switch (monomorphic calls). */
const LATEST = 0;
const SEEN = 1;
const RECENT = 2;
const AGE = 3;

/** Entries a latest feature's region starts with (it keeps the entries within the lateness, and one before). */
const LATEST_CAP = 4;

/** Dead entries at a log's head are compacted away once there are this many and they are half of it. */
const COMPACT_AT = 32;

/**
 * Compiled features (from `compileFeatures`). Holds no per-key data: a key's `FeatureState` comes
 * in and is updated in place. For each event of a key, in processing order:
 *
 *     featureSet.evaluate(state, event, out)   // out[name] = value over the PRIOR history
 *     featureSet.update(state, event)          // then the event joins the history
 *
 * (`observe` does both.) Windowed features with the same event types, filter and cap share one
 * log per key (times, plus one column per field they read); each keeps only its running
 * aggregate. A key's scalars and logs live in one arena (FeatureState.ts). Every call is
 * synchronous and allocation-free beyond the entries the history itself needs.
 */
export class FeatureSet {
  readonly names: readonly string[];
  private readonly byName: Map<string, number>;
  private readonly matched: Uint8Array;
  /** Per definition: 1 = windowed (index into `windows`), 0 = other (index into `others`). */
  private readonly isWindow: Uint8Array;
  private readonly index: Int32Array;
  private readonly hashes: string[];
  /** Per other feature: its kind (LATEST, SEEN, RECENT, AGE) and, for age, its arena offset. */
  private readonly otherKind: Uint8Array;
  /** @internal per other feature: arena offset of an age's earliest time (-1: not an age) */
  readonly ageAt: Int32Array;
  /** @internal per other feature: arena offset of a seen's scalars (-1: not seen) */
  readonly seenAt: Int32Array;
  /** @internal per other feature: arena offset of a latest feature's header (-1: not last/timeSince), and its region index */
  readonly latestAt: Int32Array;
  private readonly latestRegion: Int32Array;
  /** @internal where the other features' slots start in `FeatureState.x` (after the windowed features' aux objects) */
  readonly so: number;
  /** @internal the other features' definition-hash prefixes (their names in an encoded state) */
  readonly otherTags: readonly string[];
  /** @internal whether two other features have one definition (one name in an encoded state) */
  readonly sharedTags: boolean;
  /** @internal the other features in the order their tags are listed by an object (JSON.stringify's order) */
  readonly otherOrder: readonly number[];
  /** @internal the shared logs' header offsets and entry strides, in region order */
  readonly heads: readonly number[];
  readonly strides: readonly number[];
  /** @internal where the log regions start (the arena's header size) */
  readonly start: number;
  /** @internal whether some log or `last` feature has values in the side array */
  readonly hasValues: boolean;
  private readonly template: Float64Array;
  /** Values of the last `evaluate`, by definition, and the writer that copies them to `out` with constant property names. */
  private readonly values: FeatureValue[];
  private readonly write: (out: FeatureOutput, values: FeatureValue[]) => void;

  /** @internal use compileFeatures */
  constructor(
    readonly definitions: readonly FeatureDefinition[],
    /** @internal */ readonly windows: readonly WindowFeature[],
    /** @internal */ readonly others: readonly Feature[],
    /** @internal */ readonly groups: readonly FilterGroup[],
    /** @internal */ readonly logGroups: readonly LogGroup[],
    order: readonly { window: boolean; index: number }[],
  ) {
    this.otherTags = others.map((f) => f.hash.slice(0, 8));
    this.sharedTags = new Set(this.otherTags).size < this.otherTags.length;
    // the order in which an object lists the tags (all-digit ones first, ascending): encodeText writes them so
    const byTag: Record<string, number> = {};
    this.otherTags.forEach((tag, i) => (byTag[tag] = i));
    this.otherOrder = Object.keys(byTag).map((tag) => byTag[tag]!);
    this.so = windows.length;
    this.isWindow = new Uint8Array(order.length);
    this.index = new Int32Array(order.length);
    const names: string[] = [];
    this.hashes = [];
    order.forEach((o, d) => {
      this.isWindow[d] = o.window ? 1 : 0;
      this.index[d] = o.index;
      const f = o.window ? windows[o.index]! : others[o.index]!;
      names.push(f.name);
      this.hashes.push(f.hash);
    });
    this.names = names;
    this.byName = new Map(names.map((n, i) => [n, i]));
    this.matched = new Uint8Array(groups.length);
    // the arena's header: clock, windowed scalars, partials / deque blocks, ages, seen scalars,
    // shared log headers, latest headers
    let at = 1 + WINDOW_SCALARS * windows.length;
    for (const w of windows) if (w.vec >= 0) at = Math.max(at, w.vec + 1 + VEC_SLOTS);
    this.otherKind = new Uint8Array(others.length);
    this.ageAt = new Int32Array(others.length).fill(-1);
    this.latestAt = new Int32Array(others.length).fill(-1);
    this.seenAt = new Int32Array(others.length).fill(-1);
    this.latestRegion = new Int32Array(others.length).fill(-1);
    others.forEach((f, i) => {
      if (f instanceof AgeFeature) {
        this.otherKind[i] = AGE;
        this.ageAt[i] = at++;
      } else if (f instanceof LatestFeature) this.otherKind[i] = LATEST;
      else {
        this.otherKind[i] = f instanceof SeenFeature ? SEEN : RECENT;
        this.seenAt[i] = at;
        at += f instanceof SeenFeature ? 1 : RECENT_HEADER;
      }
    });
    const heads: number[] = [];
    const strides: number[] = [];
    for (const lg of logGroups) {
      lg.header = at;
      heads.push(at);
      strides.push(1 + lg.numeric.length);
      at += COL_HORIZON + lg.numeric.length;
    }
    others.forEach((f, i) => {
      if (this.otherKind[i] !== LATEST) return;
      this.latestAt[i] = at;
      this.latestRegion[i] = heads.length;
      heads.push(at);
      strides.push(1);
      at += LATEST_HEADER;
    });
    this.heads = heads;
    this.strides = strides;
    this.start = at;
    this.hasValues = logGroups.some((lg) => lg.numeric.some((n) => !n)) || others.some((f) => f.kind === 'last');
    let size = at;
    for (let r = 0; r < strides.length; r++) size += (r < logGroups.length ? INITIAL_CAP : LATEST_CAP) * strides[r]!;
    const a = new Float64Array(size);
    a[0] = -Infinity;
    for (let k = 0; k < windows.length; k++) a[windows[k]!.at] = -Infinity; // LOW
    for (let i = 0; i < others.length; i++) if (this.ageAt[i]! >= 0) a[this.ageAt[i]!] = Infinity;
    let off = at;
    logGroups.forEach((lg, g) => {
      initHeader(a, lg.header, lg.numeric.length, off, INITIAL_CAP);
      off += INITIAL_CAP * strides[g]!;
    });
    for (let i = 0; i < others.length; i++) {
      if (this.otherKind[i] === RECENT) for (const j of [R_CLOCK, R_HORIZON, R_PRUNED, R_SWEPT]) a[this.seenAt[i]! + j] = -Infinity;
      const h = this.latestAt[i]!;
      if (h < 0) continue;
      initHeader(a, h, 0, off, LATEST_CAP);
      a[h + L_CLOCK] = -Infinity;
      off += LATEST_CAP;
    }
    this.template = a;
    this.values = new Array<FeatureValue>(names.length).fill(null);
    // names are [a-z][a-z0-9_]* (checked by compileFeatures): safe as property names in code
    const body = names.map((n, d) => `o.${n} = v[${d}];`).join('\n');
    this.write = new Function('o', 'v', body) as (out: FeatureOutput, values: FeatureValue[]) => void;
  }

  /** The hash of a feature's definition: while it is unchanged, a reload keeps that feature's state. */
  definitionHash(name: string): string | undefined {
    const i = this.byName.get(name);
    return i === undefined ? undefined : this.hashes[i];
  }

  /** An empty history. */
  create(): FeatureState {
    const W = this.windows.length;
    const a = this.template.slice();
    // the side array: the aux objects and maps in its first slots (unused by the regions: the
    // arena's header is longer), so that reaching them costs no extra cache line
    const x: unknown[] = new Array(a.length);
    for (let k = 0; k < W; k++) x[k] = this.windows[k]!.createAux();
    for (let i = 0; i < this.others.length; i++) x[W + i] = this.otherKind[i] === AGE || this.otherKind[i] === LATEST ? null : new Map();
    return new FeatureState(this, a, x);
  }

  /**
   * The state to use with this set, from what a key holds: `undefined` (new key), a state of this
   * set (returned as is), a state of another set (after a catalog reload: the history of unchanged
   * definitions is kept, the others start empty), or the encoded JSON form (version 2, or 1).
   */
  load(raw: unknown): FeatureState {
    if (raw === undefined || raw === null) return this.create();
    if (raw instanceof FeatureState) return raw.owner === this ? raw : this.decode(raw.owner.encode(raw));
    return this.decode(raw);
  }

  /** Fills `out[name]` for every feature from the key's history before `event`. Returns false if any value may be approximate (names pushed to `approximate`). */
  evaluate(state: FeatureState, event: ArgusEvent, out: FeatureOutput, approximate?: string[]): boolean {
    if (state.owner !== this) throw foreignState();
    const isWindow = this.isWindow;
    const index = this.index;
    const windows = this.windows;
    const values = this.values;
    const a = state.a;
    const x = state.x;
    const route = state.route;
    const time = event.time;
    let exact = true;
    for (let d = 0; d < isWindow.length; d++) {
      const i = index[d]!;
      if (isWindow[d] === 1) {
        const w = windows[i]!;
        let L = a;
        let X: unknown[] | null = x;
        let h = this.heads[w.logGroup]!;
        if (route !== null && route[i]! >= 0) {
          const log = state.privates[route[i]!]!;
          L = log.a;
          X = log.x;
          h = 0;
        }
        values[d] = w.value(a, state.x[i], L, X, h, time);
        if (!w.exactAt(L, h, time)) {
          exact = false;
          if (approximate !== undefined) approximate.push(w.name);
        }
      } else if (!this.evaluateOther(state, i, event, d)) {
        exact = false;
        if (approximate !== undefined) approximate.push(this.names[d]!);
      }
    }
    this.write(out, values);
    return exact;
  }

  /** One other feature's value into `values[d]`; false if it may be approximate. */
  private evaluateOther(state: FeatureState, i: number, event: ArgusEvent, d: number): boolean {
    switch (this.otherKind[i]) {
      case AGE: {
        const first = state.a[this.ageAt[i]!]!;
        const t = event.time;
        this.values[d] = first <= t ? t - first : null;
        return true;
      }
      case LATEST:
        return (this.others[i] as LatestFeature).evaluateAt(state.a, state.x, this.latestAt[i]!, event, this.values, d);
      case SEEN:
        return (this.others[i] as SeenFeature).evaluateAt(state.a, this.seenAt[i]!, state.x[this.so + i] as Map<FieldValue, number>, event, this.values, d);
      default:
        return (this.others[i] as RecentSeenFeature).evaluateAt(state.a, this.seenAt[i]!, state.x[this.so + i] as Map<FieldValue, number[]>, event, this.values, d);
    }
  }

  /** Adds `event` to the key's history (and drops what has left every window). */
  update(state: FeatureState, event: ArgusEvent): FeatureState {
    if (state.owner !== this) throw foreignState();
    const matched = this.match(event);
    const time = event.time;
    if (time > state.a[0]!) state.a[0] = time;
    const logGroups = this.logGroups;
    for (let g = 0; g < logGroups.length; g++) {
      const lg = logGroups[g]!;
      if (matched[lg.fg] !== 1) continue;
      this.append(state, state, g, lg.header, this.heads, this.strides, this.start, g, state.route === null ? lg.members : state.shared![g]!, event);
    }
    if (state.route !== null) {
      for (let p = 0; p < state.privates.length; p++) {
        const log = state.privates[p]!;
        if (matched[logGroups[log.group]!.fg] === 1) this.append(state, log, log.group, 0, log.heads, log.strides, log.start, 0, state.members![p]!, event);
      }
    }
    this.settleAll(state, false);
    const others = this.others;
    for (let i = 0; i < others.length; i++) {
      const m = matched[others[i]!.group] === 1;
      switch (this.otherKind[i]) {
        case AGE:
          if (m && time < state.a[this.ageAt[i]!]!) state.a[this.ageAt[i]!] = time;
          break;
        case LATEST:
          this.updateLatest(state, i, event, m);
          break;
        case SEEN:
          (others[i] as SeenFeature).updateAt(state.a, this.seenAt[i]!, state.x[this.so + i] as Map<FieldValue, number>, event, m);
          break;
        default:
          (others[i] as RecentSeenFeature).updateAt(state.a, this.seenAt[i]!, state.x[this.so + i] as Map<FieldValue, number[]>, event, m);
      }
    }
    if (state.route !== null) this.mergeBack(state);
    return state;
  }

  /** `evaluate` then `update`. */
  observe(state: FeatureState, event: ArgusEvent, out: FeatureOutput, approximate?: string[]): boolean {
    const exact = this.evaluate(state, event, out, approximate);
    this.update(state, event);
    return exact;
  }

  /** Event time has reached `time` for an idle key: drops every entry no window needs any more. */
  expire(state: FeatureState, time: number): FeatureState {
    if (state.owner !== this) throw foreignState();
    if (time > state.a[0]!) state.a[0] = time;
    this.settleAll(state, true);
    for (let i = 0; i < this.others.length; i++) {
      const kind = this.otherKind[i];
      if (kind === LATEST) (this.others[i] as LatestFeature).expireAt(state.a, state.x, this.latestAt[i]!, time);
      else if (kind === RECENT) (this.others[i] as RecentSeenFeature).expireAt(state.a, this.seenAt[i]!, state.x[this.so + i] as Map<FieldValue, number[]>, time);
    }
    if (state.route !== null) this.mergeBack(state);
    return state;
  }

  /** True when the state holds nothing (the key's feature state can be deleted). */
  isEmpty(state: FeatureState): boolean {
    const a = state.a;
    for (const h of this.heads) if (a[h + END]! > a[h + HEAD]!) return false; // logs and latest features
    for (const log of state.privates) if (log.a[END]! > log.a[HEAD]!) return false;
    for (let i = 0; i < this.others.length; i++) {
      const kind = this.otherKind[i];
      if (kind === AGE ? a[this.ageAt[i]!] !== Infinity : kind !== LATEST && (state.x[this.so + i] as Map<unknown, unknown>).size > 0) return false;
    }
    return true;
  }

  /** Entries held: log entries (shared by the features of a group) plus the other features' entries. */
  size(state: FeatureState): number {
    const a = state.a;
    let n = 0;
    for (const h of this.heads) n += a[h + END]! - a[h + HEAD]!; // logs and latest features
    for (const log of state.privates) n += log.a[END]! - log.a[HEAD]!;
    for (let i = 0; i < this.others.length; i++) {
      const kind = this.otherKind[i];
      if (kind === AGE) n += a[this.ageAt[i]!] === Infinity ? 0 : 1;
      else if (kind === SEEN) n += (state.x[this.so + i] as Map<unknown, unknown>).size;
      else if (kind === RECENT) n += a[this.seenAt[i]! + R_SIZE]!;
    }
    return n;
  }

  /** Every feature's value for an event at `time` (for `GET /v1/keys/:key`); does not change the state. */
  describe(state: FeatureState, time: number): Record<string, FeatureDescription> {
    const s = state.owner === this ? state : this.load(state);
    const out: Record<string, FeatureDescription> = {};
    for (let d = 0; d < this.isWindow.length; d++) {
      const i = this.index[d]!;
      if (this.isWindow[d] === 1) {
        const w = this.windows[i]!;
        const [L, X, h] = this.logOf(s, i);
        out[w.name] = {
          kind: w.kind,
          value: w.between(L, X, h, time - w.window, time),
          exact: w.exactAt(L, h, time),
          entries: L[h + END]! - L[h + HEAD]!,
          dropped: L[h + DROPPED]!,
        };
      } else if (this.otherKind[i] === AGE) {
        const first = s.a[this.ageAt[i]!]!;
        out[this.names[d]!] = { kind: 'age', value: first <= time ? time - first : null, exact: true, entries: first === Infinity ? 0 : 1, dropped: 0 };
      } else if (this.otherKind[i] === LATEST) {
        out[this.names[d]!] = (this.others[i] as LatestFeature).describeAt(s.a, s.x, this.latestAt[i]!, time);
      } else {
        const slot = this.slotOf(s, i);
        out[this.names[d]!] = this.otherKind[i] === SEEN ? (this.others[i] as SeenFeature).describe(slot as SeenSlot, time) : (this.others[i] as RecentSeenFeature).describe(slot as RecentSeenSlot, time);
      }
    }
    return out;
  }

  /**
   * The encoded form as JSON text, written directly (what `JSON.stringify(state)` gives, without
   * building the document first): version 2, see docs/features.md.
   */
  encodeText(state: FeatureState): string {
    return encodeText(this, state);
  }

  /** The JSON form as a document (what `toJSON` gives `JSON.stringify`; `encodeText` writes the same text without it). */
  encode(state: FeatureState): EncodedFeatureState {
    return encodeState(this, state);
  }

  /** Rebuilds a state from its JSON form. Features whose definition changed start empty. */
  decode(json: unknown): FeatureState {
    return decodeState(this, json);
  }

  // ── internals (also used by the state codec) ───────────────────────────────────────────

  /** @internal other feature i's slot as its class encodes it (seen, windowed seen, latest) */
  slotOf(state: FeatureState, i: number): unknown {
    switch (this.otherKind[i]) {
      case SEEN:
        return (this.others[i] as SeenFeature).toSlot(state.a, this.seenAt[i]!, state.x[this.so + i] as Map<FieldValue, number>);
      case RECENT:
        return (this.others[i] as RecentSeenFeature).toSlot(state.a, this.seenAt[i]!, state.x[this.so + i] as Map<FieldValue, number[]>);
      case LATEST:
        return (this.others[i] as LatestFeature).toSlot(state.a, state.x, this.latestAt[i]!);
      default: {
        const first = state.a[this.ageAt[i]!]!;
        return { first };
      }
    }
  }

  /** @internal puts other feature i's decoded slot in the state */
  putSlot(state: FeatureState, i: number, slot: unknown): void {
    switch (this.otherKind[i]) {
      case SEEN: {
        const s = slot as SeenSlot;
        state.a[this.seenAt[i]!] = s.dropped;
        state.x[this.so + i] = s.seen;
        return;
      }
      case RECENT:
        state.x[this.so + i] = (this.others[i] as RecentSeenFeature).fromSlot(state.a, this.seenAt[i]!, slot as RecentSeenSlot);
        return;
      case LATEST: {
        const f = this.others[i] as LatestFeature;
        const s = slot as LogSlot;
        const h = this.latestAt[i]!;
        const n = f.slotEntries(s);
        if (n > state.a[h + CAP]!) this.growLatest(state, i, n);
        f.fromSlot(state.a, state.x, h, s);
        return;
      }
      default:
        state.a[this.ageAt[i]!] = (slot as { first: number }).first;
    }
  }

  /** @internal grows latest feature i's region to hold `need` entries */
  growLatest(state: FeatureState, i: number, need: number): void {
    growRegion(state, this.start, this.heads, this.strides, this.latestRegion[i]!, need);
  }

  private updateLatest(state: FeatureState, i: number, event: ArgusEvent, matched: boolean): void {
    const f = this.others[i] as LatestFeature;
    const h = this.latestAt[i]!;
    const v = matched ? f.entryValue(event) : undefined;
    if (v !== undefined && state.a[h + END] === state.a[h + CAP]) {
      // full: drop the dead entries, or grow
      if (state.a[h + HEAD]! > 0) f.compactAt(state.a, state.x, h);
      else this.growLatest(state, i, state.a[h + END]! + 1);
    }
    f.updateAt(state.a, state.x, h, event.time, v);
  }

  /** @internal windowed feature k's log: its arena, side array and header offset */
  logOf(state: FeatureState, k: number): [Float64Array, unknown[] | null, number] {
    const p = state.route === null ? -1 : state.route[k]!;
    if (p < 0) return [state.a, state.x, this.heads[this.windows[k]!.logGroup]!];
    const log = state.privates[p]!;
    return [log.a, log.x, 0];
  }

  /** @internal the windowed features the shared log of group g serves */
  sharedMembers(state: FeatureState, g: number): readonly number[] {
    return state.route === null ? this.logGroups[g]!.members : state.shared![g]!;
  }

  /** @internal recomputes `shared`/`members` from `route` (or clears them when every feature uses its group's log). */
  reroute(state: FeatureState): void {
    const route = state.route;
    if (route === null) return;
    if (state.privates.length === 0) {
      state.route = null;
      state.shared = null;
      state.members = null;
      return;
    }
    const shared: number[][] = this.logGroups.map(() => []);
    const members: number[][] = state.privates.map(() => []);
    for (let k = 0; k < route.length; k++) {
      if (route[k]! < 0) shared[this.windows[k]!.logGroup]!.push(k);
      else members[route[k]!]!.push(k);
    }
    state.shared = shared;
    state.members = members;
  }

  private match(event: ArgusEvent): Uint8Array {
    const groups = this.groups;
    const matched = this.matched;
    const type = event.type;
    const data = event.data;
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]!;
      let ok = true;
      const types = group.types;
      if (types !== null) {
        ok = false;
        for (let j = 0; j < types.length; j++) {
          if (types[j] === type) {
            ok = true;
            break;
          }
        }
      }
      if (ok && group.filter !== null) ok = group.filter(data);
      matched[g] = ok ? 1 : 0;
    }
    return matched;
  }

  /**
   * Adds the event's entry to a log of group `g` (header `h` of `arena`, region `r` of its
   * `heads`) at its place in time order (after equal times), then enforces the cap.
   */
  private append(
    state: FeatureState,
    arena: Arena,
    g: number,
    h: number,
    heads: readonly number[],
    strides: readonly number[],
    start: number,
    r: number,
    members: readonly number[],
    event: ArgusEvent,
  ): void {
    const lg = this.logGroups[g]!;
    const S = strides[r]!;
    let L = arena.a;
    if (L[h + END] === L[h + CAP]) {
      const head = L[h + HEAD]!;
      if (head > 0 && 2 * head >= L[h + END]!) this.compact(state, arena, h, S, members);
      else growRegion(arena, start, heads, strides, r, L[h + END]! + 1);
      L = arena.a;
    }
    const X = arena.x;
    const u = event.time;
    const end = L[h + END]!;
    const head = L[h + HEAD]!;
    const off = L[h + OFF]!;
    let pos = end;
    let late = false;
    if (end === head || L[off + (end - 1) * S]! <= u) {
      L[h + LAST] = u;
      if (end === head) L[h + FIRST] = u;
    } else {
      pos = upperBoundAt(L, off, S, head, end, u);
      L.copyWithin(off + (pos + 1) * S, off + pos * S, off + end * S);
      if (X !== null) for (let j = off + end * S - 1; j >= off + pos * S; j--) X[j + S] = X[j];
      if (pos === head) L[h + FIRST] = u;
      late = true;
    }
    const e = off + pos * S;
    L[e] = u;
    const numeric = lg.numeric;
    const data = event.data;
    for (let c = 0; c < numeric.length; c++) {
      const raw = lg.getters[c]!(data);
      if (numeric[c]) L[e + 1 + c] = typeof raw === 'number' && raw - raw === 0 ? raw + 0 : NaN;
      else X![e + 1 + c] = typeof raw === 'string' || typeof raw === 'boolean' ? raw : typeof raw === 'number' && raw - raw === 0 ? raw + 0 : undefined;
    }
    L[h + END] = end + 1;
    const a = state.a;
    const windows = this.windows;
    const aux = state.x;
    for (let j = 0; j < members.length; j++) {
      const k = members[j]!;
      windows[k]!.inserted(a, aux[k], L, X, h, pos, late);
    }
    if (end + 1 - L[h + HEAD]! > lg.cap) {
      // The cap was hit: the oldest entry goes, and values reaching back to it become approximate.
      const i = L[h + HEAD]!;
      const t = L[off + i * S]!;
      if (t > L[h + HORIZON]!) L[h + HORIZON] = t;
      for (let j = 0; j < members.length; j++) {
        const k = members[j]!;
        windows[k]!.dropping(a, aux[k], L, X, h, i);
      }
      L[h + HEAD] = i + 1;
      L[h + FIRST] = L[off + (i + 1) * S]!;
      L[h + DROPPED] = L[h + DROPPED]! + 1;
    }
  }

  /** Brings every aggregate to the window at the clock and drops what no window (plus lateness) needs. */
  private settleAll(state: FeatureState, release: boolean): void {
    const G = this.logGroups.length;
    for (let g = 0; g < G; g++) this.settle(state, state, g, this.heads[g]!, this.strides[g]!, this.sharedMembers(state, g), release);
    if (state.route !== null) {
      for (let p = 0; p < state.privates.length; p++) {
        const log = state.privates[p]!;
        this.settle(state, log, log.group, 0, log.strides[0]!, state.members![p]!, release);
      }
    }
  }

  private settle(state: FeatureState, arena: Arena, g: number, h: number, S: number, members: readonly number[], release: boolean): void {
    const a = state.a;
    const L = arena.a;
    const X = arena.x;
    const windows = this.windows;
    for (let j = 0; j < members.length; j++) {
      const k = members[j]!;
      windows[k]!.settle(a, state.x[k], L, X, h);
    }
    const bound = a[0]! - this.logGroups[g]!.retain;
    if (L[h + FIRST]! <= bound) {
      if (L[h + LAST]! <= bound) {
        // every entry goes, without reading them (every member's aggregate is already past them)
        if (L[h + LAST]! > L[h + HORIZON]!) L[h + HORIZON] = L[h + LAST]!;
        L[h + HEAD] = L[h + END]!;
        L[h + FIRST] = Infinity;
      } else {
        const head = L[h + HEAD]!;
        const end = L[h + END]!;
        const off = L[h + OFF]!;
        let i = head;
        while (i < end && L[off + i * S]! <= bound) i++;
        if (i > head) {
          if (L[off + (i - 1) * S]! > L[h + HORIZON]!) L[h + HORIZON] = L[off + (i - 1) * S]!;
          L[h + HEAD] = i;
          L[h + FIRST] = L[off + i * S]!;
        }
      }
    }
    // Dead entries stay until there are enough of them to be worth a copy.
    const dead = L[h + HEAD]!;
    if (dead > 0 && (release || (dead >= COMPACT_AT && 2 * dead >= L[h + END]!))) this.compact(state, arena, h, S, members);
  }

  /** Moves a log's live entries to the start of its region. */
  private compact(state: FeatureState, arena: Arena, h: number, S: number, members: readonly number[]): void {
    const L = arena.a;
    const X = arena.x;
    const dead = L[h + HEAD]!;
    const end = L[h + END]!;
    const off = L[h + OFF]!;
    L.copyWithin(off, off + dead * S, off + end * S);
    if (X !== null) {
      for (let j = off; j < off + (end - dead) * S; j++) X[j] = X[j + dead * S];
      for (let j = off + (end - dead) * S; j < off + end * S; j++) X[j] = undefined;
    }
    L[h + HEAD] = 0;
    L[h + END] = end - dead;
    for (let j = 0; j < members.length; j++) {
      const k = members[j]!;
      this.windows[k]!.compacted(state.a, state.x[k], dead);
    }
  }

  /**
   * Private logs (features born at a catalog reload, or read from the version-1 format) go back
   * to their group's shared log once the group's longest window (plus lateness) starts after
   * `mergeAfter`: the shared log then holds nothing from before, and both give the same values.
   */
  private mergeBack(state: FeatureState): void {
    const clock = state.a[0]!;
    const route = state.route!;
    let changed = false;
    for (let p = state.privates.length - 1; p >= 0; p--) {
      const log = state.privates[p]!;
      const members = state.members![p]!;
      // Not before the shared log has dropped every entry from before the reload (its longest
      // window + lateness has passed `mergeAfter`): then no window of a member can count them —
      // an event later than the lateness bound that reaches back there is flagged by the shared
      // log's horizon, as for any dropped entry.
      if (clock - this.logGroups[log.group]!.retain < log.mergeAfter) continue;
      const h = this.heads[log.group]!;
      for (let j = 0; j < members.length; j++) {
        const k = members[j]!;
        route[k] = -1;
        this.windows[k]!.rebuild(state.a, state.x[k], state.a, state.x, h, clock);
      }
      state.privates.splice(p, 1);
      for (let k = 0; k < route.length; k++) if (route[k]! > p) route[k] = route[k]! - 1;
      changed = true;
    }
    if (changed) this.reroute(state);
  }
}

function foreignState(): ArgusError {
  return new ArgusError('feature state belongs to another feature set: pass it through featureSet.load() first', {
    code: 'FEATURE_STATE_MISMATCH',
  });
}
