import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../src/runtime/index.ts';
import { openTestEngine } from './helpers/testEngine.ts';
import { tempDir, writeJsonFiles } from './helpers/tempDir.ts';

let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

const NOOLS = (score: number) => `
/**
 * @id nools-big
 * @version 1
 * @mode enforce
 * @appliesTo transaction
 * @description big payment from a young account
 */
rule BigYoung {
  when {
    f: Facts f.event.amount > 1000 && f.event.accountAgeDays < 30;
  }
  then {
    fire('review', ${score}, 'BIG_YOUNG');
  }
}
`;

describe('nools rules in the engine', () => {
  it('decide beside the JSON rules, and reload like them', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const rulesDir = join(dir.path, 'rules');
    writeJsonFiles(rulesDir, { 'policy.json': { combine: 'max', reviewThreshold: 50, denyThreshold: 80 } });
    writeFileSync(join(rulesDir, 'big.nools'), NOOLS(60));
    const engine: Engine = await openTestEngine(dir.path, rulesDir);
    cleanups.push(() => engine.close());
    const ev = (id: string, amount: number, accountAgeDays: number) =>
      engine.parser.parseValue({ id, type: 'transaction', timestamp: 1, userId: 'n', amount, accountAgeDays });

    expect((await engine.decide(ev('a', 5000, 3))).reasons).toEqual([
      { rule: 'nools-big', version: 1, action: 'review', score: 60, reason: 'BIG_YOUNG' },
    ]);
    expect((await engine.decide(ev('b', 5000, 300))).decision).toBe('allow');

    writeFileSync(join(rulesDir, 'big.nools'), NOOLS(95));
    expect((await engine.reloadCatalog()).ok).toBe(true);
    const d = await engine.decide(ev('c', 5000, 3));
    expect([d.decision, d.score]).toEqual(['review', 95]); // a review rule forces review (policy precedence)

    // A broken nools file is reported with its file and line; the running rules stay.
    writeFileSync(join(rulesDir, 'broken.nools'), '/**\n * @id broken\n * @version x\n */\nrule X { when { f: Facts true; } then { fire("deny", 1, "X"); } }\n');
    const failed = await engine.reloadCatalog();
    expect(failed.ok).toBe(false);
    expect(failed.errors[0]!.file).toMatch(/broken\.nools$/);
    expect(failed.errors[0]!.line).toBe(3);
    expect((await engine.decide(ev('d', 5000, 3))).score).toBe(95);
  });
});
