import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { listNameOf, parseListFile } from './parseListFile.ts';

function error(file: string, text: string): ValidationError {
  try {
    parseListFile({ file, text });
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error('expected a ValidationError');
}

const doc = (o: Record<string, unknown>): string => JSON.stringify(o, null, 2);

describe('parseListFile', () => {
  it('reads a list: name from the file, canonical items, duplicates folded, a content hash', () => {
    const text = doc({ description: 'Blocked ranges', kind: 'ip', items: ['10.0.0.0/8', '2001:DB8::/32', '10.0.0.0/8', '::ffff:10.0.0.0/104', '1.2.3.4/32'] });
    const def = parseListFile({ file: 'rules/lists/blocked_ips.json', text });
    expect(def.name).toBe('blocked_ips');
    expect(def.kind).toBe('ip');
    expect([...def.items.keys()]).toEqual(['10.0.0.0/8', '2001:db8::/32', '1.2.3.4']);
    expect(def.hash).toMatch(/^[0-9a-f]{12}$/);
    expect(parseListFile({ file: 'x/blocked_ips.json', text: `${text}\n` }).hash).not.toBe(def.hash);
  });

  it('accepts a name equal to the file name and refuses another', () => {
    expect(parseListFile({ file: 'l/a.json', text: doc({ name: 'a', description: '', kind: 'string', items: [] }) }).name).toBe('a');
    const err = error('l/a.json', doc({ name: 'b', description: '', kind: 'string', items: [] }));
    expect(err.issues).toEqual([{ path: ['name'], message: 'must be the file\'s name "a" (or be left out), got "b"' }]);
    expect(err.file).toBe('l/a.json');
    expect(err.line).toBe(2);
  });

  it('names the file, the line and the path of a bad IP item; later items carry their own line', () => {
    const text = doc({ description: 'x', kind: 'ip', items: ['10.0.0.0/8', '10.0.0.300', '2001:db8::/32', '10.1.2.3/8'] });
    const err = error('rules/lists/ips.json', text);
    expect(err.what).toBe('list');
    expect(err.line).toBe(6);
    expect(err.issues.map((i) => i.path)).toEqual([['items', 1], ['items', 3]]);
    expect(err.issues[0]!.message).toBe('"10.0.0.300" is not an IPv4/IPv6 address or CIDR range');
    expect(err.issues[1]!.message).toBe('"10.1.2.3/8" has host bits set: the range is 10.0.0.0/8 (line 8)');
    expect(err.message).toMatch(/^rules\/lists\/ips\.json:6: invalid list: items\[1\]: /);
  });

  it('checks items against the kind', () => {
    expect(error('l/n.json', doc({ description: '', kind: 'number', items: [1, '2', null] })).issues).toEqual([
      { path: ['items', 1], message: 'a "number" list holds numbers, got string "2"' },
      { path: ['items', 2], message: 'a "number" list holds numbers, got null (line 7)' },
    ]);
    expect(error('l/s.json', doc({ description: '', kind: 'string', items: ['ok', '', ' IR', 5] })).issues.map((i) => i.message)).toEqual([
      'must not be empty',
      '" IR" has leading or trailing whitespace (line 7)',
      'a "string" list holds strings, got number 5 (line 8)',
    ]);
    expect(error('l/i.json', doc({ description: '', kind: 'ip', items: [167772160] })).issues[0]!.message).toMatch(/address or CIDR strings, got number/);
  });

  it('reports at most 20 item problems, then a count', () => {
    const items = Array.from({ length: 50 }, (_, i) => `bad-${i}`);
    const err = error('l/x.json', doc({ description: '', kind: 'ip', items }));
    expect(err.issues).toHaveLength(21);
    expect(err.issues[20]).toEqual({ path: ['items'], message: 'and 30 more invalid items' });
  });

  it('refuses unknown kinds, missing and unknown keys (zod), with lines', () => {
    const err = error('l/x.json', doc({ description: 'd', kind: 'cidr', items: [] }));
    expect(err.issues[0]!.path).toEqual(['kind']);
    expect(err.line).toBe(3);
    expect(error('l/x.json', doc({ kind: 'string', items: [] })).issues[0]!.path).toEqual(['description']);
    expect(error('l/x.json', doc({ description: '', kind: 'string', items: [], itmes: [] })).issues[0]!.message).toMatch(/itmes/);
    expect(error('l/x.json', doc({ description: '', kind: 'string', items: 'IR' })).issues[0]!.path).toEqual(['items']);
  });

  it('reports malformed JSON with its line', () => {
    const err = error('l/x.json', '{\n  "description": "",\n  "kind": "string",\n  "items": ["a" "b"]\n}');
    expect(err.line).toBe(4);
    expect(err.issues[0]!.message).toMatch(/malformed JSON/);
  });

  it('refuses file names that are not list names', () => {
    expect(error('l/bad.name.json', doc({ description: '', kind: 'string', items: [] })).issues[0]!.message).toMatch(/not a list name/);
    expect(listNameOf('a\\b\\c.json')).toBe('c');
  });
});
