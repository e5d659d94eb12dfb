export type { BatchOperation, BatchOptions, StateBackend } from './StateBackend.ts';
export { LevelBackend, type LevelBackendOptions } from './LevelBackend.ts';
export { MemoryBackend } from './MemoryBackend.ts';
export { jsonCodec, type StateCodec } from './StateCodec.ts';
export { KeyedStateStore, type KeyedStateStoreOptions, type StateStoreStats } from './KeyedStateStore.ts';
export { storageKey, nameOf, spacePrefixes, isWellFormed, type KeySpace } from './storageKey.ts';
export { prefixUpperBound } from './prefixUpperBound.ts';
export { ControlledBackend } from './ControlledBackend.ts';
