import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CatalogLoadError, loadCatalog } from './loadCatalog.ts';

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function catalogDir(listItems: unknown[] | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'argus-catalog-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'rules', 'lists'), { recursive: true });
  writeFileSync(
    join(dir, 'rules', 'blocked.json'),
    JSON.stringify({
      id: 'blocked',
      version: 1,
      description: 'country on the blocked list',
      conditions: { all: [{ fact: 'country', operator: 'in', value: { list: 'blocked_countries' } }] },
      event: { type: 'deny', params: { score: 100, reason: 'BLOCKED' } },
    }),
  );
  if (listItems !== undefined) {
    writeFileSync(join(dir, 'rules', 'lists', 'blocked_countries.json'), JSON.stringify({ description: 'x', kind: 'string', items: listItems }));
  }
  return dir;
}

describe('loadCatalog without an engine (argus validate)', () => {
  it('validates rules that use lists against the list files', async () => {
    const dir = catalogDir(['KP']);
    const catalog = await loadCatalog({ rulesDir: join(dir, 'rules'), patternsDir: join(dir, 'patterns') });
    catalog.activate();
    const facts = (country: string) => ({ event: { country }, features: {}, matches: {}, lists: {} });
    expect(catalog.evaluate('transaction', facts('KP')).decision).toBe('deny');
    expect(catalog.evaluate('transaction', facts('FR')).decision).toBe('allow');
  });

  it('refuses a rule whose list has no file', async () => {
    const dir = catalogDir(undefined);
    const err = await loadCatalog({ rulesDir: join(dir, 'rules'), patternsDir: join(dir, 'patterns') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CatalogLoadError);
    expect((err as Error).message).toMatch(/blocked\.json:\d+: .*conditions\.all\[0\]\.value.*blocked_countries/);
  });
});
