import { createEngine } from '../../runtime/createEngine.ts';
import { MetricsRegistry } from '../../runtime/metrics.ts';
import type { Outcome } from '../../runtime/types.ts';
import { SCENARIOS, type Scenario } from './types.ts';

export interface ScenarioCatch {
  /** Injected instances (one per affected user) and those with at least one fraud event flagged. */
  instances: number;
  caught: number;
  recall: number | null;
  /** Fraud events of the scenario, and those decided review or deny. */
  fraudEvents: number;
  caughtEvents: number;
  eventRecall: number | null;
}

/**
 * How much of a labelled stream's fraud the catalog catches. "Flagged" = decided review or deny.
 * - event recall: flagged fraud events / fraud events;
 * - scenario recall: scenario instances with at least one flagged fraud event / instances (an
 *   instance = one scenario injected for one user: a takeover stopped at the payout is caught);
 * - false-positive rate: flagged legitimate events / legitimate events (and the users affected).
 */
export interface CatchReport {
  events: number;
  decisions: Record<Outcome, number>;
  fraudEvents: number;
  caughtFraudEvents: number;
  eventRecall: number | null;
  instances: number;
  caughtInstances: number;
  scenarioRecall: number | null;
  legitEvents: number;
  falsePositives: number;
  falsePositiveRate: number | null;
  users: number;
  usersWithFalsePositive: number;
  scenarios: Record<Scenario, ScenarioCatch>;
  /** Per enforced rule that fired on a flagged decision: on how many fraud and legitimate events. */
  reasons: Record<string, { fraud: number; legit: number }>;
}

export interface MeasureOptions {
  rulesDir: string;
  patternsDir: string;
}

interface Labelled {
  userId?: unknown;
  label?: { fraud?: unknown; scenario?: unknown };
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

/**
 * Runs labelled events (in order) through the real engine — fresh in-memory state, event time
 * only, no idempotency records — and measures recall per scenario and the false-positive rate.
 */
export async function measureCatch(events: Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>, options: MeasureOptions): Promise<CatchReport> {
  const engine = await createEngine({
    dataDir: ':memory:',
    rulesDir: options.rulesDir,
    patternsDir: options.patternsDir,
    metrics: new MetricsRegistry(),
    watermark: { idleAdvance: false, outOfOrdernessMs: 0 },
    startTimers: false,
    watchCatalog: false,
    alertsFile: false,
    lateFile: false,
    limits: { idempotency: false },
  });
  const scenarios = {} as Record<Scenario, ScenarioCatch>;
  for (const s of SCENARIOS) scenarios[s] = { instances: 0, caught: 0, recall: null, fraudEvents: 0, caughtEvents: 0, eventRecall: null };
  const instances = new Map<string, boolean>();
  const users = new Set<string>();
  const fpUsers = new Set<string>();
  const decisions: Record<Outcome, number> = { allow: 0, review: 0, deny: 0 };
  const reasons: CatchReport['reasons'] = {};
  let n = 0;
  let fraudEvents = 0;
  let caughtFraud = 0;
  let legit = 0;
  let fp = 0;
  try {
    for await (const raw of events) {
      n++;
      const event = engine.parser.parseValue(raw, { line: n });
      const decision = engine.decideNow(event) ?? (await engine.decide(event));
      if (n % 4096 === 0) await engine.commit();
      decisions[decision.decision]++;
      const flagged = decision.decision !== 'allow';
      const label = (raw as Labelled).label;
      const isFraud = label?.fraud === true;
      const user = String((raw as Labelled).userId);
      users.add(user);
      if (flagged) {
        for (const r of decision.reasons) {
          const slot = (reasons[r.rule] ??= { fraud: 0, legit: 0 });
          if (isFraud) slot.fraud++;
          else slot.legit++;
        }
      }
      if (!isFraud) {
        legit++;
        if (flagged) {
          fp++;
          fpUsers.add(user);
        }
        continue;
      }
      fraudEvents++;
      if (flagged) caughtFraud++;
      const scenario = label?.scenario as Scenario | undefined;
      if (scenario === undefined || scenarios[scenario] === undefined) continue;
      const s = scenarios[scenario];
      s.fraudEvents++;
      if (flagged) s.caughtEvents++;
      const id = `${user}\u0000${scenario}`;
      const seen = instances.get(id);
      if (seen === undefined) {
        s.instances++;
        instances.set(id, flagged);
        if (flagged) s.caught++;
      } else if (!seen && flagged) {
        instances.set(id, true);
        s.caught++;
      }
    }
  } finally {
    await engine.close();
  }
  let caughtInstances = 0;
  for (const s of SCENARIOS) {
    const x = scenarios[s];
    x.recall = ratio(x.caught, x.instances);
    x.eventRecall = ratio(x.caughtEvents, x.fraudEvents);
    caughtInstances += x.caught;
  }
  return {
    events: n,
    decisions,
    fraudEvents,
    caughtFraudEvents: caughtFraud,
    eventRecall: ratio(caughtFraud, fraudEvents),
    instances: instances.size,
    caughtInstances,
    scenarioRecall: ratio(caughtInstances, instances.size),
    legitEvents: legit,
    falsePositives: fp,
    falsePositiveRate: ratio(fp, legit),
    users: users.size,
    usersWithFalsePositive: fpUsers.size,
    scenarios,
    reasons,
  };
}

/** A fixed-width text table of a catch report (used by the script and docs/generate.md). */
export function formatCatchReport(r: CatchReport): string {
  const pct = (x: number | null) => (x === null ? '   n/a' : `${(x * 100).toFixed(1).padStart(5)}%`);
  const lines = [
    `events ${r.events}  (allow ${r.decisions.allow}, review ${r.decisions.review}, deny ${r.decisions.deny})`,
    '',
    'scenario             instances  caught  recall   fraud events  flagged  event recall',
  ];
  for (const s of SCENARIOS) {
    const x = r.scenarios[s];
    lines.push(
      `${s.padEnd(20)} ${String(x.instances).padStart(9)} ${String(x.caught).padStart(7)}  ${pct(x.recall)}  ${String(x.fraudEvents).padStart(12)} ${String(x.caughtEvents).padStart(8)}  ${pct(x.eventRecall)}`,
    );
  }
  lines.push(
    `${'all'.padEnd(20)} ${String(r.instances).padStart(9)} ${String(r.caughtInstances).padStart(7)}  ${pct(r.scenarioRecall)}  ${String(r.fraudEvents).padStart(12)} ${String(r.caughtFraudEvents).padStart(8)}  ${pct(r.eventRecall)}`,
    '',
    `false positives: ${r.falsePositives} of ${r.legitEvents} legitimate events (${r.falsePositiveRate === null ? 'n/a' : `${(r.falsePositiveRate * 100).toFixed(2)}%`}); ${r.usersWithFalsePositive} of ${r.users} users had at least one`,
    '',
    'rule (on flagged decisions)        fraud   legit',
  );
  for (const [rule, c] of Object.entries(r.reasons).sort((a, b) => b[1].fraud + b[1].legit - (a[1].fraud + a[1].legit) || (a[0] < b[0] ? -1 : 1))) {
    lines.push(`${rule.padEnd(34)} ${String(c.fraud).padStart(6)} ${String(c.legit).padStart(7)}`);
  }
  return `${lines.join('\n')}\n`;
}
