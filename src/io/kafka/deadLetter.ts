import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import { ValidationError } from '../../errors.ts';

/** Why a message could not be processed: a message, and the field paths when validation failed. */
export interface DeadLetterReason {
  error: string;
  code: string;
  issues: { path: (string | number)[]; message: string }[];
}

export function deadLetterReason(err: unknown): DeadLetterReason {
  if (err instanceof ValidationError) return { error: err.message, code: err.code, issues: err.issues };
  const e = err as { message?: string; code?: string };
  return { error: e?.message ?? String(err), code: typeof e?.code === 'string' ? e.code : 'INVALID_EVENT', issues: [] };
}

/**
 * The dead-letter record of a message: the ORIGINAL bytes as value and key (untouched), and the
 * reason and origin in headers, so a consumer can fix and re-publish it as it was.
 */
export function deadLetterMessage(topic: string, partition: number, message: KafkaMessage, reason: DeadLetterReason): Message {
  const headers: IHeaders = {
    'argus-error': reason.error,
    'argus-error-code': reason.code,
    'argus-issues': JSON.stringify(reason.issues),
    'argus-source-topic': topic,
    'argus-source-partition': String(partition),
    'argus-source-offset': message.offset,
  };
  return { key: message.key, value: message.value, headers, timestamp: message.timestamp };
}
