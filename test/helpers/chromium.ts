import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where the Debian package `chromium` puts the browser (override with CHROMIUM_PATH). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a headless, offline, quiet Chromium in containers and CI. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The path of a Chromium executable. When it is missing and we run as root, installs the Debian
 * package (`apt-get update`, then `apt-get install -y --no-install-recommends chromium`); when it
 * still is missing, throws an error that says how to install it. Never skips: a browser test
 * without a browser fails, in CI and elsewhere.
 */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  let attempt = 'not attempted: not running as root';
  if (process.getuid?.() === 0) {
    try {
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      execFileSync('apt-get', ['update'], { stdio: 'pipe', env, timeout: 300_000 });
      execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'pipe', env, timeout: 600_000 });
      attempt = 'apt-get install chromium ran';
    } catch (err) {
      const e = err as { message?: string; stderr?: Buffer };
      attempt = `apt-get failed: ${(e.stderr?.toString() || e.message || String(err)).trim().split('\n').slice(-3).join(' | ')}`;
    }
  }
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  throw new Error(
    `Chromium is required by the HTML report browser test and was not found at ${CHROMIUM_PATH} (${attempt}). ` +
      'Install it with `apt-get update && apt-get install -y --no-install-recommends chromium` (Debian/Ubuntu, as root), ' +
      'or point CHROMIUM_PATH at a Chromium or Chrome executable.',
  );
}

/** Launches headless Chromium through playwright-core, installing it first if needed. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = ensureChromium();
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}
