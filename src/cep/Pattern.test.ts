import { describe, expect, it } from 'vitest';
import { Pattern } from './Pattern.ts';
import { matchEvents } from './matchEvents.ts';
import { parsePattern } from './parsePattern.ts';

const is = (name: string) => ({ fact: 'name', operator: 'equal', value: name });

describe('Pattern builder', () => {
  it('writes the same JSON as the hand-written pattern', () => {
    const built = Pattern.begin('start')
      .where(is('a'))
      .next('middle')
      .where(is('b'))
      .or(is('x'))
      .oneOrMore()
      .consecutive()
      .greedy()
      .until(is('stop'))
      .followedByAny('opt')
      .where(is('o'))
      .times(1, 2)
      .allowCombinations()
      .notNext('nn')
      .where(is('z'))
      .followedBy('end')
      .where(is('c'))
      .within('30s', 'previousAndCurrent')
      .within('10m')
      .id('built')
      .version(3)
      .afterMatch({ skipToFirst: 'middle', throwOnMiss: true })
      .timeouts()
      .emit({ alert: 'x', score: 10 })
      .toJSON();
    const json = {
      id: 'built',
      version: 3,
      within: '10m',
      afterMatch: { skipToFirst: 'middle', throwOnMiss: true },
      timeouts: true,
      stages: [
        { name: 'start', where: is('a') },
        { name: 'middle', contiguity: 'next', where: { any: [is('b'), is('x')] }, times: { min: 1 }, greedy: true, inner: 'strict', until: is('stop') },
        { name: 'opt', contiguity: 'followedByAny', where: is('o'), times: { min: 1, max: 2 }, inner: 'any' },
        { name: 'nn', contiguity: 'notNext', where: is('z') },
        { name: 'end', contiguity: 'followedBy', where: is('c'), within: '30s' },
      ],
      emit: { alert: 'x', score: 10 },
    };
    expect(built).toEqual(json);
    expect(() => parsePattern(built)).not.toThrow();
  });

  it('builds groups from sub-patterns, nested, with quantifiers on the group', () => {
    const inner = Pattern.begin('b').where(is('b')).followedBy('c').where(is('c'));
    const built = Pattern.begin('a')
      .where(is('a'))
      .followedBy(Pattern.begin(inner, 'bc').next('d').where(is('d')), 'g')
      .timesOrMore(2)
      .notFollowedBy('e')
      .where(is('e'))
      .within(1000)
      .id('groups')
      .toJSON();
    expect(built).toEqual({
      id: 'groups',
      within: 1000,
      stages: [
        { name: 'a', where: is('a') },
        {
          name: 'g',
          contiguity: 'followedBy',
          times: { min: 2 },
          group: [
            { name: 'bc', group: [{ name: 'b', where: is('b') }, { name: 'c', contiguity: 'followedBy', where: is('c') }] },
            { name: 'd', contiguity: 'next', where: is('d') },
          ],
        },
        { name: 'e', contiguity: 'notFollowedBy', where: is('e') },
      ],
    });
    expect(() => parsePattern(built)).not.toThrow();
  });

  it('a built pattern matches like its JSON', () => {
    const p = Pattern.begin('a').where(is('a')).followedBy('b').where(is('b')).id('ab').toJSON();
    const events = [
      { id: 'e1', type: 'a', timestamp: 1, userId: 'u', name: 'a' },
      { id: 'e2', type: 'b', timestamp: 2, userId: 'u', name: 'b' },
    ];
    expect(matchEvents(p, events)).toEqual([{ kind: 'match', pattern: 'ab', key: 'u', timestamp: 2, stages: { a: ['e1'], b: ['e2'] } }]);
  });
});
