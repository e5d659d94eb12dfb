import type { ReplayReport } from '../Report.ts';
import { escapeHtml } from './escapeHtml.ts';
import { formatCount, formatShare, formatTime } from './format.ts';
import { htmlTable } from './htmlTable.ts';
import { COLORS } from './palette.ts';

const OUTCOMES = ['allow', 'review', 'deny'] as const;

function card(key: string, value: string, sub = '', cls = ''): string {
  return `<div class="card${cls ? ' ' + cls : ''}"><div class="k">${escapeHtml(key)}</div><div class="v">${value}</div>` +
    (sub ? `<div class="s">${sub}</div>` : '') + '</div>';
}

/** Input counts, decisions by outcome, catalog and malformed lines. */
export function summarySection(report: ReplayReport): string {
  const input = report.input;
  const d = report.decisions;
  const total = num(d.allow) + num(d.review) + num(d.deny);
  const c = report.catalog;
  const out: string[] = ['<section id="summary"><h2>Summary</h2><div class="cards">'];
  out.push(
    card('events decided', formatCount(input.events), `${formatCount(input.lines)} lines read`),
    card('malformed lines', formatCount(input.malformed), 'skipped'),
    card('late events', formatCount(input.late), 'decided, not matched'),
    card('keys', formatCount(input.keys), 'distinct'),
    card('alerts', formatCount(report.alerts), 'pattern matches emitted'),
  );
  for (const o of OUTCOMES) out.push(card(o, formatCount(d[o]), `${formatShare(d[o], total)} of decisions`, o));
  out.push('</div>');
  if (total > 0) {
    out.push('<div class="share-bar" role="presentation">');
    for (const o of OUTCOMES) {
      const share = num(d[o]) / total;
      if (share > 0) out.push(`<span style="width:${(share * 100).toFixed(3)}%;background:${COLORS[o]}" title="${o} ${formatShare(d[o], total)}"></span>`);
    }
    out.push('</div>');
  }
  out.push(
    '<dl class="meta">',
    `<dt>events file</dt><dd class="code">${escapeHtml(input.file)}</dd>`,
    `<dt>event time</dt><dd>${input.firstEventTime == null ? 'no events' : `${formatTime(input.firstEventTime)} → ${formatTime(input.lastEventTime)} UTC`}</dd>`,
    `<dt>catalog version</dt><dd class="code">${escapeHtml(c.version)}</dd>`,
    `<dt>rules</dt><dd>${formatCount(c.rules)} from <span class="code">${escapeHtml(c.rulesDir)}</span></dd>`,
    `<dt>patterns</dt><dd>${formatCount(c.patterns)} from <span class="code">${escapeHtml(c.patternsDir)}</span></dd>`,
    `<dt>features</dt><dd>${formatCount(c.features)}</dd>`,
  );
  if (report.labels) {
    const l = report.labels;
    out.push(
      `<dt>label</dt><dd><span class="code">${escapeHtml(l.field)}</span>: ${formatCount(l.positives)} fraud, ` +
        `${formatCount(l.negatives)} legitimate, ${formatCount(l.unlabelled)} unlabelled</dd>`,
    );
  }
  out.push('</dl>');

  const malformed = report.malformed ?? [];
  if (malformed.length > 0) {
    const more = num(input.malformed) > malformed.length ? ` (the first ${formatCount(malformed.length)} of ${formatCount(input.malformed)})` : '';
    out.push(
      `<details><summary>Malformed lines${more}</summary>`,
      htmlTable(
        [{ label: 'line', num: true }, { label: 'reason', code: true }],
        malformed.map((m) => [formatCount(m.line), escapeHtml(m.reason)]),
      ),
      '</details>',
    );
  }
  out.push('</section>');
  return out.join('');
}

function num(n: number): number {
  return Number.isFinite(n) ? n : 0;
}
