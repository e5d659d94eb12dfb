export { compileNoolsFile, type NoolsRuleSet, type NoolsRuleInfo } from './compileNoolsFile.ts';
export { NoolsRuleError } from './NoolsRuleError.ts';
export { parseNoolsRuleMeta, noolsRuleMetaSchema, type NoolsRuleMeta } from './parseNoolsRuleMeta.ts';
export { fireCallSchema, type FireCall } from './findFireCalls.ts';
export { scanNoolsSource, type NoolsBlock, type NoolsBlockKind } from './scanNoolsSource.ts';
export { NoolsFacts } from './NoolsTypeSession.ts';

/** Extension of nools rule files in `rules/`. */
export const NOOLS_EXTENSION = '.nools';

/** Whether a file of `rules/` is a nools rule file (`*.nools`). */
export function isNoolsFile(file: string): boolean {
  return file.endsWith(NOOLS_EXTENSION);
}
