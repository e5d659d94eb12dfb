import type { Decision, MatchSummary, Reason, RuleAction } from '../../runtime/types.ts';
import type { Confusion, OutcomeCounts, PatternStats, RuleStats } from '../Report.ts';
import { confusion, ratio } from './confusion.ts';
import type { EventTally } from './EventTally.ts';
import { scoreBucket, SWEEP_STEPS } from './scoreSweep.ts';

/** What the tally needs to know of a rule of the catalog. */
export interface RuleInfo {
  id: string;
  version: number;
  mode: 'enforce' | 'shadow';
  action: RuleAction;
  /** Event types the rule runs on; undefined = every type. */
  appliesTo?: readonly string[];
}

class RuleCounter {
  hits = 0;
  /** Hits on fraud / on legitimate events. */
  tp = 0;
  fp = 0;
  unique = 0;
  constructor(readonly info: RuleInfo) {}
}

class PatternCounter {
  /** Events that completed a match of the pattern, by label. */
  tp = 0;
  fp = 0;
  constructor(readonly id: string) {}
}

const OUTCOME: Record<Decision['decision'], 0 | 1 | 2> = { allow: 0, review: 1, deny: 2 };

/**
 * Everything the report says about one catalog's decisions, accumulated event by event (memory:
 * one counter per rule and pattern, two 101-bucket score histograms). Rule and pattern hits as
 * classifiers: a hit is "flagged". A rule's unique catches are the fraud events it hit that no
 * other catching rule (enforce or shadow, action other than `allow`) hit; `allow` rules catch
 * nothing (their uniqueCatches is null).
 */
export class CatalogTally {
  readonly outcomes: [number, number, number] = [0, 0, 0];
  /** Sum of the combined scores (for the mean). */
  scoreSum = 0;
  /** The decision as a classifier (review + deny = flagged), over labelled events. */
  tp = 0;
  fp = 0;
  tn = 0;
  fn = 0;
  /** Scores of labelled events by `scoreBucket`, fraud and not. */
  readonly positiveScores = new Float64Array(SWEEP_STEPS);
  readonly negativeScores = new Float64Array(SWEEP_STEPS);
  private readonly rules = new Map<string, RuleCounter>();
  private readonly ruleOrder: RuleCounter[] = [];
  private readonly patterns = new Map<string, PatternCounter>();
  private readonly patternOrder: PatternCounter[] = [];
  /** Pattern ids already counted for the current event (an event counts once per pattern). */
  private readonly seen: string[] = [];

  constructor(rules: readonly RuleInfo[], patterns: readonly string[]) {
    for (const r of rules) this.rule(r.id, r);
    for (const p of patterns) this.pattern(p);
  }

  private rule(id: string, info: RuleInfo): RuleCounter {
    let c = this.rules.get(id);
    if (c === undefined) {
      c = new RuleCounter(info);
      this.rules.set(id, c);
      this.ruleOrder.push(c);
    }
    return c;
  }

  private pattern(id: string): PatternCounter {
    let c = this.patterns.get(id);
    if (c === undefined) {
      c = new PatternCounter(id);
      this.patterns.set(id, c);
      this.patternOrder.push(c);
    }
    return c;
  }

  private counterOf(r: Reason, mode: 'enforce' | 'shadow'): RuleCounter {
    return this.rules.get(r.rule) ?? this.rule(r.rule, { id: r.rule, version: r.version, mode, action: r.action });
  }

  /** One decided event. `label`: 1 fraud, 0 not fraud, -1 unlabelled. */
  add(decision: Decision, label: -1 | 0 | 1): void {
    const outcome = OUTCOME[decision.decision];
    this.outcomes[outcome]++;
    this.scoreSum += decision.score;
    const flagged = outcome !== 0;
    if (label === 1) {
      if (flagged) this.tp++;
      else this.fn++;
      this.positiveScores[scoreBucket(decision.score)]++;
    } else if (label === 0) {
      if (flagged) this.fp++;
      else this.tn++;
      this.negativeScores[scoreBucket(decision.score)]++;
    }
    let catchers = 0;
    let catcher: RuleCounter | undefined;
    for (let pass = 0; pass < 2; pass++) {
      const reasons = pass === 0 ? decision.reasons : decision.shadow;
      for (let i = 0; i < reasons.length; i++) {
        const c = this.counterOf(reasons[i]!, pass === 0 ? 'enforce' : 'shadow');
        c.hits++;
        if (label === 1) {
          c.tp++;
          if (c.info.action !== 'allow') {
            catchers++;
            catcher = c;
          }
        } else if (label === 0) c.fp++;
      }
    }
    if (catchers === 1) catcher!.unique++;
    if (label !== -1 && (decision.matches.length > 0 || decision.shadowMatches !== undefined)) {
      this.seen.length = 0;
      this.countMatches(decision.matches, label);
      if (decision.shadowMatches !== undefined) this.countMatches(decision.shadowMatches, label);
    }
  }

  /** Each pattern once per event (shadow patterns too: they are reported the same way). */
  private countMatches(matches: readonly MatchSummary[], label: 0 | 1): void {
    const seen = this.seen;
    for (let i = 0; i < matches.length; i++) {
      const id = matches[i]!.pattern;
      if (seen.includes(id)) continue;
      seen.push(id);
      const c = this.pattern(id);
      if (label === 1) c.tp++;
      else c.fp++;
    }
  }

  get decisions(): OutcomeCounts {
    return { allow: this.outcomes[0], review: this.outcomes[1], deny: this.outcomes[2] };
  }

  /** The decision as a classifier (null without labels). */
  decisionConfusion(labelled: boolean): Confusion | null {
    return labelled ? confusion(this.tp, this.fp, this.tn, this.fn) : null;
  }

  /** Per rule, in catalog order (rules seen only in decisions last). */
  ruleStats(events: EventTally, labelled: boolean): RuleStats[] {
    return this.ruleOrder.map((c) => {
      const applied = events.countsFor(c.info.appliesTo);
      return {
        id: c.info.id,
        version: c.info.version,
        mode: c.info.mode,
        action: c.info.action,
        hits: c.hits,
        hitRate: ratio(c.hits, applied.events),
        confusion: labelled ? confusion(c.tp, c.fp, applied.negatives - c.fp, applied.positives - c.tp) : null,
        uniqueCatches: labelled && c.info.action !== 'allow' ? c.unique : null,
      };
    });
  }

  /** Per pattern, in catalog order; `counts` gives the matches and timeouts the engine produced. */
  patternStats(events: EventTally, labelled: boolean, counts: (id: string) => { matches: number; timeouts: number }): PatternStats[] {
    return this.patternOrder.map((c) => {
      const { matches, timeouts } = counts(c.id);
      return {
        id: c.id,
        matches,
        timeouts,
        confusion: labelled ? confusion(c.tp, c.fp, events.negatives - c.fp, events.positives - c.tp) : null,
      };
    });
  }
}
