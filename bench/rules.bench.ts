/**
 * Rules benchmark: the sample rule set (rules/*.json) compiled by Argus, against json-rules-engine
 * 7.3.1 running the same rules on the same seeded fact sets.
 *
 *   node --import tsx bench/rules.bench.ts            (100,000 fact sets)
 *   node --import tsx bench/rules.bench.ts --events=20000
 *
 * First both engines must fire exactly the same rules on every fact set (the run aborts
 * otherwise; the slow JSONPath variant is checked on every 10th); then events/s of: Argus
 * `ruleSet.evaluate` (and evaluate + decide); json-rules-engine with a simple lodash-get-like
 * `pathResolver`; json-rules-engine with its default JSONPath resolver — each with all rules added
 * once and one `engine.run(facts)` per event. Timed in interleaved chunks so that all engines see
 * the same machine load.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Engine } from 'json-rules-engine';
import { addArgusOperators } from '../src/conditions/index.ts';
import { compileRuleSet, decide, loadRuleDocuments, type FiredRule, type RuleDefinition, type RuleFacts } from '../src/rules/index.ts';
import { mulberry32 } from './lib/random.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RESERVED = new Set(['features', 'matches', 'lists']);

// ---------------------------------------------------------------- fact sets (seeded)


const COUNTRIES = ['US', 'US', 'US', 'US', 'US', 'US', 'GB', 'FR', 'DE', 'CA', 'BR', 'NG', 'MX', 'IN'];
const MCCS = ['5411', '5812', '5941', '5732', '4121', '5999', '5311', '5651', '5912', '4111', '5541', '5814', '7995', '6051'];
const CURRENCIES = ['USD', 'USD', 'USD', 'EUR', 'GBP', 'JPY', 'CAD'];
const DOMAINS = ['example.com', 'gmail.com', 'gmail.com', 'yahoo.com', 'outlook.com', 'proton.me', 'icloud.com', 'gmx.de', 'orange.fr', 'web.de', 'shop.xyz', 'mailinator.com', 'yopmail.com'];
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15',
  'python-requests/2.31.0',
  'Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/125.0 Safari/537.36',
];
const CHECKS = ['pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'fail', 'unavailable'];
const THREE_DS = ['authenticated', 'authenticated', 'authenticated', 'not_attempted', 'not_attempted', 'attempted', 'attempted', 'authenticated', 'not_attempted', 'authenticated', 'authenticated', 'failed'];
const MERCHANTS = ['m_2231', 'm_1009', 'm_7781', 'm_5120', 'm_3310', 'm_8842', 'm_0417', 'm_6623', 'm_9001', 'm_acme_store'];
const ROUND = [500, 1000, 2000, 5000];

/** `n` transaction fact sets; a few percent are risky so that every rule fires now and then. */
export function generateFacts(n: number, seed = 7): RuleFacts[] {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const maybe = <T>(p: number, yes: T, no: T): T => (rnd() < p ? yes : no);
  const out: RuleFacts[] = [];
  for (let i = 0; i < n; i++) {
    const home = maybe(0.01, 'IR', pick(COUNTRIES));
    const amount = maybe(0.05, pick(ROUND), maybe(0.03, 1, Math.round(Math.exp(rnd() * 9.5) * 100) / 100));
    const event: Record<string, unknown> = {
      id: `evt_${i}`,
      type: 'transaction',
      timestamp: 1_718_000_000_000 + i * 1000,
      userId: `u_${Math.floor(rnd() * 10_000)}`,
      amount,
      currency: pick(CURRENCIES),
      channel: maybe(0.7, 'ecommerce', 'pos'),
      cardPresent: rnd() < 0.3,
      card: {
        fingerprint: `fp_${Math.floor(rnd() * 50_000)}`,
        bin: maybe(0.01, '431274', `4${Math.floor(100000 + rnd() * 899999)}`.slice(0, 6)),
        funding: maybe(0.1, 'prepaid', maybe(0.6, 'credit', 'debit')),
        country: maybe(0.95, home, pick(COUNTRIES)),
      },
      merchant: { id: pick(MERCHANTS), mcc: pick(MCCS), country: maybe(0.8, 'US', pick(COUNTRIES)) },
      billing: { country: home, postalCode: String(10000 + Math.floor(rnd() * 89999)) },
      ip: maybe(0.97, { address: `198.51.100.${i % 255}`, country: maybe(0.85, home, pick(COUNTRIES)) }, {}),
      device: { id: `dev_${Math.floor(rnd() * 30_000)}` },
      email: `user${i % 9973}@${pick(DOMAINS)}`,
      userAgent: maybe(0.9, AGENTS[Math.floor(rnd() * 3)], pick(AGENTS)),
      checks: { avs: pick(CHECKS), cvc: maybe(0.98, 'pass', 'fail'), threeDSecure: pick(THREE_DS) },
      accountAgeDays: Math.floor(Math.exp(rnd() * 7.5)) - 1,
      customer: { priorPayments: Math.floor(rnd() * 60), chargebacks: maybe(0.95, 0, 1) },
    };
    if (rnd() < 0.05) delete event.accountAgeDays; // missing facts happen
    out.push({ event, features: { txn_count_1h: Math.floor(Math.exp(rnd() * 2.5)) - 1 }, matches: {}, lists: {} });
  }
  return out;
}

// ---------------------------------------------------------------- json-rules-engine side

/** json-rules-engine has no dot-path facts: `card.country` becomes fact `card`, path `$.country`. */
function toJreRef(ref: Record<string, unknown>): Record<string, unknown> {
  const fact = ref.fact as string;
  const dot = fact.indexOf('.');
  if (dot < 0) return ref;
  const rest = `$.${fact.slice(dot + 1)}`;
  const path = typeof ref.path === 'string' && ref.path.length > 1 ? rest + (ref.path as string).slice(1) : rest;
  return { ...ref, fact: fact.slice(0, dot), path };
}

function toJreCondition(c: unknown): unknown {
  if (c === null || typeof c !== 'object') return c;
  const node = c as Record<string, unknown>;
  for (const op of ['all', 'any'] as const) if (Array.isArray(node[op])) return { ...node, [op]: (node[op] as unknown[]).map(toJreCondition) };
  if (node.not !== undefined) return { ...node, not: toJreCondition(node.not) };
  const leaf = toJreRef(node);
  const v = node.value;
  if (v !== null && typeof v === 'object' && 'fact' in v) return { ...leaf, value: toJreRef(v as Record<string, unknown>) };
  return leaf;
}

function toJreRule(rule: RuleDefinition): Record<string, unknown> {
  return { name: rule.id, priority: rule.priority, conditions: toJreCondition(rule.conditions), event: rule.event };
}

/** The facts json-rules-engine sees: event fields at the top, plus features, matches, lists. */
function toJreFacts(f: RuleFacts): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(f.event)) if (!RESERVED.has(k)) out[k] = f.event[k];
  out.features = f.features;
  out.matches = f.matches;
  out.lists = f.lists;
  return out;
}

/** A lodash-get-like resolver for `$.a.b`, `$.a[0]`, `$['a b']`, with parsed paths cached. */
function simplePathResolver(): (value: object, path: string) => unknown {
  const cache = new Map<string, string[]>();
  return (value, path) => {
    let keys = cache.get(path);
    if (keys === undefined) {
      keys = [];
      const re = /\.([^.[\]]+)|\[(\d+)\]|\['([^']*)'\]/g;
      let m: RegExpExecArray | null;
      while ((m = re.exec(path)) !== null) keys.push(m[1] ?? m[2] ?? m[3]!);
      cache.set(path, keys);
    }
    let cur: unknown = value;
    for (let i = 0; i < keys.length; i++) {
      if (cur === null || cur === undefined) return undefined;
      cur = (cur as Record<string, unknown>)[keys[i]!];
    }
    return cur;
  };
}

function jreEngine(rules: RuleDefinition[], simple: boolean): Engine {
  const engine = new Engine([], simple ? { allowUndefinedFacts: true, pathResolver: simplePathResolver() } : { allowUndefinedFacts: true });
  addArgusOperators(engine);
  for (const r of rules) engine.addRule(toJreRule(r) as never);
  return engine;
}

async function jreFired(engine: Engine, facts: Record<string, unknown>): Promise<string[]> {
  const { results } = await engine.run(facts);
  return results.map((r) => String(r.name)).sort();
}

// ---------------------------------------------------------------- measurement

function loadSampleRules() {
  const dir = join(ROOT, 'rules');
  const docs = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: `rules/${f}`, json: JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown }));
  return loadRuleDocuments(docs);
}

function rate(n: number, ms: number): string {
  return `${Math.round((n / ms) * 1000).toLocaleString('en-US')} events/s`;
}

export interface RulesBenchResult {
  events: number;
  rules: number;
  argusEventsPerSec: number;
  argusDecideEventsPerSec: number;
  jreSimpleEventsPerSec: number;
  jreJsonPathEventsPerSec: number;
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<RulesBenchResult> {
  const arg = argv.find((a) => a.startsWith('--events='));
  const n = arg ? Number(arg.slice('--events='.length)) : 100_000;
  const { rules, policy } = loadSampleRules();
  const applicable = rules.filter((r) => r.appliesTo === undefined || r.appliesTo.includes('transaction'));
  const ruleSet = compileRuleSet(rules);
  const facts = generateFacts(n);
  const jreFacts = facts.map(toJreFacts);
  const simple = jreEngine(applicable, true);
  const jsonPath = jreEngine(applicable, false);
  console.log(`rules: ${applicable.length} sample rules (rules/*.json), ${n.toLocaleString('en-US')} seeded transaction fact sets`);

  // 1. Same outcomes everywhere, or abort.
  const out: FiredRule[] = [];
  const fireCount = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    out.length = 0;
    ruleSet.evaluate('transaction', facts[i]!, out);
    const ours = out.map((f) => f.reason.rule).sort();
    for (const id of ours) fireCount.set(id, (fireCount.get(id) ?? 0) + 1);
    for (const [name, engine] of [['simple path resolver', simple], ['JSONPath resolver', jsonPath]] as const) {
      if (name === 'JSONPath resolver' && i % 10 !== 0) continue; // every 10th: the slow one
      const theirs = await jreFired(engine, jreFacts[i]!);
      if (ours.join(',') !== theirs.join(',')) {
        throw new Error(
          `outcomes differ on fact set ${i} (json-rules-engine, ${name}): Argus fired [${ours.join(', ')}], ` +
            `json-rules-engine fired [${theirs.join(', ')}]\nfacts: ${JSON.stringify(facts[i])}`,
        );
      }
    }
  }
  const silent = applicable.filter((r) => !fireCount.has(r.id)).map((r) => r.id);
  console.log(
    `check: identical fired rules on all ${n.toLocaleString('en-US')} fact sets (simple resolver) and on every 10th (JSONPath); ` +
      `${[...fireCount.values()].reduce((a, b) => a + b, 0).toLocaleString('en-US')} rule firings` +
      (silent.length ? `; never fired: ${silent.join(', ')}` : '; every rule fired'),
  );
  console.log(
    `firing rates: ${[...fireCount].sort((a, b) => b[1] - a[1]).map(([id, c]) => `${id} ${((c / n) * 100).toFixed(1)}%`).join(', ')}`,
  );

  // 2. Timing. The machine may be shared, so the engines are timed in interleaved chunks of
  //    10,000 events (Argus, Argus + decide, json-rules-engine simple, json-rules-engine JSONPath
  //    on the first fifth of each chunk), each engine one pass over the events after a warm-up:
  //    all see the same load. json-rules-engine: one `await engine.run(facts)` per event,
  //    sequentially, as a decision path would.
  for (let i = 0; i < n; i++) {
    out.length = 0;
    ruleSet.evaluate('transaction', facts[i]!, out);
  }
  for (let i = 0; i < Math.min(2000, n); i++) {
    await simple.run(jreFacts[i]!);
    await jsonPath.run(jreFacts[i]!);
  }
  const chunk = 10_000;
  let best = 0;
  let bestDecide = 0;
  let simpleMs = 0;
  let jsonPathMs = 0;
  let jsonPathN = 0;
  let fired = 0;
  let denied = 0;
  for (let from = 0; from < n; from += chunk) {
    const to = Math.min(n, from + chunk);
    let t0 = performance.now();
    for (let i = from; i < to; i++) {
      out.length = 0;
      ruleSet.evaluate('transaction', facts[i]!, out);
      fired += out.length;
    }
    best += performance.now() - t0;
    t0 = performance.now();
    for (let i = from; i < to; i++) {
      out.length = 0;
      ruleSet.evaluate('transaction', facts[i]!, out);
      if (decide(out, policy).decision === 'deny') denied++;
    }
    bestDecide += performance.now() - t0;
    t0 = performance.now();
    for (let i = from; i < to; i++) await simple.run(jreFacts[i]!);
    simpleMs += performance.now() - t0;
    const jpTo = from + Math.ceil((to - from) / 5);
    t0 = performance.now();
    for (let i = from; i < jpTo; i++) await jsonPath.run(jreFacts[i]!);
    jsonPathMs += performance.now() - t0;
    jsonPathN += jpTo - from;
  }

  const result: RulesBenchResult = {
    events: n,
    rules: applicable.length,
    argusEventsPerSec: (n / best) * 1000,
    argusDecideEventsPerSec: (n / bestDecide) * 1000,
    jreSimpleEventsPerSec: (n / simpleMs) * 1000,
    jreJsonPathEventsPerSec: (jsonPathN / jsonPathMs) * 1000,
  };
  const x = (a: number, b: number) => `${(a / b).toFixed(1)}×`;
  console.log(`Argus compiled rule set:                 ${rate(n, best)} (${(fired / n).toFixed(2)} rules fired per event)`);
  console.log(`Argus compiled rule set + decide():      ${rate(n, bestDecide)} (${((denied / n) * 100).toFixed(1)}% denied)`);
  console.log(`json-rules-engine, simple pathResolver:  ${rate(n, simpleMs)}`);
  console.log(`json-rules-engine, default JSONPath:     ${rate(jsonPathN, jsonPathMs)} (${jsonPathN.toLocaleString('en-US')} events: the first fifth of each chunk)`);
  console.log(`ratio Argus / json-rules-engine (simple resolver):   ${x(result.argusEventsPerSec, result.jreSimpleEventsPerSec)}  (target ≥ 50×)`);
  console.log(`ratio Argus / json-rules-engine (JSONPath resolver): ${x(result.argusEventsPerSec, result.jreJsonPathEventsPerSec)}`);
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error((err as Error).message);
    process.exitCode = 1;
  });
}
