/**
 * The catalog the issues' throughput targets name — 20 rules, 10 features and 4 patterns — cut
 * from the sample catalog (`rules/`, `patterns/`) into a directory: the 20 sample JSON rules
 * (every rule that reads a feature, plus 13 others), the 10 sample features those rules read plus
 * three more (sum, distinct count, seen), the 4 sample patterns, the policy and the lists. No
 * nools rules (the targets do not name them).
 */
import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Sample rules left out (six that read only event fields), so that 20 remain. */
const LEFT_OUT = ['round-amount', 'suspicious-user-agent', 'high-risk-email-tld', 'disposable-email', 'trusted-merchant', 'prepaid-high-amount'];

export const TARGET_FEATURES = [
  'txn_count_1h',
  'txn_count_10m',
  'small_txn_count_10m',
  'txn_amount_sum_24h',
  'distinct_cards_24h',
  'distinct_senders_24h',
  'device_seen_30d',
  'country_seen_30d',
  'new_device_login_30m',
  'impossible_travel_matches_1h',
];

/** `rulesOnly`: the 20 rules, policy and lists alone (no features, an empty patterns directory). */
export function writeTargetCatalog(dir: string, options: { rulesOnly?: boolean; sampleRoot?: string } = {}): { rulesDir: string; patternsDir: string } {
  const sampleRoot = options.sampleRoot ?? '.';
  const rulesDir = join(dir, 'rules');
  const patternsDir = join(dir, 'patterns');
  mkdirSync(rulesDir, { recursive: true });
  if (options.rulesOnly === true) mkdirSync(patternsDir, { recursive: true });
  else cpSync(join(sampleRoot, 'patterns'), patternsDir, { recursive: true });
  cpSync(join(sampleRoot, 'rules', 'lists'), join(rulesDir, 'lists'), { recursive: true });
  cpSync(join(sampleRoot, 'rules', 'policy.json'), join(rulesDir, 'policy.json'));
  let rules = 0;
  for (const name of readdirSync(join(sampleRoot, 'rules')).sort()) {
    if (!name.endsWith('.json') || name === 'policy.json' || name === 'features.json') continue;
    if (LEFT_OUT.includes(name.replace(/\.json$/, ''))) continue;
    cpSync(join(sampleRoot, 'rules', name), join(rulesDir, name));
    rules++;
  }
  if (rules !== 20) throw new Error(`the target catalog needs 20 rules, the sample gave ${rules}`);
  if (options.rulesOnly === true) return { rulesDir, patternsDir };
  const features = JSON.parse(readFileSync(join(sampleRoot, 'rules', 'features.json'), 'utf8')) as { features: { name: string }[] };
  features.features = features.features.filter((f) => TARGET_FEATURES.includes(f.name));
  if (features.features.length !== 10) throw new Error(`the target catalog needs 10 features, the sample gave ${features.features.length}`);
  writeFileSync(join(rulesDir, 'features.json'), JSON.stringify(features, null, 2));
  return { rulesDir, patternsDir };
}
