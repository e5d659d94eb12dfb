import type { Card, Device, Merchant } from './createUser.ts';
import type { EventLabel, GeneratedEvent } from './types.ts';
import { PER_USD, ZERO_DECIMAL } from './world.ts';

/**
 * Builders for each event type, with a fixed key order so that output is byte-stable.
 * `id` is filled in once the whole stream is sorted (see generateEvents).
 */

export const LEGIT: EventLabel = Object.freeze({ fraud: false }) as EventLabel;

export interface Ip {
  address: string;
  country: string;
}

function envelope(type: string, timestamp: number, userId: string): GeneratedEvent {
  return { id: '', type, timestamp, userId } as GeneratedEvent;
}

/** An amount given in US dollars, converted to `currency` and rounded to its minor unit. */
export function money(usd: number, currency: string): number {
  const v = usd * (PER_USD[currency] ?? 1);
  return ZERO_DECIMAL.has(currency) ? Math.max(1, Math.round(v)) : Math.max(0.01, Math.round(v * 100) / 100);
}

export function login(
  t: number,
  userId: string,
  a: { status: 'succeeded' | 'failed'; device: Device; isNew: boolean; ip: Ip; mfaRequired: boolean; userAgent?: string },
  label: EventLabel = LEGIT,
): GeneratedEvent {
  const e = envelope('login', t, userId);
  e.status = a.status;
  e.device = { id: a.device.id, isNew: a.isNew };
  e.ip = { address: a.ip.address, country: a.ip.country };
  e.mfaRequired = a.mfaRequired;
  e.userAgent = a.userAgent ?? a.device.userAgent;
  e.label = label;
  return e;
}

/** `2fa_success`, `password_change`, `email_change`: who did it, from where. */
export function accountEvent(
  type: '2fa_success' | 'password_change' | 'email_change',
  t: number,
  userId: string,
  device: Device,
  ip: Ip,
  label: EventLabel = LEGIT,
  newEmail?: string,
): GeneratedEvent {
  const e = envelope(type, t, userId);
  e.device = { id: device.id };
  e.ip = { address: ip.address, country: ip.country };
  if (newEmail !== undefined) e.newEmail = newEmail;
  e.label = label;
  return e;
}

export interface TransactionArgs {
  amount: number;
  currency: string;
  status: 'approved' | 'declined';
  channel: 'ecommerce' | 'pos';
  card: Card;
  merchant: Merchant;
  billing: { country: string; postalCode: string };
  /** E-commerce only: where the buyer connects from, with which device and client. */
  ip?: Ip;
  device?: Device;
  userAgent?: string;
  email: string;
  checks: { avs: string; cvc: string; threeDSecure: string };
  accountAgeDays: number;
  customer: { priorPayments: number; chargebacks: number };
}

export function transaction(t: number, userId: string, a: TransactionArgs, label: EventLabel = LEGIT): GeneratedEvent {
  const e = envelope('transaction', t, userId);
  e.amount = a.amount;
  e.currency = a.currency;
  e.status = a.status;
  e.channel = a.channel;
  e.cardPresent = a.channel === 'pos';
  const c = a.card;
  e.card = { fingerprint: c.fingerprint, bin: c.bin, last4: c.last4, brand: c.brand, funding: c.funding, country: c.country };
  e.merchant = { id: a.merchant.id, name: a.merchant.name, mcc: a.merchant.mcc, country: a.merchant.country };
  e.billing = { country: a.billing.country, postalCode: a.billing.postalCode };
  if (a.ip !== undefined) e.ip = { address: a.ip.address, country: a.ip.country };
  if (a.device !== undefined) e.device = { id: a.device.id };
  e.email = a.email;
  if (a.userAgent !== undefined) e.userAgent = a.userAgent;
  e.checks = { avs: a.checks.avs, cvc: a.checks.cvc, threeDSecure: a.checks.threeDSecure };
  e.accountAgeDays = a.accountAgeDays;
  e.customer = { priorPayments: a.customer.priorPayments, chargebacks: a.customer.chargebacks };
  e.label = label;
  return e;
}

/** Money leaving the account to a bank account. */
export function payout(
  t: number,
  userId: string,
  a: { amount: number; currency: string; accountId: string; country: string; device: Device; ip: Ip },
  label: EventLabel = LEGIT,
): GeneratedEvent {
  const e = envelope('payout', t, userId);
  e.amount = a.amount;
  e.currency = a.currency;
  e.destination = { accountId: a.accountId, country: a.country };
  e.device = { id: a.device.id };
  e.ip = { address: a.ip.address, country: a.ip.country };
  e.label = label;
  return e;
}

/** Money arriving from another account (`sender.id`); keyed by the receiving user. */
export function transferIn(
  t: number,
  userId: string,
  a: { amount: number; currency: string; sender: { id: string; country: string } },
  label: EventLabel = LEGIT,
): GeneratedEvent {
  const e = envelope('transfer_in', t, userId);
  e.amount = a.amount;
  e.currency = a.currency;
  e.sender = { id: a.sender.id, country: a.sender.country };
  e.label = label;
  return e;
}
