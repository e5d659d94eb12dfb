// FlinkCEP conformance: runs every ported Flink test case through `matchEvents` and
// compares kind, stages (and timestamp where the case gives one) as a multiset, or in
// order where Flink asserts an order. A second block checks that the table itself is
// well formed, so a typo in a case fails here rather than as a confusing engine diff.

import { beforeAll, describe, expect, it } from 'vitest';
import type { ExpectedResult, FlinkCase } from './flinkCase.ts';
import { afterMatchSkipCases } from './afterMatchSkip.cases.ts';
import { greedyCases } from './greedy.cases.ts';
import { groupCases } from './group.cases.ts';
import { iterativeConditionsCases } from './iterativeConditions.cases.ts';
import { nfaCases } from './nfa.cases.ts';
import { notPatternCases } from './notPattern.cases.ts';
import { sameElementCases } from './sameElement.cases.ts';
import { stageWindowCases } from './stageWindow.cases.ts';
import { timesOrMoreCases } from './timesOrMore.cases.ts';
import { timesRangeCases } from './timesRange.cases.ts';
import { untilConditionCases } from './untilCondition.cases.ts';

interface EngineResult {
  kind: 'match' | 'timeout';
  pattern: string;
  key: string;
  timestamp: number;
  stages: Record<string, string[]>;
}
type MatchEvents = (pattern: unknown, events: unknown[], options?: { keyField?: string }) => EngineResult[];

const suites: [string, FlinkCase[]][] = [
  ['NFAITCase', nfaCases],
  ['GreedyITCase', greedyCases],
  ['NotPatternITCase', notPatternCases],
  ['AfterMatchSkipITCase', afterMatchSkipCases],
  ['UntilConditionITCase', untilConditionCases],
  ['GroupITCase', groupCases],
  ['IterativeConditionsITCase', iterativeConditionsCases],
  ['TimesOrMoreITCase', timesOrMoreCases],
  ['TimesRangeITCase', timesRangeCases],
  ['SameElementITCase', sameElementCases],
  ['StageWindowDerived', stageWindowCases],
];
const allCases = suites.flatMap(([, cases]) => cases);

// The engine is imported lazily so this file type-checks and loads before src/cep exists.
const engineUrl = new URL('../../../src/cep/index.ts', import.meta.url).href;
let matchEvents: MatchEvents | undefined;
let engineLoadError: unknown;

beforeAll(async () => {
  try {
    const mod = (await import(/* @vite-ignore */ engineUrl)) as { matchEvents?: MatchEvents };
    if (typeof mod.matchEvents !== 'function') throw new Error('src/cep/index.ts does not export matchEvents');
    matchEvents = mod.matchEvents;
  } catch (error) {
    engineLoadError = error;
  }
});

function engine(): MatchEvents {
  if (matchEvents === undefined) throw new Error(`CEP engine unavailable: ${String(engineLoadError)}`);
  return matchEvents;
}

/** Stable text of one result: kind, timestamp (when the case checks it) and stages with sorted keys. */
function canonical(result: { kind: string; timestamp?: number; stages: Record<string, string[]> }, withTimestamp: boolean) {
  const stages = Object.keys(result.stages)
    .sort()
    .map((name) => `${name}=[${result.stages[name].join(',')}]`)
    .join(' ');
  return withTimestamp ? `${result.kind}@${result.timestamp} ${stages}` : `${result.kind} ${stages}`;
}

function checksTimestamps(expected: ExpectedResult[]): boolean {
  return expected.some((e) => e.timestamp !== undefined);
}

describe('FlinkCEP conformance', () => {
  for (const [suite, cases] of suites) {
    describe(suite, () => {
      it.each(cases.map((c) => [c.name.slice(suite.length + 1), c] as const))('%s', (_method, c) => {
        const run = () => engine()(c.pattern, c.events);
        if (c.expectError) {
          engine();
          expect(run).toThrow();
          return;
        }
        const results = run();
        const withTimestamp = checksTimestamps(c.expected);
        const actual = results.map((r) => canonical(r, withTimestamp));
        const expected = c.expected.map((e) => canonical(e, withTimestamp));
        if (c.ordered) {
          expect(actual).toEqual(expected);
        } else {
          expect([...actual].sort()).toEqual([...expected].sort());
        }
        if (c.stageOrder) {
          expect(results.map((r) => Object.keys(r.stages))).toEqual(c.expected.map((e) => Object.keys(e.stages)));
        }
        for (const r of results) {
          expect(r.pattern).toBe((c.pattern as { id: string }).id);
          expect(r.key).toBe('u1');
        }
      });
    });
  }
});

// ---- the table itself ----

interface StageJson {
  name?: unknown;
  contiguity?: unknown;
  group?: StageJson[];
}

function leafStageNames(stages: StageJson[], out: string[] = []): string[] {
  for (const s of stages) {
    if (Array.isArray(s.group)) leafStageNames(s.group, out);
    else out.push(String(s.name));
  }
  return out;
}

function allStages(stages: StageJson[], out: StageJson[] = []): StageJson[] {
  for (const s of stages) {
    out.push(s);
    if (Array.isArray(s.group)) allStages(s.group, out);
  }
  return out;
}

function firstStagesWithContiguity(stages: StageJson[]): string[] {
  const bad: string[] = [];
  if (stages.length > 0 && stages[0].contiguity !== undefined) bad.push(String(stages[0].name));
  for (const s of stages) if (Array.isArray(s.group)) bad.push(...firstStagesWithContiguity(s.group));
  return bad;
}

describe('FlinkCEP conformance table', () => {
  it('has at least 60 cases with unique names', () => {
    expect(allCases.length).toBeGreaterThanOrEqual(60);
    const names = allCases.map((c) => c.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it.each(allCases.map((c) => [c.name, c] as const))('%s is well formed', (_name, c) => {
    const p = c.pattern as { id: string; stages: StageJson[] };
    expect(p.id).toMatch(/^[a-z0-9][a-z0-9_.-]*$/);
    const stageNames = allStages(p.stages).map((s) => String(s.name));
    expect(stageNames.filter((n, i) => stageNames.indexOf(n) !== i)).toEqual([]);
    expect(stageNames.filter((n) => n === '' || n.includes(':'))).toEqual([]);
    expect(firstStagesWithContiguity(p.stages)).toEqual([]);

    const position = new Map(c.events.map((e, i) => [e.id, i]));
    expect(position.size).toBe(c.events.length);
    for (let i = 1; i < c.events.length; i++) {
      expect(c.events[i].timestamp).toBeGreaterThanOrEqual(c.events[i - 1].timestamp);
    }

    const leaves = new Set(leafStageNames(p.stages));
    for (const e of c.expected) {
      for (const [stage, ids] of Object.entries(e.stages)) {
        expect(leaves.has(stage), `stage '${stage}'`).toBe(true);
        expect(ids.length).toBeGreaterThan(0);
        const at = ids.map((id) => position.get(id));
        expect(at.every((i) => i !== undefined), `ids ${ids.join(',')}`).toBe(true);
        expect([...(at as number[])].sort((a, b) => a - b)).toEqual(at);
      }
    }
    const withTimestamp = c.expected.filter((e) => e.timestamp !== undefined).length;
    expect([0, c.expected.length]).toContain(withTimestamp);
    if (c.expectError) expect(c.expected).toEqual([]);
  });
});
