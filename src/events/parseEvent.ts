import { z } from 'zod';
import { PayloadTooLargeError, ValidationError, fromZodIssues, type SourceLocation, type ValidationIssue } from '../errors.ts';
import type { ArgusEvent } from './ArgusEvent.ts';
import { compilePath, type Getter } from './path.ts';

export const MAX_EVENT_BYTES = 64 * 1024;
export const MAX_EVENT_DEPTH = 32;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The envelope every event shares; any other field is kept as sent. */
export const envelopeSchema = z.looseObject({
  id: z.string().min(1, 'must be a non-empty string').max(256, 'must be at most 256 characters'),
  type: z.string().min(1, 'must be a non-empty string').max(256, 'must be at most 256 characters'),
  timestamp: z.union(
    [
      z.number().int('must be an integer number of epoch milliseconds').nonnegative(),
      z.iso.datetime({ offset: true, message: 'must be epoch milliseconds or an ISO-8601 date-time' }),
    ],
    { message: 'must be epoch milliseconds or an ISO-8601 date-time' },
  ),
});

export interface EventParserOptions {
  /** Dot path of the key field (default `userId`). */
  keyField?: string;
  maxBytes?: number;
  maxDepth?: number;
}

/**
 * Validates event envelopes. Built once (it compiles the key path), then used per event.
 * Errors are `ValidationError`s whose issues carry the field path, or `PayloadTooLargeError`.
 */
export class EventParser {
  readonly keyField: string;
  readonly maxBytes: number;
  readonly maxDepth: number;
  private readonly getKey: Getter;
  private readonly keyPath: string[];

  constructor(options: EventParserOptions = {}) {
    this.keyField = options.keyField ?? 'userId';
    this.maxBytes = options.maxBytes ?? MAX_EVENT_BYTES;
    this.maxDepth = options.maxDepth ?? MAX_EVENT_DEPTH;
    this.keyPath = this.keyField.split('.');
    this.getKey = compilePath(this.keyPath);
  }

  /** Parses a JSON text (a request body or a JSONL line). */
  parseText(text: string | Buffer, location: SourceLocation = {}): ArgusEvent {
    // A UTF-16 code unit is at most 3 UTF-8 bytes: short texts need no byte count.
    const size = typeof text !== 'string' ? text.length : text.length * 3 <= this.maxBytes ? 0 : Buffer.byteLength(text);
    if (size > this.maxBytes) throw new PayloadTooLargeError(this.maxBytes);
    let raw: unknown;
    try {
      raw = JSON.parse(typeof text === 'string' ? text : text.toString('utf8'));
    } catch (err) {
      throw new ValidationError('event', [{ path: [], message: `malformed JSON: ${(err as Error).message}` }], location);
    }
    return this.parseValue(raw, location);
  }

  /** Validates an already-decoded value (size is then the caller's business). */
  parseValue(raw: unknown, location: SourceLocation = {}): ArgusEvent {
    const structural: ValidationIssue[] = [];
    checkStructure(raw, [], 0, this.maxDepth, structural);
    if (structural.length > 0) throw new ValidationError('event', structural, location);
    let data: Record<string, unknown>;
    if (isValidEnvelope(raw)) {
      data = raw; // the common case: no copy; envelopeSchema stays the definition (see isValidEnvelope)
    } else {
      const parsed = envelopeSchema.safeParse(raw);
      if (!parsed.success) throw new ValidationError('event', fromZodIssues(parsed.error.issues), location);
      data = parsed.data as Record<string, unknown>;
    }
    const keyValue = this.getKey(data);
    let key: string;
    if (typeof keyValue === 'string' && keyValue.length > 0) key = keyValue;
    else if (typeof keyValue === 'number' && Number.isFinite(keyValue)) key = String(keyValue);
    else {
      const why = keyValue === undefined ? 'required (the key field)' : 'must be a non-empty string or a number (the key field)';
      throw new ValidationError('event', [{ path: this.keyPath, message: why }], location);
    }
    const ts = data.timestamp as number | string;
    const time = typeof ts === 'number' ? ts : Date.parse(ts);
    return { id: data.id as string, type: data.type as string, time, key, data };
  }
}

/**
 * The hot path's check of the envelope, equivalent to `envelopeSchema` for what it accepts (a
 * property test keeps them in step): string `id` and `type` of 1–256 characters and an integer,
 * non-negative epoch-ms `timestamp`. Anything else (an ISO timestamp, an error) goes through zod.
 */
function isValidEnvelope(raw: unknown): raw is Record<string, unknown> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return false;
  const r = raw as Record<string, unknown>;
  const id = r.id;
  const type = r.type;
  const ts = r.timestamp;
  return (
    typeof id === 'string' &&
    id.length >= 1 &&
    id.length <= 256 &&
    typeof type === 'string' &&
    type.length >= 1 &&
    type.length <= 256 &&
    typeof ts === 'number' &&
    Number.isSafeInteger(ts) &&
    ts >= 0
  );
}

/** Depth limit and forbidden keys, checked before zod so that nothing hostile is walked twice. */
function checkStructure(value: unknown, path: (string | number)[], depth: number, maxDepth: number, out: ValidationIssue[]): void {
  if (value === null || typeof value !== 'object' || out.length > 0) return;
  if (depth >= maxDepth) {
    out.push({ path: [...path], message: `nesting deeper than ${maxDepth} levels` });
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      checkStructure(value[i], path, depth + 1, maxDepth, out);
      path.pop();
    }
    return;
  }
  for (const k in value) {
    if (FORBIDDEN_KEYS.has(k)) {
      out.push({ path: [...path, k], message: `key "${k}" is not allowed` });
      return;
    }
    path.push(k);
    checkStructure((value as Record<string, unknown>)[k], path, depth + 1, maxDepth, out);
    path.pop();
  }
}
