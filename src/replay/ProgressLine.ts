import type { ReplayProgress } from './runReplay.ts';

function clock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(r).padStart(2, '0')}` : `${m}:${String(r).padStart(2, '0')}`;
}

/** `[#####.....]  45.2%  1,234,567 events  110,000 events/s  ETA 0:05` (from bytes read of the file size). */
export function formatProgress(p: ReplayProgress, width = 24): string {
  const fraction = p.totalBytes > 0 ? Math.min(1, p.bytesRead / p.totalBytes) : p.done ? 1 : 0;
  const filled = Math.round(fraction * width);
  const seconds = p.elapsedMs / 1000;
  const rate = seconds > 0 ? p.events / seconds : 0;
  const eta = fraction > 0 ? (seconds * (1 - fraction)) / fraction : Number.NaN;
  const bad = p.malformed > 0 ? `  ${p.malformed.toLocaleString('en-US')} malformed` : '';
  return (
    `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(1).padStart(5)}%  ` +
    `${p.events.toLocaleString('en-US')} events  ${Math.round(rate).toLocaleString('en-US')} events/s${bad}  ` +
    (p.done ? `done in ${clock(seconds)}` : `ETA ${clock(eta)}`)
  );
}

/**
 * Progress on a stream: on a terminal one line rewritten in place; otherwise a plain line at most
 * every `plainEveryMs` (default 5 s) and one at the end.
 */
export class ProgressLine {
  private lastPlain = Number.NEGATIVE_INFINITY;
  constructor(
    private readonly out: { write(s: string): unknown; isTTY?: boolean },
    private readonly plainEveryMs = 5_000,
  ) {}

  update(p: ReplayProgress): void {
    if (this.out.isTTY === true) {
      this.out.write(`\r${formatProgress(p)}\u001b[K${p.done ? '\n' : ''}`);
      return;
    }
    if (!p.done && p.elapsedMs - this.lastPlain < this.plainEveryMs) return;
    this.lastPlain = p.elapsedMs;
    this.out.write(`replay: ${formatProgress(p)}\n`);
  }
}
