import { decodeCount, decodeTime, decodeTimes, decodeValues, encodeTime, isRecord, primitiveOf, stateError, type Path } from './Feature.ts';
import type { FeatureSet } from './FeatureSet.ts';
import { FeatureState, type EncodedFeatureState } from './FeatureState.ts';
import { upperBound } from './sortedSearch.ts';
import { BASE, DROPPED, HEAD, HORIZON, WindowLog } from './WindowLog.ts';

/** Length of the definition-hash prefix that names a feature in the encoded state. */
export const TAG = 8;

/**
 * Version 2 of a key's feature state, the form `JSON.stringify(state)` writes:
 *
 *     { "v": 2, "c": clock,
 *       "l": [ [members, columns, horizon, dropped, mergeAfter, absolute, times,
 *               colHorizon₀, values₀, colHorizon₁, values₁, …], … ],
 *       "s": { tag: slot, … } }
 *
 * One array per group log: `members` is the concatenated 8-hex-digit definition-hash prefixes of
 * the windowed features it serves (a reload keeps a feature's history while its hash is
 * unchanged); `columns` the space-separated column keys (`#field` numeric, `field` value);
 * `times` ascending, as differences from the previous one (`absolute` 0) or as they are
 * (`absolute` 1, when a difference would not add back exactly); each column's values are its
 * last ones (older values, beyond every window + lateness of its features, are left out, and
 * `colHorizon` says up to when), null for missing. `s`: the slots of the other features
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
    const head = t[HEAD]!;
    const end = t.length;
    const lg = set.logGroups[log.group]!;
    let used = 0; // bit set of the columns members read (at most 31 checked; more are always written)
    let tags = '';
    for (let j = 0; j < members.length; j++) {
      const w = set.windows[members[j]!]!;
      tags += w.hash.slice(0, TAG);
      if (w.col >= 0) used |= w.col < 31 ? 1 << w.col : 0;
    }
    let keys = '';
    const entry: unknown[] = [tags, keys, encodeTime(t[HORIZON]!), t[DROPPED]!, encodeTime(log.mergeAfter), 0, null];
    // times: differences from the previous one, unless one does not add back exactly
    const times: number[] = new Array(end - head);
    let prev = 0;
    let absolute = 0;
    for (let i = head; i < end; i++) {
      const x = t[i]!;
      const d = i === head ? x : x - prev;
      if (i > head && prev + d !== x) absolute = 1;
      times[i - head] = d;
      prev = x;
    }
    if (absolute === 1) for (let i = head; i < end; i++) times[i - head] = t[i]!;
    entry[5] = absolute;
    entry[6] = times;
    let empty = end === head && t[HORIZON] === -Infinity && t[DROPPED] === 0;
    for (let c = 0; c < log.cols.length; c++) {
      if (c < 31 && (used & (1 << c)) === 0) continue;
      keys += (keys === '' ? '' : ' ') + lg.colKeys[c]!;
      const col = log.cols[c]!;
      // values older than every window + lateness of the column's features are left out
      const start = upperBound(t, head, end, clock - lg.colRetain[c]!);
      let colHorizon = col[HORIZON] as number;
      if (start > head && t[start - 1]! > colHorizon) colHorizon = t[start - 1]!;
      if (colHorizon !== -Infinity) empty = false;
      const vals: unknown[] = new Array(end - start);
      if (lg.numeric[c]) {
        for (let i = start; i < end; i++) {
          const x = col[i] as number;
          vals[i - start] = x === x ? x : null;
        }
      } else {
        for (let i = start; i < end; i++) {
          const x = col[i];
          vals[i - start] = x === undefined ? null : x;
        }
      }
      entry.push(encodeTime(colHorizon), vals);
    }
    entry[1] = keys;
    if (!empty || log.mergeAfter !== -Infinity) l.push(entry);
  }
  const s: Record<string, unknown> = {};
  for (let i = 0; i < set.others.length; i++) {
    const f = set.others[i]!;
    const slot = state.slots[i];
    const enc = f.encode(slot);
    if (f.isEmpty(slot) && isRecord(enc) && enc.z === undefined && enc.n === undefined) continue;
    s[f.hash.slice(0, TAG)] = enc;
  }
  return { v: 2, c: encodeTime(clock), l, s };
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
      const j = byTag.get(w.hash.slice(0, TAG));
      if (j === undefined || (w.col >= 0 && !parsed[j]!.cols.has(lg.colKeys[w.col]!))) fresh.push(k);
      else {
        const b = buckets.get(j);
        if (b === undefined) buckets.set(j, [k]);
        else b.push(k);
      }
    }
    if (buckets.size === 0) continue;
    // The shared log: the one that was shared (most members), else a new one from now on.
    let shared = -1;
    for (const [j, ks] of buckets) {
      if (parsed[j]!.mergeAfter === -Infinity && (shared < 0 || ks.length > buckets.get(shared)!.length)) shared = j;
    }
    if (shared >= 0) state.logs[g] = buildLog(set, g, parsed[shared]!, -Infinity);
    for (const [j, ks] of buckets) {
      if (j === shared) continue;
      const p = state.logs.length;
      const m = parsed[j]!.mergeAfter;
      // with a new shared log (it holds events from now on), no private log goes back to it before now
      state.logs.push(buildLog(set, g, parsed[j]!, shared >= 0 && m !== -Infinity ? m : Math.max(m, clock)));
      for (const k of ks) route[k] = p;
      routed = true;
    }
    if (shared >= 0 && fresh.length > 0) {
      // born now: they start empty, in a log of their own until their windows start after now
      const p = state.logs.length;
      state.logs.push(new WindowLog(g, lg.numeric, clock));
      for (const k of fresh) route[k] = p;
      routed = true;
    }
  }
  finish(set, state, routed ? route : null);
  const s = json.s;
  for (let i = 0; i < set.others.length; i++) {
    const f = set.others[i]!;
    const tag = f.hash.slice(0, TAG);
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
    if (log != null) w.rebuild(state.num, state.aux[k], log, clock);
  }
}

function parseLog(e: unknown, at: Path, clock: number): ParsedLog {
  if (!Array.isArray(e) || e.length < 7 || (e.length - 7) % 2 !== 0) throw stateError(at, 'must be [members, columns, horizon, dropped, mergeAfter, absolute, times, …columns]');
  const [m, keys, h, d, a, abs, times] = e as [unknown, unknown, unknown, unknown, unknown, unknown, unknown];
  if (typeof m !== 'string' || m.length % TAG !== 0) throw stateError([...at, 0], 'must be definition-hash prefixes');
  if (typeof keys !== 'string') throw stateError([...at, 1], 'must be column keys');
  const colKeys = keys === '' ? [] : keys.split(' ');
  if (colKeys.length * 2 !== e.length - 7) throw stateError([...at, 1], `names ${colKeys.length} columns, the log has ${(e.length - 7) / 2}`);
  if (abs !== 0 && abs !== 1) throw stateError([...at, 5], 'must be 0 or 1');
  if (!Array.isArray(times)) throw stateError([...at, 6], 'must be an array of times');
  const ts: number[] = new Array(times.length);
  let prev = 0;
  for (let i = 0; i < times.length; i++) {
    const d = times[i];
    if (typeof d !== 'number' || d - d !== 0) throw stateError([...at, 6, i], 'must be a finite number');
    const x = abs === 1 || i === 0 ? d : prev + d;
    if (i > 0 && x < prev) throw stateError([...at, 6, i], 'must not be before the previous time');
    ts[i] = x;
    prev = x;
  }
  if (ts.length > 0 && ts[ts.length - 1]! > clock) throw stateError([...at, 6], 'holds a time after the clock');
  const tags = new Set<string>();
  for (let i = 0; i < m.length; i += TAG) tags.add(m.slice(i, i + TAG));
  const cols = new Map<string, [number, unknown[]]>();
  colKeys.forEach((key, c) => {
    const vat: Path = [...at, 8 + 2 * c];
    const vals = e[8 + 2 * c];
    if (!Array.isArray(vals) || vals.length > ts.length) throw stateError(vat, 'must be an array of at most one value per time');
    const numeric = key.startsWith('#');
    for (let i = 0; i < vals.length; i++) {
      const x = vals[i];
      if (x === null) continue;
      if (numeric ? typeof x !== 'number' || x - x !== 0 : primitiveOf(x) === undefined) {
        throw stateError([...vat, i], numeric ? 'must be a finite number or null' : 'must be a string, number, boolean or null');
      }
    }
    cols.set(key, [decodeTime(e[7 + 2 * c], -Infinity, [...at, 7 + 2 * c]), vals]);
  });
  return {
    tags,
    horizon: decodeTime(h, -Infinity, [...at, 2]),
    dropped: decodeCount(d, [...at, 3]),
    mergeAfter: decodeTime(a, -Infinity, [...at, 4]),
    times: ts,
    cols,
  };
}

function buildLog(set: FeatureSet, g: number, pl: ParsedLog, mergeAfter: number): WindowLog {
  const lg = set.logGroups[g]!;
  const log = new WindowLog(g, lg.numeric, mergeAfter);
  const n = pl.times.length;
  const t = log.t;
  t[HORIZON] = pl.horizon;
  t[DROPPED] = pl.dropped;
  for (let i = 0; i < n; i++) t.push(pl.times[i]!);
  const last = n > 0 ? pl.times[n - 1]! : -Infinity;
  for (let c = 0; c < log.cols.length; c++) {
    const col = log.cols[c]!;
    const numeric = lg.numeric[c]!;
    const found = pl.cols.get(lg.colKeys[c]!);
    // a column the log did not keep: its values so far are unknown
    const [colHorizon, vals] = found ?? [last, []];
    col[HORIZON] = colHorizon;
    const skip = n - vals.length;
    for (let i = 0; i < n; i++) {
      const x = i < skip ? null : vals[i - skip];
      col.push(x === null ? (numeric ? NaN : undefined) : x);
    }
    if (skip > 0 && pl.times[skip - 1]! > (col[HORIZON] as number)) col[HORIZON] = pl.times[skip - 1]!;
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
    const log = new WindowLog(w.logGroup, lg.numeric, clock);
    log.t[HORIZON] = horizon;
    log.t[DROPPED] = dropped;
    for (const x of times) log.t.push(x);
    const last = times.length > 0 ? times[times.length - 1]! : -Infinity;
    for (let c = 0; c < log.cols.length; c++) {
      const col = log.cols[c]!;
      if (c === w.col) for (const x of vals!) col.push(x);
      else {
        col[HORIZON] = last;
        for (let i = 0; i < times.length; i++) col.push(lg.numeric[c] ? NaN : undefined);
      }
    }
    route[k] = state.logs.length;
    state.logs.push(log);
  }
  finish(set, state, v1.length > 0 ? route : null);
  for (let i = 0; i < set.others.length; i++) {
    const o = set.others[i]!;
    if (has(o.hash)) state.slots[i] = o.decode(f[o.hash], ['f', o.hash]);
  }
  return state;
}
