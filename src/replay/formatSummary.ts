import type { Confusion, ReplayReport } from './Report.ts';

function num(n: number): string {
  return n.toLocaleString('en-US');
}

function pct(x: number | null): string {
  return x === null ? '—' : `${(x * 100).toFixed(1)}%`;
}

function share(n: number, total: number): string {
  return total === 0 ? '—' : pct(n / total);
}

function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd())
    .join('\n');
}

function confusionLine(c: Confusion): string {
  return `precision ${pct(c.precision)}  recall ${pct(c.recall)}  F1 ${c.f1 === null ? '—' : c.f1.toFixed(3)}  (tp ${num(c.tp)}, fp ${num(c.fp)}, fn ${num(c.fn)}, tn ${num(c.tn)})`;
}

/** The summary `argus replay` prints on stdout: input, decisions, top rules, labels, comparison. */
export function formatSummary(report: ReplayReport, options: { elapsedMs?: number; outDir?: string; topRules?: number } = {}): string {
  const out: string[] = [];
  const i = report.input;
  const d = report.decisions;
  const total = d.allow + d.review + d.deny;
  out.push(`replay of ${i.file} with catalog ${report.catalog.version}`);
  const rate = options.elapsedMs !== undefined && options.elapsedMs > 0 ? `  in ${(options.elapsedMs / 1000).toFixed(1)} s (${num(Math.round(i.events / (options.elapsedMs / 1000)))} events/s)` : '';
  out.push(`${num(i.lines)} lines, ${num(i.events)} events, ${num(i.malformed)} malformed, ${num(i.late)} late, ${num(i.keys)} keys, ${num(report.alerts)} alerts${rate}`);
  out.push('');
  const rows = [['decision', 'events', 'share']];
  for (const o of ['allow', 'review', 'deny'] as const) rows.push([o, num(d[o]), share(d[o], total)]);
  if (report.compare !== null) {
    const c = report.compare.challengerDecisions;
    rows[0]!.push('challenger', 'share');
    for (const [k, o] of (['allow', 'review', 'deny'] as const).entries()) rows[k + 1]!.push(num(c[o]), share(c[o], total));
  }
  out.push(table(rows));
  const top = [...report.rules].filter((r) => r.hits > 0).sort((a, b) => b.hits - a.hits || (a.id < b.id ? -1 : 1)).slice(0, options.topRules ?? 10);
  if (top.length > 0) {
    out.push('');
    const labelled = report.labels !== null;
    const head = ['rule', 'mode', 'action', 'hits', 'hit rate'];
    if (labelled) head.push('precision', 'recall', 'unique');
    const rr = [head];
    for (const r of top) {
      const row = [r.id, r.mode, r.action, num(r.hits), pct(r.hitRate)];
      if (labelled) row.push(pct(r.confusion?.precision ?? null), pct(r.confusion?.recall ?? null), r.uniqueCatches === null ? '—' : num(r.uniqueCatches));
      rr.push(row);
    }
    out.push(table(rr));
  }
  if (report.labels !== null) {
    const l = report.labels;
    out.push('');
    out.push(`labels (${l.field}): ${num(l.positives)} fraud, ${num(l.negatives)} not, ${num(l.unlabelled)} unlabelled`);
    out.push(`decision (review + deny): ${confusionLine(l.decision)}`);
    for (const t of l.targets) {
      out.push(
        t.threshold === null
          ? `score threshold for ${t.metric} ≥ ${pct(t.target)}: none reaches it`
          : `score threshold for ${t.metric} ≥ ${pct(t.target)}: ${t.threshold} (precision ${pct(t.precision)}, recall ${pct(t.recall)})`,
      );
    }
  }
  if (report.compare !== null) {
    const c = report.compare;
    out.push('');
    out.push(`challenger ${c.challenger.version} (${c.challenger.rulesDir}): ${num(c.changedTotal)} decisions changed`);
    for (const [pair, n] of Object.entries(c.changed)) out.push(`  ${pair}: ${num(n)}`);
    const moved = c.deltas.filter((x) => x.delta !== null && x.delta !== 0 && !x.metric.startsWith('rule.'));
    for (const x of moved) out.push(`  ${x.metric}: ${x.champion} → ${x.challenger} (${x.delta! > 0 ? '+' : ''}${Number(x.delta!.toPrecision(6))})`);
  }
  if (report.malformed.length > 0) {
    out.push('');
    out.push(`malformed lines (first ${Math.min(report.malformed.length, 5)} of ${num(i.malformed)}):`);
    for (const m of report.malformed.slice(0, 5)) out.push(`  line ${m.line}: ${m.reason}`);
  }
  if (options.outDir !== undefined) {
    out.push('');
    out.push(`written to ${options.outDir}: decisions.jsonl, alerts.jsonl, report.json`);
  }
  return `${out.join('\n')}\n`;
}
