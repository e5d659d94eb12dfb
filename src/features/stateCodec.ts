import { decodeCount, decodeTime, decodeTimes, decodeValues, encodeTime, isRecord, primitiveOf, stateError, type Path } from './Feature.ts';
import type { FeatureSet } from './FeatureSet.ts';
import { FeatureState, type EncodedFeatureState } from './FeatureState.ts';
import { upperBound } from './sortedSearch.ts';
import { COL_HORIZON, DROPPED, END, FIRST, HEAD, HORIZON, LAST, pushHeader, WindowLog } from './WindowLog.ts';

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
export function encodeState(set: FeatureSet, state: FeatureState): EncodedFeatureState {
  const clock = state.num[0]!;
  const l: unknown[][] = [];
  const logs = state.logs;
  for (let p = 0; p < logs.length; p++) {
    const log = logs[p]!;
    if (log === null) continue;
    const members = set.membersOf(state, p);
    if (members.length === 0) continue;
    const t = log.t;
    const num = state.num;
    const h = log.h;
    const head = num[h + HEAD]!;
    const end = t.length;
    const lg = set.logGroups[log.group]!;
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
    // the column keys: precomputed when the log serves its group's features (the usual case)
    let keys = lg.keysAll;
    if (used !== lg.usedAll) {
      keys = '';
      for (let c = 0; c < lg.colKeys.length; c++) if (c >= 31 || (used & (1 << c)) !== 0) keys += (keys === '' ? '' : ' ') + lg.colKeys[c]!;
    }
    const entry: unknown[] = [tags, keys, encodeTime(num[h + HORIZON]!), num[h + DROPPED]!, encodeTime(log.mergeAfter), null, 0];
    // times: the first, then differences from the previous one (small integers: cheap to write and
    // read), unless one does not add back exactly — then `true` and the times as they are
    let exact = true;
    for (let i = head + 1; i < end; i++) if (t[i - 1]! + (t[i]! - t[i - 1]!) !== t[i]!) exact = false;
    if (end > head) {
      entry[5] = exact ? t[head]! : true;
      entry[6] = exact ? end - head - 1 : end - head;
      if (exact) for (let i = head + 1; i < end; i++) entry.push(t[i]! - t[i - 1]!);
      else for (let i = head; i < end; i++) entry.push(t[i]!);
    }
    // An empty shared log is left out when its header is what decoding assumes anyway.
    let empty = end === head && num[h + HORIZON]! <= clock - lg.retain && num[h + DROPPED] === 0;
    for (let c = 0; c < log.cols.length; c++) {
      if (c < 31 && (used & (1 << c)) === 0) continue;
      const col = log.cols[c]!;
      // values older than every window + lateness of the column's features are left out
      let start = upperBound(t, head, end, clock - lg.colRetain[c]!);
      let colHorizon = num[h + COL_HORIZON + c]!;
      if (start > head && t[start - 1]! > colHorizon) colHorizon = t[start - 1]!;
      if (colHorizon > clock - lg.retain) empty = false;
      const numeric = lg.numeric[c];
      // leading missing values are implied
      if (numeric) while (start < end && (col[start] as number) !== (col[start] as number)) start++;
      else while (start < end && col[start] === undefined) start++;
      entry.push(encodeTime(colHorizon));
      if (!numeric && end - start > 8 && dictionary(entry, col, start, end)) continue;
      entry.push(end - start);
      for (let i = start; i < end; i++) {
        const x = col[i];
        entry.push(numeric ? ((x as number) === (x as number) ? x : null) : x === undefined ? null : x);
      }
    }
    if (!empty || p >= set.logGroups.length) l.push(entry);
  }
  const s: Record<string, unknown> = {};
  for (let i = 0; i < set.others.length; i++) {
    const f = set.others[i]!;
    const slot = state.slots[i];
    const enc = f.encode(slot);
    if (enc === undefined) continue; // nothing to keep
    s[set.otherTags[i]!] = enc;
  }
  return { v: 2, c: encodeTime(clock), l, s };
}

const DICT = new Map<unknown, number>();

/**
 * A value column with repeats (a user's few devices or cards): `-k`, the k distinct values, then
 * the count and one index per entry (0 = missing, i = the i-th value). False (nothing written)
 * when it would not be shorter.
 */
function dictionary(entry: unknown[], col: unknown[], start: number, end: number): boolean {
  const dict = DICT;
  for (let i = start; i < end; i++) {
    const x = col[i];
    if (x !== undefined && !dict.has(x)) dict.set(x, dict.size + 1);
  }
  const k = dict.size;
  if (2 * k > end - start) {
    dict.clear();
    return false;
  }
  entry.push(-k);
  for (const x of dict.keys()) entry.push(x);
  entry.push(end - start);
  for (let i = start; i < end; i++) {
    const x = col[i];
    entry.push(x === undefined ? 0 : dict.get(x)!);
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
  state.num[0] = clock;
  const route = set.windows.map((w) => w.logGroup);
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
    if (clock !== -Infinity) state.num[lg.header + HORIZON] = clock - lg.retain;
    if (buckets.size === 0) continue;
    // The shared log: the one that was shared (most members), else a new one from now on.
    let shared = -1;
    for (const [j, ks] of buckets) {
      if (parsed[j]!.mergeAfter === -Infinity && (shared < 0 || ks.length > buckets.get(shared)!.length)) shared = j;
    }
    if (shared >= 0) state.setLog(g, buildLog(set, state, g, parsed[shared]!, -Infinity));
    for (const [j, ks] of buckets) {
      if (j === shared) continue;
      const p = state.logs.length;
      const m = parsed[j]!.mergeAfter;
      // with a new shared log (it holds events from now on), no private log goes back to it before now
      state.setLog(p, buildLog(set, state, g, parsed[j]!, shared >= 0 && m !== -Infinity ? m : Math.max(m, clock)));
      for (const k of ks) route[k] = p;
      routed = true;
    }
    if (shared >= 0 && fresh.length > 0) {
      // born now: they start empty, in a log of their own until their windows start after now
      const p = state.logs.length;
      state.setLog(p, new WindowLog(g, lg.numeric.length, pushHeader(state.num, lg.numeric.length), clock));
      for (const k of fresh) route[k] = p;
      routed = true;
    }
  }
  finish(set, state, routed ? route : null);
  const s = json.s;
  for (let i = 0; i < set.others.length; i++) {
    const f = set.others[i]!;
    const tag = set.otherTags[i]!;
    if (Object.prototype.hasOwnProperty.call(s, tag)) state.slots[i] = f.decode(s[tag], ['s', tag]);
  }
  return state;
}

/** Aggregates every windowed feature from its log. */
function finish(set: FeatureSet, state: FeatureState, route: number[] | null): void {
  state.route = route;
  set.reroute(state);
  const clock = state.num[0]!;
  for (let k = 0; k < set.windows.length; k++) {
    const w = set.windows[k]!;
    const log = state.logs[state.route === null ? w.logGroup : state.route[k]!];
    if (log != null) w.rebuild(state.num, log.h, state.aux[k], log.t, log.cols, clock);
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

/** A log of group `g` from its encoded form: the shared log (header at the group's place) or a private one (header appended). */
function buildLog(set: FeatureSet, state: FeatureState, g: number, pl: ParsedLog, mergeAfter: number): WindowLog {
  const lg = set.logGroups[g]!;
  const num = state.num;
  const h = mergeAfter === -Infinity ? lg.header : pushHeader(num, lg.numeric.length);
  const log = new WindowLog(g, lg.numeric.length, h, mergeAfter);
  const n = pl.times.length;
  const t = log.t;
  for (let i = 0; i < n; i++) t.push(pl.times[i]!);
  num[h + HEAD] = 0;
  num[h + END] = n;
  num[h + HORIZON] = pl.horizon;
  num[h + DROPPED] = pl.dropped;
  num[h + FIRST] = n > 0 ? pl.times[0]! : Infinity;
  num[h + LAST] = n > 0 ? pl.times[n - 1]! : -Infinity;
  const last = n > 0 ? pl.times[n - 1]! : -Infinity;
  for (let c = 0; c < log.cols.length; c++) {
    const col = log.cols[c]!;
    const numeric = lg.numeric[c]!;
    const found = pl.cols.get(lg.colKeys[c]!);
    // a column the log did not keep: its values so far are unknown
    const [colHorizon, vals] = found ?? [last, []];
    const hz = colHorizon;
    const skip = n - vals.length;
    for (let i = 0; i < n; i++) {
      const x = i < skip ? null : vals[i - skip];
      col.push(x === null ? (numeric ? NaN : undefined) : x);
    }
    num[h + COL_HORIZON + c] = hz;
  }
  return log;
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
  state.num[0] = clock;
  const route = set.windows.map((w) => w.logGroup);
  for (const { k, times, vals, horizon, dropped } of v1) {
    const w = set.windows[k]!;
    const lg = set.logGroups[w.logGroup]!;
    const num = state.num;
    const h = pushHeader(num, lg.numeric.length);
    const log = new WindowLog(w.logGroup, lg.numeric.length, h, clock);
    const n = times.length;
    for (const x of times) log.t.push(x);
    num[h + END] = n;
    num[h + HORIZON] = horizon;
    num[h + DROPPED] = dropped;
    num[h + FIRST] = n > 0 ? times[0]! : Infinity;
    num[h + LAST] = n > 0 ? times[n - 1]! : -Infinity;
    for (let c = 0; c < log.cols.length; c++) {
      const col = log.cols[c]!;
      if (c === w.col) for (const x of vals!) col.push(x);
      else {
        num[h + COL_HORIZON + c] = num[h + LAST]!;
        for (let i = 0; i < n; i++) col.push(lg.numeric[c] ? NaN : undefined);
      }
    }
    route[k] = state.logs.length;
    state.setLog(state.logs.length, log);
  }
  finish(set, state, v1.length > 0 ? route : null);
  for (let i = 0; i < set.others.length; i++) {
    const o = set.others[i]!;
    if (has(o.hash)) state.slots[i] = o.decode(f[o.hash], ['f', o.hash]);
  }
  return state;
}
