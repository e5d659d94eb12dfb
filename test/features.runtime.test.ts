import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../src/runtime/index.ts';
import { openTestEngine } from './helpers/testEngine.ts';
import { tempDir, writeJsonFiles } from './helpers/tempDir.ts';

const T0 = Date.UTC(2026, 0, 1);
let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

/** Rules reading history features: velocity on the prior hour, and a device never seen before. */
function setup() {
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  const rulesDir = join(dir.path, 'rules');
  writeJsonFiles(rulesDir, {
    'policy.json': { combine: 'max', reviewThreshold: 50, denyThreshold: 80 },
    'velocity.json': {
      id: 'velocity',
      version: 1,
      description: 'two or more payments in the hour before',
      appliesTo: ['transaction'],
      conditions: { all: [{ fact: 'features', path: '$.txn_count_1h', operator: 'greaterThanInclusive', value: 2 }] },
      event: { type: 'review', params: { score: 60, reason: 'VELOCITY' } },
    },
  });
  copyFileSync('rules/features.json', join(rulesDir, 'features.json'));
  const open = async (): Promise<Engine> => {
    const engine = await openTestEngine(dir.path, rulesDir);
    cleanups.push(() => engine.close());
    return engine;
  };
  return { open };
}

const txn = (id: string, minutes: number, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'transaction',
  timestamp: T0 + minutes * 60_000,
  userId: 'v',
  amount: 10,
  ...extra,
});

describe('history features in the runtime', () => {
  it('gives rules the key history strictly before the event, and keeps it across a restart', async () => {
    const s = setup();
    let engine = await s.open();
    const d1 = await engine.decide(engine.parser.parseValue(txn('a', 0)));
    const d2 = await engine.decide(engine.parser.parseValue(txn('b', 10)));
    expect([d1.decision, d2.decision]).toEqual(['allow', 'allow']); // 0 then 1 payment before
    await engine.close();

    engine = await s.open();
    const d3 = await engine.decide(engine.parser.parseValue(txn('c', 20)));
    expect(d3.decision).toBe('review'); // 2 payments in the hour before: the history survived the restart
    expect(d3.reasons.map((r) => r.reason)).toEqual(['VELOCITY']);
    // 70 minutes after "c", nothing is left in the hour before.
    const d4 = await engine.decide(engine.parser.parseValue(txn('d', 90)));
    expect(d4.decision).toBe('allow');
    await engine.decide(engine.parser.parseValue(txn('e', 91)));

    // The key view shows the features as of the key's latest event ("d" and "e" in the last hour).
    const view = await engine.inspectKey('v');
    expect((view!.features as Record<string, { value: unknown }>).txn_count_1h!.value).toBe(2);
  });

  it('does not count a repeated event twice', async () => {
    const s = setup();
    const engine = await s.open();
    await engine.decide(engine.parser.parseValue(txn('x', 0)));
    await engine.decide(engine.parser.parseValue(txn('x', 0)));
    const d = await engine.decide(engine.parser.parseValue(txn('y', 1)));
    expect(d.decision).toBe('allow'); // one payment before, not two
  });
});
