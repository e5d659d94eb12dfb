import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchCommand } from './matchCommand.ts';

const dir = mkdtempSync(join(tmpdir(), 'argus-match-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await matchCommand(argv, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) });
  return { code, stdout, stderr };
}

const pattern = file(
  'p.json',
  JSON.stringify(
    {
      id: 'ab',
      within: '1m',
      timeouts: true,
      stages: [
        { name: 'a', where: { fact: 'type', operator: 'equal', value: 'a' } },
        { name: 'b', where: { fact: 'type', operator: 'equal', value: 'b' } },
      ],
    },
    null,
    2,
  ),
);
const line = (id: string, type: string, timestamp: number, account = 'k1') => JSON.stringify({ id, type, timestamp, account });

describe('argus match', () => {
  it('prints one JSON object per result, time going to +infinity at the end', async () => {
    const events = file('e.jsonl', [line('e1', 'a', 1), line('e2', 'x', 2), '', line('e3', 'b', 3), line('e4', 'a', 10)].join('\n') + '\n');
    const r = await run(['--pattern', pattern, '--events', events, '--key', 'account']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      { kind: 'match', pattern: 'ab', key: 'k1', timestamp: 3, stages: { a: ['e1'], b: ['e3'] } },
      { kind: 'timeout', pattern: 'ab', key: 'k1', timestamp: 60_010, stages: { a: ['e4'] } },
    ]);
  });

  it('rejects an invalid pattern with file, line and path (exit 2)', async () => {
    const bad = file('bad.json', '{\n  "id": "bad",\n  "stages": [\n    { "name": "a", "times": 0 }\n  ]\n}\n');
    const r = await run(['--pattern', bad, '--events', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:4: invalid pattern: stages[0].times`);
  });

  it('rejects a malformed event line with file, line and path (exit 2)', async () => {
    const events = file('bad.jsonl', `${line('e1', 'a', 1)}\n{"id":"e2","type":"b","timestamp":"yesterday","account":"k1"}\n`);
    const r = await run(['--pattern', pattern, '--events', events, '--key', 'account']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${events}:2: invalid event: timestamp`);
  });

  it('needs --pattern and --events', async () => {
    const r = await run(['--pattern', pattern]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--pattern and --events are required');
  });
});
