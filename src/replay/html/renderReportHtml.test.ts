import { describe, expect, it } from 'vitest';
import type { CompareReport, LabelReport, ReplayReport, RuleStats } from '../Report.ts';
import { renderReportHtml } from './renderReportHtml.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 2, 1);

function rule(id: string, hits: number, mode: 'enforce' | 'shadow' = 'enforce'): RuleStats {
  return { id, version: 1, mode, action: 'review', hits, hitRate: hits / 100, confusion: null, uniqueCatches: null };
}

function report(over: Partial<ReplayReport> = {}): ReplayReport {
  return {
    version: 1,
    input: { file: 'events.jsonl', lines: 102, events: 100, malformed: 2, late: 1, keys: 7, firstEventTime: T0, lastEventTime: T0 + 2 * HOUR },
    malformed: [{ line: 5, reason: 'bad JSON' }, { line: 9, reason: 'timestamp: required' }],
    catalog: { version: 'v-abc', rulesDir: 'rules', patternsDir: 'patterns', rules: 2, patterns: 1, features: 3 },
    decisions: { allow: 80, review: 15, deny: 5 },
    timeline: {
      bucketMs: HOUR,
      buckets: [
        { start: T0, allow: 30, review: 5, deny: 1 },
        { start: T0 + HOUR, allow: 0, review: 0, deny: 0 },
        { start: T0 + 2 * HOUR, allow: 50, review: 10, deny: 4 },
      ],
    },
    rules: [rule('small', 3), rule('big', 20), rule('trial', 9, 'shadow')],
    patterns: [{ id: 'burst', matches: 4, timeouts: 1, confusion: null }],
    alerts: 4,
    labels: null,
    compare: null,
    ...over,
  };
}

function labels(over: Partial<LabelReport> = {}): LabelReport {
  const sweep = [];
  for (let t = 0; t <= 100; t++) {
    sweep.push(t > 90 ? { threshold: t, precision: null, recall: null, flagged: 0 } : { threshold: t, precision: 0.1 + t / 100, recall: 1 - t / 100, flagged: 100 - t });
  }
  return {
    field: 'label.fraud',
    positives: 10,
    negatives: 90,
    unlabelled: 0,
    decision: { tp: 8, fp: 12, tn: 78, fn: 2, precision: 0.4, recall: 0.8, f1: 0.5333 },
    sweep,
    targets: [
      { metric: 'precision', target: 0.9, threshold: 80, precision: 0.9, recall: 0.2 },
      { metric: 'recall', target: 0.99, threshold: null, precision: null, recall: null },
    ],
    ...over,
  };
}

function compare(over: Partial<CompareReport> = {}): CompareReport {
  return {
    challenger: { version: 'v-def', rulesDir: 'rules-next', patternsDir: 'patterns', rules: 3, patterns: 1, features: 3 },
    changed: { 'allow->review': 4, 'deny->allow': 1 },
    changedTotal: 5,
    deltas: [
      { metric: 'review', champion: 15, challenger: 19, delta: 4 },
      { metric: 'precision', champion: 0.4, challenger: 0.375, delta: -0.025 },
    ],
    examples: [{ eventId: 'e-17', key: 'u1', champion: 'allow', challenger: 'review', championReasons: [], challengerReasons: ['new-rule'] }],
    challengerDecisions: { allow: 77, review: 19, deny: 4 },
    ...over,
  };
}

function count(html: string, needle: string): number {
  return html.split(needle).length - 1;
}

describe('renderReportHtml', () => {
  it('is one self-contained document: no script, no external URL', () => {
    const html = renderReportHtml(report({ labels: labels(), compare: compare() }));
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/(src|href)="(?!#)/i);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(html).toContain("default-src 'none'");
  });

  it('escapes every string from the report', () => {
    const evil = '<img src=x onerror="alert(1)">&\'';
    const r = report({
      input: { ...report().input, file: evil },
      malformed: [{ line: 1, reason: evil }],
      catalog: { ...report().catalog, version: evil, rulesDir: evil, patternsDir: evil },
      rules: [{ ...rule(evil, 5), mode: 'shadow' }],
      patterns: [{ id: evil, matches: 1, timeouts: 0, confusion: null }],
      labels: labels({ field: evil }),
      compare: compare({
        challenger: { ...compare().challenger, version: evil, rulesDir: evil },
        changed: { [`${evil}->${evil}`]: 1 },
        deltas: [{ metric: evil, champion: 1, challenger: 2, delta: 1 }],
        examples: [{ eventId: evil, key: evil, champion: evil, challenger: evil, championReasons: [evil], challengerReasons: [evil] }],
      }),
    });
    const html = renderReportHtml(r);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('onerror="');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;');
    // the file name, the catalog, malformed reason, rule, pattern, label field and every compare string
    expect(count(html, '&lt;img src=x')).toBeGreaterThanOrEqual(15);
  });

  it('prints no NaN, Infinity or undefined for empty data', () => {
    const empty = report({
      input: { file: 'empty.jsonl', lines: 0, events: 0, malformed: 0, late: 0, keys: 0, firstEventTime: null, lastEventTime: null },
      malformed: [],
      catalog: { version: 'v0', rulesDir: 'rules', patternsDir: 'patterns', rules: 0, patterns: 0, features: 0 },
      decisions: { allow: 0, review: 0, deny: 0 },
      timeline: { bucketMs: HOUR, buckets: [] },
      rules: [],
      patterns: [],
      alerts: 0,
      labels: labels({
        positives: 0, negatives: 0, unlabelled: 0,
        decision: { tp: 0, fp: 0, tn: 0, fn: 0, precision: null, recall: null, f1: null },
        sweep: Array.from({ length: 101 }, (_, t) => ({ threshold: t, precision: null, recall: null, flagged: 0 })),
        targets: [{ metric: 'precision', target: 0.9, threshold: null, precision: null, recall: null }],
      }),
      compare: compare({ changed: {}, changedTotal: 0, deltas: [{ metric: 'precision', champion: null, challenger: null, delta: null }], examples: [], challengerDecisions: { allow: 0, review: 0, deny: 0 } }),
    });
    const html = renderReportHtml(empty);
    expect(html).not.toMatch(/NaN|Infinity|undefined|null/);
    expect(html).toContain('No decided events');
    expect(html).toContain('No rules in the catalog');
    expect(html).toContain('No threshold flags any labelled event');
    expect(html).toContain('No decision changed.');
    expect(count(html, '<svg class="chart" data-chart=')).toBe(4);
  });

  it('survives non-finite numbers from a broken runner without printing them', () => {
    const r = report({ decisions: { allow: Number.NaN, review: Infinity, deny: 1 } });
    r.timeline.buckets[0]!.allow = Number.NaN;
    r.rules[0]!.hitRate = Number.NaN;
    const html = renderReportHtml(r);
    expect(html).not.toMatch(/NaN|Infinity/);
  });

  it('has summary, timeline and rule hits, and no label or compare sections without that data', () => {
    const html = renderReportHtml(report());
    for (const id of ['summary', 'timeline', 'rules']) expect(html).toContain(`<section id="${id}">`);
    expect(html).not.toContain('<section id="labels">');
    expect(html).not.toContain('<section id="compare">');
    expect(html).toContain('<svg class="chart" data-chart="timeline"');
    expect(html).toContain('<svg class="chart" data-chart="rule-hits"');
    expect(html).not.toContain('<svg class="chart" data-chart="pr-curve"');
    expect(html).not.toContain('<svg class="chart" data-chart="confusion"');
    expect(html).toContain('Malformed lines');
    expect(html).toContain('2024-03-01 00:00 → 2024-03-01 02:00 UTC');
  });

  it('adds the label section (confusion matrix, per-rule metrics, curve with targets) when labels are present', () => {
    const r = report({ labels: labels() });
    r.rules[1] = { ...r.rules[1]!, confusion: { tp: 7, fp: 13, tn: 77, fn: 3, precision: 0.35, recall: 0.7, f1: 0.4667 }, uniqueCatches: 2 };
    const html = renderReportHtml(r);
    expect(html).toContain('<section id="labels">');
    expect(html).not.toContain('<section id="compare">');
    expect(count(html, 'data-cell=')).toBe(4);
    expect(count(html, '<circle data-threshold=')).toBe(91); // thresholds 0..90 have both precision and recall
    expect(count(html, 'data-target=')).toBe(1); // the recall target was not reached
    expect(html).toContain('data-target="precision" data-threshold="80"');
    expect(html).toContain('data-decision');
    expect(html).toContain('not reached');
    expect(html).toMatch(/<td class="code">big<\/td><td>enforce<\/td><td class="num">20<\/td><td class="num">7<\/td><td class="num">13<\/td><td class="num">35\.0%<\/td><td class="num">70\.0%<\/td><td class="num">46\.7%<\/td><td class="num">2<\/td>/);
  });

  it('adds the compare section: changed decisions, deltas with signs, examples', () => {
    const html = renderReportHtml(report({ compare: compare() }));
    expect(html).toContain('<section id="compare">');
    expect(html).toContain('allow → review</td><td class="num">4');
    expect(html).toContain('<span class="neg">-0.025</span>');
    expect(html).toContain('<span class="pos">+4</span>');
    expect(html).toContain('e-17');
    expect(html).toContain('new-rule');
  });

  it('draws one bar group per timeline bucket and one bar per rule, most hits first, shadow distinguished', () => {
    const html = renderReportHtml(report());
    expect(count(html, '<g data-bucket=')).toBe(3);
    expect(count(html, 'data-outcome=')).toBe(6); // the empty bucket draws no rect
    const order = [...html.matchAll(/<g data-rule="([^"]+)" data-mode="(\w+)"/g)].map((m) => `${m[1]}:${m[2]}`);
    expect(order).toEqual(['big:enforce', 'trial:shadow', 'small:enforce']);
    expect(html).toContain('url(#shadow-hatch)');
  });

  it('is deterministic', () => {
    const r = report({ labels: labels(), compare: compare() });
    expect(renderReportHtml(r)).toBe(renderReportHtml(structuredClone(r)));
  });
});
