import type { CompareReport } from '../Report.ts';

/** Named figures of one catalog's replay, in a fixed order (`metric` names of the report). */
export type MetricSnapshot = ReadonlyMap<string, number | null>;

/**
 * Challenger − champion for every metric of either snapshot: the champion's metrics in their
 * order, then those only the challenger has. A metric missing on one side is null there, and
 * its delta is null whenever either side is null.
 */
export function compareDeltas(champion: MetricSnapshot, challenger: MetricSnapshot): CompareReport['deltas'] {
  const names = [...champion.keys()];
  for (const name of challenger.keys()) if (!champion.has(name)) names.push(name);
  return names.map((metric) => {
    const a = champion.get(metric) ?? null;
    const b = challenger.get(metric) ?? null;
    return { metric, champion: a, challenger: b, delta: a === null || b === null ? null : b - a };
  });
}
