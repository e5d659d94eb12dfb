import { escapeHtml } from './escapeHtml.ts';

export type ChartName = 'timeline' | 'rule-hits' | 'pr-curve' | 'confusion';

/**
 * The outer `<svg>` of a chart: `data-chart` names it, `<title>` and `<desc>` make it accessible
 * (`role="img"`, `aria-labelledby`). The body is trusted markup built by the chart functions.
 */
export function svgFrame(chart: ChartName, title: string, desc: string, width: number, height: number, body: string): string {
  const id = `chart-${chart}`;
  return (
    `<svg class="chart" data-chart="${chart}" role="img" aria-labelledby="${id}-title ${id}-desc" ` +
    `xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">` +
    `<title id="${id}-title">${escapeHtml(title)}</title><desc id="${id}-desc">${escapeHtml(desc)}</desc>` +
    body +
    '</svg>'
  );
}
