import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCondition } from '../conditions/index.ts';
import type { ArgusEvent } from '../events/ArgusEvent.ts';
import { compilePath } from '../events/path.ts';
import { compileFeatures } from './compileFeatures.ts';
import type { FeatureState } from './FeatureState.ts';
import type { FeatureDefinition, FeatureKind, FeatureValue } from './types.ts';

/**
 * The incremental features against a brute-force computation over the full event list, on random
 * streams: several keys, event types, missing and mistyped fields, out-of-order and equal
 * timestamps, filters, expiry calls and encode/decode round trips in the middle of the stream.
 *
 * The definition under test (docs/features.md): the history of event e is every event of e's key
 * processed before e with t' ≤ t(e) and t' > t(e) − window that passes the event-type test and
 * the filter. Whenever `evaluate` reports a value as exact it must equal the brute force; with
 * no cap hit and the event within `allowedLateness` of the key's clock, it must report exact.
 */

const TYPES = ['transaction', 'login', 'match:x'] as const;
const FILTERS: Record<string, unknown> = {
  declined: { fact: 'status', operator: 'equal', value: 'declined' },
  big: { fact: 'amount', operator: 'greaterThan', value: 10 },
};

// ── exact reference arithmetic ─────────────────────────────────────────────────────────────

const view = new DataView(new ArrayBuffer(8));
/** x = m · 2^e exactly. */
function decompose(x: number): { m: bigint; e: number } {
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const sign = hi >>> 31 ? -1n : 1n;
  const exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (exp === 0) return { m: sign * mant, e: -1074 };
  mant |= 1n << 52n;
  return { m: sign * mant, e: exp - 1075 };
}
/** The exact sum of doubles, correctly rounded (Number(bigint) rounds to nearest, ties to even). */
function exactSum(values: number[]): number {
  const parts = values.filter((v) => v !== 0).map(decompose);
  if (parts.length === 0) return 0;
  const e0 = Math.min(...parts.map((p) => p.e));
  let s = 0n;
  for (const p of parts) s += p.m << BigInt(p.e - e0);
  return Number(s) * 2 ** e0 + 0;
}

function primitive(v: unknown): string | number | boolean | undefined {
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return v + 0;
  return undefined;
}

// ── generators ─────────────────────────────────────────────────────────────────────────────

const amountArb = fc.oneof(
  fc.integer({ min: -50, max: 200 }),
  fc.integer({ min: -5000, max: 50000 }).map((c) => c / 100),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((d) => (Math.abs(d) < 1e-6 ? 0 : d + 0)),
  fc.constantFrom(undefined, null, '12', 'x', true),
);
const cardArb = fc.constantFrom<unknown>('c1', 'c2', 'c3', 'c4', 1, 2, true, null, undefined, { nested: 1 });
const statusArb = fc.constantFrom<unknown>('ok', 'declined', undefined);

interface Op {
  expire?: number; // advance the key's time by this much (an expire call), instead of an event
  roundTrip?: boolean; // encode → JSON → decode the key's state before this op
  key: string;
  type: string;
  delta: number;
  amount: unknown;
  card: unknown;
  status: unknown;
}
const opArb: fc.Arbitrary<Op> = fc.record({
  // about one op in 12 is an expire call, one in 10 round-trips the state through JSON
  expire: fc.oneof({ weight: 11, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 60 }) }),
  roundTrip: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  key: fc.constantFrom('a', 'b', 'c'),
  type: fc.constantFrom(...TYPES),
  // mostly forward, often equal, sometimes far back
  delta: fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min: 0, max: 15 }) },
    { weight: 2, arbitrary: fc.constant(0) },
    { weight: 2, arbitrary: fc.integer({ min: -40, max: -1 }) },
  ),
  amount: amountArb,
  card: cardArb,
  status: statusArb,
});

interface Spec {
  kind: FeatureKind;
  window: number | undefined;
  field: string | undefined;
  eventTypes: string[] | undefined;
  filter: string | undefined;
}
const specArb: fc.Arbitrary<Spec> = fc
  .record({
    kind: fc.constantFrom<FeatureKind>('count', 'sum', 'avg', 'min', 'max', 'distinctCount', 'last', 'timeSince', 'age', 'seen'),
    window: fc.constantFrom(1, 7, 20, 60),
    windowed: fc.boolean(),
    textField: fc.constantFrom('card', 'status', 'amount'),
    eventTypes: fc.option(fc.subarray([...TYPES], { minLength: 1 }), { nil: undefined }),
    filter: fc.option(fc.constantFrom('declined', 'big'), { nil: undefined }),
  })
  .map((r) => {
    const needsWindow = ['count', 'sum', 'avg', 'min', 'max', 'distinctCount'].includes(r.kind);
    const optionalWindow = ['last', 'timeSince', 'seen'].includes(r.kind);
    const numeric = ['sum', 'avg', 'min', 'max'].includes(r.kind);
    const hasField = numeric || ['distinctCount', 'last', 'seen'].includes(r.kind);
    return {
      kind: r.kind,
      window: needsWindow || (optionalWindow && r.windowed) ? r.window : undefined,
      field: numeric ? 'amount' : hasField ? r.textField : undefined,
      eventTypes: r.eventTypes,
      filter: r.filter,
    };
  });

// ── brute force ────────────────────────────────────────────────────────────────────────────

interface Seen {
  event: ArgusEvent;
  seq: number;
}

function bruteForce(spec: Spec, matches: (e: ArgusEvent) => boolean, prior: Seen[], e: ArgusEvent): FeatureValue {
  const t = e.time;
  const from = spec.window === undefined ? -Infinity : t - spec.window;
  const get = spec.field === undefined ? undefined : compilePath(spec.field);
  const hist = prior.filter((p) => p.event.key === e.key && p.event.time <= t && p.event.time > from && matches(p.event));
  const numbers = (get === undefined ? [] : hist.map((p) => get(p.event.data))).filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).map((v) => v + 0);
  const prims = hist
    .map((p) => ({ v: get ? primitive(get(p.event.data)) : true, p }))
    .filter((x) => x.v !== undefined) as { v: string | number | boolean; p: Seen }[];
  const latest = (list: Seen[]): Seen | undefined =>
    list.reduce<Seen | undefined>((best, p) => (best === undefined || p.event.time > best.event.time || (p.event.time === best.event.time && p.seq > best.seq) ? p : best), undefined);
  switch (spec.kind) {
    case 'count':
      return hist.length;
    case 'sum':
      return exactSum(numbers);
    case 'avg':
      return numbers.length === 0 ? null : exactSum(numbers) / numbers.length;
    case 'min':
      return numbers.length === 0 ? null : Math.min(...numbers);
    case 'max':
      return numbers.length === 0 ? null : Math.max(...numbers);
    case 'distinctCount':
      return new Set(prims.map((x) => x.v)).size;
    case 'last': {
      const l = latest(prims.map((x) => x.p));
      return l === undefined ? null : primitive(get!(l.event.data))!;
    }
    case 'timeSince': {
      const l = latest(hist);
      return l === undefined ? null : t - l.event.time;
    }
    case 'age':
      return hist.length === 0 ? null : t - Math.min(...hist.map((p) => p.event.time));
    case 'seen': {
      const x = primitive(get!(e.data));
      return x === undefined ? null : prims.some((p) => p.v === x);
    }
  }
}

// ── the property ───────────────────────────────────────────────────────────────────────────

function run(specs: Spec[], ops: Op[], lateness: number, cap: number): void {
  const defs: FeatureDefinition[] = specs.map((s, i) => {
    const d: FeatureDefinition = { name: `f${i}_${s.kind.toLowerCase()}`, kind: s.kind, allowedLateness: lateness, maxEntries: cap };
    if (s.window !== undefined) d.window = s.window;
    if (s.field !== undefined) d.field = s.field;
    if (s.eventTypes !== undefined) d.eventTypes = s.eventTypes;
    if (s.filter !== undefined) d.filter = FILTERS[s.filter];
    return d;
  });
  const set = compileFeatures(defs);
  const matchers = specs.map((s) => {
    const pred = s.filter === undefined ? () => true : compileCondition<Readonly<Record<string, unknown>>>(FILTERS[s.filter]);
    return (e: ArgusEvent) => (s.eventTypes === undefined || s.eventTypes.includes(e.type)) && pred(e.data);
  });
  const states = new Map<string, FeatureState>();
  const clocks = new Map<string, number>(); // latest time per key (events and expire calls)
  const lastTime = new Map<string, number>();
  const prior: Seen[] = [];
  const bigCap = cap >= 1000;
  ops.forEach((op, seq) => {
    let state = states.get(op.key) ?? set.create();
    if (op.roundTrip) {
      const text = JSON.stringify(state);
      expect(set.encodeText(state)).toBe(text); // the text written directly is the document's
      state = set.load(JSON.parse(text));
    }
    states.set(op.key, state);
    const base = lastTime.get(op.key) ?? 1000;
    if (op.expire !== undefined) {
      const time = (clocks.get(op.key) ?? base) + op.expire;
      set.expire(state, time);
      clocks.set(op.key, Math.max(clocks.get(op.key) ?? -Infinity, time));
      return;
    }
    const time = Math.max(0, base + op.delta);
    lastTime.set(op.key, time);
    const data: Record<string, unknown> = { id: `e${seq}`, type: op.type, timestamp: time };
    if (op.amount !== undefined) data.amount = op.amount;
    if (op.card !== undefined) data.card = op.card;
    if (op.status !== undefined) data.status = op.status;
    const event: ArgusEvent = { id: `e${seq}`, type: op.type, time, key: op.key, data };

    const out: Record<string, FeatureValue> = {};
    const approximate: string[] = [];
    set.evaluate(state, event, out, approximate);
    const withinLateness = time >= (clocks.get(op.key) ?? -Infinity) - lateness;
    specs.forEach((spec, i) => {
      const name = defs[i]!.name;
      const expected = bruteForce(spec, matchers[i]!, prior, event);
      if (!approximate.includes(name)) {
        expect({ name, seq, value: out[name] }).toEqual({ name, seq, value: expected });
      } else if (bigCap) {
        expect(withinLateness, `${name} approximate for an event within lateness (seq ${seq})`).toBe(false);
      }
    });
    set.update(state, event);
    prior.push({ event, seq });
    clocks.set(op.key, Math.max(clocks.get(op.key) ?? -Infinity, time));
  });
}

describe('features against brute force (property)', () => {
  it('are exact whenever they say so, and say so within the lateness bound', () => {
    fc.assert(
      fc.property(
        fc.array(specArb, { minLength: 1, maxLength: 8, size: 'medium' }),
        fc.array(opArb, { minLength: 1, maxLength: 120, size: 'max' }),
        fc.constantFrom(0, 10, 1_000_000),
        fc.constantFrom(3, 10_000),
        (specs, ops, lateness, cap) => run(specs, ops, lateness, cap),
      ),
      { numRuns: 300 },
    );
  });

  it('are always exact with an unbounded lateness and no cap hit', () => {
    fc.assert(
      fc.property(fc.array(specArb, { minLength: 1, maxLength: 8, size: 'medium' }), fc.array(opArb, { minLength: 1, maxLength: 120, size: 'max' }), (specs, ops) => {
        const defs = specs;
        // lateness beyond any disorder generated: nothing may be flagged
        const set = compileFeatures(
          defs.map((s, i) => ({
            name: `f${i}`,
            kind: s.kind,
            ...(s.window === undefined ? {} : { window: s.window }),
            ...(s.field === undefined ? {} : { field: s.field }),
            allowedLateness: 1_000_000,
          })),
        );
        const state = set.create();
        let time = 1000;
        for (const op of ops) {
          time = Math.max(0, time + op.delta);
          const approximate: string[] = [];
          set.observe(state, { id: 'x', type: op.type, time, key: 'k', data: { amount: op.amount, card: op.card } }, {}, approximate);
          expect(approximate).toEqual([]);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('reload (property)', () => {
  it('features whose definition is unchanged keep giving the values of a set that never reloaded', () => {
    fc.assert(
      fc.property(
        fc.array(specArb, { minLength: 1, maxLength: 6, size: 'medium' }),
        fc.array(specArb, { minLength: 0, maxLength: 4, size: 'medium' }),
        fc.array(opArb, { minLength: 1, maxLength: 150, size: 'max' }),
        fc.integer({ min: 0, max: 150 }),
        fc.boolean(),
        fc.constantFrom(0, 10, 1_000_000),
        (kept, added, ops, at, viaJson, lateness) => {
          const def = (s: Spec, name: string): FeatureDefinition => {
            const d: FeatureDefinition = { name, kind: s.kind, allowedLateness: lateness };
            if (s.window !== undefined) d.window = s.window;
            if (s.field !== undefined) d.field = s.field;
            if (s.eventTypes !== undefined) d.eventTypes = s.eventTypes;
            if (s.filter !== undefined) d.filter = FILTERS[s.filter];
            return d;
          };
          const before = compileFeatures(kept.map((s, i) => def(s, `k${i}`)));
          // after the reload: the kept features renamed and in another order, some added
          const after = compileFeatures([...added.map((s, i) => def(s, `a${i}`)), ...kept.map((s, i) => def(s, `r${i}`)).reverse()]);
          const reference = compileFeatures(kept.map((s, i) => def(s, `k${i}`)));
          // the added features start empty at the reload: as a set that sees the events from then on
          const bornRef = compileFeatures(added.map((s, i) => def(s, `a${i}`)));
          const oldHashes = new Set(kept.map((_, i) => before.definitionHash(`k${i}`)!));
          let state = before.create();
          const ref = reference.create();
          const born = bornRef.create();
          let time = 1000;
          let clock = -Infinity;
          ops.forEach((op, seq) => {
            if (seq === at) state = after.load(viaJson ? JSON.parse(JSON.stringify(state)) : state);
            const set = seq >= at ? after : before;
            if (op.expire !== undefined) {
              set.expire(state, time + op.expire);
              reference.expire(ref, time + op.expire);
              if (seq >= at) bornRef.expire(born, time + op.expire);
              clock = Math.max(clock, time + op.expire);
              return;
            }
            time = Math.max(0, time + op.delta);
            const data: Record<string, unknown> = { amount: op.amount, card: op.card, status: op.status };
            const event: ArgusEvent = { id: `e${seq}`, type: op.type, time, key: 'k', data };
            const got: Record<string, FeatureValue> = {};
            const want: Record<string, FeatureValue> = {};
            const gotApprox: string[] = [];
            const wantApprox: string[] = [];
            set.observe(state, event, got, gotApprox);
            reference.observe(ref, event, want, wantApprox);
            kept.forEach((_, i) => {
              const name = seq >= at ? `r${i}` : `k${i}`;
              // within the lateness bound both are exact; beyond it, each may drop other entries
              if (time >= clock - lateness) expect({ seq, i, approximate: gotApprox.includes(name) }).toEqual({ seq, i, approximate: false });
              if (!gotApprox.includes(name) && !wantApprox.includes(`k${i}`)) expect({ seq, i, v: got[name] }).toEqual({ seq, i, v: want[`k${i}`] });
            });
            if (seq >= at) {
              const bornGot: Record<string, FeatureValue> = {};
              const bornApprox: string[] = [];
              bornRef.observe(born, event, bornGot, bornApprox);
              added.forEach((_, i) => {
                const name = `a${i}`;
                if (oldHashes.has(after.definitionHash(name)!)) return; // the same definition as a kept one: it keeps that history
                if (!gotApprox.includes(name) && !bornApprox.includes(name)) expect({ seq, name, v: got[name] }).toEqual({ seq, name, v: bornGot[name] });
              });
            }
            clock = Math.max(clock, time);
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
