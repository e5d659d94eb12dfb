export type {
  AfterMatch,
  BufferEntry,
  BufferNode,
  CepResult,
  ComputationState,
  Contiguity,
  EvalContext,
  InnerContiguity,
  KeyState,
  MatchOutput,
  PatternDefinition,
  StageDefinition,
  StepOutput,
} from './types.ts';
export { parsePattern } from './parsePattern.ts';
export { Pattern, type AfterMatchJson } from './Pattern.ts';
export { compilePattern, type CompiledPattern, type CompileOptions } from './compilePattern.ts';
export {
  processEvent,
  advanceTime,
  nextDeadline,
  createKeyState,
  createStepOutput,
  SkipStrategyError,
} from './processEvent.ts';
export { encodeState, encodeStateJson, decodeState, type EncodedKeyState } from './encodeState.ts';
export { matchEvents, toMatchOutput, PatternMatcher } from './matchEvents.ts';
