import { describe, expect, it } from 'vitest';
import { PayloadTooLargeError, ValidationError } from '../errors.ts';
import { EventParser } from './parseEvent.ts';

const parser = new EventParser();
const base = { id: 'e1', type: 'transaction', timestamp: 1_700_000_000_000, userId: 'u1', amount: 12.5 };

function issuesOf(fn: () => unknown): { path: (string | number)[]; message: string }[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).issues;
  }
  throw new Error('expected a ValidationError');
}

describe('EventParser', () => {
  it('accepts a valid envelope and keeps every other field', () => {
    const e = parser.parseValue(base);
    expect(e).toMatchObject({ id: 'e1', type: 'transaction', time: 1_700_000_000_000, key: 'u1' });
    expect(e.data.amount).toBe(12.5);
  });

  it('normalises an ISO-8601 timestamp to epoch milliseconds', () => {
    const e = parser.parseValue({ ...base, timestamp: '2024-03-01T10:00:00.250Z' });
    expect(e.time).toBe(Date.UTC(2024, 2, 1, 10, 0, 0, 250));
    const withOffset = parser.parseValue({ ...base, timestamp: '2024-03-01T11:00:00+01:00' });
    expect(withOffset.time).toBe(Date.UTC(2024, 2, 1, 10, 0, 0));
  });

  it('rejects missing and mistyped envelope fields with their paths', () => {
    const { id: _id, ...noId } = base;
    expect(issuesOf(() => parser.parseValue(noId)).map((i) => i.path)).toContainEqual(['id']);
    expect(issuesOf(() => parser.parseValue({ ...base, type: 7 })).map((i) => i.path)).toContainEqual(['type']);
    expect(issuesOf(() => parser.parseValue({ ...base, timestamp: 'yesterday' })).map((i) => i.path)).toContainEqual([
      'timestamp',
    ]);
    expect(issuesOf(() => parser.parseValue({ ...base, timestamp: 1.5 })).map((i) => i.path)).toContainEqual(['timestamp']);
    expect(issuesOf(() => parser.parseValue([base]))[0]!.path).toEqual([]);
  });

  it('requires the key field, at a configurable path', () => {
    const { userId: _u, ...noKey } = base;
    expect(issuesOf(() => parser.parseValue(noKey))[0]).toMatchObject({ path: ['userId'] });
    const nested = new EventParser({ keyField: 'account.id' });
    expect(nested.parseValue({ ...noKey, account: { id: 42 } }).key).toBe('42');
    expect(issuesOf(() => nested.parseValue({ ...noKey, account: { id: {} } }))[0]).toMatchObject({ path: ['account', 'id'] });
  });

  it('rejects a body over 64 KiB', () => {
    const big = JSON.stringify({ ...base, blob: 'x'.repeat(64 * 1024) });
    expect(() => parser.parseText(big)).toThrow(PayloadTooLargeError);
  });

  it('rejects nesting deeper than 32 levels, with the path where it happens', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 32; i++) deep = { n: deep };
    const issues = issuesOf(() => parser.parseValue({ ...base, deep }));
    expect(issues[0]!.message).toMatch(/deeper than 32/);
    expect(issues[0]!.path.slice(0, 3)).toEqual(['deep', 'n', 'n']);
    let ok: unknown = 1;
    for (let i = 0; i < 30; i++) ok = { n: ok };
    expect(parser.parseValue({ ...base, ok }).id).toBe('e1');
  });

  it('rejects __proto__, constructor and prototype keys anywhere', () => {
    for (const k of ['__proto__', 'constructor', 'prototype']) {
      const text = `{"id":"e1","type":"t","timestamp":1,"userId":"u","meta":{"list":[{"${k}":{"admin":true}}]}}`;
      const issues = issuesOf(() => parser.parseText(text));
      expect(issues[0]!.path).toEqual(['meta', 'list', 0, k]);
    }
  });

  it('reports malformed JSON as a validation error, with the line when given', () => {
    try {
      parser.parseText('{"id": ', { file: 'events.jsonl', line: 7 });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).message).toMatch(/^events\.jsonl:7: invalid event: \(root\): malformed JSON/);
    }
  });
});

describe('the envelope fast path', () => {
  it('accepts exactly what the zod schema accepts', async () => {
    const fc = await import('fast-check');
    const { envelopeSchema } = await import('./parseEvent.ts');
    const value = fc.oneof(
      fc.string({ maxLength: 3 }),
      fc.string({ minLength: 250, maxLength: 260 }),
      fc.integer({ min: -5, max: 2 ** 53 }),
      fc.double(),
      fc.constant(Number.MAX_SAFE_INTEGER + 2),
      fc.constant('2024-03-01T10:00:00Z'),
      fc.constant(null),
      fc.constant(undefined),
    );
    fc.assert(
      fc.property(value, value, value, (id, type, timestamp) => {
        const raw: Record<string, unknown> = { userId: 'u' };
        if (id !== undefined) raw.id = id;
        if (type !== undefined) raw.type = type;
        if (timestamp !== undefined) raw.timestamp = timestamp;
        let accepted = true;
        try {
          parser.parseValue(raw);
        } catch {
          accepted = false;
        }
        expect(accepted).toBe(envelopeSchema.safeParse(raw).success);
      }),
      { numRuns: 3000 },
    );
  });
});
