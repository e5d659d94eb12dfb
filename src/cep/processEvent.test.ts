import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ArgusEvent } from '../events/ArgusEvent.ts';
import { compilePattern, type CompiledPattern } from './compilePattern.ts';
import { decodeState, encodeState, encodeStateJson } from './encodeState.ts';
import { matchEvents, toMatchOutput } from './matchEvents.ts';
import { parsePattern } from './parsePattern.ts';
import { advanceTime, createStepOutput, nextDeadline, processEvent } from './processEvent.ts';
import type { KeyState, MatchOutput } from './types.ts';

const is = (name: string) => ({ fact: 'name', operator: 'equal', value: name });
const compile = (json: unknown, max?: number) => compilePattern(parsePattern(json), { maxPartialMatches: max });
const event = (id: string, name: string, time: number, key = 'u1', price = 1): ArgusEvent => ({
  id,
  type: name,
  time,
  key,
  data: { id, type: name, timestamp: time, userId: key, name, price },
});
/** Events from a compact spec: "a1 b2 c5" = name a at t=1, b at 2, c at 5 (ids e1, e2, …). */
const feed = (spec: string, key = 'u1') => spec.split(' ').map((s, i) => event(`e${i + 1}`, s[0]!, Number(s.slice(1)), key));

/** Runs one key to the end; with `cut`, the state goes through JSON after that many events. */
function run(p: CompiledPattern, events: ArgusEvent[], cut = -1): MatchOutput[] {
  const out = createStepOutput();
  let st: KeyState | undefined;
  events.forEach((e, i) => {
    st = processEvent(p, st, e, out);
    if (i === cut) st = decodeState(JSON.parse(encodeStateJson(st)));
  });
  advanceTime(p, st, Infinity, out);
  return out.results.map(toMatchOutput);
}

const PATTERNS: Record<string, unknown> = {
  anyLoop: {
    id: 'any-loop',
    within: 20,
    timeouts: true,
    stages: [
      { name: 'a', where: is('a') },
      { name: 'b', contiguity: 'followedByAny', where: is('b'), times: { min: 1 } },
      { name: 'c', where: is('c') },
    ],
  },
  skipHeld: {
    id: 'skip-held',
    afterMatch: 'skipPastLastEvent',
    stages: [
      { name: 'a', where: is('a'), times: { min: 1 } },
      { name: 'b', where: is('b') },
    ],
  },
  trailingNot: {
    id: 'trailing-not',
    within: 5,
    stages: [
      { name: 'a', where: is('a') },
      { name: 'b', where: is('b'), times: { min: 1 } },
      { name: 'x', contiguity: 'notFollowedBy', where: is('x') },
    ],
  },
  iterative: {
    id: 'iterative',
    stages: [
      { name: 'a', where: is('a') },
      {
        name: 'b',
        where: { all: [is('b'), { fact: '$stage', params: { stage: 'b', agg: 'sum', field: 'price', includeCurrent: true }, operator: 'lessThan', value: 3 }] },
        times: { min: 1 },
      },
      { name: 'c', contiguity: 'next', where: is('c') },
    ],
  },
};
const EVENTS = feed('a1 b2 a3 b4 x5 b6 c7 a8 b9 b10 c11 c12 b30 c31');

describe('processEvent: state encoding', () => {
  it.each(Object.keys(PATTERNS))('%s: a restart at any point of a partial match gives the same results', (name) => {
    const p = compile(PATTERNS[name]);
    const expected = run(p, EVENTS);
    expect(expected.length).toBeGreaterThan(0);
    for (let cut = 0; cut < EVENTS.length; cut++) expect(run(p, EVENTS, cut)).toEqual(expected);
  });

  it.each(Object.keys(PATTERNS))('%s: keeping only the fields $stage reads gives the same results as keeping whole events', (name) => {
    const def = parsePattern(PATTERNS[name]);
    const whole = compilePattern({ ...def, bufferFields: undefined });
    const expected = run(whole, EVENTS);
    expect(run(compilePattern(def), EVENTS)).toEqual(expected);
    expect(run(compilePattern(def), EVENTS, 8)).toEqual(expected);
  });

  it('a partial match keeps the envelope of its events and only the fields $stage reads', () => {
    const iterative = compile(PATTERNS.iterative);
    expect(iterative.definition.bufferFields).toEqual(['price']);
    const out = createStepOutput();
    let st: KeyState | undefined;
    for (const e of feed('a1 b2')) st = processEvent(iterative, st, e, out);
    const enc = encodeState(st)!;
    expect(enc.events.map((e) => e[4])).toEqual([{ price: 1 }, { price: 1 }]);
    const any = compile(PATTERNS.anyLoop);
    expect(any.definition.bufferFields).toEqual([]);
    st = undefined;
    for (const e of feed('a1 b2')) st = processEvent(any, st, e, out);
    expect(encodeState(st)!.events.map((e) => [e[0], e[1], e[2], e[4]])).toEqual([
      ['e1', 'a', 1, {}],
      ['e2', 'b', 2, {}],
    ]);
  });

  it.each(Object.keys(PATTERNS))('%s: the direct JSON writer gives the bytes of JSON.stringify(encodeState) after every event', (name) => {
    const p = compile(PATTERNS[name]);
    const out = createStepOutput();
    // two keys stepped in turn: each encode must see only its own state's nodes and events
    const states: (KeyState | undefined)[] = [undefined, undefined];
    let nonEmpty = 0;
    EVENTS.forEach((e, i) => {
      const k = i % 2;
      states[k] = processEvent(p, states[k], e, out);
      for (const st of [states[k], states[1 - k], states[k]]) {
        const text = encodeStateJson(st);
        expect(text).toBe(JSON.stringify(encodeState(st)));
        if (st !== undefined) nonEmpty++;
      }
    });
    expect(nonEmpty).toBeGreaterThan(0);
    expect(encodeStateJson(undefined)).toBe('null');
  });

  it('writes each buffered event once however many partial matches hold it', () => {
    const p = compile(PATTERNS.anyLoop);
    const out = createStepOutput();
    let st: KeyState | undefined;
    for (const e of feed('a1 b2 b3 b4')) st = processEvent(p, st, e, out);
    expect(st!.partials.length).toBeGreaterThan(4);
    const enc = encodeState(st)!;
    expect(enc.events.map((e) => e[0])).toEqual(['e1', 'e2', 'e3', 'e4']);
    expect(st!.buffered).toBe(4);
    expect(decodeState(JSON.parse(JSON.stringify(enc)))!.buffered).toBe(4);
  });
});

describe('processEvent: state life cycle', () => {
  it('a key with nothing live has undefined state; non-matching events keep it so', () => {
    const p = compile(PATTERNS.anyLoop);
    const out = createStepOutput();
    expect(processEvent(p, undefined, event('e1', 'z', 1), out)).toBeUndefined();
    const st = processEvent(p, undefined, event('e2', 'a', 2), out);
    expect(st).toBeDefined();
    expect(nextDeadline(p, st)).toBe(22);
  });

  it('releases partial matches and buffered events as windows pass, ending with undefined', () => {
    const p = compile(PATTERNS.anyLoop);
    const out = createStepOutput();
    let st: KeyState | undefined;
    for (const e of feed('a1 b2 b3 a4 b5')) st = processEvent(p, st, e, out);
    expect(st!.buffered).toBe(5);
    expect(nextDeadline(p, st)).toBe(21);
    st = advanceTime(p, st, 21, out);
    expect(st).toBeDefined();
    expect(st!.buffered).toBe(2); // a4, b5: the a1 partial matches are gone with their events
    expect(advanceTime(p, st, 24, out)).toBeUndefined();
    expect(out.results.every((r) => r.kind === 'timeout')).toBe(true);
    expect(out.results.map((r) => r.timestamp)).toContain(21);
    expect(out.results.map((r) => r.timestamp)).toContain(24);
  });

  it('a match completes and releases everything it held', () => {
    const p = compile({ id: 'ab', stages: [{ name: 'a', where: is('a') }, { name: 'b', where: is('b') }] });
    const out = createStepOutput();
    let st = processEvent(p, undefined, event('e1', 'a', 1), out);
    st = processEvent(p, st, event('e2', 'b', 2), out);
    expect(out.results).toHaveLength(1);
    expect(st).toBeUndefined();
  });

  it('bounds live partial matches per key and counts what it drops', () => {
    const events = feed('a1 b2 b3 b4 b5 b6 b7 b8 b9');
    const p = compile(PATTERNS.anyLoop, 20);
    const out = createStepOutput();
    let st: KeyState | undefined;
    for (const e of events) st = processEvent(p, st, e, out);
    expect(st!.partials.length).toBe(20);
    expect(out.dropped).toBeGreaterThan(0);
    const free = createStepOutput();
    let st2: KeyState | undefined;
    for (const e of events) st2 = processEvent(compile(PATTERNS.anyLoop), st2, e, free);
    expect(st2!.partials.length).toBe(37);
    expect(free.dropped).toBe(0);
  });

  it('holds a match back while an earlier partial match is live, then releases in start order (§5)', () => {
    const samePrice = { fact: 'price', operator: 'equal', value: { fact: '$stage', params: { stage: 'a', agg: 'last', field: 'price' } } };
    const json = (afterMatch: string) => ({
      id: 'held',
      afterMatch,
      stages: [
        { name: 'a', where: is('a') },
        { name: 'b', contiguity: 'followedByAny', where: { all: [is('b'), samePrice] } },
      ],
    });
    const events = [event('e1', 'a', 1, 'u1', 1), event('e2', 'a', 2, 'u1', 2), event('e3', 'b', 3, 'u1', 2), event('e4', 'b', 4, 'u1', 1)];
    const order = (afterMatch: string) => {
      const p = compile(json(afterMatch));
      const out = createStepOutput();
      let st: KeyState | undefined;
      const emittedAt: string[] = [];
      for (const e of events) {
        st = processEvent(p, st, e, out);
        for (const r of out.results.splice(0)) emittedAt.push(`${e.id}:${r.events.a![0]!.id}+${r.events.b![0]!.id}`);
      }
      return emittedAt;
    };
    expect(order('noSkip')).toEqual(['e3:e2+e3', 'e4:e1+e4']);
    // e2+e3 completes first but waits for the partial match started at e1
    expect(order('skipToNext')).toEqual(['e4:e1+e4', 'e4:e2+e3']);
    // skipping past e4 also discards the held e2+e3
    expect(order('skipPastLastEvent')).toEqual(['e4:e1+e4']);
  });
});

describe('matchEvents: keys are independent', () => {
  const names = fc.constantFrom('a', 'b', 'c', 'x');
  const stream = (key: string) =>
    fc.array(fc.tuple(names, fc.integer({ min: 0, max: 4 })), { maxLength: 14 }).map((rows) => {
      let t = 0;
      return rows.map(([name, dt], i) => {
        t += dt;
        return { id: `${key}-${i}`, type: name, timestamp: t, userId: key, name, price: i % 3 };
      });
    });

  it.each(Object.keys(PATTERNS))('%s: interleaving other keys never changes one key’s results', (name) => {
    const pattern = PATTERNS[name];
    fc.assert(
      fc.property(stream('u1'), stream('u2'), stream('u3'), fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 42, maxLength: 42 }), (s1, s2, s3, picks) => {
        const queues = [s1.slice(), s2.slice(), s3.slice()];
        const merged: unknown[] = [];
        let k = 0;
        while (queues.some((q) => q.length > 0)) {
          let q = picks[k++ % picks.length]!;
          while (queues[q]!.length === 0) q = (q + 1) % 3;
          merged.push(queues[q]!.shift());
        }
        const alone = matchEvents(pattern, s1);
        const mixed = matchEvents(pattern, merged).filter((r) => r.key === 'u1');
        expect(mixed).toEqual(alone);
      }),
      { numRuns: 150 },
    );
  });
});
