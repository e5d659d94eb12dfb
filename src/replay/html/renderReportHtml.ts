import type { ReplayReport } from '../Report.ts';
import { compareSection } from './compareSection.ts';
import { escapeHtml } from './escapeHtml.ts';
import { formatCount, formatRatio } from './format.ts';
import { htmlTable } from './htmlTable.ts';
import { labelsSection } from './labelsSection.ts';
import { COLORS } from './palette.ts';
import { REPORT_STYLES } from './reportStyles.ts';
import { ruleHitsChart, rulesByHits } from './ruleHitsChart.ts';
import { summarySection } from './summarySection.ts';
import { timelineChart } from './timelineChart.ts';

/**
 * A replay report as one self-contained HTML file: inline CSS and inline SVG charts, no script,
 * no external resource (a Content-Security-Policy forbids fetching any). Every string that comes
 * from the report is escaped; missing numbers print as "—", never NaN. Deterministic: the same
 * report gives the same bytes.
 */
export function renderReportHtml(report: ReplayReport): string {
  const labels = report.labels ?? null;
  const compare = report.compare ?? null;
  const rules = report.rules ?? [];
  const patterns = report.patterns ?? [];
  const title = `Argus replay — ${report.input.file}`;

  const nav = [
    ['summary', 'Summary'],
    ['timeline', 'Decisions over time'],
    ['rules', 'Rule hits'],
    ...(labels ? [['labels', 'Accuracy'], ['pr-curve', 'Threshold curve']] : []),
    ...(compare ? [['compare', 'Champion vs challenger']] : []),
  ];

  const parts: string[] = [
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="argus replay, report format ${escapeHtml(report.version)}">`,
    `<title>${escapeHtml(title)}</title><style>${REPORT_STYLES}</style></head><body><main>`,
    `<header><h1>Argus replay report</h1><p><span class="code">${escapeHtml(report.input.file)}</span> · catalog <span class="code">${escapeHtml(report.catalog.version)}</span></p></header>`,
    `<nav>${nav.map(([id, text]) => `<a href="#${id}">${escapeHtml(text)}</a>`).join('')}</nav>`,
    summarySection(report),
    '<section id="timeline"><h2>Decisions over time</h2>',
    `<ul class="legend">${(['allow', 'review', 'deny'] as const).map((o) => `<li><i style="background:${COLORS[o]}"></i>${o}</li>`).join('')}</ul>`,
    timelineChart(report.timeline),
    '</section>',
    rulesSection(report),
  ];
  if (labels) parts.push(labelsSection(labels, rules, patterns));
  if (compare) parts.push(compareSection(report, compare));
  parts.push(`<footer>Argus replay report, format version ${escapeHtml(report.version)}.</footer></main></body></html>\n`);
  return parts.join('\n');
}

function rulesSection(report: ReplayReport): string {
  const rules = rulesByHits(report.rules ?? []);
  const patterns = report.patterns ?? [];
  const out: string[] = [
    '<section id="rules"><h2>Rule hits</h2>',
    ruleHitsChart(rules),
    htmlTable(
      [
        { label: 'rule', code: true }, { label: 'version', num: true }, { label: 'mode' }, { label: 'action' },
        { label: 'hits', num: true }, { label: 'hit rate', num: true },
      ],
      rules.map((r) => [escapeHtml(r.id), formatCount(r.version), escapeHtml(r.mode), escapeHtml(r.action), formatCount(r.hits), formatRatio(r.hitRate)]),
      'No rules in the catalog.',
    ),
  ];
  if (patterns.length > 0) {
    out.push(
      '<h3>Patterns</h3>',
      htmlTable(
        [{ label: 'pattern', code: true }, { label: 'matches', num: true }, { label: 'timeouts', num: true }],
        patterns.map((p) => [escapeHtml(p.id), formatCount(p.matches), formatCount(p.timeouts)]),
      ),
    );
  }
  out.push('</section>');
  return out.join('');
}
