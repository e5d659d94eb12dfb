import { z } from 'zod';
import { ValidationError, type ValidationIssue } from '../../errors.ts';
import { RULE_ID } from '../RuleDefinition.ts';
import type { RuleMode } from '../RuleDefinition.ts';
import type { DocComment } from './scanNoolsSource.ts';

/** What the comment block before a nools rule declares (outcomes come from its `fire(…)` calls). */
export interface NoolsRuleMeta {
  id: string;
  version: number;
  description: string;
  mode: RuleMode;
  /** Event types the rule runs on; undefined = every type. */
  appliesTo?: string[];
  /** Higher first (default 1): the order of the rule's reason among the file's, and nools' salience. */
  priority: number;
}

const positiveInt = z
  .string()
  .regex(/^[1-9][0-9]*$/, 'must be a positive integer')
  .transform(Number);

export const noolsRuleMetaSchema = z.strictObject({
  id: z.string().regex(RULE_ID, 'must match [a-z0-9][a-z0-9_.-]*'),
  version: positiveInt,
  description: z.string().min(1, 'must be a non-empty text'),
  mode: z.enum(['enforce', 'shadow']).default('enforce'),
  appliesTo: z
    .string()
    .transform((s) => s.split(/[\s,]+/).filter((t) => t.length > 0))
    .pipe(z.array(z.string()).min(1, 'must list at least one event type (omit it for all types)'))
    .optional(),
  priority: positiveInt.default(1),
});

const TAG = /^@([A-Za-z][\w-]*)(?:\s+([\s\S]*))?$/;

/**
 * Reads a rule's metadata from its comment block — one `@tag value` per line, a value may continue
 * on the following lines (joined with a space):
 *
 *     /**
 *      * @id high-amount-new-device
 *      * @version 2
 *      * @mode shadow
 *      * @appliesTo transaction, login
 *      * @priority 3
 *      * @description Payment over 1,000 from a device first seen
 *      *   less than a day before.
 *      *\/
 *
 * and validates it (zod): unknown, repeated or missing tags are errors located at their line.
 * `ruleLine` locates errors when the rule has no comment block.
 */
export function parseNoolsRuleMeta(
  doc: DocComment | undefined,
  ruleName: string,
  ruleLine: number,
  lineAt: (offset: number) => number,
  file?: string,
): NoolsRuleMeta {
  const fail = (issues: ValidationIssue[], line: number): never => {
    throw new ValidationError('nools rule', issues, { file, line });
  };
  const base = ['rule', ruleName];
  if (doc === undefined) {
    return fail(
      [{ path: base, message: 'needs a comment block /** @id … @version … @description … */ right before it' }],
      ruleLine,
    );
  }
  const tags: Record<string, string> = {};
  const tagLines = new Map<string, number>();
  let current: string | undefined;
  let offset = doc.start;
  for (const raw of doc.text.split('\n')) {
    const line = lineAt(offset);
    offset += raw.length + 1;
    const content = raw.replace(/^\s*\*?\s?/, '').trim();
    if (content.length === 0) continue;
    const m = TAG.exec(content);
    if (m !== null) {
      current = m[1]!;
      if (tagLines.has(current)) fail([{ path: [...base, current], message: `@${current} is given twice` }], line);
      tags[current] = (m[2] ?? '').trim();
      tagLines.set(current, line);
    } else if (current === undefined) {
      fail([{ path: base, message: `text before the first @tag: "${content.slice(0, 40)}" (put it in @description)` }], line);
    } else {
      tags[current] = `${tags[current]} ${content}`.trim();
    }
  }
  const parsed = noolsRuleMetaSchema.safeParse(tags);
  if (parsed.success) {
    const meta: NoolsRuleMeta = {
      id: parsed.data.id,
      version: parsed.data.version,
      description: parsed.data.description,
      mode: parsed.data.mode,
      priority: parsed.data.priority,
    };
    if (parsed.data.appliesTo !== undefined) meta.appliesTo = parsed.data.appliesTo;
    return meta;
  }
  const first = parsed.error.issues[0]!;
  const issues: ValidationIssue[] = parsed.error.issues.map((issue) => {
    // An unknown tag is reported by zod at the root with its key names.
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const tag = keys.length > 0 ? keys[0]! : String(issue.path[0] ?? '');
    const message =
      keys.length > 0
        ? `unknown tag @${keys.join(', @')} (known: @id, @version, @description, @mode, @appliesTo, @priority)`
        : tagLines.has(tag)
          ? issue.message
          : `@${tag} is required`;
    return { path: [...base, tag], message };
  });
  const firstKeys = first.code === 'unrecognized_keys' ? first.keys : [];
  const firstTag = firstKeys.length > 0 ? firstKeys[0]! : String(first.path[0] ?? '');
  return fail(issues, tagLines.get(firstTag) ?? lineAt(doc.start));
}
