// The sample patterns in patterns/: each is loaded from its file, validated, and run through
// matchEvents on realistic event sequences, with the cases it must flag and the ones it must not.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { matchEvents, parsePattern } from '../../src/cep/index.ts';

const dir = new URL('../../patterns/', import.meta.url);
const load = (file: string): unknown => JSON.parse(readFileSync(new URL(file, dir), 'utf8'));

const MIN = 60_000;
const T0 = Date.UTC(2024, 5, 11, 14, 0, 0);
let n = 0;
const ev = (type: string, minutes: number, fields: Record<string, unknown> = {}, userId = 'u1') => ({
  id: `e${++n}`,
  type,
  timestamp: T0 + Math.round(minutes * MIN),
  userId,
  ...fields,
});
const ids = (events: { id: string }[]) => events.map((e) => e.id);

describe('patterns/', () => {
  it('every sample validates and has an emit block with alert, severity, score and reason', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const f of files) {
      const def = parsePattern(load(f), `patterns/${f}`);
      expect(def.emit, f).toMatchObject({
        alert: expect.any(String),
        severity: expect.any(String),
        score: expect.any(Number),
        reason: expect.any(String),
      });
    }
  });
});

describe('account takeover (patterns/account-takeover.json)', () => {
  const pattern = load('account-takeover.json');
  const login = (m: number, isNew: boolean, user = 'u1') => ev('login', m, { device: { id: isNew ? 'dev_new' : 'dev_known', isNew } }, user);

  it('flags new-device login → password change → payout within 30 minutes', () => {
    const events = [login(0, true), ev('page_view', 2), ev('password_change', 5), ev('transaction', 6, { amount: 20 }), ev('payout', 12, { amount: 900 })];
    const out = matchEvents(pattern, events);
    expect(out).toEqual([
      {
        kind: 'match',
        pattern: 'ato-new-device-payout',
        key: 'u1',
        timestamp: events[4]!.timestamp,
        stages: { new_device_login: [events[0]!.id], credential_change: [events[2]!.id], payout: [events[4]!.id] },
      },
    ]);
  });

  it('also flags an e-mail change, and alerts once per chain', () => {
    const events = [login(0, true), login(1, true), ev('email_change', 3), ev('payout', 4), ev('payout', 5)];
    const out = matchEvents(pattern, events);
    expect(out).toHaveLength(1);
    expect(out[0]!.stages.payout).toEqual([events[3]!.id]);
  });

  it('does not flag a known device, a payout after 30 minutes, or the steps out of order', () => {
    expect(matchEvents(pattern, [login(0, false), ev('password_change', 5), ev('payout', 10)])).toEqual([]);
    expect(matchEvents(pattern, [login(0, true), ev('password_change', 5), ev('payout', 30)])).toEqual([]);
    expect(matchEvents(pattern, [login(0, true), ev('payout', 5), ev('password_change', 10)])).toEqual([]);
  });

  it('does not combine steps of different users', () => {
    expect(matchEvents(pattern, [login(0, true, 'u1'), ev('password_change', 5, {}, 'u2'), ev('payout', 10, {}, 'u1')])).toEqual([]);
  });
});

describe('card testing (patterns/card-testing.json)', () => {
  const pattern = load('card-testing.json');
  const auth = (m: number, amount: number) => ev('transaction', m, { amount, currency: 'USD' });

  it('flags five or more small authorisations then a large one within 10 minutes, once', () => {
    const small = [auth(0, 1), auth(1, 0.5), auth(2, 1), auth(3, 2.5), auth(4, 1), auth(5, 1)];
    const large = auth(7, 950);
    const out = matchEvents(pattern, [...small, auth(6, 40), large]);
    expect(out).toHaveLength(1);
    expect(out[0]!.kind).toBe('match');
    expect(out[0]!.stages.large_auth).toEqual([large.id]);
    expect(out[0]!.stages.small_auths!.length).toBeGreaterThanOrEqual(5);
    expect(out[0]!.stages.small_auths![0]).toBe(small[0]!.id);
  });

  it('does not flag four small authorisations, or a large one after the window', () => {
    expect(matchEvents(pattern, [auth(0, 1), auth(1, 1), auth(2, 1), auth(3, 1), auth(4, 900)])).toEqual([]);
    expect(matchEvents(pattern, [auth(0, 1), auth(1, 1), auth(2, 1), auth(3, 1), auth(4, 1), auth(10, 900)])).toEqual([]);
  });
});

describe('impossible travel (patterns/impossible-travel.json)', () => {
  const pattern = load('impossible-travel.json');
  const login = (m: number, country: string | undefined) => ev('login', m, country === undefined ? {} : { ip: { country } });

  it('flags logins from two countries less than an hour apart', () => {
    const events = [login(0, 'FR'), login(10, 'FR'), ev('transaction', 12, { amount: 5 }), login(40, 'BR')];
    const out = matchEvents(pattern, events);
    expect(out).toHaveLength(1);
    expect(out[0]!.stages).toEqual({ first_login: [events[0]!.id], second_login: [events[3]!.id] });
  });

  it('does not flag the same country, a change after an hour, or a login without a country', () => {
    expect(matchEvents(pattern, [login(0, 'FR'), login(20, 'FR'), login(40, 'FR')])).toEqual([]);
    expect(matchEvents(pattern, [login(0, 'FR'), login(60, 'US')])).toEqual([]);
    expect(matchEvents(pattern, [login(0, 'FR'), login(5, undefined)])).toEqual([]);
  });
});

describe('login without 2FA (patterns/login-without-2fa.json)', () => {
  const pattern = load('login-without-2fa.json');

  it('flags a login whose 2FA did not succeed within 5 minutes, at the end of the window', () => {
    const events = [ev('login', 0, { mfaRequired: true }), ev('2fa_failure', 1), ev('2fa_success', 6)];
    const out = matchEvents(pattern, events);
    expect(out).toEqual([
      { kind: 'match', pattern: 'login-without-2fa', key: 'u1', timestamp: events[0]!.timestamp + 5 * MIN, stages: { login: ids([events[0]!]) } },
    ]);
  });

  it('completes when time passes for the key, before its later events are matched', () => {
    const events = [ev('login', 0, { mfaRequired: true }), ev('page_view', 30)];
    expect(matchEvents(pattern, events)).toHaveLength(1);
  });

  it('does not flag a login followed by 2FA success in time, or one that needed no 2FA', () => {
    expect(matchEvents(pattern, [ev('login', 0, { mfaRequired: true }), ev('2fa_success', 4.9)])).toEqual([]);
    expect(matchEvents(pattern, [ev('login', 0, { mfaRequired: false })])).toEqual([]);
  });
});
