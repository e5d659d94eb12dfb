/**
 * The sample rule set in `rules/` (every file, through the same parse functions the catalog uses)
 * gives the expected decisions and reasons on realistic card payments.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuleDocuments } from './loadRuleDocuments.ts';
import { compileRuleSet, type FiredRule } from './compileRuleSet.ts';
import { decide } from './decide.ts';

const root = join(import.meta.dirname, '..', '..');
const dir = join(root, 'rules');
const docs = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => ({ file: `rules/${f}`, json: JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown }));
const { rules, policy } = loadRuleDocuments(docs);
const ruleSet = compileRuleSet(rules);
const base = JSON.parse(readFileSync(join(root, 'fixtures', 'events', 'transaction.json'), 'utf8')) as Record<string, any>;

/** The fixture, changed by `patch` (a deep merge of plain objects). */
function event(patch: Record<string, any> = {}): Record<string, any> {
  const merge = (a: any, b: any): any => {
    if (b === null || typeof b !== 'object' || Array.isArray(b) || a === null || typeof a !== 'object') return b;
    const out = { ...a };
    for (const k of Object.keys(b)) out[k] = merge(a[k], b[k]);
    return out;
  };
  return merge(structuredClone(base), patch);
}
const newCustomer = { customer: { priorPayments: 0 }, accountAgeDays: 45 };

function run(ev: Record<string, any>, features: Record<string, unknown> = {}) {
  const out: FiredRule[] = [];
  ruleSet.evaluate(ev.type, { event: ev, features, matches: {}, lists: {} }, out);
  const d = decide(out, policy);
  return { decision: d.decision, score: d.score, reasons: d.reasons.map((r) => r.reason), shadow: d.shadow.map((r) => r.reason) };
}

describe('sample rules (rules/*.json)', () => {
  it('every file loads: about 20 rules, unique ids, the policy', () => {
    expect(rules.length).toBeGreaterThanOrEqual(18);
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    expect(rules.filter((r) => r.mode === 'shadow').length).toBeGreaterThanOrEqual(1);
    expect(policy).toMatchObject({ combine: 'noisyOr', reviewThreshold: 50, denyThreshold: 80 });
    expect(ruleSet.rulesFor('transaction').length).toBe(rules.filter((r) => !r.appliesTo || r.appliesTo.includes('transaction')).length);
  });

  it('the fixture payment of a known-good returning customer is allowed', () => {
    expect(run(event())).toEqual({ decision: 'allow', score: 0, reasons: ['KNOWN_GOOD_CUSTOMER'], shadow: [] });
  });

  it('an ordinary payment of a newer customer fires nothing', () => {
    expect(run(event(newCustomer))).toEqual({ decision: 'allow', score: 0, reasons: [], shadow: [] });
  });

  it('card testing by a script with a disposable email goes to review on the combined score', () => {
    const r = run(event({ ...newCustomer, amount: 1, email: 'qq7@mailinator.com', userAgent: 'python-requests/2.31.0' }));
    expect(r.reasons.sort()).toEqual(['DISPOSABLE_EMAIL_DOMAIN', 'MICRO_AMOUNT', 'SUSPICIOUS_USER_AGENT']);
    expect(r.score).toBe(58); // 100·(1 − .75·.7·.8)
    expect(r.decision).toBe('review');
  });

  it('a sanctioned IP country is denied, even for a known-good customer', () => {
    const r = run(event({ ip: { country: 'IR' } }));
    expect(r.decision).toBe('deny');
    expect(r.reasons).toContain('SANCTIONED_COUNTRY');
    expect(r.reasons).toContain('CNP_BILLING_IP_COUNTRY_MISMATCH');
    expect(r.reasons).not.toContain('KNOWN_GOOD_CUSTOMER');
    expect(r.score).toBe(100);
  });

  it('a failed CVC check is denied; a failed 3-D Secure too', () => {
    expect(run(event({ ...newCustomer, checks: { cvc: 'fail' } }))).toMatchObject({ decision: 'deny', reasons: ['CVC_CHECK_FAILED'] });
    expect(run(event({ ...newCustomer, checks: { threeDSecure: 'failed' } }))).toMatchObject({ decision: 'deny', reasons: ['THREE_D_SECURE_FAILED'] });
  });

  it('a new account paying 1,450 is reviewed; the stricter shadow rule is reported apart', () => {
    const r = run(event({ customer: { priorPayments: 0 }, accountAgeDays: 2, amount: 1450 }));
    expect(r).toEqual({ decision: 'review', score: 50, reasons: ['NEW_ACCOUNT_HIGH_AMOUNT'], shadow: ['YOUNG_ACCOUNT_ELEVATED_AMOUNT'] });
  });

  it('many weak signals together are denied on the score alone', () => {
    const r = run(
      event({
        ...newCustomer,
        merchant: { mcc: '6051' },
        billing: { country: 'GB' },
        checks: { avs: 'fail' },
        userAgent: 'Mozilla/5.0 HeadlessChrome/125.0',
      }),
      { txn_count_1h: 12 },
    );
    expect(r.reasons.sort()).toEqual([
      'AVS_CHECK_FAILED',
      'CNP_BILLING_IP_COUNTRY_MISMATCH',
      'HIGH_RISK_MCC',
      'HIGH_VELOCITY_1H',
      'SUSPICIOUS_USER_AGENT',
    ]);
    expect(r.score).toBe(85.67); // 100·(1 − .75·.65·.7·.6·.7)
    expect(r.decision).toBe('deny');
  });

  it('a prepaid card buying crypto for 900 from abroad is reviewed by rule', () => {
    const r = run(event({ ...newCustomer, amount: 900, card: { funding: 'prepaid' }, merchant: { mcc: '6051' } }));
    expect(r.decision).toBe('review');
    expect(r.reasons.sort()).toEqual(['HIGH_RISK_MCC', 'PREPAID_HIGH_AMOUNT']);
  });

  it('a trusted merchant allows a payment other rules flag, but not once 3-D Secure failed', () => {
    const flagged = { ...newCustomer, merchant: { id: 'm_northwind' }, amount: 1000, userAgent: 'curl/8.4.0' };
    expect(run(event(flagged))).toMatchObject({ decision: 'allow', reasons: ['TRUSTED_MERCHANT', 'ROUND_AMOUNT', 'SUSPICIOUS_USER_AGENT'] });
    expect(run(event({ ...flagged, checks: { threeDSecure: 'failed' } })).decision).toBe('deny');
  });

  it('per-currency limits: 4,800 is over the EUR limit but not the USD one', () => {
    expect(run(event({ ...newCustomer, amount: 4800, currency: 'EUR' })).reasons).toEqual(['AMOUNT_OVER_CURRENCY_LIMIT']);
    expect(run(event({ ...newCustomer, amount: 4800, currency: 'USD' })).reasons).toEqual([]);
    expect(run(event({ ...newCustomer, amount: 12000, currency: 'GBP' }))).toMatchObject({
      decision: 'review',
      reasons: ['AMOUNT_OVER_CURRENCY_LIMIT', 'VERY_HIGH_AMOUNT'].sort(),
    });
  });

  it('a login runs only the rules that apply to logins', () => {
    const login = { id: 'l1', type: 'login', userId: 'u_1842', userAgent: 'python-requests/2.31', ip: { country: 'US' }, amount: 1 };
    expect(run(login)).toMatchObject({ decision: 'allow', reasons: ['SUSPICIOUS_USER_AGENT'] });
    expect(run({ ...login, ip: { country: 'KP' } }).decision).toBe('deny');
  });
});
