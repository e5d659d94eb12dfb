import { accountEvent, login, money, payout, transaction, transferIn, type Ip } from './buildEvents.ts';
import { merchantOf, newCard, newDevice, type Card, type Device } from './createUser.ts';
import type { Random } from './Random.ts';
import type { EventLabel, GeneratedEvent, Scenario } from './types.ts';
import { MINUTE, type UserContext } from './UserContext.ts';
import { ATTACK_COUNTRIES, ATTACKER_EMAIL_DOMAINS, CASH_OUT_MCCS, CATEGORY_BY_MCC, COUNTRIES, SCRIPT_AGENTS, type Country } from './world.ts';

/**
 * The fraud scenarios. Each writes the events of one instance for one user, starting at `t0`,
 * with their labels: `fraud: true` on the fraudulent events, the scenario name on every event it
 * adds. Their shapes follow docs/generate.md; the sample catalog is tuned to catch them.
 */
export type ScenarioWriter = (ctx: UserContext, rng: Random, t0: number) => GeneratedEvent[];

const fraud = (scenario: Scenario): EventLabel => ({ fraud: true, scenario });
const legit = (scenario: Scenario): EventLabel => ({ fraud: false, scenario });

interface Origin {
  code: string;
  ip: () => Ip;
}

/** Where an attacker connects from: mostly an attack country on another continent, sometimes a proxy in the victim's country. */
function attackOrigin(rng: Random, home: Country, proxyShare: number): Origin {
  if (rng.chance(proxyShare)) return { code: home.code, ip: () => randomIp(rng, home.ipOctets, home.code) };
  const far = ATTACK_COUNTRIES.filter((c) => c.region !== home.region && c.code !== home.code);
  const c = rng.weighted(far, (x) => x.weight);
  return { code: c.code, ip: () => randomIp(rng, c.ipOctets, c.code) };
}

function randomIp(rng: Random, octets: readonly number[], country: string): Ip {
  return { address: `${rng.pick(octets)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`, country };
}

function attackerDevice(rng: Random, scriptShare: number): Device {
  const d = newDevice(rng, rng.chance(0.5) ? 'desktop' : 'mobile');
  return rng.chance(scriptShare) ? { ...d, userAgent: rng.pick(SCRIPT_AGENTS) } : d;
}

/** A card from a breach: issued in another country than the victim's. */
function stolenCard(rng: Random, home: Country): Card {
  let c = rng.pick(COUNTRIES);
  while (c === home) c = rng.pick(COUNTRIES);
  return newCard(rng, c.code, rng.chance(0.2) ? 'prepaid' : 'credit');
}

/**
 * Account takeover: failed guesses, then a login from a new device in another country (15%: a
 * proxy in the victim's country), 2FA passed half the time (SIM swap), a password and/or e-mail
 * change within minutes, then a payout to a new bank account — all within 30 minutes. In 10%
 * the attacker drives the victim's own device (remote-access malware): no new device, no new
 * country — the hard case.
 */
export const accountTakeover: ScenarioWriter = (ctx, rng, t0) => {
  const s: Scenario = 'account_takeover';
  const { user } = ctx;
  const rat = rng.chance(0.1);
  const origin = attackOrigin(rng, user.home, rat ? 1 : 0.15);
  const device = rat ? user.devices[0]! : attackerDevice(rng, 0.25);
  const ip = rat ? ctx.ipFor(device, user.home) : origin.ip();
  const out: GeneratedEvent[] = [];
  const failures = !rat && rng.chance(0.5) ? rng.int(1, 4) : 0;
  for (let i = failures; i > 0; i--) {
    out.push(login(t0 - i * rng.int(20_000, 60_000), user.id, { status: 'failed', device, isNew: true, ip, mfaRequired: false }, fraud(s)));
  }
  const mfa = rng.chance(0.5);
  out.push(login(t0, user.id, { status: 'succeeded', device, isNew: !rat, ip, mfaRequired: mfa }, fraud(s)));
  if (mfa) out.push(accountEvent('2fa_success', t0 + rng.int(30_000, 80_000), user.id, device, ip, fraud(s)));
  let t = t0 + rng.int(2 * MINUTE, 8 * MINUTE);
  const both = rng.chance(0.3);
  if (both || rng.chance(0.5)) {
    out.push(accountEvent('password_change', t, user.id, device, ip, fraud(s)));
    t += rng.int(MINUTE, 3 * MINUTE);
  }
  if (both || out.at(-1)!.type !== 'password_change') {
    const newEmail = `${rng.hex(8)}@${rng.pick(ATTACKER_EMAIL_DOMAINS)}`;
    out.push(accountEvent('email_change', t, user.id, device, ip, fraud(s), newEmail));
  }
  t += rng.int(3 * MINUTE, 12 * MINUTE);
  const currency = user.home.currency;
  out.push(
    payout(
      t,
      user.id,
      { amount: money(rng.logNormal(1200, 0.6), currency), currency, accountId: `ba_${rng.hex(10)}`, country: rng.chance(0.6) ? origin.code : user.home.code, device, ip },
      fraud(s),
    ),
  );
  return out;
};

/**
 * Card testing: 5–10 authorisations under 5 USD with stolen cards at one online merchant, 10–40 s
 * apart, many declined, from a script half the time; then one large purchase (≥ 500 USD) of
 * resellable goods, all within 10 minutes.
 */
export const cardTesting: ScenarioWriter = (ctx, rng, t0) => {
  const s: Scenario = 'card_testing';
  const { user } = ctx;
  const origin = attackOrigin(rng, user.home, 0.2);
  const device = attackerDevice(rng, 0.5);
  const ip = origin.ip();
  const cards = [stolenCard(rng, user.home)];
  for (let i = rng.int(0, 2); i > 0; i--) cards.push(stolenCard(rng, user.home));
  const us = COUNTRIES[0]!;
  const tester = merchantOf('US', CATEGORY_BY_MCC.get('5818')!, rng.int(0, 39));
  const out: GeneratedEvent[] = [];
  const common = (card: Card) => ({
    currency: 'USD',
    channel: 'ecommerce' as const,
    card,
    billing: { country: card.country, postalCode: rng.digits(5) },
    ip,
    device,
    userAgent: device.userAgent,
    email: user.email,
    accountAgeDays: 0,
    customer: { priorPayments: 0, chargebacks: user.chargebacks },
  });
  let t = t0;
  const n = rng.int(5, 10);
  for (let i = 0; i < n; i++) {
    const card = rng.pick(cards);
    const declined = rng.chance(0.4);
    out.push(
      transaction(
        t,
        user.id,
        {
          ...common(card),
          amount: Math.round(rng.uniform(0.5, 4.99) * 100) / 100,
          status: declined ? 'declined' : 'approved',
          merchant: tester,
          checks: { avs: rng.chance(0.5) ? 'unavailable' : 'pass', cvc: 'pass', threeDSecure: 'not_attempted' },
        },
        fraud(s),
      ),
    );
    t += rng.int(10_000, 40_000);
  }
  const mcc = rng.pick(['5732', '5947']);
  const big = merchantOf(us.code, CATEGORY_BY_MCC.get(mcc)!, rng.int(0, 39));
  out.push(
    transaction(
      t + rng.int(10_000, 60_000),
      user.id,
      {
        ...common(cards[cards.length - 1]!),
        amount: Math.max(500, Math.round(rng.logNormal(900, 0.5) * 100) / 100),
        status: 'approved',
        merchant: big,
        checks: { avs: 'pass', cvc: 'pass', threeDSecure: rng.chance(0.5) ? 'attempted' : 'not_attempted' },
      },
      fraud(s),
    ),
  );
  return out;
};

/**
 * Velocity abuse: a burst of 8–18 purchases of resellable goods within 5–15 minutes, with a stolen
 * card (70%) or the victim's own card from an attacker's connection. In 15% the burst is
 * stretched over 50–90 minutes, under the 10-minute burst threshold.
 */
export const velocityAbuse: ScenarioWriter = (ctx, rng, t0) => {
  const s: Scenario = 'velocity_abuse';
  const { user } = ctx;
  const own = rng.chance(0.3);
  const card = own ? user.cards[0]! : stolenCard(rng, user.home);
  const origin = own ? attackOrigin(rng, user.home, 0) : attackOrigin(rng, user.home, 0.5);
  const device = attackerDevice(rng, 0.2);
  const ip = origin.ip();
  const n = rng.int(8, 18);
  const span = rng.chance(0.15) ? rng.int(50 * MINUTE, 90 * MINUTE) : rng.int(5 * MINUTE, 15 * MINUTE);
  const currency = user.home.currency;
  const out: GeneratedEvent[] = [];
  for (let i = 0; i < n; i++) {
    const t = t0 + Math.floor((span * i) / n) + rng.int(0, Math.floor(span / n / 2));
    const category = CATEGORY_BY_MCC.get(rng.pick(CASH_OUT_MCCS))!;
    const merchant = merchantOf(user.home.code, category, rng.int(0, 39));
    out.push(
      transaction(
        t,
        user.id,
        {
          amount: money(rng.logNormal(category.median * 1.5, 0.5), currency),
          currency,
          status: rng.chance(0.1) ? 'declined' : 'approved',
          channel: 'ecommerce',
          card,
          merchant,
          billing: { country: user.home.code, postalCode: user.postalCode },
          ip,
          device,
          userAgent: device.userAgent,
          email: user.email,
          checks: { avs: rng.chance(0.7) ? 'pass' : 'unavailable', cvc: 'pass', threeDSecure: rng.chance(0.5) ? 'attempted' : 'not_attempted' },
          accountAgeDays: 0,
          customer: { priorPayments: 0, chargebacks: user.chargebacks },
        },
        fraud(s),
      ),
    );
  }
  return out;
};

/**
 * Impossible travel: the victim logs in where they are; 10–50 minutes later someone logs in from
 * another continent — on a new device (60%) or replaying the victim's session (same device) —
 * and pays online 1–2 times with the victim's card. In 20% the second login comes 65–120 minutes
 * later: still impossible by plane, but outside the sample pattern's one-hour window.
 */
export const impossibleTravel: ScenarioWriter = (ctx, rng, t0) => {
  const s: Scenario = 'impossible_travel';
  const { user } = ctx;
  const here = ctx.locationAt(t0) ?? user.home;
  const own = user.devices[0]!;
  const out: GeneratedEvent[] = [login(t0, user.id, { status: 'succeeded', device: own, isNew: false, ip: ctx.ipFor(own, here), mfaRequired: false }, legit(s))];
  const far = COUNTRIES.filter((c) => c.region !== here.region);
  const there = rng.pick(far);
  const stolenSession = rng.chance(0.4);
  const device = stolenSession ? own : attackerDevice(rng, 0.1);
  const ip = randomIp(rng, there.ipOctets, there.code);
  const t1 = t0 + (rng.chance(0.2) ? rng.int(65 * MINUTE, 120 * MINUTE) : rng.int(10 * MINUTE, 50 * MINUTE));
  out.push(login(t1, user.id, { status: 'succeeded', device, isNew: !stolenSession, ip, mfaRequired: false }, fraud(s)));
  let t = t1;
  for (let i = rng.int(1, 2); i > 0; i--) {
    t += rng.int(2 * MINUTE, 10 * MINUTE);
    const category = CATEGORY_BY_MCC.get(rng.pick(['5732', '5651', '5947']))!;
    const currency = user.home.currency;
    out.push(
      transaction(
        t,
        user.id,
        {
          amount: money(rng.logNormal(250, 0.6), currency),
          currency,
          status: 'approved',
          channel: 'ecommerce',
          card: user.cards[0]!,
          merchant: merchantOf(user.home.code, category, rng.int(0, 39)),
          billing: { country: user.home.code, postalCode: user.postalCode },
          ip,
          device,
          userAgent: device.userAgent,
          email: user.email,
          checks: { avs: 'pass', cvc: 'pass', threeDSecure: rng.chance(0.5) ? 'authenticated' : 'not_attempted' },
          accountAgeDays: 0,
          customer: { priorPayments: 0, chargebacks: user.chargebacks },
        },
        fraud(s),
      ),
    );
  }
  return out;
};

/**
 * Mule / fan-in: 8–20 transfers in from distinct senders within a few hours (the mule's account
 * collects the proceeds of other frauds), then the mule logs in and pays most of it out to an
 * account abroad. In 15% (when the stream has 100 hours left) the mule is slow: 4–7 transfers arrive 8–14 hours apart, so no 24 hours
 * see more than a handful of senders.
 */
export const muleFanIn: ScenarioWriter = (ctx, rng, t0) => {
  const s: Scenario = 'mule_fan_in';
  const { user } = ctx;
  const currency = user.home.currency;
  const out: GeneratedEvent[] = [];
  let t = t0;
  let total = 0;
  const slow = rng.chance(0.15) && ctx.end - t0 > 100 * 60 * MINUTE;
  for (let i = slow ? rng.int(4, 7) : rng.int(8, 20); i > 0; i--) {
    const amount = money(rng.logNormal(300, 0.5), currency);
    total += amount;
    const country = rng.chance(0.5) ? user.home.code : rng.pick(COUNTRIES).code;
    out.push(transferIn(t, user.id, { amount, currency, sender: { id: `acct_${rng.hex(8)}`, country } }, fraud(s)));
    t += slow ? rng.int(480 * MINUTE, 840 * MINUTE) : rng.int(3 * MINUTE, 20 * MINUTE);
  }
  t += rng.int(20 * MINUTE, 90 * MINUTE);
  const device = user.devices[0]!;
  const here = ctx.locationAt(t) ?? user.home;
  const ip = ctx.ipFor(device, here);
  out.push(login(t, user.id, { status: 'succeeded', device, isNew: false, ip, mfaRequired: false }, legit(s)));
  const abroad = rng.pick(COUNTRIES.filter((c) => c !== user.home));
  out.push(
    payout(
      t + rng.int(MINUTE, 5 * MINUTE),
      user.id,
      { amount: roundMoney(total * rng.uniform(0.85, 0.97), currency), currency, accountId: `ba_${rng.hex(10)}`, country: abroad.code, device, ip },
      fraud(s),
    ),
  );
  return out;
};

function roundMoney(v: number, currency: string): number {
  return currency === 'JPY' ? Math.round(v) : Math.round(v * 100) / 100;
}

export const SCENARIO_WRITERS: Readonly<Record<Scenario, ScenarioWriter>> = {
  account_takeover: accountTakeover,
  card_testing: cardTesting,
  velocity_abuse: velocityAbuse,
  impossible_travel: impossibleTravel,
  mule_fan_in: muleFanIn,
};

/** How long after its start a scenario may still write events (to keep it inside the stream). */
export const SCENARIO_SPAN_MS: Readonly<Record<Scenario, number>> = {
  account_takeover: 40 * MINUTE,
  card_testing: 15 * MINUTE,
  velocity_abuse: 20 * MINUTE,
  impossible_travel: 140 * MINUTE,
  mule_fan_in: 9 * 60 * MINUTE,
};
