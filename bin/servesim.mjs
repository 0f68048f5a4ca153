#!/usr/bin/env node
// Entry point of `npx servesim`. An installed package runs the build (dist/lib/cli.cjs,
// compiled with its code cache by dist/lib/cli-loader.cjs).
// A checkout runs the build only while it is fresh (no file of src/ newer than the
// build's stamp), else the TypeScript sources through tsx, so an edit is never hidden
// behind a stale build. SERVESIM_DEV=1 always runs the sources; SERVESIM_DEV=0 always runs
// the build (npm test builds first, so the CLI its tests spawn runs the fresh build).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { buildIsFresh } from './build-stamp.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = `${root}dist/lib/cli.cjs`;
const src = `${root}src`;

function useBuild() {
  const dev = process.env.SERVESIM_DEV;
  if (dev === '1') return false;
  if (!existsSync(built)) {
    if (dev === '0' || !existsSync(src)) {
      process.stderr.write(`servesim: ${built} is missing; build it with \`npm run build\`\n`);
      process.exit(1);
    }
    return false;
  }
  if (dev === '0' || !existsSync(src)) return true;
  return buildIsFresh(root);
}

// Worker threads the command line asks for start first, and load while this thread loads
// the CLI (src/cli/prestart.ts).
let cli;
if (useBuild()) {
  const require = createRequire(import.meta.url);
  require('../dist/lib/prestart.cjs').prestartWorkers(process.argv.slice(2));
  cli = require('../dist/lib/cli-loader.cjs').loadCli().cli;
} else {
  const { register } = await import('tsx/esm/api');
  register();
  (await import('../src/cli/prestart.ts')).prestartWorkers(process.argv.slice(2));
  cli = await import('../src/cli/entry.ts');
}
cli.guardStdio();
process.exitCode = await cli.main(process.argv.slice(2));
