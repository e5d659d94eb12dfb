import { ArgusError } from '../errors.ts';
import type { ArgusEvent } from '../events/ArgusEvent.ts';
import type { Getter } from '../events/path.ts';
import type { Predicate } from '../conditions/index.ts';
import type { Feature } from './Feature.ts';
import { FeatureState, type EncodedFeatureState } from './FeatureState.ts';
import { decodeState, encodeState } from './stateCodec.ts';
import { upperBound } from './sortedSearch.ts';
import type { FeatureDefinition, FeatureDescription, FeatureOutput } from './types.ts';
import { COUNT, type WindowFeature } from './WindowFeature.ts';
import { COL_HORIZON, DROPPED, END, FIRST, HEAD, HORIZON, LAST, pushHeader, WindowLog } from './WindowLog.ts';

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
  /** Offset of the shared log's header in a key's number array. */
  header: number;
  /** The column keys joined by spaces, and the bit set of all columns (encoding). */
  keysAll: string;
  usedAll: number;
  /** The concatenated tags of its features (encoding). */
  tagsAll: string;
}

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
 * aggregate. Every call is synchronous and allocation-free beyond the entries the history
 * itself needs.
 */
export class FeatureSet {
  readonly names: readonly string[];
  private readonly byName: Map<string, number>;
  private readonly matched: Uint8Array;
  /** Per definition: 1 = windowed (index into `windows`), 0 = other (index into `others`). */
  private readonly isWindow: Uint8Array;
  private readonly index: Int32Array;
  private readonly hashes: string[];
  /** @internal the other features' definition-hash prefixes (their names in an encoded state) */
  readonly otherTags: readonly string[];

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
  }

  /** The hash of a feature's definition: while it is unchanged, a reload keeps that feature's state. */
  definitionHash(name: string): string | undefined {
    const i = this.byName.get(name);
    return i === undefined ? undefined : this.hashes[i];
  }

  /** An empty history. */
  create(): FeatureState {
    const num: number[] = [-Infinity];
    for (let k = 0; k < this.windows.length; k++) num.push(-Infinity, 0, 0, 0); // LOW, AGG, N, DQH
    for (let g = 0; g < this.logGroups.length; g++) pushHeader(num, this.logGroups[g]!.numeric.length);
    const aux: unknown[] = new Array(this.windows.length);
    for (let k = 0; k < aux.length; k++) aux[k] = this.windows[k]!.createAux();
    const slots: unknown[] = new Array(this.others.length);
    for (let i = 0; i < slots.length; i++) slots[i] = this.others[i]!.create();
    const logs: (WindowLog | null)[] = [];
    for (let g = 0; g < this.logGroups.length; g++) logs.push(null);
    return new FeatureState(this, num, logs, aux, slots);
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
    const num = state.num;
    const route = state.route;
    const ts = state.t;
    let exact = true;
    for (let d = 0; d < isWindow.length; d++) {
      const i = index[d]!;
      if (isWindow[d] === 1) {
        const w = windows[i]!;
        let p = w.logGroup;
        let h = this.logGroups[p]!.header;
        if (route !== null) {
          p = route[i]!;
          if (p >= this.logGroups.length) h = state.logs[p]!.h;
        }
        // count reads neither its aux (none) nor the columns
        const v = w.op === COUNT ? w.value(num, h, null, ts[p]!, NO_COLS, event) : w.value(num, h, state.aux[i], ts[p]!, state.cols[p]!, event);
        out[w.name] = v;
        if (!w.exactAt(num, h, event.time)) {
          exact = false;
          if (approximate !== undefined) approximate.push(w.name);
        }
      } else {
        const f = this.others[i]!;
        if (!f.evaluate(state.slots[i], event, out)) {
          exact = false;
          if (approximate !== undefined) approximate.push(f.name);
        }
      }
    }
    return exact;
  }

  /** Adds `event` to the key's history (and drops what has left every window). */
  update(state: FeatureState, event: ArgusEvent): FeatureState {
    if (state.owner !== this) throw foreignState();
    const matched = this.match(event);
    const num = state.num;
    if (event.time > num[0]!) num[0] = event.time;
    const logGroups = this.logGroups;
    const ts = state.t;
    for (let g = 0; g < logGroups.length; g++) {
      const lg = logGroups[g]!;
      if (matched[lg.fg] !== 1) continue;
      let t = ts[g]!;
      if (t === null) {
        const log = new WindowLog(g, lg.numeric.length, lg.header);
        state.setLog(g, log);
        t = log.t;
      }
      this.append(state, g, g, lg.header, t, event);
    }
    if (state.route !== null) {
      for (let p = logGroups.length; p < state.logs.length; p++) {
        const log = state.logs[p]!;
        if (matched[logGroups[log.group]!.fg] === 1) this.append(state, p, log.group, log.h, log.t, event);
      }
    }
    this.settleAll(state, false);
    const others = this.others;
    for (let i = 0; i < others.length; i++) {
      const f = others[i]!;
      f.update(state.slots[i], event, matched[f.group] === 1);
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
    if (time > state.num[0]!) state.num[0] = time;
    this.settleAll(state, true);
    for (let i = 0; i < this.others.length; i++) this.others[i]!.expire(state.slots[i], time);
    if (state.route !== null) this.mergeBack(state);
    return state;
  }

  /** True when the state holds nothing (the key's feature state can be deleted). */
  isEmpty(state: FeatureState): boolean {
    for (const log of state.logs) if (log !== null && state.num[log.h + END]! > state.num[log.h + HEAD]!) return false;
    for (let i = 0; i < this.others.length; i++) if (!this.others[i]!.isEmpty(state.slots[i])) return false;
    return true;
  }

  /** Entries held: log entries (shared by the features of a group) plus the other features' entries. */
  size(state: FeatureState): number {
    let n = 0;
    for (const log of state.logs) if (log !== null) n += state.num[log.h + END]! - state.num[log.h + HEAD]!;
    for (let i = 0; i < this.others.length; i++) n += this.others[i]!.entries(state.slots[i]);
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
        const p = s.route === null ? w.logGroup : s.route[i]!;
        const log = s.logs[p]!;
        const h = log === null ? this.logGroups[p]!.header : log.h;
        const num = s.num;
        out[w.name] = {
          kind: w.kind,
          value: w.describeValue(num, h, log === null ? null : log.t, log === null ? NO_COLS : log.cols, time),
          exact: w.exactAt(num, h, time),
          entries: num[h + END]! - num[h + HEAD]!,
          dropped: num[h + DROPPED]!,
        };
      } else {
        out[this.names[d]!] = this.others[i]!.describe(s.slots[i], time);
      }
    }
    return out;
  }

  /** The JSON form (what `JSON.stringify(state)` writes). */
  encode(state: FeatureState): EncodedFeatureState {
    return encodeState(this, state);
  }

  /** Rebuilds a state from its JSON form. Features whose definition changed start empty. */
  decode(json: unknown): FeatureState {
    return decodeState(this, json);
  }

  // ── internals (also used by the state codec) ───────────────────────────────────────────

  /** @internal the windowed features a log of the state serves */
  membersOf(state: FeatureState, p: number): readonly number[] {
    if (state.members !== null) return state.members[p] ?? NONE;
    return p < this.logGroups.length ? this.logGroups[p]!.members : NONE;
  }

  /** @internal recomputes `members` from `route` (or clears both when every feature uses its group's log). */
  reroute(state: FeatureState): void {
    const route = state.route;
    if (route === null) return;
    const G = this.logGroups.length;
    if (state.logs.length === G) {
      let plain = true;
      for (let k = 0; k < route.length; k++) if (route[k] !== this.windows[k]!.logGroup) plain = false;
      if (plain) {
        state.route = null;
        state.members = null;
        return;
      }
    }
    const members: number[][] = state.logs.map(() => []);
    for (let k = 0; k < route.length; k++) members[route[k]!]!.push(k);
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

  /** Adds the event's entry to log `p` at its place in time order (after equal times), then enforces the cap. */
  private append(state: FeatureState, p: number, g: number, h: number, t: number[], event: ArgusEvent): void {
    const lg = this.logGroups[g]!;
    const num = state.num;
    const u = event.time;
    const ncols = lg.numeric.length;
    const cols = ncols === 0 ? NO_COLS : state.cols[p]!;
    const end = t.length;
    const head = num[h + HEAD]!;
    const data = event.data;
    let pos = end;
    let late = false;
    if (end === head || t[end - 1]! <= u) {
      t.push(u);
      for (let c = 0; c < ncols; c++) cols[c]!.push(columnValue(lg, c, data));
      num[h + LAST] = u;
      if (end === head) num[h + FIRST] = u;
    } else {
      pos = upperBound(t, head, end, u);
      t.splice(pos, 0, u);
      for (let c = 0; c < ncols; c++) cols[c]!.splice(pos, 0, columnValue(lg, c, data));
      if (pos === head) num[h + FIRST] = u;
      late = true;
    }
    num[h + END] = end + 1;
    const members = this.membersOf(state, p);
    const windows = this.windows;
    for (let j = 0; j < members.length; j++) {
      const k = members[j]!;
      const w = windows[k]!;
      w.inserted(num, w.op === COUNT ? null : state.aux[k], t, cols, pos, late);
    }
    if (end + 1 - num[h + HEAD]! > lg.cap) {
      // The cap was hit: the oldest entry goes, and values reaching back to it become approximate.
      const i = num[h + HEAD]!;
      if (t[i]! > num[h + HORIZON]!) num[h + HORIZON] = t[i]!;
      for (let j = 0; j < members.length; j++) {
        const k = members[j]!;
        windows[k]!.dropping(num, state.aux[k], t, cols, i);
      }
      num[h + HEAD] = i + 1;
      num[h + FIRST] = t[i + 1]!;
      num[h + DROPPED] = num[h + DROPPED]! + 1;
    }
  }

  /** Brings every aggregate to the window at the clock and drops what no window (plus lateness) needs. */
  private settleAll(state: FeatureState, release: boolean): void {
    const ts = state.t;
    const num = state.num;
    const clock = num[0]!;
    const windows = this.windows;
    const G = this.logGroups.length;
    for (let p = 0; p < ts.length; p++) {
      const t = ts[p]!;
      if (t === null) continue;
      const g = p < G ? p : state.logs[p]!.group;
      const h = p < G ? this.logGroups[p]!.header : state.logs[p]!.h;
      const members = this.membersOf(state, p);
      for (let j = 0; j < members.length; j++) {
        const k = members[j]!;
        const w = windows[k]!;
        if (w.op === COUNT) w.settle(num, h, null, t, NO_COLS);
        else w.settle(num, h, state.aux[k], t, state.cols[p]!);
      }
      const bound = clock - this.logGroups[g]!.retain;
      if (num[h + FIRST]! <= bound) {
        if (num[h + LAST]! <= bound) {
          // every entry goes, without reading them (every member's aggregate is already past them)
          if (num[h + LAST]! > num[h + HORIZON]!) num[h + HORIZON] = num[h + LAST]!;
          num[h + HEAD] = num[h + END]!;
          num[h + FIRST] = Infinity;
        } else {
          const head = num[h + HEAD]!;
          let i = head;
          while (i < t.length && t[i]! <= bound) i++;
          if (i > head) {
            if (t[i - 1]! > num[h + HORIZON]!) num[h + HORIZON] = t[i - 1]!;
            num[h + HEAD] = i;
            num[h + FIRST] = t[i]!;
          }
        }
      }
      // Dead entries stay until there are enough of them to be worth a copy (no allocation here).
      const dead = num[h + HEAD]!;
      if (dead > 0 && (release || (dead >= COMPACT_AT && 2 * dead >= num[h + END]!))) this.compact(state, p, state.logs[p]!);
    }
  }

  private compact(state: FeatureState, p: number, log: WindowLog): void {
    const num = state.num;
    const t = log.t;
    const dead = num[log.h + HEAD]!;
    const n = t.length;
    t.copyWithin(0, dead);
    t.length = n - dead;
    for (const col of log.cols) {
      col.copyWithin(0, dead);
      col.length = n - dead;
    }
    num[log.h + HEAD] = 0;
    num[log.h + END] = n - dead;
    const members = this.membersOf(state, p);
    for (let j = 0; j < members.length; j++) {
      const k = members[j]!;
      this.windows[k]!.compacted(num, state.aux[k], dead);
    }
  }

  /**
   * Private logs (features born at a catalog reload, or read from the version-1 format) go back
   * to their group's shared log once every window (plus lateness) starts after `mergeAfter`:
   * from then on both logs give the same values.
   */
  private mergeBack(state: FeatureState): void {
    const G = this.logGroups.length;
    const num = state.num;
    const clock = num[0]!;
    for (let p = state.logs.length - 1; p >= G; p--) {
      const log = state.logs[p]!;
      const members = this.membersOf(state, p);
      let span = 0;
      for (let j = 0; j < members.length; j++) {
        const w = this.windows[members[j]!]!;
        if (w.window + w.lateness > span) span = w.window + w.lateness;
      }
      if (clock - span < log.mergeAfter) continue;
      const g = log.group;
      const shared = state.logs[g]!;
      const route = state.route!;
      for (let j = 0; j < members.length; j++) {
        const k = members[j]!;
        route[k] = g;
        this.windows[k]!.rebuild(num, this.logGroups[g]!.header, state.aux[k], shared === null ? null : shared.t, shared === null ? NO_COLS : shared.cols, clock);
      }
      // remove the private log and its header (private headers are the last ones in `num`)
      const size = COL_HORIZON + this.logGroups[g]!.numeric.length;
      num.splice(log.h, size);
      for (let q = G; q < state.logs.length; q++) {
        const o = state.logs[q]!;
        if (o.h > log.h) o.h -= size;
      }
      state.removeLog(p);
      for (let k = 0; k < route.length; k++) if (route[k]! > p) route[k] = route[k]! - 1;
    }
    this.reroute(state);
  }
}

const NONE: readonly number[] = [];
const NO_COLS: unknown[][] = [];

/** The value a log column stores for the event: a finite number or NaN, or a primitive or undefined. */
function columnValue(lg: LogGroup, c: number, data: Readonly<Record<string, unknown>>): unknown {
  const raw = lg.getters[c]!(data);
  if (lg.numeric[c]) return typeof raw === 'number' && raw - raw === 0 ? raw + 0 : NaN;
  if (typeof raw === 'string' || typeof raw === 'boolean') return raw;
  return typeof raw === 'number' && raw - raw === 0 ? raw + 0 : undefined;
}

function foreignState(): ArgusError {
  return new ArgusError('feature state belongs to another feature set: pass it through featureSet.load() first', {
    code: 'FEATURE_STATE_MISMATCH',
  });
}
