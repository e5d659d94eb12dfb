/**
 * `report.json` of `argus replay` — the contract between the replay runner (which computes it)
 * and the HTML report (which renders it). Numbers are plain JSON numbers; ratios are in [0, 1]
 * and `null` when undefined (0/0). Everything is deterministic for the same input and catalog.
 */
export interface ReplayReport {
  /** Format version of this file. */
  version: 1;
  input: {
    /** The events file as given on the command line. */
    file: string;
    /** Lines read, events decided, malformed lines skipped, late events (decided but not matched by patterns). */
    lines: number;
    events: number;
    malformed: number;
    late: number;
    /** Distinct keys seen. */
    keys: number;
    /** Event-time range of the decided events (epoch ms), null when there were none. */
    firstEventTime: number | null;
    lastEventTime: number | null;
  };
  /** The first malformed lines (at most 100), with the reason. */
  malformed: { line: number; reason: string }[];
  catalog: CatalogSummary;
  /** Decisions by outcome. */
  decisions: OutcomeCounts;
  /** Decisions over event time, in fixed buckets (an hour or a day, chosen from the range). */
  timeline: { bucketMs: number; buckets: ({ start: number } & OutcomeCounts)[] };
  /** Per rule (enforce and shadow), and per pattern: how often they fired. */
  rules: RuleStats[];
  patterns: PatternStats[];
  alerts: number;
  /** Present when `--label <path>` was given. */
  labels: LabelReport | null;
  /** Present when `--compare <rules dir>` was given. */
  compare: CompareReport | null;
}

export interface CatalogSummary {
  version: string;
  rulesDir: string;
  patternsDir: string;
  rules: number;
  patterns: number;
  features: number;
}

export interface OutcomeCounts {
  allow: number;
  review: number;
  deny: number;
}

/** Confusion matrix of "flagged" (review + deny, or a rule/pattern hit) against the label. */
export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export interface RuleStats {
  id: string;
  version: number;
  mode: 'enforce' | 'shadow';
  action: 'allow' | 'review' | 'deny' | 'flag';
  hits: number;
  /** hits / events the rule applied to (its appliesTo types). */
  hitRate: number | null;
  /** With labels: the rule's hits as a classifier, and fraud only this rule caught. */
  confusion: Confusion | null;
  uniqueCatches: number | null;
}

export interface PatternStats {
  id: string;
  matches: number;
  timeouts: number;
  /** With labels: an event counts as flagged by the pattern when it completed a match of it. */
  confusion: Confusion | null;
}

export interface LabelReport {
  /** The label's field path, e.g. `label.fraud`; truthy = fraud. */
  field: string;
  positives: number;
  negatives: number;
  /** Events without the label field (not counted in any matrix). */
  unlabelled: number;
  /** The decision as a classifier: review + deny = flagged. */
  decision: Confusion;
  /** The combined score as a classifier, for every threshold 0..100 (step 1): the tuning curve. */
  sweep: { threshold: number; precision: number | null; recall: number | null; flagged: number }[];
  /**
   * The tuning answers (`--target-precision`, `--target-recall`): the lowest threshold whose
   * precision reaches the target, and the highest threshold whose recall still reaches it.
   */
  targets: { metric: 'precision' | 'recall'; target: number; threshold: number | null; precision: number | null; recall: number | null }[];
}

export interface CompareReport {
  challenger: CatalogSummary;
  /** Decisions that differ, by (champion → challenger) outcome pair, e.g. `"allow->review": 12`. */
  changed: Record<string, number>;
  changedTotal: number;
  /** Metric deltas (challenger − champion); label metrics only when labels were given. */
  deltas: { metric: string; champion: number | null; challenger: number | null; delta: number | null }[];
  /** Up to 20 example events whose decision changed. */
  examples: { eventId: string; key: string; champion: string; challenger: string; championReasons: string[]; challengerReasons: string[] }[];
  challengerDecisions: OutcomeCounts;
}
