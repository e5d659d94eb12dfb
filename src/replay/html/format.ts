/**
 * Number and time formatting for the HTML report. Deterministic (no locale), and never prints
 * `NaN`, `Infinity` or `undefined`: a missing or non-finite value prints as an em dash.
 */

export const MISSING = '—';

function isNum(n: unknown): n is number {
  return typeof n === 'number' && Number.isFinite(n);
}

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `1234567` → `1,234,567`; fractions are rounded to an integer. */
export function formatCount(n: number | null | undefined): string {
  if (!isNum(n)) return MISSING;
  const r = Math.round(n);
  return r < 0 ? '-' + group(String(-r)) : group(String(r));
}

/** A ratio in [0, 1] as a percentage with one decimal: `0.1234` → `12.3%`. */
export function formatRatio(r: number | null | undefined): string {
  if (!isNum(r)) return MISSING;
  return (r * 100).toFixed(1) + '%';
}

/** An integer as a count, anything else with up to 4 decimals (`0.8123`, `12.5`). */
export function formatNumber(n: number | null | undefined): string {
  if (!isNum(n)) return MISSING;
  if (Number.isInteger(n)) return formatCount(n);
  const fixed = n.toFixed(4).replace(/\.?0+$/, '');
  return fixed === '-0' ? '0' : fixed;
}

/** A difference with its sign: `+12`, `-0.031`, `0`. */
export function formatDelta(n: number | null | undefined): string {
  if (!isNum(n)) return MISSING;
  const s = formatNumber(n);
  return n > 0 ? '+' + s : s;
}

/** `part / whole` as a percentage, `—` when the whole is 0. */
export function formatShare(part: number, whole: number): string {
  if (!isNum(part) || !isNum(whole) || whole === 0) return MISSING;
  return formatRatio(part / whole);
}

const DAY_MS = 86_400_000;

/** Epoch ms as UTC `YYYY-MM-DD HH:MM` (or just the date when `dateOnly`). */
export function formatTime(ms: number | null | undefined, dateOnly = false): string {
  if (!isNum(ms) || Math.abs(ms) > 8.64e15) return MISSING;
  const iso = new Date(ms).toISOString();
  return dateOnly ? iso.slice(0, 10) : iso.slice(0, 10) + ' ' + iso.slice(11, 16);
}

/** A bucket width in words: `1 hour`, `1 day`, `15 minutes`. */
export function formatDuration(ms: number | null | undefined): string {
  if (!isNum(ms) || ms <= 0) return MISSING;
  const units: [number, string][] = [[DAY_MS, 'day'], [3_600_000, 'hour'], [60_000, 'minute'], [1000, 'second']];
  for (const [size, name] of units) {
    if (ms >= size && ms % size === 0) {
      const k = ms / size;
      return `${k} ${name}${k === 1 ? '' : 's'}`;
    }
  }
  return `${formatNumber(ms)} ms`;
}

/** Whether a timeline bucket width is a whole number of days (labels then omit the time). */
export function isWholeDays(ms: number): boolean {
  return isNum(ms) && ms >= DAY_MS && ms % DAY_MS === 0;
}

/** An SVG coordinate: at most 2 decimals, `0` for anything non-finite, so no `NaN` reaches an attribute. */
export function px(n: number): string {
  if (!isNum(n)) return '0';
  const r = Math.round(n * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}
