import { CatalogLoadError, loadCatalog } from '../catalog/index.ts';
import { ConfigError, ValidationError } from '../errors.ts';
import { loadConfig } from './config.ts';
import type { Output } from './logger.ts';

export const VALIDATE_USAGE = `Usage: argus validate [--rules <dir>] [--patterns <dir>] [--key-field <field>] [--config <file>]

Loads, validates and compiles the catalog (rules, policy, patterns) exactly as \`argus serve\`
would, without opening state or listening. Prints the catalog version, or every error with its
file, line and field path. Takes the same configuration as serve (flags, ARGUS_* variables, file).
Exit code: 0 valid, 2 invalid (or a bad configuration).
`;

/** `argus validate`: the catalog check a CI job or a pre-commit hook runs before a deploy. */
export async function validateCommand(argv: string[], io: Output, options: { env?: Record<string, string | undefined>; cwd?: string } = {}): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(VALIDATE_USAGE);
    return 0;
  }
  let config;
  try {
    ({ config } = loadConfig({ argv, env: options.env, cwd: options.cwd }));
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr(`argus: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  try {
    const catalog = await loadCatalog({ rulesDir: config.rulesDir, patternsDir: config.patternsDir, keyField: config.keyField });
    const nools = catalog.nools.reduce((n, set) => n + set.rules.length, 0);
    io.stdout(
      `catalog ${catalog.version} is valid: ${catalog.rules.length + nools} rules, ${catalog.patterns.length} patterns, ${catalog.files.length} files\n`,
    );
    catalog.dispose();
    return 0;
  } catch (err) {
    const report = catalogErrors(err);
    if (report === undefined) throw err;
    io.stderr(`argus: the catalog is invalid (${report.length} error${report.length === 1 ? '' : 's'}):\n${report.map((m) => `  ${m}\n`).join('')}`);
    return 2;
  }
}

/** The messages of an invalid catalog (each with file, line and path), or undefined for any other error. */
export function catalogErrors(err: unknown): string[] | undefined {
  if (err instanceof CatalogLoadError) return err.errors.map((e) => e.message);
  if (err instanceof ValidationError) return [err.message];
  return undefined;
}
