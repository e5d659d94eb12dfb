import type { Random } from './Random.ts';
import {
  BLOCKED_BINS,
  CARD_BRANDS,
  CATEGORIES,
  COUNTRIES,
  DESKTOP_AGENTS,
  EMAIL_DOMAINS,
  FIRST_NAMES,
  LAST_NAMES,
  MOBILE_AGENTS,
  NAME_WORDS,
  type Category,
  type Country,
} from './world.ts';

export interface Device {
  id: string;
  kind: 'mobile' | 'desktop';
  userAgent: string;
}

export interface Card {
  fingerprint: string;
  bin: string;
  last4: string;
  brand: string;
  funding: 'credit' | 'debit' | 'prepaid';
  country: string;
}

export interface Merchant {
  id: string;
  name: string;
  mcc: string;
  country: string;
}

export interface Trip {
  to: Country;
  /** Epoch ms: leaves home, lands abroad, leaves abroad, lands home. In flight, the user does nothing. */
  depart: number;
  arrive: number;
  leave: number;
  back: number;
}

/** Everything that makes one synthetic user's behaviour consistent over the days. */
export interface UserProfile {
  id: string;
  home: Country;
  email: string;
  postalCode: string;
  accountAgeDays: number;
  priorPayments: number;
  chargebacks: number;
  devices: Device[];
  /** A device the user starts using on `day` (a new phone): its first login says `device.isNew`. */
  newDevice: { device: Device; day: number } | undefined;
  cards: Card[];
  /** First three octets of the home broadband range and of the mobile carrier range. */
  homeNet: string;
  mobileNet: string;
  favourites: Map<string, Merchant[]>;
  /** Mean logins, e-commerce and point-of-sale payments per day. */
  sessionRate: number;
  ecomRate: number;
  posRate: number;
  /** People and employers who send this user money, and how often (per day). */
  senders: { id: string; country: string }[];
  transferRate: number;
  payoutRate: number;
  payoutAccount: string;
  trip: Trip | undefined;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Merchants per country and category in the synthetic world. */
export const MERCHANTS_PER_CATEGORY = 40;

/** The merchant `n` of a category in a country (the same id and name for every user). */
export function merchantOf(country: string, category: Category, n: number): Merchant {
  const word = NAME_WORDS[(n * 7 + Number(category.mcc)) % NAME_WORDS.length]!;
  const suffix = n >= NAME_WORDS.length ? ` ${Math.floor(n / NAME_WORDS.length) + 1}` : '';
  return { id: `m_${country.toLowerCase()}_${category.mcc}_${n}`, name: `${word} ${category.label}${suffix}`, mcc: category.mcc, country };
}

export function ipNet(octets: readonly number[], rng: Random): string {
  return `${rng.pick(octets)}.${rng.int(0, 255)}.${rng.int(0, 255)}`;
}

export function newCard(rng: Random, country: string, funding?: Card['funding']): Card {
  const { brand, prefix } = rng.weighted(CARD_BRANDS, (b) => b.weight);
  let bin = prefix + rng.digits(6 - prefix.length);
  while (BLOCKED_BINS.has(bin)) bin = prefix + rng.digits(6 - prefix.length);
  const f = funding ?? (rng.chance(0.03) ? 'prepaid' : rng.chance(0.45) ? 'debit' : 'credit');
  return { fingerprint: `fp_${rng.hex(10)}`, bin, last4: rng.digits(4), brand, funding: f, country };
}

export function newDevice(rng: Random, kind: Device['kind']): Device {
  return { id: `dev_${rng.hex(10)}`, kind, userAgent: rng.pick(kind === 'mobile' ? MOBILE_AGENTS : DESKTOP_AGENTS) };
}

/** Draws user `index` of a stream of `days` days starting at `start`. */
export function createUser(rng: Random, index: number, days: number, start: number): UserProfile {
  const home = rng.weighted(COUNTRIES, (c) => c.weight);
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const email = `${first}.${last}${rng.chance(0.6) ? rng.int(1, 999) : ''}@${rng.pick(EMAIL_DOMAINS)}`;
  const accountAgeDays = rng.chance(0.02) ? rng.int(1, 20) : Math.floor(Math.exp(rng.uniform(Math.log(30), Math.log(3000))));
  const devices: Device[] = [];
  if (rng.chance(0.9)) devices.push(newDevice(rng, 'mobile'));
  if (devices.length === 0 || rng.chance(0.55)) devices.push(newDevice(rng, 'desktop'));
  const cards = [newCard(rng, home.code)];
  if (rng.chance(0.3)) cards.push(newCard(rng, home.code));
  const favourites = new Map<string, Merchant[]>();
  for (const c of CATEGORIES) {
    const list: Merchant[] = [];
    for (let i = 0; i < c.favourites; i++) list.push(merchantOf(home.code, c, rng.int(0, MERCHANTS_PER_CATEGORY - 1)));
    favourites.set(c.mcc, list);
  }
  const senders: UserProfile['senders'] = [];
  if (rng.chance(0.3)) {
    const n = rng.int(1, 3);
    for (let i = 0; i < n; i++) senders.push({ id: `acct_${rng.hex(8)}`, country: home.code });
  }
  let trip: Trip | undefined;
  if (days >= 3 && rng.chance(0.05)) {
    let to = rng.weighted(COUNTRIES, (c) => c.weight);
    while (to === home) to = rng.weighted(COUNTRIES, (c) => c.weight);
    const fromDay = rng.int(0, days - 2);
    const toDay = Math.min(days, fromDay + rng.int(2, 5));
    const depart = start + fromDay * DAY + rng.int(6, 14) * HOUR + rng.int(0, 59) * 60_000;
    const leave = start + toDay * DAY + rng.int(6, 14) * HOUR + rng.int(0, 59) * 60_000;
    trip = { to, depart, arrive: depart + rng.int(3, 12) * HOUR, leave, back: leave + rng.int(3, 12) * HOUR };
  }
  return {
    id: `u_${String(index + 1).padStart(5, '0')}`,
    home,
    email,
    postalCode: rng.digits(5),
    accountAgeDays,
    priorPayments: Math.min(2000, Math.floor((accountAgeDays / 30) * rng.uniform(0.5, 8))),
    chargebacks: rng.chance(0.01) ? 1 : 0,
    devices,
    newDevice: rng.chance(0.04) ? { device: newDevice(rng, 'mobile'), day: rng.int(0, days - 1) } : undefined,
    cards,
    homeNet: ipNet(home.ipOctets, rng),
    mobileNet: ipNet(home.ipOctets, rng),
    favourites,
    sessionRate: rng.uniform(0.5, 2.2),
    ecomRate: rng.uniform(0.2, 1.6),
    posRate: rng.uniform(0.3, 1.8),
    senders,
    transferRate: senders.length > 0 ? rng.uniform(0.05, 0.3) : 0,
    payoutRate: rng.chance(0.25) ? rng.uniform(0.03, 0.2) : 0,
    payoutAccount: `ba_${rng.hex(10)}`,
    trip,
  };
}
