import { z } from 'zod';
import { compileCondition, defaultFactAccessor, type FactRef } from '../conditions/index.ts';
import { ConditionError, ValidationError, fromZodIssues, type ValidationIssue } from '../errors.ts';
import { durationSchema } from '../events/duration.ts';
import { normaliseEventTypes } from './definitionHash.ts';
import { FEATURE_NAME_RE, KIND_RULES, checkKindRules } from './kindRules.ts';
import { FEATURE_KINDS, type EventDeclarations, type FeatureDefinition, type FieldType } from './types.ts';

type Path = (string | number)[];

/** Envelope fields every event has, whatever `events` declares. */
const ENVELOPE_FIELDS = new Set(['id', 'type', 'timestamp']);
const NAME_MESSAGE = 'must match [a-z][a-z0-9_]* (lowercase letters, digits and underscores, a letter first)';

const featureSchema = z.strictObject({
  name: z.string().regex(FEATURE_NAME_RE, NAME_MESSAGE),
  kind: z.enum(FEATURE_KINDS),
  description: z.string().optional(),
  window: durationSchema.optional(),
  field: z.string().min(1).optional(),
  eventType: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  filter: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).optional(),
  maxEntries: z.number().int().positive().optional(),
  allowedLateness: durationSchema.optional(),
});

const fileSchema = z.strictObject({
  $schema: z.string().optional(),
  description: z.string().optional(),
  allowedLateness: durationSchema.optional(),
  maxEntries: z.number().int().positive().optional(),
  events: z.record(z.string().min(1), z.record(z.string().min(1), z.enum(['number', 'string', 'boolean']))).optional(),
  filters: z.record(z.string().regex(FEATURE_NAME_RE, NAME_MESSAGE), z.record(z.string(), z.unknown())).optional(),
  features: z.array(featureSchema),
});

interface FactUse {
  fact: string;
  at: Path;
}

/**
 * Parses and validates a features document (`rules/features.json`, format in docs/features.md)
 * into normalised definitions: durations in ms, named filters resolved, file-level `maxEntries`
 * and `allowedLateness` applied to each feature. Every problem is reported at once, as a
 * `ValidationError` whose issues carry the field path; `file` is set when given.
 *
 * When the document declares `events`, a feature's `field` and every fact its filter reads must
 * be declared fields of the event types it applies to (a typo is an error, not a silent zero).
 */
export function parseFeatures(json: unknown, file?: string): FeatureDefinition[] {
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) throw new ValidationError('features', fromZodIssues(parsed.error.issues), { file });
  const doc = parsed.data;
  const issues: ValidationIssue[] = [];
  const events = doc.events as EventDeclarations | undefined;

  // Named filters: compiled once for their shape; their facts are checked per feature.
  const filterFacts = new Map<string, FactUse[]>();
  for (const [name, condition] of Object.entries(doc.filters ?? {})) {
    filterFacts.set(name, compileFilter(condition, ['filters', name], file, issues));
  }

  const seenNames = new Map<string, number>();
  const defs: FeatureDefinition[] = [];
  doc.features.forEach((f, i) => {
    const base: Path = ['features', i];
    const first = seenNames.get(f.name);
    if (first !== undefined) issues.push({ path: [...base, 'name'], message: `duplicate feature name "${f.name}" (also features[${first}])` });
    else seenNames.set(f.name, i);

    const def: FeatureDefinition = { name: f.name, kind: f.kind };
    if (f.description !== undefined) def.description = f.description;
    if (f.window !== undefined) def.window = f.window;
    if (f.field !== undefined) def.field = f.field;
    if (f.eventType !== undefined) def.eventTypes = normaliseEventTypes(typeof f.eventType === 'string' ? [f.eventType] : f.eventType);
    const maxEntries = f.maxEntries ?? doc.maxEntries;
    if (maxEntries !== undefined) def.maxEntries = maxEntries;
    const lateness = f.allowedLateness ?? doc.allowedLateness;
    if (lateness !== undefined) def.allowedLateness = lateness;
    issues.push(...checkKindRules(def, base));

    let facts: FactUse[] = [];
    let factsAt: Path | undefined; // where to report an undeclared fact of a named filter
    if (typeof f.filter === 'string') {
      const named = doc.filters?.[f.filter];
      if (named === undefined) {
        const known = Object.keys(doc.filters ?? {});
        issues.push({
          path: [...base, 'filter'],
          message: `unknown filter "${f.filter}" (${known.length > 0 ? `defined: ${known.join(', ')}` : 'the document defines no "filters"'})`,
        });
      } else {
        def.filter = named;
        def.filterName = f.filter;
        facts = filterFacts.get(f.filter) ?? [];
        factsAt = [...base, 'filter'];
      }
    } else if (f.filter !== undefined) {
      def.filter = f.filter;
      facts = compileFilter(f.filter, [...base, 'filter'], file, issues);
    }

    if (events !== undefined) checkDeclared(def, f.eventType, events, facts, factsAt, base, issues);
    defs.push(def);
  });

  if (issues.length > 0) throw new ValidationError('features', issues, { file });
  return defs;
}

/** Compiles a filter condition to find its errors and the facts it reads. */
function compileFilter(condition: unknown, at: Path, file: string | undefined, issues: ValidationIssue[]): FactUse[] {
  const facts: FactUse[] = [];
  try {
    compileCondition(condition, {
      path: at,
      file,
      fact: (ref: FactRef, factAt) => {
        facts.push({ fact: ref.fact, at: factAt });
        return defaultFactAccessor(ref);
      },
    });
  } catch (err) {
    if (!(err instanceof ConditionError)) throw err;
    issues.push(...err.issues);
  }
  return facts;
}

/** The declared-fields checks: event types exist, and field and filter facts are declared for them. */
function checkDeclared(
  def: FeatureDefinition,
  rawTypes: string | string[] | undefined,
  events: EventDeclarations,
  facts: FactUse[],
  factsAt: Path | undefined,
  base: Path,
  issues: ValidationIssue[],
): void {
  const declaredTypes = Object.keys(events);
  const typeList = rawTypes === undefined ? [] : typeof rawTypes === 'string' ? [rawTypes] : rawTypes;
  typeList.forEach((t, j) => {
    if (events[t] === undefined && !t.startsWith('match:')) {
      issues.push({
        path: typeof rawTypes === 'string' ? [...base, 'eventType'] : [...base, 'eventType', j],
        message: `unknown event type "${t}" (declared: ${declaredTypes.join(', ') || 'none'}; derived pattern events are "match:<patternId>")`,
      });
    }
  });
  const types = def.eventTypes;

  // A field must be declared by every event type the feature applies to (by at least one when
  // it applies to every type).
  const missingFrom = (path: string, isFact: boolean): string | undefined => {
    const declares = (t: string): boolean => {
      const fields = events[t];
      if (fields === undefined) return false;
      if (fields[path] !== undefined) return true;
      // A fact may name an object whose fields are declared ("card" for "card.country").
      if (isFact) for (const k of Object.keys(fields)) if (k.startsWith(`${path}.`)) return true;
      return false;
    };
    if (types === undefined) return declaredTypes.some(declares) ? undefined : 'any declared event type';
    const lacking = types.filter((t) => !declares(t));
    return lacking.length === 0 ? undefined : `event type${lacking.length > 1 ? 's' : ''} ${lacking.map((t) => `"${t}"`).join(', ')}`;
  };

  if (def.field !== undefined) {
    const missing = missingFrom(def.field, false);
    if (missing !== undefined) {
      issues.push({ path: [...base, 'field'], message: `"${def.field}" is not a declared field of ${missing} (see "events")` });
    } else if (KIND_RULES[def.kind].numeric) {
      const wrong = (types ?? declaredTypes).filter((t) => {
        const ft: FieldType | undefined = events[t]?.[def.field!];
        return ft !== undefined && ft !== 'number';
      });
      if (wrong.length > 0) {
        issues.push({ path: [...base, 'field'], message: `${def.kind} needs a number field; "${def.field}" is declared ${events[wrong[0]!]![def.field]} for "${wrong[0]}"` });
      }
    }
  }
  for (const use of facts) {
    if (ENVELOPE_FIELDS.has(use.fact)) continue;
    const missing = missingFrom(use.fact, true);
    if (missing === undefined) continue;
    if (factsAt !== undefined) {
      issues.push({ path: factsAt, message: `filter "${def.filterName}" reads "${use.fact}", which is not a declared field of ${missing} (see "events")` });
    } else {
      issues.push({ path: use.at, message: `"${use.fact}" is not a declared field of ${missing} (see "events")` });
    }
  }
}
