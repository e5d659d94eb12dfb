export { Engine, DEFAULT_LIMITS, type EngineLimits } from './Engine.ts';
export { createEngine, DEFAULT_ENGINE_CONFIG, type EngineConfig } from './createEngine.ts';
export { EngineMetrics } from './engineMetrics.ts';
export { MetricsRegistry } from './metrics.ts';
export { keyStateCodec, newKeyState, type KeyState } from './KeyState.ts';
export type * from './types.ts';
