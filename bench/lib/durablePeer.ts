/**
 * The durable_rules peer of bench/cep.bench.ts, run in a CHILD process (durable's host starts
 * timers that never stop, and its native core aborts or segfaults past 1,024 states per ruleset):
 *
 *   node --import tsx bench/lib/durablePeer.ts <keys> <events> <seed> <post|filtered>
 *
 * Posts the events of `generateCepEvents(events, keys, seed)` (one durable state per key, `sid` =
 * key) to a ruleset holding the 3-stage sequence of pattern (a), and prints ONE JSON line:
 * `{ ok: true, ms, cpuMs, matches, pending, rssBytes }` or `{ ok: false, reason }`.
 *
 * `durable` is a dev-only dependency loaded here and nowhere in src/ or test/.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { generateCepEvents, since, startClock } from './cepEvents.ts';

/** What this peer uses of durable's JavaScript host. */
interface DurableHost {
  registerRulesets(definitions: Record<string, unknown>): string[];
  post(ruleset: string, message: Record<string, unknown>): unknown;
  getPendingEvents(ruleset: string, sid: string): unknown[];
}
interface Durable {
  getHost(): DurableHost;
}

/** Its context in an action: the named events of the match. */
interface MatchContext {
  first: { id: string };
  second: { id: string };
  third: { id: string };
}

/**
 * Pattern (a) in durable_rules' JSON ruleset form: a, then b, then c, with event time strictly
 * increasing from stage to stage (arrival order: times are strictly increasing in the stream) and
 * c less than `windowMs` after a (Argus' `within`: a match must end before start + within).
 * durable_rules has no event-time window of its own; this is its documented way to correlate.
 */
export function sequenceRuleset(windowMs: number, onMatch: (c: MatchContext) => void): Record<string, unknown> {
  return {
    seq: {
      r_0: {
        all: [
          { first: { type: 'a' } },
          { second: { $and: [{ type: 'b' }, { $gt: { time: { first: 'time' } } }] } },
          {
            third: {
              $and: [{ type: 'c' }, { $gt: { time: { second: 'time' } } }, { $lt: { time: { $add: { $l: { first: 'time' }, $r: windowMs } } } }],
            },
          },
        ],
        run: onMatch,
      },
    },
  };
}

/** How far it got, on stderr (synchronous on a pipe): the parent reports it if the child crashes. */
function progress(i: number): void {
  process.stderr.write(`posted ${i}\n`);
}

export function loadDurable(): Durable {
  const require = createRequire(import.meta.url);
  return require('durable') as Durable;
}

export function runPeer(keys: number, n: number, seed: number, mode: 'post' | 'filtered', windowMs: number): Record<string, unknown> {
  let durable: Durable;
  try {
    durable = loadDurable();
  } catch (err) {
    return { ok: false, reason: `durable is not installed or its native module did not build: ${(err as Error).message.split('\n')[0]}` };
  }
  const { events } = generateCepEvents(n, keys, seed);
  // durable takes JSON messages: the message is the event's fields plus its state id; built
  // before the clock starts, as our events are.
  const messages = events.map((e) => ({ sid: e.key, id: e.id, type: e.type, time: e.time, amount: (e.data as { amount: number }).amount }));
  let matches = 0;
  const host = durable.getHost();
  // An action must take the context (durable checks the function's arity).
  host.registerRulesets(sequenceRuleset(windowMs, (_c) => void matches++));
  let rejected = 0;
  const t0 = startClock();
  if (mode === 'post') {
    // Every event. durable throws MessageNotHandledError for an event no rule can take (the 70 %
    // of other types): that is its API, so its cost is part of the figure.
    for (let i = 0; i < messages.length; i++) {
      if ((i & 0x3ff) === 0) progress(i);
      try {
        host.post('seq', messages[i]!);
      } catch (err) {
        if ((err as Error)?.name !== 'MessageNotHandledError' && !String((err as Error)?.message).startsWith('Could not handle message')) throw err;
        rejected++;
      }
    }
  } else {
    // Generous to the peer: the events no stage can take are filtered out here (in the timed loop,
    // as cheaply as it gets) and only a, b and c events are posted; the rate still counts every event.
    for (let i = 0; i < messages.length; i++) {
      if ((i & 0x3ff) === 0) progress(i);
      const m = messages[i]!;
      if (m.type === 'a' || m.type === 'b' || m.type === 'c') host.post('seq', m);
      else rejected++;
    }
  }
  const t = since(t0);
  let pending = 0;
  for (let k = 0; k < keys; k++) pending += host.getPendingEvents('seq', `user-${k}`).length;
  return { ok: true, mode, ms: t.ms, cpuMs: t.cpuMs, matches, rejected, pending, rssBytes: process.memoryUsage().rss };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [keys = '1000', n = '100000', seed = '42', mode = 'post', windowMs = '600000'] = process.argv.slice(2);
  let result: Record<string, unknown>;
  try {
    result = runPeer(Number(keys), Number(n), Number(seed), mode === 'filtered' ? 'filtered' : 'post', Number(windowMs));
  } catch (err) {
    result = { ok: false, reason: `durable_rules failed: ${String((err as Error)?.message ?? err).slice(0, 300)}` };
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
  // durable's host keeps two timer loops alive forever.
  process.exit(0);
}
