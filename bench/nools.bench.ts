/**
 * nools benchmark: the same rules written as nools rules (`compileNoolsFile`) and as JSON rules
 * (`compileRuleSet`), on the same seeded transaction fact sets as bench/rules.bench.ts — one rule,
 * then five.
 *
 *   node --import tsx bench/nools.bench.ts              (50,000 fact sets)
 *   node --import tsx bench/nools.bench.ts --events=10000
 *
 * First both must fire exactly the same rules with the same outcomes on every fact set (the run
 * aborts otherwise); then events/s of `evaluate` for each, timed in interleaved chunks so that both
 * see the same machine load. nools: one long-lived session per rule set, assert → fire → retract.
 */
import { pathToFileURL } from 'node:url';
import { compileRuleSet, parseRule, type FiredRule, type RuleDefinition } from '../src/rules/index.ts';
import { compileNoolsFile, type NoolsRuleSet } from '../src/rules/nools/index.ts';
import { generateFacts } from './rules.bench.ts';

interface Pair {
  json: Record<string, unknown>;
  /** `when` constraint and `then` body of the nools twin. */
  when: string;
  then: string;
}

const CURRENCIES = ['USD', 'EUR', 'GBP', 'CHF', 'CAD', 'AUD'];

function jsonRule(id: string, conditions: unknown, type: string, score: number, reason: string): Record<string, unknown> {
  return { id, version: 1, description: id, appliesTo: ['transaction'], conditions, event: { type, params: { score, reason } } };
}

/** Five rules in both languages (the first alone is the one-rule case). */
const PAIRS: Pair[] = [
  {
    json: jsonRule(
      'very-high-amount',
      { all: [{ fact: 'amount', operator: 'greaterThanInclusive', value: 10000 }, { fact: 'currency', operator: 'in', value: CURRENCIES }] },
      'review',
      45,
      'VERY_HIGH_AMOUNT',
    ),
    when: `f: Facts f.event.amount >= 10000 && f.event.currency in [${CURRENCIES.map((c) => `'${c}'`).join(', ')}]`,
    then: "fire('review', 45, 'VERY_HIGH_AMOUNT');",
  },
  {
    json: jsonRule('high-velocity-1h', { all: [{ fact: 'features.txn_count_1h', operator: 'greaterThanInclusive', value: 10 }] }, 'flag', 40, 'HIGH_VELOCITY_1H'),
    when: 'f: Facts f.features.txn_count_1h >= 10',
    then: "fire('flag', 40, 'HIGH_VELOCITY_1H');",
  },
  {
    json: jsonRule(
      'prepaid-high-amount',
      { all: [{ fact: 'card.funding', operator: 'equal', value: 'prepaid' }, { fact: 'amount', operator: 'greaterThan', value: 500 }] },
      'review',
      40,
      'PREPAID_HIGH_AMOUNT',
    ),
    when: "f: Facts f.event.card.funding == 'prepaid' && f.event.amount > 500",
    then: "fire('review', 40, 'PREPAID_HIGH_AMOUNT');",
  },
  {
    json: jsonRule(
      'new-account-high-amount',
      { all: [{ fact: 'accountAgeDays', operator: 'lessThan', value: 7 }, { fact: 'amount', operator: 'greaterThan', value: 1000 }] },
      'review',
      50,
      'NEW_ACCOUNT_HIGH_AMOUNT',
    ),
    // accountAgeDays may be missing: undefined < 7 is false in JavaScript, as in JSON rules.
    when: 'f: Facts f.event.accountAgeDays < 7 && f.event.amount > 1000',
    then: "fire('review', 50, 'NEW_ACCOUNT_HIGH_AMOUNT');",
  },
  {
    json: jsonRule(
      'cnp-card-billing-mismatch',
      {
        all: [
          { fact: 'channel', operator: 'equal', value: 'ecommerce' },
          { fact: 'billing.country', operator: 'notEqual', value: { fact: 'card.country' } },
        ],
      },
      'flag',
      35,
      'CNP_CARD_BILLING_MISMATCH',
    ),
    when: "f: Facts f.event.channel == 'ecommerce' && f.event.billing.country != f.event.card.country",
    then: "fire('flag', 35, 'CNP_CARD_BILLING_MISMATCH');",
  },
];

function noolsSource(pairs: readonly Pair[]): string {
  return pairs
    .map((p, i) => {
      const id = p.json.id as string;
      return (
        `/**\n * @id ${id}\n * @version 1\n * @appliesTo transaction\n * @description ${id}\n */\n` +
        `rule R${i} {\n  when {\n    ${p.when};\n  }\n  then {\n    ${p.then}\n  }\n}\n`
      );
    })
    .join('\n');
}

function rate(perSec: number): string {
  return `${Math.round(perSec).toLocaleString('en-US')} events/s`;
}

function signature(out: readonly FiredRule[]): string {
  return out
    .map((f) => `${f.reason.rule}:${f.reason.action}:${f.reason.score}:${f.reason.reason}:${f.mode}`)
    .sort()
    .join(',');
}

export interface NoolsBenchCase {
  rules: number;
  jsonEventsPerSec: number;
  noolsEventsPerSec: number;
  firedPerEvent: number;
}

export function main(argv: string[] = process.argv.slice(2)): NoolsBenchCase[] {
  const arg = argv.find((a) => a.startsWith('--events='));
  const n = arg ? Number(arg.slice('--events='.length)) : 50_000;
  const facts = generateFacts(n);
  console.log(`nools vs JSON rules: ${n.toLocaleString('en-US')} seeded transaction fact sets (bench/rules.bench.ts generator)`);
  const results: NoolsBenchCase[] = [];
  for (const count of [1, 5]) {
    const pairs = PAIRS.slice(0, count);
    const defs: RuleDefinition[] = pairs.map((p) => parseRule(p.json));
    const json = compileRuleSet(defs);
    const nools: NoolsRuleSet = compileNoolsFile(noolsSource(pairs), 'bench/nools.bench.nools');
    try {
      // 1. Same outcomes on every fact set, or abort.
      const a: FiredRule[] = [];
      const b: FiredRule[] = [];
      let firings = 0;
      for (let i = 0; i < n; i++) {
        a.length = 0;
        b.length = 0;
        json.evaluate('transaction', facts[i]!, a);
        nools.evaluate('transaction', facts[i]!, b);
        if (signature(a) !== signature(b)) {
          throw new Error(`outcomes differ on fact set ${i}: JSON [${signature(a)}], nools [${signature(b)}]\nfacts: ${JSON.stringify(facts[i])}`);
        }
        firings += a.length;
      }
      if (nools.factCount() !== 0) throw new Error(`nools working memory holds ${nools.factCount()} facts after the check`);

      // 2. Interleaved timing (after the pass above as warm-up).
      const out: FiredRule[] = [];
      const chunk = 5_000;
      let jsonMs = 0;
      let noolsMs = 0;
      for (let from = 0; from < n; from += chunk) {
        const to = Math.min(n, from + chunk);
        let t0 = performance.now();
        for (let i = from; i < to; i++) {
          out.length = 0;
          json.evaluate('transaction', facts[i]!, out);
        }
        jsonMs += performance.now() - t0;
        t0 = performance.now();
        for (let i = from; i < to; i++) {
          out.length = 0;
          nools.evaluate('transaction', facts[i]!, out);
        }
        noolsMs += performance.now() - t0;
      }
      const r: NoolsBenchCase = {
        rules: count,
        jsonEventsPerSec: (n / jsonMs) * 1000,
        noolsEventsPerSec: (n / noolsMs) * 1000,
        firedPerEvent: firings / n,
      };
      results.push(r);
      console.log(
        `${count} rule${count > 1 ? 's' : ' '}: JSON rules ${rate(r.jsonEventsPerSec)}, nools ${rate(r.noolsEventsPerSec)}; ` +
          `ratio JSON / nools ${(r.jsonEventsPerSec / r.noolsEventsPerSec).toFixed(1)}× ` +
          `(identical outcomes on all fact sets, ${r.firedPerEvent.toFixed(3)} rules fired per event)`,
      );
    } finally {
      nools.dispose();
    }
  }
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    main();
  } catch (err) {
    console.error((err as Error).message);
    process.exitCode = 1;
  }
}
