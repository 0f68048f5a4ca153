#!/usr/bin/env node
/**
 * `npm run build` (and `prepare`, so `npm ci` and `npm pack` build too): compiles src
 * into dist/, what the package ships and what bin/servesim.mjs runs when it is fresh.
 *
 *   dist/lib/*.mjs       esbuild bundles (ES modules, source maps): index (the library),
 *                        engine, report-html (the HTML report, imported when one is asked
 *                        for: it loads vega/vega-lite), and shared chunks. Dependencies are
 *                        bundled but for the few loaded by file at run time (below).
 *   dist/lib/cli.cjs     the command line and the library it runs: one CommonJS bundle that
 *                        cli-loader.cjs (copied from src/cli) compiles with V8's code cache,
 *                        dist/lib/cli.cache (scripts/code-cache.mjs, the last step); beside
 *                        it prestart.cjs and import-module.cjs (their own files), self.mjs
 *                        and self-engine.mjs (a scenario module's `servesim` under the
 *                        command line) and worker-entry.mjs (a worker thread's entry)
 *   dist/lib/load-scenario-hooks.mjs   the resolve hook .ts scenarios load with (copied)
 *   dist/scenarios/      the built-in YAML scenarios, beside lib/ as src/scenarios is
 *                        beside src/cli (scenario-source.ts finds them at ../scenarios)
 *   dist/types/          declarations (tsc --emitDeclarationOnly; no maps: src is not shipped)
 *   dist/.built          stamp: bin runs dist in a checkout only while no file of src is newer
 *
 * Why esbuild and not plain tsc: one file per entry plus a few chunks start in a fraction
 * of the time of ~130 modules (bench/README.md, "Start-up"), and it keeps the report
 * libraries out of the CLI's start-up path. Why tsc for types: only tsc writes declarations.
 * Why a CommonJS bundle for the command line: Node 20 caches no compiled ES module, and
 * compiling the CLI was about 55 ms of a 0.2 s start (bench/README.md, "Issue 13: the code
 * cache").
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const started = Date.now();

// Only what this build writes: dist/playground (npm run build:playground) stays.
for (const d of ['lib', 'types', 'scenarios', '.built']) rmSync(join(dist, d), { recursive: true, force: true });
const esm = await build({
  metafile: true,
  absWorkingDir: root,
  entryPoints: [
    { in: 'src/index.ts', out: 'index' },
    { in: 'src/engine/index.ts', out: 'engine' },
    // The HTML report (it loads Vega), imported by the command line when asked for one.
    { in: 'src/report/html.ts', out: 'report-html' },
  ],
  outdir: 'dist/lib',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Dependencies are bundled (start-up: one file instead of zod's, yaml's and commander's
  // hundreds), except what is loaded by file at run time: vega's scripts are read from
  // their packages into a report, and tsx is registered for .ts scenarios.
  external: ['vega', 'vega-lite', 'vega-interpreter', 'tsx', 'tsx/*'],
  // Bundled CommonJS dependencies call require() for Node's built-ins.
  banner: { js: "import { createRequire as __servesimRequire } from 'node:module'; const require = __servesimRequire(import.meta.url);" },
  sourcemap: true,
  // The sources are the maps' content, so a stack trace reads like the TypeScript.
  sourcesContent: true,
  legalComments: 'none',
  logLevel: 'warning',
});

// The command line: one CommonJS bundle, which src/cli/cli-loader.cjs compiles with V8's
// code cache (Node 20 has none for ES modules; see that file). prestart (bin starts the
// worker threads a command line asks for before it loads the CLI) is its own file, so bin
// and the CLI's worker pool share one copy of its started workers.
const cjs = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['vega', 'vega-lite', 'vega-interpreter', 'tsx', 'tsx/*'],
  // The bundle's modules find their neighbours (the scenarios, the worker, the hooks) from
  // their own address, as in dist's ES modules: here the bundle's file.
  define: { 'import.meta.url': '__servesimUrl' },
  banner: { js: "var __servesimUrl = require('node:url').pathToFileURL(__filename).href;" },
  sourcemap: true,
  sourcesContent: true,
  legalComments: 'none',
  logLevel: 'warning',
};
// Own files beside the bundle, each loaded once by Node's require: prestart (bin and the
// CLI's worker pool share its started workers) and import-module (Node's import()).
await build({ ...cjs, entryPoints: ['src/cli/prestart.ts'], outfile: 'dist/lib/prestart.cjs' });
await build({ ...cjs, entryPoints: ['src/cli/import-module.ts'], outfile: 'dist/lib/import-module.cjs' });
const ownFiles = {
  name: 'own-files',
  setup(b) {
    b.onResolve({ filter: /[/](prestart|import-module)\.ts$/ }, (a) => ({ path: `./${a.path.match(/(prestart|import-module)\.ts$/)[1]}.cjs`, external: true }));
  },
};
await build({ ...cjs, entryPoints: ['src/cli/bundle.ts'], outfile: 'dist/lib/cli.cjs', plugins: [ownFiles] });
// cli-loader.cjs decodes the bundle as latin1 (one byte a character: the fastest decoding,
// and V8's compact strings). esbuild escapes non-ASCII characters in code (its default
// charset) but keeps some comments as written: escaped here too, which in a comment, a
// string or an identifier is the same character.
const bundle = readFileSync(join(dist, 'lib/cli.cjs'), 'utf8').replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
writeFileSync(join(dist, 'lib/cli.cjs'), bundle);
// vm.Script runs the bundle without a dynamic-import hook: every import() is import-module's.
if (/\bimport\(/.test(bundle)) {
  console.error('build: dist/lib/cli.cjs calls import(); route it through src/cli/import-module.ts');
  process.exit(1);
}
// A scenario module's `servesim` and `servesim/engine` under the command line: the bundle's own.
const shim = (entry, part) => {
  const names = esm.metafile.outputs[`dist/lib/${entry}.mjs`].exports;
  return [
    `// The command line bundle's ${part === 'library' ? 'library' : 'engine'} (src/cli/bundle.ts), for a scenario module it loads.`,
    "import { createRequire } from 'node:module';",
    `const m = await createRequire(import.meta.url)('./cli-loader.cjs').loadCli().cli.${part}();`,
    names.length > 0 ? `export const { ${names.join(', ')} } = m;` : '',
    '',
  ].join('\n');
};
// A worker thread of the command line's pool (prestart.ts starts `./worker-entry.mjs` beside
// itself: in src a tsx shim) loads the same bundle, with the same code cache.
writeFileSync(
  join(dist, 'lib/worker-entry.mjs'),
  [
    '// Entry of a worker thread of the command line: its bundle, from the code cache (src/cli/worker.ts serves the pool).',
    "import { createRequire } from 'node:module';",
    "await createRequire(import.meta.url)('./cli-loader.cjs').loadCli().cli.serveWorker();",
    '',
  ].join('\n'),
);
writeFileSync(join(dist, 'lib/self.mjs'), shim('index', 'library'));
writeFileSync(join(dist, 'lib/self-engine.mjs'), shim('engine', 'engine'));
cpSync(join(root, 'src/cli/cli-loader.cjs'), join(dist, 'lib/cli-loader.cjs'));
cpSync(join(root, 'src/cli/load-scenario-hooks.mjs'), join(dist, 'lib/load-scenario-hooks.mjs'));
mkdirSync(join(dist, 'scenarios'));
for (const f of readdirSync(join(root, 'src/scenarios'))) {
  if (/\.(ya?ml|json)$/.test(f)) cpSync(join(root, 'src/scenarios', f), join(dist, 'scenarios', f));
}

const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (tsc.status !== 0) {
  console.error('build: tsc failed (declarations)');
  process.exit(1);
}
// tsc keeps the sources' `./x.ts` specifiers in declarations; `./x.js` is what every
// consumer's module resolution (node16, nodenext, bundler) maps to `./x.d.ts`.
const rewrite = (dir) => {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) rewrite(p);
    else if (f.endsWith('.d.ts')) {
      const text = readFileSync(p, 'utf8');
      const out = text.replace(/((?:from |import\()\s*['"])(\.{1,2}\/[^'"]*?)\.ts(['"])/g, '$1$2.js$3');
      if (out !== text) writeFileSync(p, out);
    }
  }
};
rewrite(join(dist, 'types'));
// The code cache last: it runs the built CLI (and the scenarios beside it).
const cache = spawnSync(process.execPath, [join(root, 'scripts/code-cache.mjs')], { stdio: 'inherit' });
if (cache.status !== 0) {
  console.error('build: the code cache failed (scripts/code-cache.mjs)');
  process.exit(1);
}
writeFileSync(join(dist, '.built'), `${new Date().toISOString()}\n`);
console.error(`build: dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
