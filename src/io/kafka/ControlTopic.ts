import { cp, mkdir, mkdtemp, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { Consumer, Kafka } from 'kafkajs';
import { CatalogLoadError, loadCatalog, type ReloadResult } from '../../catalog/index.ts';
import { ValidationError, fromZodIssues } from '../../errors.ts';
import type { Engine } from '../../runtime/Engine.ts';

/** One catalog update on the control topic: put or delete one rule or pattern file. */
export const controlMessageSchema = z.strictObject({
  kind: z.enum(['rule', 'pattern'], { message: 'must be "rule" or "pattern"' }),
  /** File name inside rules/ or patterns/ (no directories). */
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*\.(json|nools)$/, 'must be a file name ending in .json or .nools, without directories'),
  /** The file's content (text, or a JSON value written as JSON); absent with `delete`. */
  content: z.unknown().optional(),
  delete: z.boolean().optional(),
});
export type ControlMessage = z.output<typeof controlMessageSchema>;

export interface ControlResult {
  ok: boolean;
  message: ControlMessage | undefined;
  version: string;
  errors: string[];
}

/**
 * The control topic: catalog updates broadcast to every worker (Flink's broadcast state). Each
 * worker reads the whole topic in a group of its own. An update is validated like a file change:
 * the catalog with the change applied is loaded from a staging copy, and only if all of it is
 * valid is the file written and the catalog reloaded (the engine's all-or-nothing swap). An
 * invalid update changes nothing and is reported.
 */
export class ControlTopic {
  private readonly consumer: Consumer;
  applied = 0;
  rejected = 0;

  constructor(
    kafka: Kafka,
    private readonly topic: string,
    groupPrefix: string,
    private readonly engine: Engine,
    private readonly dirs: { rulesDir: string; patternsDir: string; keyField?: string },
    private readonly onResult: (result: ControlResult) => void = () => {},
  ) {
    this.consumer = kafka.consumer({ groupId: `${groupPrefix}.control.${hostname()}.${process.pid}.${Date.now().toString(36)}`, allowAutoTopicCreation: true });
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        this.onResult(await this.apply(message.value));
      },
    });
  }

  /** Validates and applies one update (exposed for tests). */
  async apply(value: Buffer | null): Promise<ControlResult> {
    let msg: ControlMessage | undefined;
    try {
      let raw: unknown;
      try {
        raw = JSON.parse(value?.toString('utf8') ?? '');
      } catch (err) {
        throw new ValidationError('control message', [{ path: [], message: `malformed JSON: ${(err as Error).message}` }]);
      }
      const parsed = controlMessageSchema.safeParse(raw);
      if (!parsed.success) throw new ValidationError('control message', fromZodIssues(parsed.error.issues));
      msg = parsed.data;
      if (msg.delete !== true && msg.content === undefined) throw new ValidationError('control message', [{ path: ['content'], message: 'required unless "delete" is true' }]);
      const text = msg.delete === true ? undefined : typeof msg.content === 'string' ? msg.content : JSON.stringify(msg.content, null, 2);
      await this.validate(msg, text);
      const dir = msg.kind === 'rule' ? this.dirs.rulesDir : this.dirs.patternsDir;
      const path = join(dir, msg.name);
      if (text === undefined) await unlink(path).catch(() => undefined);
      else {
        const tmp = `${path}.${process.pid}.tmp`;
        await writeFile(tmp, text);
        await rename(tmp, path);
      }
      const reload: ReloadResult = await this.engine.reloadCatalog('kafka-control');
      if (!reload.ok) throw new Error(reload.errors.map((e) => e.message).join('; '));
      this.applied++;
      return { ok: true, message: msg, version: reload.version, errors: [] };
    } catch (err) {
      this.rejected++;
      const errors = err instanceof CatalogLoadError ? err.errors.map((e) => e.message) : [(err as Error).message];
      return { ok: false, message: msg, version: this.engine.catalogVersion, errors };
    }
  }

  /** Loads the catalog with the update applied, from a staging copy of rules/ and patterns/. */
  private async validate(msg: ControlMessage, text: string | undefined): Promise<void> {
    const stage = await mkdtemp(join(tmpdir(), 'argus-control-'));
    try {
      const rulesDir = join(stage, 'rules');
      const patternsDir = join(stage, 'patterns');
      await cp(this.dirs.rulesDir, rulesDir, { recursive: true }).catch(() => undefined);
      await cp(this.dirs.patternsDir, patternsDir, { recursive: true }).catch(() => undefined);
      const path = join(msg.kind === 'rule' ? rulesDir : patternsDir, msg.name);
      await mkdir(dirname(path), { recursive: true });
      if (text === undefined) await unlink(path).catch(() => undefined);
      else await writeFile(path, text);
      await loadCatalog({ rulesDir, patternsDir, keyField: this.dirs.keyField });
    } finally {
      await rm(stage, { recursive: true, force: true });
    }
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect().catch(() => undefined);
  }
}
