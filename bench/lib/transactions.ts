/**
 * Seeded synthetic card transactions for benchmarks, with the fields the sample rules read
 * (see docs/rules.md): mostly ordinary payments, a few percent risky ones so that rules fire.
 */
import { mulberry32 } from './random.ts';

export { mulberry32 as seededRandom } from './random.ts';

const COUNTRIES = ['US', 'US', 'US', 'GB', 'FR', 'DE', 'CA', 'BR', 'NG', 'RU'];
const MCCS = ['5411', '5812', '5941', '5732', '4121', '7995', '6051', '4829', '5999'];
const CURRENCIES = ['USD', 'USD', 'EUR', 'GBP', 'BRL'];
const EMAILS = ['example.com', 'gmail.com', 'mailinator.com', 'proton.me', 'corp.example.xyz'];

export interface TransactionOptions {
  keys: number;
  seed?: number;
  startTime?: number;
}

/** `count` transactions over `keys` users, in event-time order (about one per second overall). */
export function generateTransactions(count: number, options: TransactionOptions): Record<string, unknown>[] {
  const rnd = mulberry32(options.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const start = options.startTime ?? Date.UTC(2026, 0, 1);
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const user = Math.floor(rnd() * options.keys);
    const risky = rnd() < 0.05;
    const country = risky ? pick(COUNTRIES) : 'US';
    const amount = risky ? Math.round(rnd() * 8000 * 100) / 100 : Math.round(rnd() * 300 * 100) / 100;
    out.push({
      id: `t${i}`,
      type: 'transaction',
      timestamp: start + i * 1000,
      userId: `u${user}`,
      amount,
      currency: pick(CURRENCIES),
      channel: rnd() < 0.7 ? 'ecommerce' : 'pos',
      cardPresent: rnd() < 0.3,
      card: {
        fingerprint: `fp${user}`,
        bin: risky && rnd() < 0.3 ? '999999' : '414720',
        brand: 'visa',
        funding: risky && rnd() < 0.4 ? 'prepaid' : 'credit',
        country,
      },
      merchant: { id: `m${Math.floor(rnd() * 500)}`, mcc: risky ? pick(MCCS) : '5411', country: 'US' },
      billing: { country: risky ? pick(COUNTRIES) : 'US', postalCode: '94107' },
      ip: { address: `203.0.113.${user % 250}`, country: risky ? pick(COUNTRIES) : 'US' },
      email: `user${user}@${risky ? pick(EMAILS) : 'example.com'}`,
      userAgent: risky && rnd() < 0.2 ? 'python-requests/2.31' : 'Mozilla/5.0 (Macintosh) Safari/605.1.15',
      checks: {
        avs: risky && rnd() < 0.3 ? 'fail' : 'pass',
        cvc: risky && rnd() < 0.2 ? 'fail' : 'pass',
        threeDSecure: risky && rnd() < 0.2 ? 'failed' : 'authenticated',
      },
      accountAgeDays: risky ? Math.floor(rnd() * 10) : 100 + (user % 900),
      customer: { priorPayments: user % 50, chargebacks: risky && rnd() < 0.1 ? 1 : 0 },
    });
  }
  return out;
}
