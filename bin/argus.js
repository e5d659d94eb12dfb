#!/usr/bin/env node
// Entry point of the `argus` command. The sources are TypeScript; tsx loads them directly,
// so `npx argus …` always runs the code in the working tree (no build step to forget).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
