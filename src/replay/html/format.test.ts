import { describe, expect, it } from 'vitest';
import { escapeHtml } from './escapeHtml.ts';
import { formatCount, formatDelta, formatDuration, formatNumber, formatRatio, formatTime, px } from './format.ts';
import { niceTicks } from './niceTicks.ts';

describe('escapeHtml', () => {
  it('escapes the five HTML metacharacters and prints nothing for null/undefined', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(12)).toBe('12');
  });
});

describe('formatting', () => {
  it('never prints NaN or Infinity', () => {
    for (const f of [formatCount, formatRatio, formatNumber, formatDelta, formatTime, formatDuration]) {
      expect(f(Number.NaN)).toBe('—');
      expect(f(Infinity)).toBe('—');
      expect(f(null)).toBe('—');
    }
    expect(px(Number.NaN)).toBe('0');
  });

  it('formats counts, ratios, numbers and deltas deterministically', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(-1234)).toBe('-1,234');
    expect(formatRatio(0.12345)).toBe('12.3%');
    expect(formatNumber(0.81234567)).toBe('0.8123');
    expect(formatNumber(2.5)).toBe('2.5');
    expect(formatDelta(3)).toBe('+3');
    expect(formatDelta(-0.025)).toBe('-0.025');
    expect(formatDelta(0)).toBe('0');
    expect(formatTime(Date.UTC(2024, 0, 2, 3, 4))).toBe('2024-01-02 03:04');
    expect(formatTime(Date.UTC(2024, 0, 2), true)).toBe('2024-01-02');
    expect(formatDuration(3_600_000)).toBe('1 hour');
    expect(formatDuration(86_400_000 * 2)).toBe('2 days');
    expect(px(1.23456)).toBe('1.23');
  });

  it('picks integer axis ticks covering the maximum', () => {
    expect(niceTicks(0)).toEqual({ max: 1, ticks: [0, 1] });
    expect(niceTicks(3)).toEqual({ max: 3, ticks: [0, 1, 2, 3] });
    expect(niceTicks(87)).toEqual({ max: 100, ticks: [0, 20, 40, 60, 80, 100] });
    expect(niceTicks(1234).max).toBeGreaterThanOrEqual(1234);
  });
});
