import type { Contiguity, StageSource } from './types.ts';

type Duration = number | string;
type Json = Record<string, unknown>;
export type AfterMatchJson =
  | 'noSkip'
  | 'skipToNext'
  | 'skipPastLastEvent'
  | { skipToFirst: string; throwOnMiss?: boolean }
  | { skipToLast: string; throwOnMiss?: boolean };

type StageJson = StageSource<Duration>;

const STAGE_ORDER = ['name', 'contiguity', 'where', 'times', 'optional', 'greedy', 'inner', 'until', 'within', 'group'] as const;

/**
 * A FlinkCEP-style builder for pattern JSON (spec/patterns.md is the contract; the builder only
 * writes it): `Pattern.begin('a').where(c).followedBy('b').oneOrMore().within('10m').toJSON()`.
 * Methods after a stage apply to that stage. Validation happens when the JSON is parsed.
 */
export class Pattern {
  private readonly stages: StageJson[] = [];
  private readonly meta: Json = {};
  private window?: Duration;

  private constructor() {}

  /** Starts a pattern with a stage, or with a group (a sub-pattern treated as one stage). */
  static begin(first: string | Pattern, groupName?: string): Pattern {
    const p = new Pattern();
    p.stages.push(typeof first === 'string' ? { name: first } : Pattern.group(first, groupName));
    return p;
  }

  private static group(sub: Pattern, name?: string): StageJson {
    const stages = sub.stages.map(cloneStage);
    return { name: name ?? `(${stages.map((s) => s.name).join(' ')})`, group: stages };
  }

  private get last(): StageJson {
    return this.stages[this.stages.length - 1]!;
  }

  private append(contiguity: Contiguity, next: string | Pattern, groupName?: string): this {
    const stage = typeof next === 'string' ? { name: next } : Pattern.group(next, groupName);
    this.stages.push({ ...stage, contiguity });
    return this;
  }

  // --- stage conditions ---
  /** Condition of the current stage; a second `where` is ANDed (as in FlinkCEP). */
  where(condition: unknown): this {
    const s = this.last;
    s.where = s.where === undefined ? condition : { all: [s.where, condition] };
    return this;
  }
  /** ORs a condition with the current stage's. */
  or(condition: unknown): this {
    const s = this.last;
    s.where = s.where === undefined ? condition : { any: [s.where, condition] };
    return this;
  }
  until(condition: unknown): this {
    this.last.until = condition;
    return this;
  }

  // --- contiguity ---
  next(name: string | Pattern, groupName?: string): this {
    return this.append('next', name, groupName);
  }
  followedBy(name: string | Pattern, groupName?: string): this {
    return this.append('followedBy', name, groupName);
  }
  followedByAny(name: string | Pattern, groupName?: string): this {
    return this.append('followedByAny', name, groupName);
  }
  notNext(name: string): this {
    return this.append('notNext', name);
  }
  notFollowedBy(name: string): this {
    return this.append('notFollowedBy', name);
  }

  // --- quantifiers ---
  /** `times(n)`, or `times(from, to)`; `window` bounds each take (spec §4, stage `within`). */
  times(from: number, to?: number, window?: Duration): this {
    this.last.times = to === undefined ? from : { min: from, max: to };
    if (window !== undefined) this.last.within = window;
    return this;
  }
  timesOrMore(n: number, window?: Duration): this {
    this.last.times = { min: n };
    if (window !== undefined) this.last.within = window;
    return this;
  }
  oneOrMore(window?: Duration): this {
    return this.timesOrMore(1, window);
  }
  optional(): this {
    this.last.optional = true;
    return this;
  }
  greedy(): this {
    this.last.greedy = true;
    return this;
  }
  consecutive(): this {
    this.last.inner = 'strict';
    return this;
  }
  allowCombinations(): this {
    this.last.inner = 'any';
    return this;
  }

  /**
   * `within(d)`: the whole pattern (FlinkCEP FIRST_AND_LAST); `within(d, 'previousAndCurrent')`:
   * the current stage (each event it takes, counted from the event taken before).
   */
  within(window: Duration, type: 'firstAndLast' | 'previousAndCurrent' = 'firstAndLast'): this {
    if (type === 'firstAndLast') this.window = window;
    else this.last.within = window;
    return this;
  }

  // --- pattern fields ---
  id(id: string): this {
    this.meta.id = id;
    return this;
  }
  version(version: number): this {
    this.meta.version = version;
    return this;
  }
  description(text: string): this {
    this.meta.description = text;
    return this;
  }
  key(field: string): this {
    this.meta.key = field;
    return this;
  }
  afterMatch(strategy: AfterMatchJson): this {
    this.meta.afterMatch = strategy;
    return this;
  }
  timeouts(on = true): this {
    this.meta.timeouts = on;
    return this;
  }
  emit(emit: Record<string, unknown>): this {
    this.meta.emit = emit;
    return this;
  }

  /** The pattern JSON (spec §1). */
  toJSON(): Json {
    const out: Json = {};
    for (const k of ['id', 'version', 'description', 'key'] as const) if (this.meta[k] !== undefined) out[k] = this.meta[k];
    if (this.window !== undefined) out.within = this.window;
    for (const k of ['afterMatch', 'timeouts'] as const) if (this.meta[k] !== undefined) out[k] = this.meta[k];
    out.stages = this.stages.map(cloneStage);
    if (this.meta.emit !== undefined) out.emit = this.meta.emit;
    return out;
  }
}

function cloneStage(s: StageJson): StageJson {
  const out: Record<string, unknown> = {};
  for (const k of STAGE_ORDER) {
    const v = s[k];
    if (v === undefined) continue;
    out[k] = k === 'group' ? (v as StageJson[]).map(cloneStage) : v;
  }
  return out as unknown as StageJson;
}
