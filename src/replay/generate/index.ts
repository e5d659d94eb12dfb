export { generateEvents, planInjections, parseGenerateOptions, generateOptionsSchema, toJsonLines, DEFAULT_START, type GeneratedStream } from './generateEvents.ts';
export { measureCatch, formatCatchReport, type CatchReport, type ScenarioCatch, type MeasureOptions } from './measureCatch.ts';
export { readJsonl } from './readJsonl.ts';
export { Random } from './Random.ts';
export { SCENARIOS, type Scenario, type EventLabel, type GeneratedEvent, type GenerateOptions, type Injection } from './types.ts';
