import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKafkaWorker, type ControlResult, type KafkaServer } from '../../src/io/kafka/index.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { startMockBroker, type MockBroker } from './mockBroker.ts';
import { produce, scenarioEngineConfig } from './fixtures/scenario.ts';
import { waitFor } from './workerProcess.ts';

const denyAll = {
  id: 'deny-from-control',
  version: 1,
  description: 'Added through the control topic.',
  appliesTo: ['transaction'],
  conditions: { all: [{ fact: 'amount', operator: 'greaterThan', value: 0 }] },
  event: { type: 'deny', params: { score: 99, reason: 'CONTROL' } },
};

describe('control topic: catalog updates broadcast to every worker', () => {
  let broker: MockBroker;
  const servers: KafkaServer[] = [];
  const dirs = [tempDir('argus-kafka-control-a-'), tempDir('argus-kafka-control-b-')];

  beforeAll(async () => {
    broker = await startMockBroker();
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    await broker?.stop();
    for (const d of dirs) d.cleanup();
  });

  it('a valid update reaches both workers (validated, swapped); an invalid one changes nothing', async () => {
    await produce(broker.brokers, 'c.events', [{ id: 'e0', type: 'transaction', timestamp: 1, userId: 'u0', amount: 1 }]);
    const results: ControlResult[][] = [[], []];
    for (let i = 0; i < 2; i++) {
      const dir = dirs[i]!.path;
      cpSync('rules', join(dir, 'rules'), { recursive: true });
      cpSync('patterns', join(dir, 'patterns'), { recursive: true });
      servers.push(
        await startKafkaWorker(
          { ...scenarioEngineConfig, dataDir: join(dir, 'data'), rulesDir: join(dir, 'rules'), patternsDir: join(dir, 'patterns') },
          { brokers: broker.brokers, groupId: 'c-group', topics: { events: ['c.events'], decisions: 'c.decisions', alerts: 'c.alerts', deadLetters: 'c.dlq', control: 'c.control', changelog: false } },
          { onControl: (r) => results[i]!.push(r) },
        ),
      );
    }
    const before = servers.map((s) => s.engine.catalogVersion);
    await produce(broker.brokers, 'c.control', [
      { key: 'rule', value: JSON.stringify({ kind: 'rule', name: 'deny-from-control.json', content: denyAll }) },
      { key: 'rule', value: JSON.stringify({ kind: 'rule', name: 'broken.json', content: '{"id": "broken", "conditions": ' }) },
      { key: 'rule', value: JSON.stringify({ kind: 'rule', name: '../escape.json', content: denyAll }) },
    ]);
    await waitFor('both workers to read the three updates', () => results.every((r) => r.length === 3), 30_000);
    for (let i = 0; i < 2; i++) {
      const [ok, broken, escape] = results[i]!;
      expect(ok!.ok).toBe(true);
      expect(servers[i]!.engine.catalogVersion).not.toBe(before[i]);
      expect(servers[i]!.engine.catalog.rules.some((r) => r.id === 'deny-from-control')).toBe(true);
      expect(broken!.ok).toBe(false);
      expect(broken!.errors.join('\n')).toMatch(/broken\.json/);
      expect(existsSync(join(dirs[i]!.path, 'rules', 'broken.json'))).toBe(false);
      expect(escape!.ok).toBe(false);
      expect(escape!.errors.join('\n')).toMatch(/name/);
      expect(servers[i]!.engine.catalogVersion).toBe(ok!.version);
    }
  }, 90_000);
});
