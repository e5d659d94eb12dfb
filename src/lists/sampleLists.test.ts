/**
 * The sample lists in `rules/lists/` load, and rules written against them decide as documented
 * in docs/lists.md.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCondition } from '../conditions/index.ts';
import { collectListReferences } from './listReferences.ts';
import { ListRegistry } from './ListRegistry.ts';

const dir = join(import.meta.dirname, '..', '..', 'rules', 'lists');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => ({ file: `rules/lists/${f}`, text: readFileSync(join(dir, f), 'utf8') }));

describe('sample lists (rules/lists/)', () => {
  const lists = new ListRegistry();
  const result = lists.load(files);

  it('all load', () => {
    expect(result.errors.map((e) => e.message)).toEqual([]);
    expect(lists.names()).toEqual(['allowlisted_users', 'bad_devices', 'blocked_bins', 'blocked_countries', 'blocked_ips']);
  });

  it('decide a blocked-traffic condition as docs/lists.md shows', () => {
    const condition = {
      any: [
        { fact: 'ip.address', operator: 'in', value: { list: 'blocked_ips' } },
        { fact: 'ip.country', operator: 'in', value: { list: 'blocked_countries' } },
        { fact: 'card.bin', operator: 'in', value: { list: 'blocked_bins' } },
        { fact: 'device.id', operator: 'in', value: { list: 'bad_devices' } },
      ],
    };
    expect(collectListReferences(condition, ['conditions']).map((r) => r.name)).toEqual(['blocked_ips', 'blocked_countries', 'blocked_bins', 'bad_devices']);
    expect(collectListReferences(condition, ['conditions'])[0]!.path).toEqual(['conditions', 'any', 0, 'value']);
    const blocked = compileCondition<Record<string, any>>(condition, { list: lists.hook });
    const clean = { ip: { address: '203.0.113.24', country: 'US' }, card: { bin: '414720' }, device: { id: 'dev_5f2c81' } };
    expect(blocked(clean)).toBe(false);
    expect(blocked({ ...clean, ip: { address: '198.51.100.7', country: 'US' } })).toBe(true);
    expect(blocked({ ...clean, ip: { address: '::ffff:192.0.2.200', country: 'US' } })).toBe(true);
    expect(blocked({ ...clean, ip: { address: '2001:db8:bad:1::1', country: 'US' } })).toBe(true);
    expect(blocked({ ...clean, ip: { address: '203.0.113.24', country: 'IR' } })).toBe(true);
    expect(blocked({ ...clean, card: { bin: '530125' } })).toBe(true);
    expect(blocked({ ...clean, device: { id: 'dev_c4rd7e' } })).toBe(true);
    const review = compileCondition<Record<string, any>>(
      { all: [{ fact: 'amount', operator: 'greaterThan', value: 1000 }, { fact: 'userId', operator: 'notIn', value: { list: 'allowlisted_users' } }] },
      { list: lists.hook },
    );
    expect(review({ amount: 5000, userId: 'u_1842' })).toBe(true);
    expect(review({ amount: 5000, userId: 'u_2077' })).toBe(false);
  });
});
