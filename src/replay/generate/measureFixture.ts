/**
 * How much of a generated file's fraud the catalog catches, through the real engine:
 *
 *   node --import tsx src/replay/generate/measureFixture.ts fixtures/replay/sample.jsonl.gz [rulesDir] [patternsDir]
 *
 * Prints recall per scenario (instances and events), the false-positive rate, and the enforced
 * rules behind the flagged decisions (see measureCatch for the definitions).
 */
import { formatCatchReport, measureCatch } from './measureCatch.ts';
import { readJsonl } from './readJsonl.ts';

const [file, rulesDir = 'rules', patternsDir = 'patterns'] = process.argv.slice(2);
if (file === undefined) {
  process.stderr.write('usage: node --import tsx src/replay/generate/measureFixture.ts <events.jsonl[.gz]> [rulesDir] [patternsDir]\n');
  process.exit(2);
}
const report = await measureCatch(readJsonl(file), { rulesDir, patternsDir });
process.stdout.write(formatCatchReport(report));
