'use strict';
/**
 * Loads the command line's bundle (dist/lib/cli.cjs, built from src/cli/bundle.ts) with
 * V8's code cache, dist/lib/cli.cache: the bytecode of every function a run of the M/M/4
 * compiled, written by the build (scripts/code-cache.mjs) and only read here. Copied
 * into dist/lib by the build; `bin/servesim.mjs`, the worker threads' entry and the
 * scenario modules' `servesim` (self.mjs) require it.
 *
 * PERF: reading and compiling the bundle and its functions' bytecode was about 55 ms of
 * the 0.2 s a short run takes (bench/README.md,
 * "Issue 13: the code cache, the worker threads and a slimmer request"); from the cache, a few. Node
 * 20 has no compile cache for ES modules (module.enableCompileCache is Node 22), so the
 * command line is a CommonJS bundle compiled through vm.Script, whose `cachedData` is
 * V8's own mechanism: V8 rejects a cache another V8 version or other flags made, and
 * the bundle is then compiled as usual (only slower).
 *
 * The cache begins with the SHA-1 of the bundle it was made from, checked against the
 * bundle read (under a millisecond): V8's own check compares only the source's length, so
 * a cache is never used with a bundle it was not made from.
 */
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const vm = require('node:vm');

const BUNDLE = join(__dirname, 'cli.cjs');
const CACHE = join(__dirname, 'cli.cache');

/** The cache's V8 data when it was made from the bundle whose SHA-1 is `id`, else undefined. */
function cacheFor(id) {
  let buf;
  try {
    buf = readFileSync(CACHE);
  } catch {
    return undefined; // none: compiled as usual
  }
  const nl = buf.indexOf(10);
  if (nl < 0 || buf.subarray(0, nl).toString('latin1') !== id) return undefined;
  return buf.subarray(nl + 1);
}

/** The bundle once loaded: bin, and self.mjs for a scenario module, share it. */
let loaded;

/**
 * Compiles and runs the bundle as a CommonJS module, once; returns its exports
 * (src/cli/bundle.ts), the script (the build asks it for its cache), the bundle's SHA-1
 * (the cache's key) and whether V8 took the cache.
 */
function loadCli() {
  if (loaded !== undefined) return loaded;
  const bytes = readFileSync(BUNDLE);
  const id = createHash('sha1').update(bytes).digest('hex');
  const cachedData = cacheFor(id);
  // esbuild writes ASCII (non-ASCII characters escaped): latin1 is the exact, faster decoding.
  const source = bytes.toString('latin1');
  // The wrapper is Node's own for CommonJS, on the bundle's first line (its line numbers stay).
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: BUNDLE,
    cachedData,
    // No dynamic-import hook (vm's is experimental): the bundle's import() calls are
    // import-module.cjs's, a file Node loads itself (src/cli/import-module.ts).
  });
  const module = { exports: {} };
  // Set before it runs: a module the bundle loads may ask for it again.
  loaded = {
    // The bundle replaces module.exports as it runs.
    get cli() {
      return module.exports;
    },
    script,
    id,
    cacheUsed: cachedData !== undefined && !script.cachedDataRejected,
  };
  script.runInThisContext()(module.exports, require, module, BUNDLE, __dirname);
  return loaded;
}

module.exports = { loadCli, CACHE };
