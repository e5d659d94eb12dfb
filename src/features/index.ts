export {
  FEATURE_KINDS,
  DEFAULT_MAX_ENTRIES,
  DEFAULT_ALLOWED_LATENESS,
  type FeatureKind,
  type FeatureDefinition,
  type FeatureSetOptions,
  type FeatureValue,
  type FeatureOutput,
  type FeatureDescription,
  type FieldValue,
  type FieldType,
  type EventDeclarations,
} from './types.ts';
export { parseFeatures } from './parseFeatures.ts';
export { compileFeatures } from './compileFeatures.ts';
export { FeatureSet } from './FeatureSet.ts';
export { FeatureState, type EncodedFeatureState } from './FeatureState.ts';
export { definitionHash } from './definitionHash.ts';
export { sumAdd, sumValue } from './exactSum.ts';
