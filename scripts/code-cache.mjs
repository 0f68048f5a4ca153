#!/usr/bin/env node
/**
 * The last step of `npm run build`: writes dist/lib/cli.cache, V8's code cache for the
 * command line's bundle (see src/cli/cli-loader.cjs, which reads it). It loads the bundle
 * as `servesim` does, runs the quick start's default scenario and a short M/M/4 with
 * their output discarded (so the cache holds the bytecode of every function they
 * compile, not only the bundle's top level), and writes the cache behind the bundle's
 * build id.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { loadCli, CACHE } = require('../dist/lib/cli-loader.cjs');

const { cli, script, id } = loadCli();
let err = '';
const io = { out: () => {}, err: (t) => (err += t) };
for (const argv of [['run'], ['run', 'mm4', '--set', 'stop.requests=20000', '--set', 'warmup.requests=2000']]) {
  const code = await cli.main(argv, io);
  if (code !== 0) {
    console.error(`code-cache: \`servesim ${argv.join(' ')}\` exited ${code}\n${err}`);
    process.exit(1);
  }
}
writeFileSync(CACHE, Buffer.concat([Buffer.from(`${id}\n`, 'latin1'), script.createCachedData()]));
