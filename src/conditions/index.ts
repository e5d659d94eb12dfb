export type { Predicate, Accessor, FactRef, CompileOptions, ListRef } from './types.ts';
export { compileCondition, defaultFactAccessor } from './compileCondition.ts';
export { parseJsonPath, compileSteps, type PathGetter } from './jsonPath.ts';
export {
  BASE_OPERATORS,
  DECORATORS,
  DECORATOR_NAMES,
  OPERATOR_NAMES,
  isNumberLike,
  addArgusOperators,
  type OperatorFn,
  type DecoratorName,
} from './operators.ts';
