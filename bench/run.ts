/**
 * Runs every `bench/*.bench.ts` in turn (`npm run bench`), or those whose name contains one of
 * the arguments (`npm run bench -- http rules`). A bench that exports `main()` is called in this
 * process; one that does not is run as a standalone script in a child process (it is not
 * imported here, so that a script that runs on import does not run twice).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const benches = readdirSync(HERE)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((name) => f.includes(name)))
  .sort();

if (benches.length === 0) {
  console.error(`no bench matches ${filters.join(', ')}; available: ${readdirSync(HERE).filter((f) => f.endsWith('.bench.ts')).join(', ')}`);
  process.exitCode = 2;
} else {
  let failed = 0;
  for (const file of benches) {
    console.log(`\n=== ${file} ===`);
    const started = Date.now();
    try {
      const source = readFileSync(join(HERE, file), 'utf8');
      if (/export\s+(async\s+)?function\s+main\b|export\s*\{[^}]*\bmain\b/.test(source)) {
        const mod = (await import(pathToFileURL(join(HERE, file)).href)) as { main: (argv?: string[]) => unknown };
        await mod.main([]);
      } else {
        const r = spawnSync(process.execPath, ['--import', 'tsx', join(HERE, file)], { stdio: 'inherit' });
        if (r.status !== 0) throw new Error(`exited with code ${r.status}`);
      }
      console.log(`=== ${file}: done in ${((Date.now() - started) / 1000).toFixed(1)} s ===`);
    } catch (err) {
      failed++;
      console.error(`=== ${file}: failed: ${(err as Error).stack ?? String(err)} ===`);
    }
  }
  process.exitCode = failed === 0 ? 0 : 1;
}
