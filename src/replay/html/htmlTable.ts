import { escapeHtml } from './escapeHtml.ts';

export interface Column {
  label: string;
  /** Right-aligned numeric column. */
  num?: boolean;
  /** Monospace column for ids and keys. */
  code?: boolean;
}

/**
 * A `<table>`. Header labels are escaped here; cells are markup the caller built (every
 * report string in them already passed through `escapeHtml`).
 */
export function htmlTable(columns: readonly Column[], rows: readonly (readonly string[])[], empty = 'None.'): string {
  if (rows.length === 0) return `<p class="note">${escapeHtml(empty)}</p>`;
  const cls = (c: Column) => (c.num ? ' class="num"' : c.code ? ' class="code"' : '');
  const head = columns.map((c) => `<th${c.num ? ' class="num"' : ''} scope="col">${escapeHtml(c.label)}</th>`).join('');
  const body = rows
    .map((row) => `<tr>${row.map((cell, j) => `<td${cls(columns[j] ?? { label: '' })}>${cell}</td>`).join('')}</tr>`)
    .join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}
