export type { ArgusEvent } from './ArgusEvent.ts';
export { EventParser, envelopeSchema, MAX_EVENT_BYTES, MAX_EVENT_DEPTH, type EventParserOptions } from './parseEvent.ts';
export { parseDuration, durationSchema, formatDuration } from './duration.ts';
export { compilePath, type Getter } from './path.ts';
