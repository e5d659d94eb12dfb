/**
 * A large, varied, valid catalog written to disk for bench/reload.bench.ts: rules (every
 * operator family, nested all/any/not, event paths, history features, pattern matches, shadow
 * mode, priorities), patterns (sequences, quantifiers, optional, greedy, until, groups,
 * followedByAny, next, notNext/notFollowedBy, stage and pattern windows, skip strategies) and
 * history features (every kind, filters, windows).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { seededRandom } from './transactions.ts';

export interface CatalogSize {
  rules: number;
  patterns: number;
  features: number;
}

type Json = Record<string, unknown>;
const cond = (fact: string, operator: string, value: unknown, path?: string): Json => (path === undefined ? { fact, operator, value } : { fact, path, operator, value });

const COUNTRIES = ['US', 'GB', 'FR', 'DE', 'CA', 'BR', 'NG', 'RU', 'IR', 'KP'];
const CURRENCIES = ['USD', 'EUR', 'GBP', 'BRL', 'CHF'];
const MCCS = ['5411', '5812', '5941', '5732', '4121', '7995', '6051', '4829', '5999'];
const FEATURE_KINDS = ['count', 'sum', 'avg', 'min', 'max', 'distinctCount', 'last', 'timeSince', 'age', 'seen'] as const;
const WINDOWS = ['10m', '1h', '6h', '24h', '7d'];

/** Feature `i` of the generated set: name and definition (valid for rules/features.json). */
function feature(i: number, rnd: () => number): Json {
  const kind = FEATURE_KINDS[i % FEATURE_KINDS.length]!;
  const window = WINDOWS[Math.floor(rnd() * WINDOWS.length)]!;
  const name = `f${i}_${kind.toLowerCase()}`;
  const f: Json = { name, description: `Generated ${kind} feature ${i}.`, kind, eventType: i % 4 === 3 ? ['transaction', 'login'] : 'transaction' };
  switch (kind) {
    case 'count':
      f.window = window;
      if (i % 3 === 0) f.filter = 'declined';
      else if (i % 3 === 1) f.filter = { fact: 'amount', operator: 'lessThan', value: 5 + i };
      break;
    case 'sum':
    case 'avg':
    case 'min':
    case 'max':
      f.eventType = 'transaction';
      f.field = 'amount';
      f.window = window;
      break;
    case 'distinctCount':
      f.field = i % 2 === 0 ? 'card.fingerprint' : 'merchant.id';
      f.eventType = 'transaction';
      f.window = window;
      break;
    case 'last':
      f.field = 'ip.country';
      break;
    case 'timeSince':
      if (i % 2 === 0) f.window = '30d';
      break;
    case 'age':
      delete f.eventType;
      break;
    case 'seen':
      f.field = 'device.id';
      f.window = '30d';
      break;
  }
  return f;
}

function featuresFile(n: number, rnd: () => number): { doc: Json; names: string[]; numeric: string[] } {
  const features = Array.from({ length: n }, (_, i) => feature(i, rnd));
  return {
    doc: {
      description: 'Generated history features (bench/reload.bench.ts).',
      allowedLateness: '1m',
      maxEntries: 10000,
      events: {
        transaction: { amount: 'number', currency: 'string', status: 'string', 'card.fingerprint': 'string', 'merchant.id': 'string', 'device.id': 'string', 'ip.country': 'string' },
        login: { status: 'string', 'device.id': 'string', 'ip.country': 'string' },
      },
      filters: { declined: { fact: 'status', operator: 'equal', value: 'declined' } },
      features,
    },
    names: features.map((f) => f.name as string),
    numeric: features.filter((f) => ['count', 'sum', 'avg', 'min', 'max', 'distinctCount'].includes(f.kind as string)).map((f) => f.name as string),
  };
}

/** One leaf condition of rule `i`, drawn from every operator family. */
function leaf(rnd: () => number, numericFeatures: string[], patternIds: string[]): Json {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  switch (Math.floor(rnd() * 12)) {
    case 0:
      return cond('amount', pick(['greaterThan', 'greaterThanInclusive', 'lessThan', 'lessThanInclusive']), Math.round(rnd() * 10000));
    case 1:
      return cond('currency', pick(['in', 'notIn']), CURRENCIES.slice(0, 1 + Math.floor(rnd() * 4)));
    case 2:
      return cond('card', 'in', COUNTRIES.slice(0, 2 + Math.floor(rnd() * 6)), '$.country');
    case 3:
      return cond('merchant', pick(['equal', 'notEqual']), pick(MCCS), '$.mcc');
    case 4:
      return cond('email', pick(['endsWith', 'includes']), pick(['mailinator.com', '.xyz', 'proton']));
    case 5:
      return cond('userAgent', 'startsWith', pick(['python-', 'curl/', 'Go-http']));
    case 6:
      return cond('features', pick(['greaterThanInclusive', 'greaterThan']), 1 + Math.floor(rnd() * 20), `$.${pick(numericFeatures)}`);
    case 7:
      return cond('matches', 'greaterThanInclusive', 1, `$.${pick(patternIds)}`);
    case 8:
      return cond('checks', 'equal', 'fail', `$.${pick(['avs', 'cvc'])}`);
    case 9:
      return cond('accountAgeDays', 'lessThan', 1 + Math.floor(rnd() * 30));
    case 10:
      return cond('cardPresent', 'equal', rnd() < 0.5);
    default:
      return cond('ip', 'notEqual', pick(COUNTRIES), '$.country');
  }
}

/** A condition tree of depth ≤ 3 with all / any / not. */
function tree(rnd: () => number, depth: number, numericFeatures: string[], patternIds: string[]): Json {
  const n = 1 + Math.floor(rnd() * 4);
  const children = Array.from({ length: n }, () => (depth > 0 && rnd() < 0.3 ? tree(rnd, depth - 1, numericFeatures, patternIds) : leaf(rnd, numericFeatures, patternIds)));
  const r = rnd();
  if (r < 0.15 && depth < 3) return { not: children[0]! };
  return r < 0.6 ? { all: children } : { any: children };
}

function rule(i: number, rnd: () => number, numericFeatures: string[], patternIds: string[]): Json {
  const conditions = tree(rnd, 2, numericFeatures, patternIds);
  const root = 'not' in conditions ? { all: [conditions] } : conditions;
  const r: Json = {
    id: `gen-rule-${i}`,
    version: 1 + (i % 3),
    description: `Generated rule ${i}.`,
    appliesTo: i % 5 === 0 ? ['transaction', 'login'] : ['transaction'],
    conditions: root,
    event: { type: ['flag', 'review', 'deny', 'allow'][i % 4], params: { score: 5 + (i % 90), reason: `GEN_RULE_${i}` } },
  };
  if (i % 7 === 0) r.mode = 'shadow';
  if (i % 11 === 0) r.priority = 1 + (i % 5);
  return r;
}

const is = (type: string): Json => cond('type', 'equal', type);
const TYPES = ['login', 'transaction', 'password_change', 'email_change', 'payout', 'transfer_in'];

/** Pattern `i`: one of 10 shapes, each a different construct. */
function pattern(i: number, rnd: () => number): Json {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const small = { all: [is('transaction'), cond('amount', 'lessThan', 5 + (i % 10))] };
  const large = { all: [is('transaction'), cond('amount', 'greaterThanInclusive', 200 + 10 * i)] };
  const base: Json = { id: `gen-pattern-${i}`, version: 1, description: `Generated pattern ${i}.`, within: pick(['10m', '30m', '1h']) };
  switch (i % 10) {
    case 0:
      base.stages = [
        { name: 'login', where: is('login') },
        { name: 'change', contiguity: 'followedBy', where: cond('type', 'in', ['password_change', 'email_change']) },
        { name: 'payout', contiguity: 'followedBy', where: is('payout') },
      ];
      base.afterMatch = 'skipPastLastEvent';
      break;
    case 1:
      base.stages = [
        { name: 'small', where: small, times: { min: 3 + (i % 3) } },
        { name: 'large', contiguity: 'followedBy', where: large },
      ];
      break;
    case 2:
      base.stages = [
        { name: 'first', where: is('transaction') },
        { name: 'more', contiguity: 'followedByAny', where: is('transaction'), times: { min: 1 }, inner: 'any' },
        { name: 'payout', where: is('payout') },
      ];
      base.within = '10m';
      break;
    case 3:
      base.stages = [
        { name: 'a', where: is('login') },
        { name: 'b', contiguity: 'next', where: is('transaction') },
        { name: 'c', contiguity: 'notNext', where: is('payout') },
        { name: 'd', contiguity: 'followedBy', where: large },
      ];
      break;
    case 4:
      base.stages = [
        { name: 'login', where: is('login') },
        { name: 'no_2fa', contiguity: 'notFollowedBy', where: is('two_factor'), within: '5m' },
      ];
      base.within = '10m';
      break;
    case 5:
      base.stages = [
        { name: 'start', where: is('transaction') },
        { name: 'big', contiguity: 'followedBy', where: large, optional: true },
        { name: 'probes', contiguity: 'followedBy', where: small, times: { min: 2, max: 2 + (i % 4) }, greedy: true },
        { name: 'payout', contiguity: 'followedBy', where: is('payout') },
      ];
      break;
    case 6:
      base.stages = [
        { name: 'txns', where: is('transaction'), times: { min: 1 }, until: is('login'), inner: 'strict' },
        { name: 'transfer', contiguity: 'followedBy', where: is('transfer_in') },
      ];
      base.afterMatch = 'skipToNext';
      break;
    case 7:
      base.stages = [
        { name: 'login', where: is('login') },
        {
          name: 'session',
          contiguity: 'followedBy',
          group: [
            { name: 'change', where: is('password_change') },
            { name: 'payout', contiguity: 'followedBy', where: is('payout') },
          ],
          times: { min: 1, max: 2 },
        },
      ];
      base.afterMatch = { skipToFirst: 'login' };
      break;
    case 8:
      base.stages = [
        { name: 'a', where: is(pick(TYPES)) },
        { name: 'b', contiguity: 'followedBy', where: is(pick(TYPES)), within: '5m' },
        { name: 'c', contiguity: 'followedBy', where: { any: [is(pick(TYPES)), large] } },
      ];
      base.afterMatch = { skipToLast: 'b' };
      break;
    default:
      base.stages = [
        { name: 'transfers', where: is('transfer_in'), times: 3 },
        { name: 'payout', contiguity: 'followedBy', where: cond('amount', 'greaterThan', 100 * (i % 7)) },
      ];
      base.emit = { alert: 'mule', severity: 'high', score: 80, reason: `GEN_PATTERN_${i}` };
  }
  return base;
}

/** Writes rules/ (one file per rule, policy.json, features.json) and patterns/ under `dir`. */
export async function writeCatalog(dir: string, size: CatalogSize, seed = 7): Promise<{ rulesDir: string; patternsDir: string }> {
  const rnd = seededRandom(seed);
  const rulesDir = join(dir, 'rules');
  const patternsDir = join(dir, 'patterns');
  await mkdir(rulesDir, { recursive: true });
  await mkdir(patternsDir, { recursive: true });
  const patternIds: string[] = [];
  for (let i = 0; i < size.patterns; i++) {
    const p = pattern(i, rnd);
    patternIds.push(p.id as string);
    await writeFile(join(patternsDir, `${p.id as string}.json`), `${JSON.stringify(p, null, 2)}\n`);
  }
  const features = featuresFile(size.features, rnd);
  await writeFile(join(rulesDir, 'features.json'), `${JSON.stringify(features.doc, null, 2)}\n`);
  await writeFile(join(rulesDir, 'policy.json'), `${JSON.stringify({ description: 'Generated.', combine: 'noisyOr', reviewThreshold: 50, denyThreshold: 80 }, null, 2)}\n`);
  for (let i = 0; i < size.rules; i++) {
    const r = rule(i, rnd, features.numeric, patternIds);
    await writeFile(join(rulesDir, `${r.id as string}.json`), `${JSON.stringify(r, null, 2)}\n`);
  }
  return { rulesDir, patternsDir };
}
