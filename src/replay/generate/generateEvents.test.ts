import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../errors.ts';
import { EventParser } from '../../events/index.ts';
import { generateEvents, parseGenerateOptions, planInjections, toJsonLines } from './generateEvents.ts';
import { Random } from './Random.ts';
import { SCENARIOS, type GeneratedEvent, type Scenario } from './types.ts';
import { COUNTRIES } from './world.ts';

const START = Date.UTC(2026, 0, 5);
const opts = (o: Partial<{ users: number; days: number; seed: number; fraudRate: number }> = {}) => ({
  users: 150,
  days: 3,
  seed: 11,
  fraudRate: 0.2,
  start: START,
  ...o,
});
const jsonl = (events: readonly GeneratedEvent[]) => [...toJsonLines(events)].join('');
const stream = generateEvents(opts());
const { events } = stream;
const get = (e: Record<string, unknown>, path: string): unknown =>
  path.split('.').reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), e);

function instancesOf(scenario: Scenario): Map<string, GeneratedEvent[]> {
  const out = new Map<string, GeneratedEvent[]>();
  for (const e of events) {
    if (e.label.scenario !== scenario) continue;
    const list = out.get(e.userId) ?? [];
    list.push(e);
    out.set(e.userId, list);
  }
  return out;
}

describe('Random', () => {
  it('gives the same sequence for the same seed and stream, another for another', () => {
    const seq = (seed: number, stream: number) => Array.from({ length: 5 }, ((r) => () => r.uint32())(new Random(seed, stream)));
    expect(seq(1, 0)).toEqual(seq(1, 0));
    expect(seq(1, 0)).not.toEqual(seq(2, 0));
    expect(seq(1, 0)).not.toEqual(seq(1, 1));
    expect(seq(2 ** 40, 0)).not.toEqual(seq(0, 0));
  });
});

describe('generateEvents: determinism', () => {
  it('gives byte-identical output for the same options', () => {
    expect(jsonl(generateEvents(opts()).events)).toBe(jsonl(events));
  });

  it('gives a different stream for another seed', () => {
    expect(jsonl(generateEvents(opts({ seed: 12 })).events)).not.toBe(jsonl(events));
  });

  it('keeps a user’s ordinary activity when only the fraud rate changes', () => {
    const clean = generateEvents(opts({ fraudRate: 0 })).events;
    const noScenario = (list: readonly GeneratedEvent[]) =>
      list.filter((e) => e.label.scenario === undefined).map((e) => JSON.stringify({ ...e, id: '', customer: undefined }));
    expect(noScenario(events)).toEqual(noScenario(clean));
  });
});

describe('generateEvents: schema', () => {
  it('every line parses with EventParser; ids unique; sorted by timestamp; inside the stream', () => {
    const parser = new EventParser();
    const ids = new Set<string>();
    let last = -Infinity;
    let n = 0;
    for (const line of toJsonLines(events)) {
      n++;
      const e = parser.parseText(line, { line: n });
      expect(e.key).toMatch(/^u_\d{5}$/);
      ids.add(e.id);
      expect(e.time).toBeGreaterThanOrEqual(last);
      last = e.time;
      expect(e.time).toBeGreaterThanOrEqual(START);
      expect(e.time).toBeLessThan(START + 3 * 86_400_000);
    }
    expect(ids.size).toBe(events.length);
    expect(events.length).toBeGreaterThan(150 * 3 * 3);
  });

  it('labels every event; fraud events name their scenario', () => {
    for (const e of events) {
      expect(typeof e.label.fraud).toBe('boolean');
      if (e.label.fraud) expect(SCENARIOS).toContain(e.label.scenario);
    }
  });

  it('uses the field names and types the sample catalog reads', () => {
    const types = new Set(events.map((e) => e.type));
    for (const t of ['login', 'transaction', '2fa_success', 'payout', 'transfer_in', 'password_change', 'email_change']) expect(types).toContain(t);
    for (const e of events) {
      if (e.type === 'transaction') {
        expect(typeof e.amount).toBe('number');
        for (const f of ['currency', 'status', 'channel', 'card.fingerprint', 'card.bin', 'card.country', 'card.funding', 'merchant.id', 'merchant.mcc', 'merchant.country', 'billing.country', 'checks.avs', 'checks.cvc', 'checks.threeDSecure', 'email'])
          expect(typeof get(e, f), `${e.id} ${f}`).toBe('string');
        expect(typeof e.cardPresent).toBe('boolean');
        expect(typeof e.accountAgeDays).toBe('number');
        expect(typeof get(e, 'customer.priorPayments')).toBe('number');
        if (e.channel === 'ecommerce') for (const f of ['ip.country', 'ip.address', 'device.id', 'userAgent']) expect(typeof get(e, f)).toBe('string');
      } else if (e.type === 'login') {
        expect(['succeeded', 'failed']).toContain(e.status);
        expect(typeof get(e, 'device.isNew')).toBe('boolean');
        expect(typeof e.mfaRequired).toBe('boolean');
        expect(get(e, 'ip.country')).toMatch(/^[A-Z]{2}$/);
      } else if (e.type === 'transfer_in') {
        expect(typeof get(e, 'sender.id')).toBe('string');
        expect(typeof e.amount).toBe('number');
      } else if (e.type === 'payout') {
        expect(typeof e.amount).toBe('number');
        expect(typeof get(e, 'destination.accountId')).toBe('string');
      }
    }
  });
});

describe('generateEvents: realism', () => {
  const clean = generateEvents(opts({ users: 150, days: 7, fraudRate: 0 })).events;
  const txns = clean.filter((e) => e.type === 'transaction');

  it('pays in several currencies, mostly at home, at the merchants a user frequents', () => {
    expect(new Set(txns.map((e) => e.currency)).size).toBeGreaterThanOrEqual(8);
    const home = txns.filter((e) => get(e, 'merchant.country') === get(e, 'billing.country')).length;
    expect(home / txns.length).toBeGreaterThan(0.9);
    // Share of payments at a merchant the user pays at again within the week (uniform choice among
    // the 40 merchants of a category would give about 0.1).
    const perUser = new Map<string, Map<string, number>>();
    for (const e of txns) {
      const m = perUser.get(e.userId) ?? new Map<string, number>();
      const id = get(e, 'merchant.id') as string;
      m.set(id, (m.get(id) ?? 0) + 1);
      perUser.set(e.userId, m);
    }
    let repeat = 0;
    for (const m of perUser.values()) for (const c of m.values()) if (c >= 2) repeat += c;
    expect(repeat / txns.length).toBeGreaterThan(0.3);
  });

  it('follows a daily rhythm in local time: far more activity by day than at night', () => {
    let day = 0;
    let night = 0;
    for (const e of clean) {
      if (e.type !== 'login') continue;
      const c = COUNTRIES.find((x) => x.code === get(e, 'ip.country'));
      if (c === undefined) continue;
      const hour = (((new Date(e.timestamp).getUTCHours() + c.utcOffset) % 24) + 24) % 24;
      if (hour >= 9 && hour < 21) day++;
      else if (hour < 6) night++;
    }
    expect(day).toBeGreaterThan(8 * night);
  });

  it('draws amounts per merchant category (groceries above coffee), with no fraud labels at rate 0', () => {
    const median = (mcc: string) => {
      const xs = txns.filter((e) => get(e, 'merchant.mcc') === mcc && e.currency === 'USD').map((e) => e.amount as number).sort((a, b) => a - b);
      return xs[xs.length >> 1]!;
    };
    expect(median('5411')).toBeGreaterThan(3 * median('5499'));
    expect(clean.some((e) => e.label.fraud || e.label.scenario !== undefined)).toBe(false);
  });
});

describe('generateEvents: injected scenarios', () => {
  it('affects round(users × fraudRate) users, the scenarios in turn, one scenario per user', () => {
    expect(stream.injections).toHaveLength(30);
    const byUser = new Map<string, Set<string>>();
    for (const e of events) {
      if (e.label.scenario === undefined) continue;
      const s = byUser.get(e.userId) ?? new Set<string>();
      s.add(e.label.scenario);
      byUser.set(e.userId, s);
    }
    expect(byUser.size).toBe(30);
    for (const s of byUser.values()) expect(s.size).toBe(1);
    for (const scenario of SCENARIOS) {
      expect(instancesOf(scenario).size).toBe(6);
      expect(stream.injections.filter((i) => i.scenario === scenario)).toHaveLength(6);
    }
    for (const [rate, users, n] of [[0, 150, 0], [0.01, 150, 2], [1, 7, 7], [0.05, 1000, 50]] as const) {
      expect(planInjections({ ...opts(), users, fraudRate: rate })).toHaveLength(n);
    }
  });

  it('account takeover: a login, a credential change and a payout within 30 minutes', () => {
    for (const [, list] of instancesOf('account_takeover')) {
      const ok = list.filter((e) => e.type !== 'login' || e.status === 'succeeded');
      const login = ok.find((e) => e.type === 'login')!;
      const change = ok.find((e) => e.type === 'password_change' || e.type === 'email_change')!;
      const pay = ok.find((e) => e.type === 'payout')!;
      expect(login.timestamp).toBeLessThan(change.timestamp);
      expect(change.timestamp).toBeLessThan(pay.timestamp);
      expect(pay.timestamp - login.timestamp).toBeLessThan(30 * 60_000);
      expect(list.every((e) => e.label.fraud)).toBe(true);
    }
  });

  it('card testing: five or more authorisations under 5, then one of 500 or more, within 10 minutes', () => {
    for (const [, list] of instancesOf('card_testing')) {
      const small = list.filter((e) => (e.amount as number) < 5);
      const large = list.filter((e) => (e.amount as number) >= 500);
      expect(small.length).toBeGreaterThanOrEqual(5);
      expect(large).toHaveLength(1);
      expect(large[0]!.timestamp - small[0]!.timestamp).toBeLessThan(10 * 60_000);
      expect(small.every((e) => e.timestamp <= large[0]!.timestamp)).toBe(true);
    }
  });

  it('velocity abuse: a burst of 8 or more payments', () => {
    for (const [, list] of instancesOf('velocity_abuse')) {
      expect(list.length).toBeGreaterThanOrEqual(8);
      expect(list[list.length - 1]!.timestamp - list[0]!.timestamp).toBeLessThan(95 * 60_000);
    }
  });

  it('impossible travel: the victim’s login, then a fraud login from another continent', () => {
    for (const [, list] of instancesOf('impossible_travel')) {
      const [first, second] = list.filter((e) => e.type === 'login');
      expect(first!.label.fraud).toBe(false);
      expect(second!.label.fraud).toBe(true);
      const region = (e: GeneratedEvent) => COUNTRIES.find((c) => c.code === get(e, 'ip.country'))!.region;
      expect(region(second!)).not.toBe(region(first!));
      expect(second!.timestamp - first!.timestamp).toBeLessThanOrEqual(2 * 3_600_000);
    }
  });

  it('mule fan-in: transfers in from distinct senders, then a payout', () => {
    for (const [, list] of instancesOf('mule_fan_in')) {
      const ins = list.filter((e) => e.type === 'transfer_in');
      expect(ins.length).toBeGreaterThanOrEqual(4);
      expect(new Set(ins.map((e) => get(e, 'sender.id'))).size).toBe(ins.length);
      expect(ins.every((e) => e.label.fraud)).toBe(true);
    }
  });
});

describe('parseGenerateOptions', () => {
  it('rejects bad options with their field paths', () => {
    try {
      parseGenerateOptions({ users: 0, days: 1.5, seed: -1, fraudRate: 2 });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).issues.map((i) => i.path.join('.')).sort()).toEqual(['days', 'fraudRate', 'seed', 'users']);
    }
  });
});
