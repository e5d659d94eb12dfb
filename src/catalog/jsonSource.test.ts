import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { lineOfPath, locateError, parseJsonDocument } from './jsonSource.ts';

const text = `{
  "id": "r1",
  "conditions": {
    "all": [
      { "fact": "amount", "operator": "greaterThan", "value": 5 },
      { "fact": "country",
        "operator": "bogus", "value": ["a", {"x": [1, 2]}] }
    ]
  }
}`;

describe('jsonSource', () => {
  it('finds the line of a nested field', () => {
    expect(lineOfPath(text, ['id'])).toBe(2);
    expect(lineOfPath(text, ['conditions', 'all', 0])).toBe(5);
    expect(lineOfPath(text, ['conditions', 'all', 1, 'operator'])).toBe(7);
  });

  it('falls back to the deepest existing parent for a missing field', () => {
    expect(lineOfPath(text, ['conditions', 'all', 1, 'path'])).toBe(6);
    expect(lineOfPath(text, ['missing'])).toBe(1);
  });

  it('reports the line of a JSON syntax error', () => {
    const bad = '{\n  "a": 1,\n  "b": ,\n}';
    try {
      parseJsonDocument(bad, 'rules/x.json', 'rule');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).file).toBe('rules/x.json');
      expect((err as ValidationError).line).toBe(3);
    }
  });

  it('locates a validation error in its file', () => {
    const err = new ValidationError('rule', [{ path: ['conditions', 'all', 1, 'operator'], message: 'unknown operator' }]);
    const located = locateError(err, text, 'rules/r1.json');
    expect(located.message).toBe('rules/r1.json:7: invalid rule: conditions.all[1].operator: unknown operator');
  });
});
