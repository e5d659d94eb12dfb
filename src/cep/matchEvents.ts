import type { ArgusEvent } from '../events/ArgusEvent.ts';
import { EventParser } from '../events/index.ts';
import { compilePattern, type CompiledPattern } from './compilePattern.ts';
import { parsePattern } from './parsePattern.ts';
import { advanceTime, createStepOutput, processEvent } from './processEvent.ts';
import type { CepResult, KeyState, MatchOutput, StepOutput } from './types.ts';

/**
 * One pattern over a sequence of events, one NFA state per key (spec §8): each key's time is
 * that of its own events; `finish()` takes every key to +∞.
 */
export class PatternMatcher {
  private readonly keys = new Map<string, KeyState>();
  private readonly out: StepOutput = createStepOutput();

  constructor(readonly pattern: CompiledPattern) {}

  /** Feeds one event; returns the results it produced (valid until the next call). */
  push(event: ArgusEvent): CepResult[] {
    this.out.results.length = 0;
    const before = this.keys.get(event.key);
    const after = processEvent(this.pattern, before, event, this.out);
    if (after === undefined) {
      if (before !== undefined) this.keys.delete(event.key);
    } else if (after !== before) {
      this.keys.set(event.key, after);
    }
    return this.out.results;
  }

  /** End of input: time goes to +∞ for every key. */
  finish(): CepResult[] {
    this.out.results.length = 0;
    for (const state of this.keys.values()) advanceTime(this.pattern, state, Infinity, this.out);
    this.keys.clear();
    return this.out.results;
  }

  /** Partial matches dropped at the per-key bound so far. */
  get dropped(): number {
    return this.out.dropped;
  }

  /** Keys with live state. */
  get liveKeys(): number {
    return this.keys.size;
  }
}

/** The spec §8 output record of a result (event ids per stage). */
export function toMatchOutput(r: CepResult): MatchOutput {
  const stages: Record<string, string[]> = {};
  for (const name in r.events) stages[name] = r.events[name]!.map((e) => e.id);
  return { kind: r.kind, pattern: r.pattern, key: r.key, timestamp: r.timestamp, stages };
}

/**
 * Runs a pattern (JSON) over events (envelopes) exactly as `argus match` does: events in the
 * given order, one key per value of the key field (option, else the pattern's `key`, else
 * `userId`), time to +∞ at the end. Returns results in the order produced.
 */
export function matchEvents(
  pattern: unknown,
  events: unknown[],
  options: { keyField?: string; file?: string; maxPartialMatches?: number } = {},
): MatchOutput[] {
  const def = parsePattern(pattern, options.file);
  const matcher = new PatternMatcher(compilePattern(def, { maxPartialMatches: options.maxPartialMatches }));
  const parser = new EventParser({ keyField: options.keyField ?? def.key ?? 'userId' });
  const out: MatchOutput[] = [];
  for (let i = 0; i < events.length; i++) {
    const event = parser.parseValue(events[i], { line: i + 1 });
    for (const r of matcher.push(event)) out.push(toMatchOutput(r));
  }
  for (const r of matcher.finish()) out.push(toMatchOutput(r));
  return out;
}
