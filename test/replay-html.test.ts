/**
 * The replay HTML report in a real browser: headless Chromium (Debian package `chromium`) driven
 * by playwright-core opens the rendered file and checks that every chart is laid out with the
 * right number of bars, points and cells, sized in proportion to the data, with no console error
 * and no network request. Screenshots go to a temp dir (or $ARGUS_REPORT_SCREENSHOTS to keep them).
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareReport, Confusion, LabelReport, ReplayReport, RuleStats } from '../src/replay/Report.ts';
import { renderReportHtml } from '../src/replay/html/renderReportHtml.ts';
import { launchChromium } from './helpers/chromium.ts';
import { tempDir } from './helpers/tempDir.ts';
import { mulberry32 as rng } from '../bench/lib/random.ts';

// ---------------------------------------------------------------- fixture: three days of payments

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 4, 6);


function confusion(tp: number, fp: number, fn: number, tn: number): Confusion {
  const precision = tp + fp === 0 ? null : tp / (tp + fp);
  const recall = tp + fn === 0 ? null : tp / (tp + fn);
  const f1 = precision == null || recall == null || precision + recall === 0 ? null : (2 * precision * recall) / (precision + recall);
  return { tp, fp, tn, fn, precision, recall, f1 };
}

interface FixtureOptions { labels: boolean; compare: boolean }

function buildReport(opts: FixtureOptions): ReplayReport {
  const random = rng(42);
  const buckets: ReplayReport['timeline']['buckets'] = [];
  for (let h = 0; h < 72; h++) {
    const daily = 0.55 + 0.45 * Math.sin(((h % 24) - 6) / 24 * 2 * Math.PI);
    const volume = Math.round(60 + 340 * Math.max(0, daily) + 30 * random());
    const attack = h >= 38 && h <= 41; // an afternoon card-testing burst on day 2
    const deny = Math.round(volume * (attack ? 0.12 : 0.012));
    const review = Math.round(volume * (attack ? 0.15 : 0.04));
    buckets.push({ start: T0 + h * HOUR, allow: volume - deny - review, review, deny });
  }
  buckets[60] = { start: T0 + 60 * HOUR, allow: 0, review: 0, deny: 0 }; // an outage hour
  const decisions = { allow: 0, review: 0, deny: 0 };
  for (const b of buckets) { decisions.allow += b.allow; decisions.review += b.review; decisions.deny += b.deny; }
  const events = decisions.allow + decisions.review + decisions.deny;

  // Scores and labels of every event, for the threshold sweep.
  const scores: number[] = [];
  const fraud: boolean[] = [];
  let positives = 0;
  for (let i = 0; i < events; i++) {
    const isFraud = random() < 0.025;
    const noise = (random() + random() + random() - 1.5) * 40;
    scores.push(Math.max(0, Math.min(100, Math.round((isFraud ? 72 : 18) + noise))));
    fraud.push(isFraud);
    if (isFraud) positives++;
  }
  const negatives = events - positives;
  const sweep: LabelReport['sweep'] = [];
  for (let t = 0; t <= 100; t++) {
    let tp = 0, fp = 0;
    for (let i = 0; i < events; i++) if (scores[i]! >= t) { if (fraud[i]) tp++; else fp++; }
    const c = confusion(tp, fp, positives - tp, negatives - fp);
    sweep.push({ threshold: t, precision: c.precision, recall: c.recall, flagged: tp + fp });
  }
  const lowest = (ok: (s: LabelReport['sweep'][number]) => boolean) => sweep.find(ok) ?? null;
  const highest = (ok: (s: LabelReport['sweep'][number]) => boolean) => [...sweep].reverse().find(ok) ?? null;
  const p90 = lowest((s) => (s.precision ?? 0) >= 0.9);
  const r80 = highest((s) => (s.recall ?? 0) >= 0.8);
  const r999 = null; // an unreachable target
  const target = (metric: 'precision' | 'recall', value: number, s: LabelReport['sweep'][number] | null) =>
    ({ metric, target: value, threshold: s?.threshold ?? null, precision: s?.precision ?? null, recall: s?.recall ?? null });

  const decisionTp = Math.round(positives * 0.74);
  const decisionFp = decisions.review + decisions.deny - decisionTp;

  const ruleSpecs: [string, 'enforce' | 'shadow', RuleStats['action'], number, number][] = [
    ['velocity.card-5-in-10m', 'enforce', 'deny', 420, 0.62],
    ['amount.high-first-purchase', 'enforce', 'review', 610, 0.21],
    ['geo.impossible-travel', 'enforce', 'review', 150, 0.55],
    ['device.new-and-high-amount', 'enforce', 'review', 260, 0.34],
    ['list.blocked-ip', 'enforce', 'deny', 95, 0.91],
    ['pattern.card-testing-burst', 'enforce', 'deny', 180, 0.8],
    ['score.combined-over-70', 'enforce', 'flag', 540, 0.41],
    ['shadow.velocity-3-in-10m', 'shadow', 'review', 890, 0.29],
    ['shadow.bin-risk-country-mismatch-with-a-rather-long-identifier', 'shadow', 'review', 330, 0.18],
    ['legacy.never-fires', 'enforce', 'deny', 0, 0],
  ];
  const rules: RuleStats[] = ruleSpecs.map(([id, mode, action, hits, precision], i) => {
    const tp = Math.min(positives, Math.round(hits * precision));
    return {
      id, version: 1 + (i % 3), mode, action, hits, hitRate: hits / events,
      confusion: opts.labels ? confusion(tp, hits - tp, positives - tp, negatives - (hits - tp)) : null,
      uniqueCatches: opts.labels ? Math.round(tp * 0.15) : null,
    };
  });
  const patterns = [
    { id: 'card-testing-burst', matches: 180, timeouts: 12 },
    { id: 'login-then-password-reset-then-payout', matches: 22, timeouts: 340 },
    { id: 'new-device-then-high-amount', matches: 260, timeouts: 0 },
  ].map((p) => ({ ...p, confusion: opts.labels ? confusion(Math.round(p.matches * 0.6), p.matches - Math.round(p.matches * 0.6), positives - Math.round(p.matches * 0.6), negatives - p.matches + Math.round(p.matches * 0.6)) : null }));

  const labels: LabelReport | null = opts.labels
    ? {
        field: 'label.fraud', positives, negatives, unlabelled: 37,
        decision: confusion(decisionTp, decisionFp, positives - decisionTp, negatives - decisionFp),
        sweep,
        targets: [target('precision', 0.9, p90), target('recall', 0.8, r80), target('recall', 0.999, r999)],
      }
    : null;

  const compare: CompareReport | null = opts.compare
    ? {
        challenger: { version: 'c-7f3a91e2', rulesDir: 'rules-next', patternsDir: 'patterns', rules: 11, patterns: 3, features: 10 },
        changed: { 'allow->review': 212, 'review->deny': 41, 'deny->review': 9, 'review->allow': 63 },
        changedTotal: 325,
        deltas: [
          { metric: 'allow', champion: decisions.allow, challenger: decisions.allow - 212 + 63, delta: -149 },
          { metric: 'review', champion: decisions.review, challenger: decisions.review + 212 - 41 + 9 - 63, delta: 117 },
          { metric: 'deny', champion: decisions.deny, challenger: decisions.deny + 41 - 9, delta: 32 },
          { metric: 'precision', champion: 0.412, challenger: 0.398, delta: -0.014 },
          { metric: 'recall', champion: 0.74, challenger: 0.81, delta: 0.07 },
          { metric: 'f1', champion: null, challenger: null, delta: null },
        ],
        examples: Array.from({ length: 8 }, (_, i) => ({
          eventId: `evt-${1000 + i * 37}`, key: `user-${(i * 7919) % 500}`,
          champion: i % 3 === 0 ? 'review' : 'allow', challenger: i % 3 === 0 ? 'deny' : 'review',
          championReasons: i % 3 === 0 ? ['amount.high-first-purchase'] : [],
          challengerReasons: i % 3 === 0 ? ['amount.high-first-purchase', 'velocity.card-3-in-10m'] : ['velocity.card-3-in-10m'],
        })),
        challengerDecisions: { allow: decisions.allow - 149, review: decisions.review + 117, deny: decisions.deny + 32 },
      }
    : null;

  return {
    version: 1,
    input: { file: 'data/payments-2024-05-06.jsonl.gz', lines: events + 14, events, malformed: 14, late: 3, keys: 4821, firstEventTime: T0 + 12_345, lastEventTime: T0 + 72 * HOUR - 9_876 },
    malformed: Array.from({ length: 14 }, (_, i) => ({ line: 100 + i * 977, reason: i % 2 ? 'amount: expected number, received string' : 'invalid JSON: Unexpected token } in JSON at position 41' })),
    catalog: { version: 'c-2b8e4d10', rulesDir: 'rules', patternsDir: 'patterns', rules: rules.length, patterns: patterns.length, features: 10 },
    decisions,
    timeline: { bucketMs: HOUR, buckets },
    rules,
    patterns,
    alerts: 462,
    labels,
    compare,
  };
}

function emptyReport(): ReplayReport {
  return {
    version: 1,
    input: { file: 'empty.jsonl', lines: 0, events: 0, malformed: 0, late: 0, keys: 0, firstEventTime: null, lastEventTime: null },
    malformed: [],
    catalog: { version: 'c-0', rulesDir: 'rules', patternsDir: 'patterns', rules: 0, patterns: 0, features: 0 },
    decisions: { allow: 0, review: 0, deny: 0 },
    timeline: { bucketMs: HOUR, buckets: [] },
    rules: [],
    patterns: [],
    alerts: 0,
    labels: {
      field: 'label.fraud', positives: 0, negatives: 0, unlabelled: 0,
      decision: confusion(0, 0, 0, 0),
      sweep: Array.from({ length: 101 }, (_, t) => ({ threshold: t, precision: null, recall: null, flagged: 0 })),
      targets: [{ metric: 'precision', target: 0.9, threshold: null, precision: null, recall: null }],
    },
    compare: null,
  };
}

// ---------------------------------------------------------------- browser harness

interface Box { w: number; h: number; x: number; y: number }

// The measuring function runs in the page. The project compiles without the DOM lib, so the few
// DOM names it uses are declared here, in this module only.
interface DomRect { width: number; height: number; x: number; y: number; left: number; right: number; top: number; bottom: number }
interface DomElement {
  id: string;
  textContent: string | null;
  getBoundingClientRect(): DomRect;
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement> & Iterable<DomElement>;
}
declare const document: DomElement & { body: { innerText: string } };

interface Measured {
  charts: Record<string, Box & { title: string }>;
  buckets: { index: number; heights: number[] }[];
  rules: { id: string; mode: string; width: number; fill: string }[];
  points: { threshold: number; inside: boolean }[];
  targets: string[];
  decisionMarkers: number;
  cells: Record<string, Box & { text: string }>;
  sections: string[];
  text: string;
}

let browser: Browser;
const dir = tempDir('argus-replay-html-');
const shots = process.env.ARGUS_REPORT_SCREENSHOTS ?? dir.path;

beforeAll(async () => {
  browser = await launchChromium();
}, 900_000);

afterAll(async () => {
  await browser?.close();
  dir.cleanup();
});

/** Renders the report to a file, opens it, measures every chart, screenshots the page. */
async function open(report: ReplayReport, name: string): Promise<{ m: Measured; errors: string[]; requests: string[]; screenshot: string }> {
  const file = join(dir.path, `${name}.html`);
  writeFileSync(file, renderReportHtml(report));
  const url = pathToFileURL(file).href;
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (msg) => { if (msg.type() === 'error' || msg.type() === 'warning') errors.push(`${msg.type()}: ${msg.text()}`); });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('request', (req) => requests.push(req.url()));
  try {
    await page.goto(url, { waitUntil: 'load' });
    const m = await page.evaluate((): Measured => {
      const box = (el: DomElement) => { const r = el.getBoundingClientRect(); return { w: r.width, h: r.height, x: r.x, y: r.y }; };
      const charts: Measured['charts'] = {};
      for (const svg of document.querySelectorAll('svg[data-chart]')) {
        charts[svg.getAttribute('data-chart')!] = { ...box(svg), title: svg.querySelector(':scope > title')?.textContent ?? '' };
      }
      const buckets = [...document.querySelectorAll('svg[data-chart="timeline"] g[data-bucket]')].map((g) => ({
        index: Number(g.getAttribute('data-bucket')),
        heights: [...g.querySelectorAll('rect')].map((r) => r.getBoundingClientRect().height),
      }));
      const rules = [...document.querySelectorAll('svg[data-chart="rule-hits"] g[data-rule]')].map((g) => {
        const bar = g.querySelector('rect.bar')!;
        return { id: g.getAttribute('data-rule')!, mode: g.getAttribute('data-mode')!, width: bar.getBoundingClientRect().width, fill: bar.getAttribute('fill')! };
      });
      const pr = document.querySelector('svg[data-chart="pr-curve"]');
      const prBox = pr?.getBoundingClientRect();
      const points = [...(pr?.querySelectorAll('circle[data-threshold]') ?? [])].map((c) => {
        const r = c.getBoundingClientRect();
        const inside = !!prBox && r.width > 0 && r.left >= prBox.left && r.right <= prBox.right && r.top >= prBox.top && r.bottom <= prBox.bottom;
        return { threshold: Number(c.getAttribute('data-threshold')), inside };
      });
      const targets = [...(pr?.querySelectorAll('g[data-target]') ?? [])].map((g) => `${g.getAttribute('data-target')}@${g.getAttribute('data-threshold')}`);
      const cells: Measured['cells'] = {};
      for (const g of document.querySelectorAll('svg[data-chart="confusion"] g[data-cell]')) {
        cells[g.getAttribute('data-cell')!] = { ...box(g.querySelector('rect')!), text: g.querySelector('text.cell-count')?.textContent ?? '' };
      }
      return {
        charts, buckets, rules, points, targets,
        decisionMarkers: pr?.querySelectorAll('g[data-decision]').length ?? 0,
        cells,
        sections: [...document.querySelectorAll('main > section')].map((s) => s.id),
        text: document.body.innerText,
      };
    });
    const screenshot = join(shots, `${name}.png`);
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
    return { m, errors, requests, screenshot };
  } finally {
    await page.close();
  }
}

function expectProportional(values: number[], sizes: number[]): void {
  const maxV = Math.max(...values);
  const maxS = Math.max(...sizes);
  expect(maxS).toBeGreaterThan(0);
  for (let i = 0; i < values.length; i++) {
    expect(Math.abs(sizes[i]! - (values[i]! / maxV) * maxS)).toBeLessThan(1.5);
  }
}

// ---------------------------------------------------------------- tests

describe('replay HTML report in headless Chromium', () => {
  it('renders all four charts of a labelled champion/challenger report, sized by the data', async () => {
    const report = buildReport({ labels: true, compare: true });
    const { m, errors, requests, screenshot } = await open(report, 'full');

    expect(errors).toEqual([]);
    expect(requests).toHaveLength(1); // the file itself: no script, font, image or CDN fetched
    expect(m.sections).toEqual(['summary', 'timeline', 'rules', 'labels', 'compare']);

    expect(Object.keys(m.charts).sort()).toEqual(['confusion', 'pr-curve', 'rule-hits', 'timeline']);
    for (const [name, c] of Object.entries(m.charts)) {
      expect(c.w, name).toBeGreaterThan(100);
      expect(c.h, name).toBeGreaterThan(100);
      expect(c.title, name).not.toBe('');
    }

    // timeline: one group per bucket, one rect per non-zero outcome, total height ∝ decisions
    const buckets = report.timeline.buckets;
    expect(m.buckets).toHaveLength(buckets.length);
    const nonZero = buckets.reduce((n, b) => n + (b.allow > 0 ? 1 : 0) + (b.review > 0 ? 1 : 0) + (b.deny > 0 ? 1 : 0), 0);
    expect(m.buckets.reduce((n, b) => n + b.heights.length, 0)).toBe(nonZero);
    for (const b of m.buckets) for (const h of b.heights) expect(h).toBeGreaterThan(0);
    expectProportional(
      buckets.map((b) => b.allow + b.review + b.deny),
      m.buckets.map((b) => b.heights.reduce((a, h) => a + h, 0)),
    );

    // rule hits: one bar per rule, most hits first, width ∝ hits, shadow rules hatched
    expect(m.rules).toHaveLength(report.rules.length);
    const byId = new Map(report.rules.map((r) => [r.id, r]));
    expect(m.rules.map((r) => byId.get(r.id)!.hits)).toEqual(report.rules.map((r) => r.hits).sort((a, b) => b - a));
    expectProportional(m.rules.map((r) => byId.get(r.id)!.hits), m.rules.map((r) => r.width));
    for (const r of m.rules) {
      expect(r.mode).toBe(byId.get(r.id)!.mode);
      expect(r.fill.startsWith('url(')).toBe(r.mode === 'shadow');
    }

    // precision/recall curve: a point per threshold with both defined, inside the chart; targets ringed
    const drawable = report.labels!.sweep.filter((s) => s.precision != null && s.recall != null);
    expect(drawable.length).toBeGreaterThan(50);
    expect(m.points.map((p) => p.threshold)).toEqual(drawable.map((s) => s.threshold));
    expect(m.points.every((p) => p.inside)).toBe(true);
    const reached = report.labels!.targets.filter((t) => t.threshold != null);
    expect(reached).toHaveLength(2);
    expect(m.targets).toEqual(reached.map((t) => `${t.metric}@${t.threshold}`));
    expect(m.decisionMarkers).toBe(1);

    // confusion matrix: four cells of equal non-zero size showing the counts
    expect(Object.keys(m.cells).sort()).toEqual(['fn', 'fp', 'tn', 'tp']);
    const d = report.labels!.decision;
    for (const key of ['tp', 'fp', 'tn', 'fn'] as const) {
      expect(m.cells[key]!.w).toBeGreaterThan(50);
      expect(m.cells[key]!.h).toBeGreaterThan(50);
      expect(m.cells[key]!.text).toBe(d[key].toLocaleString('en-US'));
    }

    expect(m.text).not.toMatch(/NaN|undefined|Infinity/);
    expect(m.text).toContain('Champion vs challenger');
    expect(m.text).toContain('not reached');
    expect(statSync(screenshot).size).toBeGreaterThan(20_000);
  });

  it('shows only the timeline and rule hits without labels or a challenger', async () => {
    const report = buildReport({ labels: false, compare: false });
    const { m, errors, requests } = await open(report, 'plain');
    expect(errors).toEqual([]);
    expect(requests).toHaveLength(1);
    expect(m.sections).toEqual(['summary', 'timeline', 'rules']);
    expect(Object.keys(m.charts).sort()).toEqual(['rule-hits', 'timeline']);
    expect(m.buckets).toHaveLength(72);
    expect(m.rules).toHaveLength(report.rules.length);
  });

  it('renders an empty replay (no events, no rules, labels without positives) without errors or NaN', async () => {
    const { m, errors } = await open(emptyReport(), 'empty');
    expect(errors).toEqual([]);
    expect(Object.keys(m.charts).sort()).toEqual(['confusion', 'pr-curve', 'rule-hits', 'timeline']);
    for (const c of Object.values(m.charts)) {
      expect(c.w).toBeGreaterThan(100);
      expect(c.h).toBeGreaterThan(50);
    }
    expect(m.buckets).toHaveLength(0);
    expect(m.rules).toHaveLength(0);
    expect(m.points).toHaveLength(0);
    expect(m.targets).toHaveLength(0);
    expect(m.decisionMarkers).toBe(0);
    expect(Object.keys(m.cells)).toHaveLength(4);
    expect(m.text).toContain('No decided events');
    expect(m.text).not.toMatch(/NaN|undefined|Infinity/);
  });
});
