import { decodeCount, decodeTime, decodeTimes, decodeValues, isRecord, primitiveOf, stateError, type Path } from './Feature.ts';
import type { FeatureSet } from './FeatureSet.ts';
import type { EncodedFeatureState, FeatureState } from './FeatureState.ts';
import { upperBoundAt } from './sortedSearch.ts';
import { CAP, COL_HORIZON, DROPPED, END, FIRST, growRegion, HEAD, HORIZON, LAST, OFF, PrivateLog, type Arena } from './WindowLog.ts';

/** Length of the definition-hash prefix that names a feature in the encoded state. */
export const TAG = 8;

/**
 * Version 2 of a key's feature state, the form `JSON.stringify(state)` writes:
 *
 *     { "v": 2, "c": clock,
 *       "l": [ [members, columns, horizon, dropped, mergeAfter, first, count, …times,
 *               colHorizon₀, count₀, …values₀, colHorizon₁, count₁, …values₁], … ],
 *       "s": { tag: slot, … } }
 *
 * One array per group log: `members` is the concatenated 8-hex-digit definition-hash prefixes of
 * the windowed features it serves (a reload keeps a feature's history while its hash is
 * unchanged); `columns` the space-separated column keys (`#field` numeric, `field` value);
 * `first` the first time and the `count` times that follow the differences from the previous one (small integers), or
 * `first` true and `times` as they are (when a difference would not add back exactly), or `first`
 * null and no times; each column's values are its last ones, null for missing (older values,
 * beyond every window + lateness of its features, are left out — `colHorizon` says up to when —
 * and so are leading missing ones). `s`: the slots of the other features
 * (last, timeSince, age, unwindowed seen) by tag, omitted while empty.
 */
export function encodeText(set: FeatureSet, state: FeatureState): string {
  const a = state.a;
  const clock = a[0]!;
  let l = '';
  for (let g = 0; g < set.logGroups.length; g++) {
    const members = set.sharedMembers(state, g);
    if (members.length > 0 && writeLog(set, g, a, state.x, set.heads[g]!, -Infinity, members, clock, false)) l += (l === '' ? '' : ',') + takeScratch(true);
  }
  for (let p = 0; p < state.privates.length; p++) {
    const log = state.privates[p]!;
    const members = state.members![p]!;
    if (members.length > 0 && writeLog(set, log.group, log.a, log.x, 0, log.mergeAfter, members, clock, true)) l += (l === '' ? '' : ',') + takeScratch(true);
  }
  let s = '';
  if (set.sharedTags) s = JSON.stringify(encodeOthers(set, state)).slice(1, -1); // (two features with one definition: one key, as in the document)
  else {
    const order = set.otherOrder;
    for (let j = 0; j < order.length; j++) {
      const i = order[j]!;
      const enc = encodeOther(set, state, i);
      if (enc !== undefined) s += (s === '' ? '"' : ',"') + set.otherTags[i]! + '":' + JSON.stringify(enc);
    }
  }
  return '{"v":2,"c":' + time(clock) + ',"l":[' + l + '],"s":{' + s + '}}';
}

/** The same document as an object (what `toJSON` gives `JSON.stringify`). */
export function encodeState(set: FeatureSet, state: FeatureState): EncodedFeatureState {
  const a = state.a;
  const clock = a[0]!;
  const l: unknown[][] = [];
  for (let g = 0; g < set.logGroups.length; g++) {
    const members = set.sharedMembers(state, g);
    if (members.length > 0 && writeLog(set, g, a, state.x, set.heads[g]!, -Infinity, members, clock, false)) l.push(takeScratch(false));
  }
  for (let p = 0; p < state.privates.length; p++) {
    const log = state.privates[p]!;
    const members = state.members![p]!;
    if (members.length > 0 && writeLog(set, log.group, log.a, log.x, 0, log.mergeAfter, members, clock, true)) l.push(takeScratch(false));
  }
  return { v: 2, c: timeValue(clock), l, s: encodeOthers(set, state) };
}

function encodeOthers(set: FeatureSet, state: FeatureState): Record<string, unknown> {
  const s: Record<string, unknown> = {};
  for (let i = 0; i < set.others.length; i++) {
    const enc = encodeOther(set, state, i);
    if (enc !== undefined) s[set.otherTags[i]!] = enc;
  }
  return s;
}

/** Other feature i's encoded slot; undefined when it holds nothing worth writing. */
function encodeOther(set: FeatureSet, state: FeatureState, i: number): unknown {
  if (set.ageAt[i]! >= 0) {
    const first = state.a[set.ageAt[i]!]!;
    return first === Infinity ? undefined : first;
  }
  return set.others[i]!.encode(set.slotOf(state, i));
}

/** A time as JSON: infinities are null. */
function time(t: number): string {
  return t === Infinity || t === -Infinity ? 'null' : String(t);
}

/** An encoded time: infinities are null. */
function timeValue(t: number): number | null {
  return t === Infinity || t === -Infinity ? null : t;
}

/**
 * One log's array is filled into this scratch array, then written by JSON.stringify (native
 * code: faster than concatenating the numbers' texts in JS, and no array per log).
 */
const SCRATCH: unknown[] = [];

/** The scratch array as JSON text, or a copy of it; then empties it. */
function takeScratch(text: true): string;
function takeScratch(text: false): unknown[];
function takeScratch(text: boolean): string | unknown[] {
  const out = text ? JSON.stringify(SCRATCH) : SCRATCH.slice();
  SCRATCH.length = 0; // (drop the references)
  return out;
}

/** Fills SCRATCH with one log's array; false for a shared log that is left out (empty, and its header what decoding assumes). */
function writeLog(
  set: FeatureSet,
  g: number,
  L: Float64Array,
  X: unknown[] | null,
  h: number,
  mergeAfter: number,
  members: readonly number[],
  clock: number,
  keep: boolean,
): boolean {
  const lg = set.logGroups[g]!;
  const S = set.strides[g]!;
  const off = L[h + OFF]!;
  const head = L[h + HEAD]!;
  const end = L[h + END]!;
  let used = lg.usedAll; // bit set of the columns members read (at most 31 checked; more are always written)
  let tags = lg.tagsAll;
  if (members !== lg.members) {
    used = 0;
    tags = '';
    for (let j = 0; j < members.length; j++) {
      const w = set.windows[members[j]!]!;
      tags += w.tag;
      if (w.col >= 0) used |= w.col < 31 ? 1 << w.col : 0;
    }
  }
  let keys = lg.keysAll;
  if (used !== lg.usedAll) {
    keys = '';
    for (let c = 0; c < lg.colKeys.length; c++) if (c >= 31 || (used & (1 << c)) !== 0) keys += (keys === '' ? '' : ' ') + lg.colKeys[c]!;
  }
  // An empty shared log is left out when its header is what decoding assumes anyway.
  let empty = end === head && L[h + HORIZON]! <= clock - lg.retain && L[h + DROPPED] === 0;
  if (empty && !keep) {
    // (unless a column horizon says otherwise)
    for (let c = 0; c < lg.numeric.length; c++) if ((c >= 31 || (used & (1 << c)) !== 0) && L[h + COL_HORIZON + c]! > clock - lg.retain) empty = false;
    if (empty) return false;
  }
  const o = SCRATCH;
  o.length = 0;
  o.push(tags, keys, timeValue(L[h + HORIZON]!), L[h + DROPPED]!, timeValue(mergeAfter));
  // times: the first, then differences from the previous one (small integers: cheap to write and
  // read), unless one does not add back exactly — then `true` and the times as they are
  let exact = true;
  for (let i = head + 1; i < end; i++) {
    const t0 = L[off + (i - 1) * S]!;
    const t1 = L[off + i * S]!;
    if (t0 + (t1 - t0) !== t1) exact = false;
  }
  if (end > head) {
    if (exact) {
      o.push(L[off + head * S]!, end - head - 1);
      for (let i = head + 1; i < end; i++) o.push(L[off + i * S]! - L[off + (i - 1) * S]!);
    } else {
      o.push(true, end - head);
      for (let i = head; i < end; i++) o.push(L[off + i * S]!);
    }
  } else o.push(null, 0);
  for (let c = 0; c < lg.numeric.length; c++) {
    if (c < 31 && (used & (1 << c)) === 0) continue;
    const e = off + 1 + c;
    // values older than every window + lateness of the column's features are left out
    let start = upperBoundAt(L, off, S, head, end, clock - lg.colRetain[c]!);
    let colHorizon = L[h + COL_HORIZON + c]!;
    if (start > head && L[off + (start - 1) * S]! > colHorizon) colHorizon = L[off + (start - 1) * S]!;
    const numeric = lg.numeric[c]!;
    // leading missing values are implied
    if (numeric) while (start < end && L[e + start * S]! !== L[e + start * S]!) start++;
    else while (start < end && X![e + start * S] === undefined) start++;
    o.push(timeValue(colHorizon));
    if (!numeric && end - start > 8 && dictionary(o, X!, e, S, start, end)) continue;
    o.push(end - start);
    if (numeric) {
      for (let i = start; i < end; i++) {
        const x = L[e + i * S]!;
        o.push(x === x ? x : null);
      }
    } else for (let i = start; i < end; i++) o.push(X![e + i * S] ?? null);
  }
  return true;
}

const DICT = new Map<unknown, number>();

/**
 * A value column with repeats (a user's few devices or cards): `-k`, the k distinct values, then
 * the count and one index per entry (0 = missing, i = the i-th value). False (nothing written)
 * when it would not be shorter.
 */
function dictionary(o: unknown[], X: unknown[], e: number, S: number, start: number, end: number): boolean {
  const dict = DICT;
  for (let i = start; i < end; i++) {
    const x = X[e + i * S];
    if (x !== undefined && !dict.has(x)) dict.set(x, dict.size + 1);
  }
  const k = dict.size;
  if (2 * k > end - start) {
    dict.clear();
    return false;
  }
  o.push(-k);
  for (const x of dict.keys()) o.push(x);
  o.push(end - start);
  for (let i = start; i < end; i++) {
    const x = X[e + i * S];
    o.push(x === undefined ? 0 : dict.get(x)!);
  }
  dict.clear();
  return true;
}

interface ParsedLog {
  tags: Set<string>;
  horizon: number;
  dropped: number;
  mergeAfter: number;
  times: number[];
  /** column key → [column horizon, values aligned to the end of `times`] */
  cols: Map<string, [number, unknown[]]>;
}

/** Rebuilds a state from its JSON form (version 2 or 1). */
export function decodeState(set: FeatureSet, json: unknown): FeatureState {
  if (!isRecord(json)) throw stateError([], 'must be {"v": 2, …}');
  if (json.v === 1) return decodeV1(set, json);
  if (json.v !== 2 || !Array.isArray(json.l) || !isRecord(json.s)) throw stateError([], 'must be {"v": 2, "c": …, "l": […], "s": {…}}');
  const clock = decodeTime(json.c, -Infinity, ['c']);
  const parsed = json.l.map((e, j) => parseLog(e, ['l', j], clock));
  const byTag = new Map<string, number>();
  parsed.forEach((pl, j) => {
    for (const tag of pl.tags) if (!byTag.has(tag)) byTag.set(tag, j);
  });
  const state = set.create();
  state.a[0] = clock;
  const route = set.windows.map(() => -1);
  let routed = false;
  for (let g = 0; g < set.logGroups.length; g++) {
    const lg = set.logGroups[g]!;
    const buckets = new Map<number, number[]>();
    const fresh: number[] = [];
    for (const k of lg.members) {
      const w = set.windows[k]!;
      const j = byTag.get(w.tag);
      if (j === undefined || (w.col >= 0 && !parsed[j]!.cols.has(lg.colKeys[w.col]!))) fresh.push(k);
      else {
        const b = buckets.get(j);
        if (b === undefined) buckets.set(j, [k]);
        else b.push(k);
      }
    }
    // A shared log left out was empty, and may have dropped what is older than its retention.
    if (clock !== -Infinity) state.a[set.heads[g]! + HORIZON] = clock - lg.retain;
    if (buckets.size === 0) continue;
    // The shared log: the one that was shared (most members), else a new one from now on.
    let shared = -1;
    for (const [j, ks] of buckets) {
      if (parsed[j]!.mergeAfter === -Infinity && (shared < 0 || ks.length > buckets.get(shared)!.length)) shared = j;
    }
    if (shared >= 0) fillLog(set, state, g, set.heads[g]!, set.heads, set.strides, set.start, g, parsed[shared]!);
    for (const [j, ks] of buckets) {
      if (j === shared) continue;
      const m = parsed[j]!.mergeAfter;
      // with a new shared log (it holds events from now on), no private log goes back to it before now
      const log = new PrivateLog(g, lg.numeric.length, set.hasValues, shared >= 0 && m !== -Infinity ? m : Math.max(m, clock));
      fillLog(set, log, g, 0, log.heads, log.strides, log.start, 0, parsed[j]!);
      for (const k of ks) route[k] = state.privates.length;
      state.privates.push(log);
      routed = true;
    }
    if (shared >= 0 && fresh.length > 0) {
      // born now: they start empty, in a log of their own until their windows start after now
      const log = new PrivateLog(g, lg.numeric.length, set.hasValues, clock);
      for (const k of fresh) route[k] = state.privates.length;
      state.privates.push(log);
      routed = true;
    }
  }
  finish(set, state, routed ? route : null);
  const s = json.s;
  for (let i = 0; i < set.others.length; i++) {
    const f = set.others[i]!;
    const tag = set.otherTags[i]!;
    if (!Object.prototype.hasOwnProperty.call(s, tag)) continue;
    const slot = f.decode(s[tag], ['s', tag]);
    set.putSlot(state, i, slot);
  }
  return state;
}

/** Aggregates every windowed feature from its log. */
function finish(set: FeatureSet, state: FeatureState, route: number[] | null): void {
  state.route = route;
  set.reroute(state);
  const clock = state.a[0]!;
  for (let k = 0; k < set.windows.length; k++) {
    const [L, X, h] = set.logOf(state, k);
    set.windows[k]!.rebuild(state.a, state.x[k], L, X, h, clock);
  }
}

function parseLog(e: unknown, at: Path, clock: number): ParsedLog {
  if (!Array.isArray(e) || e.length < 7) throw stateError(at, 'must be [members, columns, horizon, dropped, mergeAfter, first, count, …times, …columns]');
  const [m, keys, h, d, a, first, count] = e as [unknown, unknown, unknown, unknown, unknown, unknown, unknown];
  if (typeof m !== 'string' || m.length % TAG !== 0) throw stateError([...at, 0], 'must be definition-hash prefixes');
  if (typeof keys !== 'string') throw stateError([...at, 1], 'must be column keys');
  const colKeys = keys === '' ? [] : keys.split(' ');
  if (first !== null && first !== true && (typeof first !== 'number' || first - first !== 0)) throw stateError([...at, 5], 'must be the first time, true or null');
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0 || 7 + count > e.length || (first === null && count > 0)) {
    throw stateError([...at, 6], 'must be the number of times that follow');
  }
  const ts: number[] = [];
  if (typeof first === 'number') ts.push(first);
  for (let i = 7; i < 7 + count; i++) {
    const x0 = e[i];
    if (typeof x0 !== 'number' || x0 - x0 !== 0) throw stateError([...at, i], 'must be a finite number');
    const prev = ts.length > 0 ? ts[ts.length - 1]! : -Infinity;
    const x = first === true ? x0 : prev + x0;
    if (x < prev) throw stateError([...at, i], 'must not be before the previous time');
    ts.push(x);
  }
  if (ts.length > 0 && ts[ts.length - 1]! > clock) throw stateError([...at, 6], 'holds a time after the clock');
  const tags = new Set<string>();
  for (let i = 0; i < m.length; i += TAG) tags.add(m.slice(i, i + TAG));
  const cols = new Map<string, [number, unknown[]]>();
  let i = 7 + count;
  for (const key of colKeys) {
    const colHorizon = decodeTime(e[i], -Infinity, [...at, i]);
    const numeric = key.startsWith('#');
    let dict: unknown[] | null = null;
    const k = e[i + 1];
    if (!numeric && typeof k === 'number' && Number.isSafeInteger(k) && k < 0 && i + 2 - k <= e.length) {
      // a dictionary: -k, k values, then indices
      dict = e.slice(i + 2, i + 2 - k);
      i += 1 - k; // now e[i + 1] is the count
    }
    const n = e[i + 1];
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0 || n > ts.length || i + 2 + n > e.length) {
      throw stateError([...at, i + 1], 'must be the number of values that follow (at most one per time)');
    }
    let vals = e.slice(i + 2, i + 2 + n);
    if (dict !== null) {
      const d = dict;
      vals = vals.map((x, j) => {
        if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0 || x > d.length) throw stateError([...at, i + 2 + j], `must be an index 0–${d.length}`);
        return x === 0 ? null : d[x - 1];
      });
    }
    for (let j = 0; j < n; j++) {
      const x = vals[j];
      if (x === null) continue;
      if (numeric ? typeof x !== 'number' || x - x !== 0 : primitiveOf(x) === undefined) {
        throw stateError([...at, i + 2 + j], numeric ? 'must be a finite number or null' : 'must be a string, number, boolean or null');
      }
    }
    cols.set(key, [colHorizon, vals]);
    i += 2 + n;
  }
  if (i !== e.length) throw stateError(at, `has ${e.length - i} elements after its ${colKeys.length} columns`);
  return {
    tags,
    horizon: decodeTime(h, -Infinity, [...at, 2]),
    dropped: decodeCount(d, [...at, 3]),
    mergeAfter: decodeTime(a, -Infinity, [...at, 4]),
    times: ts,
    cols,
  };
}

/** Fills an empty log of group `g` (header `h` of `arena`, region `r`) from its encoded form. */
function fillLog(set: FeatureSet, arena: Arena, g: number, h: number, heads: readonly number[], strides: readonly number[], start: number, r: number, pl: ParsedLog): void {
  const lg = set.logGroups[g]!;
  const n = pl.times.length;
  if (n > arena.a[h + CAP]!) growRegion(arena, start, heads, strides, r, n);
  const L = arena.a;
  const X = arena.x;
  const S = strides[r]!;
  const off = L[h + OFF]!;
  for (let i = 0; i < n; i++) L[off + i * S] = pl.times[i]!;
  L[h + HEAD] = 0;
  L[h + END] = n;
  L[h + HORIZON] = pl.horizon;
  L[h + DROPPED] = pl.dropped;
  L[h + FIRST] = n > 0 ? pl.times[0]! : Infinity;
  const last = n > 0 ? pl.times[n - 1]! : -Infinity;
  L[h + LAST] = last;
  for (let c = 0; c < lg.numeric.length; c++) {
    const numeric = lg.numeric[c]!;
    const found = pl.cols.get(lg.colKeys[c]!);
    // a column the log did not keep: its values so far are unknown
    const [colHorizon, vals] = found ?? [last, []];
    const skip = n - vals.length;
    for (let i = 0; i < n; i++) {
      const x = i < skip ? null : vals[i - skip];
      if (numeric) L[off + i * S + 1 + c] = x === null ? NaN : (x as number);
      else X![off + i * S + 1 + c] = x === null ? undefined : x;
    }
    L[h + COL_HORIZON + c] = colHorizon;
  }
}

// ── version 1: one slot per feature, keyed by definition hash ────────────────────────────────

/**
 * A version-1 state: each windowed feature kept its own entries; they become a private log per
 * feature (exact, as before), which joins its group's shared log once its window and lateness
 * start after the load. The other features' slots have not changed form.
 */
function decodeV1(set: FeatureSet, json: Record<string, unknown>): FeatureState {
  if (!isRecord(json.f)) throw stateError([], 'must be {"v": 1, "f": {…}}');
  const f = json.f;
  const has = (hash: string) => Object.prototype.hasOwnProperty.call(f, hash);
  let clock = -Infinity;
  const v1: { k: number; times: number[]; vals: unknown[] | null; horizon: number; dropped: number }[] = [];
  for (let k = 0; k < set.windows.length; k++) {
    const w = set.windows[k]!;
    if (!has(w.hash)) continue;
    const slot = f[w.hash];
    const at: Path = ['f', w.hash];
    if (!isRecord(slot)) throw stateError(at, 'must be an object');
    const c = decodeTime(slot.c, -Infinity, [...at, 'c']);
    decodeTime(slot.l, -Infinity, [...at, 'l']);
    const horizon = decodeTime(slot.z, -Infinity, [...at, 'z']);
    const dropped = decodeCount(slot.n, [...at, 'n']);
    const times = decodeTimes(slot.t, [...at, 't']);
    if (times.length > 0 && times[times.length - 1]! > c) throw stateError([...at, 't'], 'holds a time after the clock');
    const vals = w.col < 0 ? null : decodeValues(slot.v, times.length, w.numeric, [...at, 'v']);
    if (c > clock) clock = c;
    v1.push({ k, times, vals, horizon, dropped });
  }
  for (const o of set.others) {
    const slot = f[o.hash];
    if (has(o.hash) && isRecord(slot) && typeof slot.c === 'number' && slot.c > clock) clock = slot.c;
  }
  const state = set.create();
  state.a[0] = clock;
  const route = set.windows.map(() => -1);
  for (const { k, times, vals, horizon, dropped } of v1) {
    const w = set.windows[k]!;
    const lg = set.logGroups[w.logGroup]!;
    const log = new PrivateLog(w.logGroup, lg.numeric.length, set.hasValues, clock, Math.max(times.length, 1));
    const L = log.a;
    const X = log.x;
    const S = log.strides[0]!;
    const off = L[OFF]!;
    const n = times.length;
    for (let i = 0; i < n; i++) L[off + i * S] = times[i]!;
    L[END] = n;
    L[HORIZON] = horizon;
    L[DROPPED] = dropped;
    L[FIRST] = n > 0 ? times[0]! : Infinity;
    L[LAST] = n > 0 ? times[n - 1]! : -Infinity;
    for (let c = 0; c < lg.numeric.length; c++) {
      const numeric = lg.numeric[c]!;
      if (c !== w.col) L[COL_HORIZON + c] = L[LAST]!;
      for (let i = 0; i < n; i++) {
        const x = c === w.col ? vals![i] : undefined;
        if (numeric) L[off + i * S + 1 + c] = x === undefined ? NaN : (x as number);
        else X![off + i * S + 1 + c] = x;
      }
    }
    route[k] = state.privates.length;
    state.privates.push(log);
  }
  finish(set, state, v1.length > 0 ? route : null);
  for (let i = 0; i < set.others.length; i++) {
    const o = set.others[i]!;
    if (!has(o.hash)) continue;
    const slot = o.decode(f[o.hash], ['f', o.hash]);
    set.putSlot(state, i, slot);
  }
  return state;
}

