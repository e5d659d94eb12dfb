import { z } from 'zod';
import { compileCondition } from '../conditions/index.ts';
import { MalformedPatternError, ValidationError, fromZodIssues, type ValidationIssue } from '../errors.ts';
import { durationSchema } from '../events/index.ts';
import { stageFact } from './stageFact.ts';
import type { AfterMatch, Contiguity, EvalContext, PatternDefinition, StageDefinition, StageSource } from './types.ts';

type Path = (string | number)[];

const positiveDuration = durationSchema.refine((ms) => ms > 0, { message: 'must be a positive duration' });

type RawStage = StageSource<number>;

const timesSchema = z.union([
  z.number().int('must be an integer').min(1, 'must be at least 1'),
  z
    .strictObject({
      min: z.number().int('must be an integer').min(0, 'must be at least 0'),
      max: z.number().int('must be an integer').min(1, 'must be at least 1').optional(),
    })
    .refine((t) => t.max === undefined || t.max >= t.min, { message: 'max must be at least min', path: ['max'] }),
]);

const stageSchema: z.ZodType<RawStage> = z.lazy(() =>
  z.strictObject({
    name: z
      .string()
      .min(1, 'must be a non-empty string')
      .refine((s) => !s.includes(':'), { message: 'must not contain ":"' }),
    contiguity: z.enum(['next', 'followedBy', 'followedByAny', 'notNext', 'notFollowedBy']).optional(),
    where: z.unknown().optional(),
    times: timesSchema.optional(),
    optional: z.boolean().optional(),
    greedy: z.boolean().optional(),
    inner: z.enum(['relaxed', 'strict', 'any']).optional(),
    until: z.unknown().optional(),
    within: positiveDuration.optional(),
    group: z.array(stageSchema).min(1, 'must hold at least one stage').optional(),
  }),
) as z.ZodType<RawStage>;

const skipToSchema = (key: 'skipToFirst' | 'skipToLast') =>
  z.strictObject({ [key]: z.string().min(1, 'must be a stage name'), throwOnMiss: z.boolean().optional() });

const patternSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'must match [a-z0-9][a-z0-9_.-]*'),
  version: z.number().int('must be an integer').positive('must be positive').optional(),
  description: z.string().optional(),
  key: z.string().min(1, 'must be a non-empty field path').optional(),
  within: positiveDuration.optional(),
  afterMatch: z
    .union([
      z.enum(['noSkip', 'skipToNext', 'skipPastLastEvent']),
      skipToSchema('skipToFirst'),
      skipToSchema('skipToLast'),
    ])
    .optional(),
  timeouts: z.boolean().optional(),
  mode: z.enum(['enforce', 'shadow'], { message: 'must be "enforce" or "shadow"' }).optional(),
  stages: z.array(stageSchema).min(1, 'must hold at least one stage'),
  emit: z.record(z.string(), z.unknown()).optional(),
});

type RawPattern = z.infer<typeof patternSchema>;

const NOT = new Set<Contiguity>(['notNext', 'notFollowedBy']);

/**
 * Validates a pattern document (spec/patterns.md §1–§7) and compiles its conditions. Schema
 * problems throw `ValidationError`, FlinkCEP build-time rules `MalformedPatternError`, bad
 * conditions `ConditionError`; every issue carries its JSON path, and `file` when given.
 */
export function parsePattern(json: unknown, file?: string): PatternDefinition {
  const parsed = patternSchema.safeParse(json);
  if (!parsed.success) throw new ValidationError('pattern', fromZodIssues(parsed.error.issues), { file });
  const raw = parsed.data;

  const issues: ValidationIssue[] = [];
  const names = new Map<string, Path>();
  const groupNames = new Set<string>();
  collectNames(raw.stages, ['stages'], names, groupNames, issues);
  checkSequence(raw.stages, ['stages'], raw.within, true, issues);
  const afterMatch = normaliseAfterMatch(raw, names, issues);
  if (issues.length > 0) throw new MalformedPatternError(issues, { file });

  const stageNames = [...names.keys()];
  const bufferFields = new Set<string>();
  const stages = raw.stages.map((s, i) => buildStage(s, ['stages', i], stageNames, groupNames, file, bufferFields));
  const def: PatternDefinition = {
    id: raw.id,
    afterMatch,
    timeouts: raw.timeouts ?? false,
    stages,
    bufferFields: [...bufferFields].sort(),
    source: json,
  };
  if (raw.version !== undefined) def.version = raw.version;
  if (raw.description !== undefined) def.description = raw.description;
  if (raw.key !== undefined) def.key = raw.key;
  if (raw.within !== undefined) def.within = raw.within;
  if (raw.emit !== undefined) def.emit = raw.emit;
  if (raw.mode !== undefined) def.mode = raw.mode;
  return def;
}

/** Every stage name in pattern order (groups before their inner stages), checking uniqueness. */
function collectNames(stages: RawStage[], at: Path, names: Map<string, Path>, groups: Set<string>, issues: ValidationIssue[]): void {
  stages.forEach((s, i) => {
    const path = [...at, i, 'name'];
    const previous = names.get(s.name);
    if (previous) issues.push({ path, message: `duplicate stage name "${s.name}" (also at ${previous.join('.')})` });
    else names.set(s.name, path);
    if (s.group) {
      groups.add(s.name);
      collectNames(s.group, [...at, i, 'group'], names, groups, issues);
    }
  });
}

function isOptional(s: RawStage): boolean {
  return s.optional === true || (typeof s.times === 'object' && s.times.min === 0);
}

function maxOf(s: RawStage): number {
  if (s.times === undefined) return 1;
  if (typeof s.times === 'number') return s.times;
  return s.times.max ?? Infinity;
}

function minOf(s: RawStage): number {
  if (s.times === undefined) return 1;
  if (typeof s.times === 'number') return s.times;
  return s.times.min;
}

/** FlinkCEP's build-time rules (MalformedPatternException), on one sequence of stages. */
function checkSequence(stages: RawStage[], at: Path, patternWithin: number | undefined, topLevel: boolean, issues: ValidationIssue[]): void {
  stages.forEach((s, i) => {
    const path = [...at, i];
    const contiguity = s.contiguity ?? 'followedBy';
    if (i === 0 && s.contiguity !== undefined) {
      issues.push({
        path: [...path, 'contiguity'],
        message: `not allowed on the first stage of a ${topLevel ? 'pattern' : 'group'}`,
      });
    }
    if (s.group && s.where !== undefined) issues.push({ path: [...path, 'where'], message: 'a group stage takes no "where" (its inner stages do)' });
    if (s.group && s.greedy) issues.push({ path: [...path, 'greedy'], message: 'a group cannot be greedy' });
    if (NOT.has(contiguity)) {
      for (const key of ['times', 'optional', 'greedy', 'inner', 'until', 'group'] as const) {
        if (s[key] !== undefined && !(key === 'optional' && s.optional === false) && !(key === 'greedy' && s.greedy === false)) {
          issues.push({
            path: [...path, key],
            message:
              key === 'optional'
                ? `a ${contiguity} stage cannot be optional`
                : key === 'group'
                  ? `a ${contiguity} stage cannot be a group`
                  : `a ${contiguity} stage takes no quantifier ("${key}")`,
          });
        }
      }
      const prev = stages[i - 1];
      if (prev && isOptional(prev)) {
        issues.push({
          path: [...path, 'contiguity'],
          message: `a ${contiguity} stage cannot follow an optional stage ("${prev.name}")`,
        });
      }
    }
    if (i === stages.length - 1 && contiguity === 'notFollowedBy') {
      if (!topLevel) {
        issues.push({ path: [...path, 'contiguity'], message: 'a group cannot end with a notFollowedBy stage' });
      } else if (patternWithin === undefined && s.within === undefined) {
        issues.push({
          path: [...path, 'contiguity'],
          message: 'a pattern can end with notFollowedBy only with a "within" (on the pattern or on that stage)',
        });
      }
    }
    if (s.greedy) {
      if (s.times === undefined || minOf(s) === maxOf(s)) {
        issues.push({ path: [...path, 'greedy'], message: 'greedy needs a quantifier that takes a variable number of events' });
      } else if (s.inner === 'any') {
        issues.push({ path: [...path, 'greedy'], message: 'greedy cannot be combined with "inner": "any"' });
      }
    }
    if (s.until !== undefined && maxOf(s) !== Infinity) {
      issues.push({ path: [...path, 'until'], message: 'until is only allowed with an unbounded quantifier (times {"min": n})' });
    }
    if (s.inner !== undefined && s.inner !== 'relaxed' && s.times === undefined) {
      issues.push({ path: [...path, 'inner'], message: '"inner" needs a quantifier ("times")' });
    }
    if (isOptional(s) && i > 0 && stages[i - 1]!.greedy) {
      issues.push({ path: [...path, 'optional'], message: `an optional stage cannot follow a greedy stage ("${stages[i - 1]!.name}")` });
    }
    if (s.within !== undefined && patternWithin !== undefined && s.within > patternWithin) {
      issues.push({ path: [...path, 'within'], message: `a stage window (${s.within} ms) cannot be longer than the pattern window (${patternWithin} ms)` });
    }
    if (s.group) checkSequence(s.group, [...path, 'group'], patternWithin, false, issues);
  });
}

function normaliseAfterMatch(raw: RawPattern, names: Map<string, Path>, issues: ValidationIssue[]): AfterMatch {
  const a = raw.afterMatch;
  if (a === undefined || a === 'noSkip') return { kind: 'noSkip' };
  if (a === 'skipToNext' || a === 'skipPastLastEvent') return { kind: a };
  const kind = 'skipToFirst' in a ? 'skipToFirst' : 'skipToLast';
  const obj = a as { skipToFirst?: string; skipToLast?: string; throwOnMiss?: boolean };
  const stage = obj[kind]!;
  if (!names.has(stage)) issues.push({ path: ['afterMatch', kind], message: `no stage named "${stage}"` });
  return { kind, stage, throwOnMiss: obj.throwOnMiss ?? false };
}

function buildStage(
  s: RawStage,
  at: Path,
  stageNames: string[],
  groupNames: Set<string>,
  file: string | undefined,
  bufferFields: Set<string>,
): StageDefinition {
  const out: StageDefinition = {
    name: s.name,
    contiguity: s.contiguity ?? 'followedBy',
    optional: isOptional(s),
    greedy: s.greedy ?? false,
    inner: s.inner ?? 'relaxed',
  };
  const fact = stageFact(stageNames, groupNames, bufferFields);
  if (s.where !== undefined) out.where = compileCondition<EvalContext>(s.where, { fact, path: [...at, 'where'], file });
  if (s.until !== undefined) out.until = compileCondition<EvalContext>(s.until, { fact, path: [...at, 'until'], file });
  if (s.times !== undefined) {
    const min = Math.max(1, minOf(s));
    out.times = { min, max: Math.max(min, maxOf(s)) };
  }
  if (s.within !== undefined) out.within = s.within;
  if (s.group) out.group = s.group.map((g, j) => buildStage(g, [...at, 'group', j], stageNames, groupNames, file, bufferFields));
  return out;
}
