import { z } from 'zod';
import { ValidationError, fromZodIssues } from '../../errors.ts';
import { createUser } from './createUser.ts';
import { Random } from './Random.ts';
import { SCENARIO_SPAN_MS, SCENARIO_WRITERS } from './scenarios.ts';
import { SCENARIOS, type GenerateOptions, type GeneratedEvent, type Injection } from './types.ts';
import { userActivity } from './userActivity.ts';
import { DAY, HOUR, UserContext } from './UserContext.ts';

/** 2026-01-05T00:00:00Z, a Monday. */
export const DEFAULT_START = Date.UTC(2026, 0, 5);

export const generateOptionsSchema = z.object({
  users: z.number().int('must be an integer').min(1, 'must be at least 1').max(1_000_000, 'must be at most 1,000,000'),
  days: z.number().int('must be an integer').min(1, 'must be at least 1').max(366, 'must be at most 366'),
  seed: z.number().int('must be an integer').min(0, 'must be at least 0').max(Number.MAX_SAFE_INTEGER, 'must be a safe integer'),
  fraudRate: z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1'),
  start: z.number().int('must be an integer number of epoch milliseconds').min(0).default(DEFAULT_START),
});

/** Validates generator options (a `ValidationError` with the field paths otherwise). */
export function parseGenerateOptions(input: unknown): GenerateOptions {
  const parsed = generateOptionsSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError('generate options', fromZodIssues(parsed.error.issues));
  return parsed.data;
}

export interface GeneratedStream {
  /** Every event, sorted by timestamp (ties in a fixed order), ids `evt_0000001`, …. */
  events: GeneratedEvent[];
  /** The scenario injected for each affected user (the ground truth). */
  injections: Injection[];
}

/**
 * A seeded synthetic stream: `users` users over `days` days with their ordinary activity, and a
 * fraud scenario injected for `round(users × fraudRate)` of them (the scenarios in turn, so each
 * gets a fifth). Pure: the same options give the same events, byte for byte once serialised.
 */
export function generateEvents(input: GenerateOptions): GeneratedStream {
  const options = parseGenerateOptions(input);
  const { users, days, seed, start } = options;
  const injections = planInjections(options);
  const byUser = new Map(injections.map((inj) => [inj.userId, inj]));
  const all: GeneratedEvent[] = [];
  for (let i = 0; i < users; i++) {
    const rng = new Random(seed, 2 * i + 1);
    const user = createUser(rng, i, days, start);
    const ctx = new UserContext(user, rng, start, days);
    const events = userActivity(ctx);
    const inj = byUser.get(user.id);
    if (inj !== undefined) {
      for (const e of SCENARIO_WRITERS[inj.scenario](ctx, new Random(seed, 2 * i + 2), inj.time)) if (ctx.inRange(e.timestamp)) events.push(e);
    }
    finishUser(ctx, events);
    for (let j = 0; j < events.length; j++) all.push(events[j]!);
  }
  all.sort(byTime);
  const width = Math.max(7, String(all.length).length);
  for (let i = 0; i < all.length; i++) all[i]!.id = `evt_${String(i + 1).padStart(width, '0')}`;
  return { events: all, injections };
}

function byTime(a: GeneratedEvent, b: GeneratedEvent): number {
  return a.timestamp - b.timestamp;
}

/**
 * Which users get which scenario, and when: a seeded choice of `round(users × fraudRate)` users,
 * scenarios assigned in turn, start times uniform over the stream after its first day (or its
 * first quarter for short streams), leaving room for the scenario to finish.
 */
export function planInjections(options: GenerateOptions): Injection[] {
  const { users, days, seed, fraudRate, start } = options;
  const rng = new Random(seed, 0);
  const affected = Math.round(users * fraudRate);
  const order = new Int32Array(users);
  for (let i = 0; i < users; i++) order[i] = i;
  const span = days * DAY;
  const from = Math.min(DAY, span / 4);
  const out: Injection[] = [];
  for (let k = 0; k < affected; k++) {
    const j = k + Math.floor(rng.next() * (users - k));
    const chosen = order[j]!;
    order[j] = order[k]!;
    order[k] = chosen;
    const scenario = SCENARIOS[k % SCENARIOS.length]!;
    const latest = Math.max(from, span - SCENARIO_SPAN_MS[scenario] - HOUR);
    out.push({ userId: `u_${String(chosen + 1).padStart(5, '0')}`, scenario, time: start + Math.floor(rng.uniform(from, latest)) });
  }
  return out;
}

/** Sorts one user's events and fills in what depends on their order: account age and prior payments. */
function finishUser(ctx: UserContext, events: GeneratedEvent[]): void {
  events.sort(byTime);
  let prior = ctx.user.priorPayments;
  for (const e of events) {
    if (e.type !== 'transaction') continue;
    e.accountAgeDays = ctx.ageAt(e.timestamp);
    (e.customer as { priorPayments: number }).priorPayments = prior;
    if (e.status === 'approved') prior++;
  }
}

/** One JSON line per event (the `argus generate` output format). */
export function* toJsonLines(events: readonly GeneratedEvent[]): Generator<string> {
  for (const e of events) yield `${JSON.stringify(e)}\n`;
}
