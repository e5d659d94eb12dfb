import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { compileFeatures } from './compileFeatures.ts';
import { parseFeatures } from './parseFeatures.ts';

const SAMPLE = new URL('../../rules/features.json', import.meta.url);

/** The issues of the ValidationError thrown by `fn`, as "path: message" lines. */
function issuesOf(fn: () => unknown): { path: (string | number)[]; message: string }[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).issues;
  }
  throw new Error('expected a ValidationError');
}

const events = {
  transaction: { amount: 'number', status: 'string', 'card.fingerprint': 'string', 'card.country': 'string' },
  login: { status: 'string', 'device.id': 'string' },
};
const doc = (features: unknown[], extra: Record<string, unknown> = {}) => ({ events, features, ...extra });

describe('parseFeatures', () => {
  it('parses the sample rules/features.json, and it compiles', () => {
    const defs = parseFeatures(JSON.parse(readFileSync(SAMPLE, 'utf8')), 'rules/features.json');
    expect(defs.length).toBeGreaterThanOrEqual(10);
    const declined = defs.find((d) => d.name === 'declined_count_1h')!;
    expect(declined).toMatchObject({
      kind: 'count',
      window: 3_600_000,
      eventTypes: ['transaction'],
      filterName: 'declined',
      filter: { fact: 'status', operator: 'equal', value: 'declined' },
      maxEntries: 10_000,
      allowedLateness: 60_000,
    });
    expect(compileFeatures(defs).names).toContain('card_testing_matches_24h');
  });

  it('normalises durations, event types and per-feature overrides', () => {
    const [d] = parseFeatures({
      maxEntries: 50,
      features: [{ name: 'x', kind: 'count', window: '90s', eventType: ['b', 'a', 'b'], allowedLateness: 0 }],
    });
    expect(d).toEqual({ name: 'x', kind: 'count', window: 90_000, eventTypes: ['a', 'b'], maxEntries: 50, allowedLateness: 0 });
  });

  it('reports the file and the field path', () => {
    try {
      parseFeatures({ features: [{ name: 'Bad', kind: 'count', window: '1h' }] }, 'rules/features.json');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).file).toBe('rules/features.json');
      expect((err as ValidationError).message).toMatch(/^rules\/features\.json: invalid features: features\[0\]\.name: must match/);
    }
  });

  it('rejects shape errors with their paths', () => {
    const issues = issuesOf(() =>
      parseFeatures({
        features: [
          { name: 'a', kind: 'count' },
          { name: 'a', kind: 'age', window: '1h' },
          { name: 'c', kind: 'sum', window: '1h' },
          { name: 'd', kind: 'median', window: '1h' },
          { name: 'e', kind: 'count', window: '10 minutes' },
          { name: 'f', kind: 'count', window: '1h', field: 'amount' },
          { name: 'g', kind: 'count', window: '1h', color: 'red' },
        ],
      }),
    );
    const paths = issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['features.3.kind', 'features.4.window', 'features.6']));
  });

  it('rejects kind rules and duplicate names', () => {
    const issues = issuesOf(() =>
      parseFeatures({
        features: [
          { name: 'a', kind: 'count' },
          { name: 'a', kind: 'age', window: '1h' },
          { name: 'c', kind: 'sum', window: '1h' },
          { name: 'f', kind: 'timeSince', field: 'amount' },
        ],
      }),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: ['features', 0, 'window'], message: 'required for count (e.g. "1h")' },
        { path: ['features', 1, 'name'], message: 'duplicate feature name "a" (also features[0])' },
        { path: ['features', 1, 'window'], message: 'age takes no window' },
        { path: ['features', 2, 'field'], message: 'required for sum (the event field it reads)' },
        { path: ['features', 3, 'field'], message: 'timeSince reads no field' },
      ]),
    );
  });

  it('an unknown filter name is an error', () => {
    const issues = issuesOf(() =>
      parseFeatures(doc([{ name: 'x', kind: 'count', window: '1h', filter: 'declned' }], { filters: { declined: { fact: 'status', operator: 'equal', value: 'declined' } } })),
    );
    expect(issues).toEqual([{ path: ['features', 0, 'filter'], message: 'unknown filter "declned" (defined: declined)' }]);
  });

  it('an invalid filter condition is reported inside the feature or the named filter', () => {
    const issues = issuesOf(() =>
      parseFeatures({
        filters: { bad: { fact: 'status', operator: 'equals', value: 1 } },
        features: [{ name: 'x', kind: 'count', window: '1h', filter: { all: [{ fact: 'amount', operator: 'greaterThan', value: 'ten' }] } }],
      }),
    );
    expect(issues.map((i) => i.path)).toEqual([
      ['filters', 'bad', 'operator'],
      ['features', 0, 'filter', 'all', 0, 'value'],
    ]);
  });

  describe('with declared events', () => {
    it('a field that is not declared for the feature\'s event types is an error, not a silent zero', () => {
      const issues = issuesOf(() =>
        parseFeatures(
          doc([
            { name: 'a', kind: 'sum', window: '1h', eventType: 'transaction', field: 'amout' },
            { name: 'b', kind: 'seen', eventType: ['transaction', 'login'], field: 'device.id' },
            { name: 'c', kind: 'distinctCount', window: '1h', field: 'nope' },
          ]),
        ),
      );
      expect(issues).toEqual([
        { path: ['features', 0, 'field'], message: '"amout" is not a declared field of event type "transaction" (see "events")' },
        { path: ['features', 1, 'field'], message: '"device.id" is not a declared field of event type "transaction" (see "events")' },
        { path: ['features', 2, 'field'], message: '"nope" is not a declared field of any declared event type (see "events")' },
      ]);
    });

    it('a numeric kind needs a number field', () => {
      const issues = issuesOf(() => parseFeatures(doc([{ name: 'a', kind: 'max', window: '1h', eventType: 'transaction', field: 'status' }])));
      expect(issues[0]!.message).toBe('max needs a number field; "status" is declared string for "transaction"');
    });

    it('filter facts must be declared; a named filter is reported at the feature that uses it', () => {
      const issues = issuesOf(() =>
        parseFeatures(
          doc(
            [
              { name: 'a', kind: 'count', window: '1h', eventType: 'login', filter: 'big' },
              { name: 'b', kind: 'count', window: '1h', eventType: 'transaction', filter: { all: [{ fact: 'type', operator: 'equal', value: 'transaction' }, { fact: 'mcc', operator: 'equal', value: '7995' }] } },
              { name: 'c', kind: 'count', window: '1h', eventType: 'transaction', filter: { fact: 'card', path: '$.country', operator: 'equal', value: 'FR' } },
            ],
            { filters: { big: { fact: 'amount', operator: 'greaterThan', value: 500 } } },
          ),
        ),
      );
      expect(issues).toEqual([
        { path: ['features', 0, 'filter'], message: 'filter "big" reads "amount", which is not a declared field of event type "login" (see "events")' },
        { path: ['features', 1, 'filter', 'all', 1, 'fact'], message: '"mcc" is not a declared field of event type "transaction" (see "events")' },
      ]);
    });

    it('event types must be declared, except derived match:<pattern> events', () => {
      const issues = issuesOf(() =>
        parseFeatures(
          doc([
            { name: 'a', kind: 'count', window: '1h', eventType: 'transacton' },
            { name: 'b', kind: 'count', window: '24h', eventType: 'match:card-testing' },
            { name: 'c', kind: 'last', eventType: 'match:card-testing', field: 'score' },
          ]),
        ),
      );
      expect(issues.map((i) => i.path)).toEqual([
        ['features', 0, 'eventType'],
        ['features', 2, 'field'],
      ]);
      expect(issues[0]!.message).toMatch(/^unknown event type "transacton" \(declared: transaction, login;/);
    });
  });
});
