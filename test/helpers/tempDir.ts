import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh directory under the OS temp dir, removed by `cleanup()`. */
export function tempDir(prefix = 'argus-'): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** Writes `{name: json}` files into a directory (created if needed). */
export function writeJsonFiles(dir: string, files: Record<string, unknown>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, json] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof json === 'string' ? json : JSON.stringify(json, null, 2));
  }
}
