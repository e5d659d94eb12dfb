import { describe, expect, it } from 'vitest';
import { ConditionError, ValidationError } from '../errors.ts';
import { ListRegistry } from './ListRegistry.ts';
import type { ListFileInput, ListKind } from './types.ts';
import { UnknownListError } from './UnknownListError.ts';

function file(name: string, kind: ListKind, items: unknown[], description = `${name} list`): ListFileInput {
  return { file: `rules/lists/${name}.json`, text: JSON.stringify({ description, kind, items }, null, 2) };
}

function loaded(...files: ListFileInput[]): ListRegistry {
  const r = new ListRegistry();
  const result = r.load(files);
  expect(result.errors.map((e) => e.message)).toEqual([]);
  return r;
}

describe('ListRegistry: loading', () => {
  it('loads every file; ref() is a live set per kind', () => {
    const r = loaded(file('countries', 'string', ['IR', 'KP']), file('ips', 'ip', ['10.0.0.0/8']), file('amounts', 'number', [13, 666]));
    expect(r.names()).toEqual(['amounts', 'countries', 'ips']);
    expect(r.ref('countries')!.has('IR')).toBe(true);
    expect(r.ref('countries')!.has('ir')).toBe(false);
    expect(r.ref('ips')!.has('10.20.30.40')).toBe(true);
    expect(r.ref('ips')!.has('11.0.0.1')).toBe(false);
    expect(r.ref('amounts')!.has(666)).toBe(true);
    expect(r.ref('amounts')!.has('666')).toBe(false); // strict, as a literal `in`
    expect(r.ref('nope')).toBeUndefined();
  });

  it('is all or nothing: one bad file and nothing changes; every error has file, line and path', () => {
    const r = loaded(file('countries', 'string', ['IR']));
    const before = r.ref('countries')!;
    const result = r.load([file('countries', 'string', ['CU']), file('ips', 'ip', ['10.0.0.0/8', 'nope']), file('bins', 'number', ['x'])]);
    expect(result.ok).toBe(false);
    expect(result.errors.map((e) => [e.file, e.line, e.issues[0]!.path])).toEqual([
      ['rules/lists/ips.json', 6, ['items', 1]],
      ['rules/lists/bins.json', 5, ['items', 0]],
    ]);
    expect(r.names()).toEqual(['countries']);
    expect(before.has('IR')).toBe(true);
    expect(before.has('CU')).toBe(false);
  });

  it('keeps the same live object across reloads: a holder sees new contents', () => {
    const r = loaded(file('countries', 'string', ['IR']));
    const held = r.ref('countries')!;
    r.load([file('countries', 'string', ['CU'])]);
    expect(r.ref('countries')).toBe(held);
    expect(held.has('IR')).toBe(false);
    expect(held.has('CU')).toBe(true);
  });

  it('a list whose file is gone matches nothing and is no longer defined', () => {
    const r = loaded(file('countries', 'string', ['IR']), file('ips', 'ip', ['1.2.3.4']));
    const held = r.ref('ips')!;
    r.load([file('countries', 'string', ['IR'])]);
    expect(r.ref('ips')).toBeUndefined();
    expect(held.has('1.2.3.4')).toBe(false);
    expect(() => r.add('ips', ['5.6.7.8'])).toThrow(UnknownListError);
  });

  it('prepare + hook: a rule compiled against the new files fails for a list they no longer define', () => {
    const r = loaded(file('countries', 'string', ['IR']), file('ips', 'ip', ['1.2.3.4']));
    const prepared = r.prepare([file('countries', 'string', ['IR'])]);
    expect(prepared.ok).toBe(true);
    expect(prepared.hook('countries', ['conditions', 'value'])).toBe(r.ref('countries'));
    let err: unknown;
    try {
      prepared.hook('ips', ['conditions', 'all', 0, 'value']);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConditionError);
    expect((err as ConditionError).issues).toEqual([{ path: ['conditions', 'all', 0, 'value'], message: 'unknown list "ips" (known: countries)' }]);
    expect(prepared.missing(['ips', 'countries', 'ips'])).toEqual(['ips']);
    expect([...prepared.referenced]).toEqual(['countries']);
    // Nothing changed until commit.
    expect(r.ref('ips')!.has('1.2.3.4')).toBe(true);
    r.commit(prepared);
    expect(r.ref('ips')).toBeUndefined();
  });

  it('a new list resolved by a prepared hook is live after commit', () => {
    const r = loaded();
    const prepared = r.prepare([file('devices', 'string', ['dev-1'])]);
    const ref = prepared.hook('devices', []);
    expect(ref.has('dev-1')).toBe(false);
    r.commit(prepared);
    expect(ref.has('dev-1')).toBe(true);
    expect(r.hook('devices', [])).toBe(ref);
    expect(() => r.hook('other', ['v'])).toThrow('unknown list "other" (known: devices)');
  });

  it('describe() gives name, kind, size, file, hash and a version that moves on change', () => {
    const r = loaded(file('ips', 'ip', ['10.0.0.0/8', '10.0.0.0/8', '::1']));
    const [d] = r.describe();
    expect(d).toMatchObject({ name: 'ips', kind: 'ip', description: 'ips list', size: 2, file: 'rules/lists/ips.json', added: 0, removed: 0 });
    expect(d!.hash).toMatch(/^[0-9a-f]{12}$/);
    r.load([file('ips', 'ip', ['10.0.0.0/8', '10.0.0.0/8', '::1'])]);
    expect(r.describe()[0]!.version).toBe(d!.version); // same file: same version
    r.add('ips', ['1.1.1.1']);
    const v2 = r.describe()[0]!.version;
    expect(v2).toBeGreaterThan(d!.version);
    r.load([file('ips', 'ip', ['10.0.0.0/8'])]);
    expect(r.describe()[0]!.version).toBeGreaterThan(v2);
  });
});

describe('ListRegistry: API overlay', () => {
  it('effective = file + added - removed; changes are visible through the held ref', () => {
    const r = loaded(file('ips', 'ip', ['10.0.0.0/8', '192.0.2.1']));
    const ips = r.ref('ips')!;
    const up = r.add('ips', ['203.0.113.0/24', '10.0.0.0/8', '203.0.113.0/24']);
    expect(up).toMatchObject({ name: 'ips', size: 3, changed: 1, unchanged: 2, added: 1, removed: 0 });
    expect(ips.has('203.0.113.77')).toBe(true);
    const down = r.remove('ips', ['10.0.0.0/8', '10.1.2.3', '198.51.100.1']);
    expect(down).toMatchObject({ size: 2, changed: 1, unchanged: 2, added: 1, removed: 1 });
    expect(ips.has('10.1.2.3')).toBe(false);
    expect(r.get('ips')!.items).toEqual(['192.0.2.1', '203.0.113.0/24']);
    // Adding a removed file item back restores it; removing an added item forgets it.
    r.add('ips', ['10.0.0.0/8']);
    r.remove('ips', ['203.0.113.0/24']);
    expect(r.overlay()).toEqual({ version: 1, lists: {} });
    expect(ips.has('10.1.2.3')).toBe(true);
    expect(ips.has('203.0.113.77')).toBe(false);
  });

  it('removing an address inside a listed range leaves the range (exact items only)', () => {
    const r = loaded(file('ips', 'ip', ['10.0.0.0/8']));
    expect(r.remove('ips', ['10.1.2.3']).changed).toBe(0);
    expect(r.ref('ips')!.has('10.1.2.3')).toBe(true);
  });

  it('canonicalises API items: 10.0.0.1/32 and ::ffff:10.0.0.1 are 10.0.0.1', () => {
    const r = loaded(file('ips', 'ip', []));
    r.add('ips', ['10.0.0.1/32']);
    expect(r.add('ips', ['::ffff:10.0.0.1']).changed).toBe(0);
    expect(r.get('ips')!.items).toEqual(['10.0.0.1']);
  });

  it('refuses items of the wrong kind, all or nothing, with their paths', () => {
    const r = loaded(file('ips', 'ip', []));
    let err: unknown;
    try {
      r.add('ips', ['1.2.3.4', '1.2.3', 7]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => i.path)).toEqual([['items', 1], ['items', 2]]);
    expect(r.get('ips')!.size).toBe(0);
    expect(() => r.add('nope', ['1.2.3.4'])).toThrow(UnknownListError);
    expect(() => r.remove('nope', ['1.2.3.4'])).toThrow(UnknownListError);
  });

  it('get() shows at most `limit` items and says when it truncated', () => {
    const r = loaded(file('ids', 'string', ['a', 'b', 'c']));
    expect(r.get('ids', 2)).toMatchObject({ items: ['a', 'b'], truncated: true, size: 3 });
    expect(r.get('ids', 3)).toMatchObject({ items: ['a', 'b', 'c'], truncated: false });
    expect(r.get('ids', 0)).toMatchObject({ items: [], truncated: true });
    expect(r.get('nope')).toBeUndefined();
  });

  it('overlay() round-trips through JSON into a fresh registry, before or after loading files', () => {
    const files = [file('ips', 'ip', ['10.0.0.0/8', '192.0.2.1']), file('users', 'string', ['u1'])];
    const a = loaded(...files);
    a.add('ips', ['2001:db8::/32']);
    a.remove('ips', ['192.0.2.1']);
    a.add('users', ['u2', 'u3']);
    const saved = JSON.stringify(a.overlay());
    expect(JSON.parse(saved)).toEqual({
      version: 1,
      lists: { ips: { added: ['2001:db8::/32'], removed: ['192.0.2.1'] }, users: { added: ['u2', 'u3'], removed: [] } },
    });

    const after = loaded(...files);
    expect(after.restoreOverlay(saved)).toEqual([]);
    const before = new ListRegistry();
    before.restoreOverlay(JSON.parse(saved));
    before.load(files);
    for (const r of [after, before]) {
      expect(r.ref('ips')!.has('2001:db8::9')).toBe(true);
      expect(r.ref('ips')!.has('192.0.2.1')).toBe(false);
      expect(r.ref('users')!.has('u3')).toBe(true);
      expect(r.get('users')!.items).toEqual(['u1', 'u2', 'u3']);
      expect(r.overlay()).toEqual(JSON.parse(saved));
    }
  });

  it('restoreOverlay replaces the overlay and refuses a malformed one', () => {
    const r = loaded(file('users', 'string', ['u1']));
    r.add('users', ['u2']);
    r.restoreOverlay({ version: 1, lists: {} });
    expect(r.ref('users')!.has('u2')).toBe(false);
    expect(() => r.restoreOverlay('{')).toThrow(ValidationError);
    expect(() => r.restoreOverlay({ version: 2, lists: {} })).toThrow(/version/);
    expect(() => r.restoreOverlay({ version: 1, lists: { users: { added: [{}], removed: [] } } })).toThrow(ValidationError);
    expect(() => r.restoreOverlay({ version: 1, lists: { 'a.b': { added: [], removed: [] } } })).toThrow(/not a list name/);
  });

  it('reloading files keeps the overlay; changes the file now agrees with are absorbed', () => {
    const r = loaded(file('users', 'string', ['u1', 'u2']));
    r.add('users', ['u3', 'u4']);
    r.remove('users', ['u1', 'u2']);
    // The file now holds u3 (added through the API) and no longer holds u1 (removed through the API).
    r.load([file('users', 'string', ['u2', 'u3', 'u5'])]);
    expect(r.get('users')!.items).toEqual(['u3', 'u5', 'u4']);
    expect(r.overlay().lists.users).toEqual({ added: ['u4'], removed: ['u2'] });
  });

  it('keeps the overlay of a list whose file is gone, and applies it again when the file returns', () => {
    const r = loaded(file('users', 'string', ['u1']));
    r.add('users', ['u2']);
    const result = r.load([]);
    expect(result.orphaned).toEqual(['users']);
    expect(r.overlay().lists.users).toEqual({ added: ['u2'], removed: [] });
    r.load([file('users', 'string', ['u1'])]);
    expect(r.ref('users')!.has('u2')).toBe(true);
  });

  it('drops (and reports) API items that no longer fit when a list changes kind', () => {
    const r = loaded(file('mixed', 'string', ['a']));
    r.add('mixed', ['10.0.0.1', 'not-an-ip']);
    const result = r.load([file('mixed', 'ip', [])]);
    expect(result.dropped).toEqual([{ list: 'mixed', item: 'not-an-ip', reason: '"not-an-ip" is not an IPv4/IPv6 address or CIDR range' }]);
    expect(r.ref('mixed')!.has('10.0.0.1')).toBe(true);
    expect(r.overlay().lists.mixed).toEqual({ added: ['10.0.0.1'], removed: [] });
  });
});
