import type { Accessor, FactRef } from '../conditions/types.ts';
import { defaultFactAccessor } from '../conditions/index.ts';
import { ConditionError, type ValidationIssue } from '../errors.ts';
import { compilePath, type Getter } from '../events/index.ts';
import type { BufferNode, EvalContext } from './types.ts';

type Path = (string | number)[];
const AGGS = ['count', 'sum', 'min', 'max', 'avg', 'first', 'last'] as const;
type Agg = (typeof AGGS)[number];
const PARAMS = new Set(['stage', 'agg', 'field', 'includeCurrent']);

/**
 * The `fact` hook for pattern conditions: a plain fact reads the event under test; `$stage`
 * (spec §7, FlinkCEP's `ctx.getEventsForPattern`) aggregates the events the partial match has
 * already taken for a stage, walking its back-pointer chain.
 */
export function stageFact(stageNames: readonly string[], groupNames: ReadonlySet<string>, fields?: Set<string>) {
  return (ref: FactRef, at: Path): Accessor<EvalContext> => {
    if (ref.fact !== '$stage') {
      const get = defaultFactAccessor<unknown>(ref);
      return (ctx) => get(ctx.data);
    }
    const base = at[at.length - 1] === 'fact' ? at.slice(0, -1) : at;
    const p = [...base, 'params'];
    const issues: ValidationIssue[] = [];
    const params = ref.params;
    if (params === undefined) throw new ConditionError([{ path: p, message: '"$stage" needs params {stage, agg, field?, includeCurrent?}' }]);
    for (const k of Object.keys(params)) if (!PARAMS.has(k)) issues.push({ path: [...p, k], message: `unknown parameter "${k}"` });
    const stage = params.stage;
    const index = typeof stage === 'string' ? stageNames.indexOf(stage) : -1;
    if (typeof stage !== 'string' || index < 0) issues.push({ path: [...p, 'stage'], message: `must name a stage of this pattern, got ${JSON.stringify(stage)}` });
    else if (groupNames.has(stage)) issues.push({ path: [...p, 'stage'], message: `"${stage}" is a group: name one of its inner stages` });
    const agg = params.agg;
    if (!AGGS.includes(agg as Agg)) issues.push({ path: [...p, 'agg'], message: `must be one of ${AGGS.join(', ')}` });
    const field = params.field;
    if (field !== undefined && (typeof field !== 'string' || field.length === 0)) issues.push({ path: [...p, 'field'], message: 'must be a field path' });
    else if (field === undefined && agg !== 'count' && AGGS.includes(agg as Agg)) issues.push({ path: [...p, 'field'], message: `required with agg "${String(agg)}"` });
    const inc = params.includeCurrent;
    if (inc !== undefined && typeof inc !== 'boolean') issues.push({ path: [...p, 'includeCurrent'], message: 'must be a boolean' });
    if (issues.length > 0) throw new ConditionError(issues);
    if (typeof field === 'string') fields?.add(field);
    return aggregate(index, agg as Agg, typeof field === 'string' ? compilePath(field) : undefined, inc === true);
  };
}

function aggregate(stage: number, agg: Agg, get: Getter | undefined, includeCurrent: boolean): Accessor<EvalContext> {
  switch (agg) {
    case 'count':
      return (ctx) => {
        let n = includeCurrent ? 1 : 0;
        for (let node: BufferNode | null = ctx.node; node !== null; node = node.prev) if (node.stage === stage) n++;
        return n;
      };
    case 'first':
      return (ctx) => {
        let found: BufferNode | null = null;
        for (let node: BufferNode | null = ctx.node; node !== null; node = node.prev) if (node.stage === stage) found = node;
        if (found !== null) return get!(found.entry.event.data);
        return includeCurrent ? get!(ctx.data) : undefined;
      };
    case 'last':
      return (ctx) => {
        if (includeCurrent) return get!(ctx.data);
        for (let node: BufferNode | null = ctx.node; node !== null; node = node.prev) if (node.stage === stage) return get!(node.entry.event.data);
        return undefined;
      };
    default:
      return numeric(stage, agg, get!, includeCurrent);
  }
}

/** sum / min / max / avg over the numeric values of `field` (other values are skipped). */
function numeric(stage: number, agg: 'sum' | 'min' | 'max' | 'avg', get: Getter, includeCurrent: boolean): Accessor<EvalContext> {
  return (ctx) => {
    let n = 0;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    let v: unknown;
    if (includeCurrent) {
      v = get(ctx.data);
      if (typeof v === 'number' && !Number.isNaN(v)) {
        n++;
        sum += v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    for (let node: BufferNode | null = ctx.node; node !== null; node = node.prev) {
      if (node.stage !== stage) continue;
      v = get(node.entry.event.data);
      if (typeof v === 'number' && !Number.isNaN(v)) {
        n++;
        sum += v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    if (agg === 'sum') return sum;
    if (n === 0) return undefined;
    return agg === 'min' ? min : agg === 'max' ? max : sum / n;
  };
}
