import type { CompareReport, OutcomeCounts, ReplayReport } from '../Report.ts';
import { escapeHtml } from './escapeHtml.ts';
import { formatCount, formatDelta, formatNumber } from './format.ts';
import { htmlTable } from './htmlTable.ts';

const OUTCOMES = ['allow', 'review', 'deny'] as const;

function deltaCell(n: number | null): string {
  const text = formatDelta(n);
  if (n == null || !Number.isFinite(n) || n === 0) return text;
  return `<span class="${n > 0 ? 'pos' : 'neg'}">${text}</span>`;
}

function pair(key: string): string {
  const i = key.indexOf('->');
  return i < 0 ? escapeHtml(key) : `${escapeHtml(key.slice(0, i))} → ${escapeHtml(key.slice(i + 2))}`;
}

function list(ids: readonly string[]): string {
  return ids.length === 0 ? '<span class="note">none</span>' : ids.map(escapeHtml).join(', ');
}

/** Champion (the replayed catalog) against challenger (`--compare`): changed decisions, metric deltas, examples. */
export function compareSection(report: ReplayReport, compare: CompareReport): string {
  const champion: OutcomeCounts = report.decisions;
  const challenger: OutcomeCounts = compare.challengerDecisions;
  const out: string[] = [
    '<section id="compare"><h2>Champion vs challenger</h2>',
    '<dl class="meta">',
    `<dt>champion</dt><dd><span class="code">${escapeHtml(report.catalog.version)}</span> — ${formatCount(report.catalog.rules)} rules from <span class="code">${escapeHtml(report.catalog.rulesDir)}</span></dd>`,
    `<dt>challenger</dt><dd><span class="code">${escapeHtml(compare.challenger.version)}</span> — ${formatCount(compare.challenger.rules)} rules from <span class="code">${escapeHtml(compare.challenger.rulesDir)}</span></dd>`,
    `<dt>changed decisions</dt><dd>${formatCount(compare.changedTotal)}</dd>`,
    '</dl>',
    '<h3>Decisions by outcome</h3>',
    htmlTable(
      [{ label: 'outcome' }, { label: 'champion', num: true }, { label: 'challenger', num: true }, { label: 'delta', num: true }],
      OUTCOMES.map((o) => [o, formatCount(champion[o]), formatCount(challenger[o]), deltaCell(challenger[o] - champion[o])]),
    ),
  ];

  const changed = Object.entries(compare.changed ?? {}).sort((a, b) => (b[1] - a[1]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  out.push('<h3 id="changed">Changed decisions</h3>');
  out.push(
    changed.length === 0
      ? '<p class="note">No decision changed.</p>'
      : htmlTable(
          [{ label: 'champion → challenger' }, { label: 'events', num: true }],
          changed.map(([k, v]) => [pair(k), formatCount(v)]),
        ),
  );

  const deltas = compare.deltas ?? [];
  if (deltas.length > 0) {
    out.push(
      '<h3>Metric deltas (challenger − champion)</h3>',
      htmlTable(
        [{ label: 'metric' }, { label: 'champion', num: true }, { label: 'challenger', num: true }, { label: 'delta', num: true }],
        deltas.map((d) => [escapeHtml(d.metric), formatNumber(d.champion), formatNumber(d.challenger), deltaCell(d.delta)]),
      ),
    );
  }

  const examples = compare.examples ?? [];
  if (examples.length > 0) {
    out.push(
      `<h3>Examples (${formatCount(examples.length)})</h3>`,
      htmlTable(
        [
          { label: 'event', code: true }, { label: 'key', code: true }, { label: 'champion → challenger' },
          { label: 'champion reasons', code: true }, { label: 'challenger reasons', code: true },
        ],
        examples.map((e) => [
          escapeHtml(e.eventId), escapeHtml(e.key), `${escapeHtml(e.champion)} → ${escapeHtml(e.challenger)}`,
          list(e.championReasons ?? []), list(e.challengerReasons ?? []),
        ]),
      ),
    );
  }
  out.push('</section>');
  return out.join('');
}
