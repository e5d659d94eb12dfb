import { createHash } from 'node:crypto';
import { z } from 'zod';
import { fromZodIssues, ValidationError, type ValidationIssue } from '../errors.ts';
import { lineOfPath, parseJsonDocument } from '../catalog/jsonSource.ts';
import type { IpRange } from './ipAddress.ts';
import { normalizeItem } from './listItem.ts';
import { LIST_KINDS, type ListFileInput, type ListItem, type ListKind } from './types.ts';

/** A list name: letters, digits, `_` and `-` (no dots: `lists.<name>` must stay one fact path segment). */
export const LIST_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** At most this many item problems are reported per file or call; the rest are counted. */
export const MAX_ITEM_ISSUES = 20;

/** A validated list file. */
export interface ListDefinition {
  name: string;
  kind: ListKind;
  description: string;
  file: string;
  hash: string;
  /** Canonical items (duplicates folded), in file order, with the parsed range of `ip` items. */
  items: Map<ListItem, IpRange | undefined>;
}

const ListFileSchema = z
  .object({
    name: z.string().optional(),
    description: z.string(),
    kind: z.enum(LIST_KINDS as [ListKind, ...ListKind[]]),
    items: z.array(z.unknown()),
  })
  .strict();

/** The list name a file defines: its base name without `.json`. */
export function listNameOf(file: string): string {
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  return base.endsWith('.json') ? base.slice(0, -5) : base;
}

/**
 * Validates items against a kind, all of them: returns their canonical forms, or the issues (at
 * `[...base, index]`, at most `MAX_ITEM_ISSUES`, then a count of the rest).
 */
export function normalizeItems(
  kind: ListKind,
  items: readonly unknown[],
  base: (string | number)[],
): { items: Map<ListItem, IpRange | undefined>; issues: ValidationIssue[] } {
  const out = new Map<ListItem, IpRange | undefined>();
  const issues: ValidationIssue[] = [];
  let bad = 0;
  for (let i = 0; i < items.length; i++) {
    const n = normalizeItem(kind, items[i]);
    if (typeof n === 'string') {
      if (++bad <= MAX_ITEM_ISSUES) issues.push({ path: [...base, i], message: n });
    } else if (!out.has(n.key)) out.set(n.key, n.range);
  }
  if (bad > MAX_ITEM_ISSUES) issues.push({ path: base, message: `and ${bad - MAX_ITEM_ISSUES} more invalid items` });
  return { items: out, issues };
}

/**
 * Parses and validates one list file (`rules/lists/<name>.json`). Throws a `ValidationError`
 * (what: `list`) with the file, the line of the first problem, and every problem's field path;
 * item problems after the first name their own line in the message.
 */
export function parseListFile(input: ListFileInput): ListDefinition {
  const { file, text } = input;
  const json = parseJsonDocument(text, file, 'list');
  const fail = (issues: ValidationIssue[]): never => {
    const located = issues.map((issue, i) => {
      if (i === 0 || typeof issue.path[issue.path.length - 1] !== 'number') return issue;
      const line = lineOfPath(text, issue.path);
      return line === undefined ? issue : { path: issue.path, message: `${issue.message} (line ${line})` };
    });
    throw new ValidationError('list', located, { file, line: lineOfPath(text, issues[0]!.path) });
  };
  const parsed = ListFileSchema.safeParse(json);
  if (!parsed.success) fail(fromZodIssues(parsed.error.issues));
  const doc = parsed.data!;
  const name = listNameOf(file);
  const issues: ValidationIssue[] = [];
  if (!LIST_NAME.test(name)) {
    issues.push({ path: [], message: `the file name ${JSON.stringify(name)} is not a list name (letters, digits, "_" and "-", at most 128)` });
  }
  if (doc.name !== undefined && doc.name !== name) {
    issues.push({ path: ['name'], message: `must be the file's name ${JSON.stringify(name)} (or be left out), got ${JSON.stringify(doc.name)}` });
  }
  const { items, issues: itemIssues } = normalizeItems(doc.kind, doc.items, ['items']);
  for (const i of itemIssues) issues.push(i);
  if (issues.length > 0) fail(issues);
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 12);
  return { name, kind: doc.kind, description: doc.description, file, hash, items };
}
