import { accountEvent, login, money, payout, transaction, transferIn, type Ip } from './buildEvents.ts';
import type { Device } from './createUser.ts';
import type { GeneratedEvent } from './types.ts';
import { MINUTE, type UserContext } from './UserContext.ts';
import { CATEGORY_BY_MCC, type Country } from './world.ts';

interface Session {
  t: number;
  device: Device;
  ip: Ip;
  country: Country;
}

/**
 * A user's legitimate activity over the stream, day by day: sessions (login, sometimes a failed
 * attempt first, 2FA when asked), e-commerce payments inside sessions, card-present payments
 * where the user is, transfers received, payouts, rare credential changes.
 */
export function userActivity(ctx: UserContext): GeneratedEvent[] {
  const { user, rng } = ctx;
  const out: GeneratedEvent[] = [];
  const known = new Set(user.devices.map((d) => d.id));
  for (let day = 0; day < ctx.days; day++) {
    const noon = ctx.start + day * 86_400_000 + 12 * 3_600_000;
    const where = ctx.locationAt(noon) ?? user.home;
    // Sessions, in time order (a new device is used from the first session of its day).
    const times: number[] = [];
    const n = rng.poisson(user.sessionRate);
    for (let i = 0; i < n; i++) times.push(ctx.rhythmTime(day, where));
    times.sort((a, b) => a - b);
    const sessions: Session[] = [];
    for (const t of times) {
      const country = ctx.locationAt(t);
      if (country === undefined || !ctx.inRange(t)) continue;
      let device = user.devices.length > 1 && rng.chance(0.35) ? user.devices[1]! : user.devices[0]!;
      const nd = user.newDevice;
      if (nd !== undefined && day >= nd.day && (!known.has(nd.device.id) || rng.chance(0.5))) device = nd.device;
      const isNew = !known.has(device.id);
      known.add(device.id);
      const ip = ctx.ipFor(device, country);
      if (rng.chance(0.04)) out.push(login(t - rng.int(10_000, 60_000), user.id, { status: 'failed', device, isNew, ip, mfaRequired: false }));
      const mfa = isNew || rng.chance(0.08);
      out.push(login(t, user.id, { status: 'succeeded', device, isNew, ip, mfaRequired: mfa }));
      if (mfa && rng.chance(0.97)) out.push(accountEvent('2fa_success', t + rng.int(15_000, 90_000), user.id, device, ip));
      sessions.push({ t, device, ip, country });
    }
    if (sessions.length === 0) continue;
    // E-commerce payments happen in a session.
    const ecom = rng.poisson(user.ecomRate);
    for (let i = 0; i < ecom; i++) {
      const s = rng.pick(sessions);
      const t = s.t + rng.int(MINUTE, 25 * MINUTE);
      if (ctx.inRange(t)) out.push(payment(ctx, t, 'ecommerce', s.country, s));
    }
    // Card-present payments wherever the user is.
    const pos = rng.poisson(user.posRate);
    for (let i = 0; i < pos; i++) {
      const t = ctx.rhythmTime(day, where);
      const country = ctx.locationAt(t);
      if (country !== undefined && ctx.inRange(t)) out.push(payment(ctx, t, 'pos', country, undefined));
    }
    // Money received from the user's usual senders.
    const transfers = rng.poisson(user.transferRate);
    for (let i = 0; i < transfers; i++) {
      const t = ctx.rhythmTime(day, user.home);
      if (!ctx.inRange(t)) continue;
      const sender = rng.pick(user.senders);
      out.push(transferIn(t, user.id, { amount: money(rng.logNormal(120, 0.8), user.home.currency), currency: user.home.currency, sender }));
    }
    // Withdrawals to the user's own bank account, from a session.
    if (rng.chance(user.payoutRate)) {
      const s = rng.pick(sessions);
      const t = s.t + rng.int(MINUTE, 10 * MINUTE);
      if (ctx.inRange(t)) {
        out.push(
          payout(t, user.id, {
            amount: money(rng.logNormal(220, 0.7), user.home.currency),
            currency: user.home.currency,
            accountId: user.payoutAccount,
            country: user.home.code,
            device: s.device,
            ip: s.ip,
          }),
        );
      }
    }
    // Rare credential changes, from a session.
    if (rng.chance(0.004)) {
      const s = rng.pick(sessions);
      out.push(accountEvent('password_change', s.t + rng.int(MINUTE, 8 * MINUTE), user.id, s.device, s.ip));
    }
    if (rng.chance(0.0015)) {
      const s = rng.pick(sessions);
      out.push(accountEvent('email_change', s.t + rng.int(MINUTE, 8 * MINUTE), user.id, s.device, s.ip, undefined, `${user.email.split('@')[0]}@outlook.com`));
    }
  }
  return out;
}

/** A legitimate card payment: amount log-normal by category, in the merchant's currency. */
function payment(ctx: UserContext, t: number, channel: 'pos' | 'ecommerce', country: Country, s: Session | undefined): GeneratedEvent {
  const { user, rng } = ctx;
  const category = ctx.categoryFor(channel);
  // E-commerce abroad is mostly with the usual (home) online shops.
  const merchantCountry = channel === 'ecommerce' && rng.chance(0.8) ? user.home : country;
  const merchant = ctx.merchantFor(category, merchantCountry);
  const currency = merchantCountry.currency;
  const cat = CATEGORY_BY_MCC.get(merchant.mcc)!;
  const card = user.cards.length > 1 && rng.chance(0.3) ? user.cards[1]! : user.cards[0]!;
  const ecommerce = channel === 'ecommerce';
  return transaction(t, user.id, {
    amount: money(rng.logNormal(cat.median, cat.sigma), currency),
    currency,
    status: rng.chance(0.02) ? 'declined' : 'approved',
    channel,
    card,
    merchant,
    billing: { country: user.home.code, postalCode: user.postalCode },
    ip: ecommerce ? s!.ip : undefined,
    device: ecommerce ? s!.device : undefined,
    userAgent: ecommerce ? s!.device.userAgent : undefined,
    email: user.email,
    checks: {
      avs: !ecommerce ? 'unavailable' : rng.chance(0.004) ? 'fail' : rng.chance(0.03) ? 'unavailable' : 'pass',
      cvc: !ecommerce ? 'unavailable' : rng.chance(0.002) ? 'fail' : 'pass',
      threeDSecure: !ecommerce ? 'not_attempted' : rng.chance(0.002) ? 'failed' : rng.chance(0.6) ? 'authenticated' : rng.chance(0.5) ? 'attempted' : 'not_attempted',
    },
    accountAgeDays: 0,
    customer: { priorPayments: 0, chargebacks: user.chargebacks },
  });
}
