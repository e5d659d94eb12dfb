import type { Confusion, LabelReport, PatternStats, RuleStats } from '../Report.ts';
import { confusionChart } from './confusionChart.ts';
import { escapeHtml } from './escapeHtml.ts';
import { formatCount, formatRatio } from './format.ts';
import { htmlTable } from './htmlTable.ts';
import { prCurveChart } from './prCurveChart.ts';
import { rulesByHits } from './ruleHitsChart.ts';

function confusionCells(c: Confusion | null): string[] {
  if (!c) return ['—', '—', '—', '—', '—'];
  return [formatCount(c.tp), formatCount(c.fp), formatRatio(c.precision), formatRatio(c.recall), formatRatio(c.f1)];
}

/** Accuracy against the labels: the decision's confusion matrix, per-rule and per-pattern metrics, the threshold sweep. */
export function labelsSection(labels: LabelReport, rules: readonly RuleStats[], patterns: readonly PatternStats[]): string {
  const d = labels.decision;
  const out: string[] = [
    '<section id="labels"><h2>Accuracy against labels</h2>',
    `<p class="note">Label <span class="code">${escapeHtml(labels.field)}</span> (truthy = fraud): ${formatCount(labels.positives)} fraud, ` +
      `${formatCount(labels.negatives)} legitimate, ${formatCount(labels.unlabelled)} without the field (not counted).</p>`,
    '<h3 id="confusion">Decision (review + deny = flagged)</h3><div class="charts">',
    confusionChart(d, 'Confusion matrix of the decision against the label'),
    '<div>',
    htmlTable(
      [{ label: 'metric' }, { label: 'value', num: true }],
      [
        ['precision', formatRatio(d.precision)],
        ['recall', formatRatio(d.recall)],
        ['F1', formatRatio(d.f1)],
        ['true positives', formatCount(d.tp)],
        ['false positives', formatCount(d.fp)],
        ['true negatives', formatCount(d.tn)],
        ['false negatives', formatCount(d.fn)],
      ],
    ),
    '</div></div>',
  ];

  const sortedRules = rulesByHits(rules ?? []);
  out.push(
    '<h3 id="rule-metrics">Rules as classifiers</h3>',
    '<p class="note">A rule flags the events it hits. Unique catches: fraud events that no other rule caught.</p>',
    htmlTable(
      [
        { label: 'rule', code: true }, { label: 'mode' }, { label: 'hits', num: true }, { label: 'TP', num: true },
        { label: 'FP', num: true }, { label: 'precision', num: true }, { label: 'recall', num: true }, { label: 'F1', num: true },
        { label: 'unique catches', num: true },
      ],
      sortedRules.map((r) => [
        escapeHtml(r.id), escapeHtml(r.mode), formatCount(r.hits), ...confusionCells(r.confusion), formatCount(r.uniqueCatches),
      ]),
      'No rules in the catalog.',
    ),
  );
  if ((patterns ?? []).length > 0) {
    out.push(
      '<h3>Patterns as classifiers</h3>',
      '<p class="note">A pattern flags the event that completes one of its matches.</p>',
      htmlTable(
        [
          { label: 'pattern', code: true }, { label: 'matches', num: true }, { label: 'TP', num: true }, { label: 'FP', num: true },
          { label: 'precision', num: true }, { label: 'recall', num: true }, { label: 'F1', num: true },
        ],
        patterns.map((p) => [escapeHtml(p.id), formatCount(p.matches), ...confusionCells(p.confusion)]),
      ),
    );
  }

  const targets = labels.targets ?? [];
  out.push(
    '<h3 id="pr-curve">Score threshold: precision/recall curve</h3>',
    '<p class="note">Flagged = combined score ≥ threshold, for every threshold 0–100. Rings: the thresholds that reach the targets; diamond: the current decision.</p>',
    prCurveChart(labels),
  );
  if (targets.length > 0) {
    out.push(
      htmlTable(
        [
          { label: 'target' }, { label: 'lowest threshold', num: true }, { label: 'precision', num: true }, { label: 'recall', num: true },
        ],
        targets.map((t) => [
          `${escapeHtml(t.metric)} ≥ ${formatRatio(t.target)}`,
          t.threshold == null ? 'not reached' : formatCount(t.threshold),
          formatRatio(t.precision),
          formatRatio(t.recall),
        ]),
      ),
    );
  }
  const sweep = labels.sweep ?? [];
  if (sweep.length > 0) {
    out.push(
      '<details><summary>Every threshold</summary>',
      htmlTable(
        [{ label: 'threshold', num: true }, { label: 'flagged', num: true }, { label: 'precision', num: true }, { label: 'recall', num: true }],
        sweep.map((s) => [formatCount(s.threshold), formatCount(s.flagged), formatRatio(s.precision), formatRatio(s.recall)]),
      ),
      '</details>',
    );
  }
  out.push('</section>');
  return out.join('');
}
