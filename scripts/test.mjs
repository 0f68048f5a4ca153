#!/usr/bin/env node
/**
 * `npm test`: the steps CI runs, in order, each shown as it runs; then one closing line
 * with the tests passed, failed and skipped over every vitest run, and the steps that
 * failed. Steps: build (the CLI the tests spawn runs it) beside lint (Biome), then the type
 * checks (src and
 * the playground), the suites without
 * the browser (the playground's browser suite, `npm run test:browser`, the packed-package
 * test, `npm run test:package`, the documents' outputs, `npm run test:docs`, and the three
 * lessons at scale, `npm run test:lessons`, run on their own). Every step runs even after a failure,
 * so one run reports everything; the exit code is 1 if any step failed. For one folder,
 * run vitest itself: `npx vitest run test/engine`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const tmp = mkdtempSync(join(tmpdir(), 'servesim-test-'));
const started = Date.now();
const totals = { passed: 0, failed: 0, skipped: 0 };
const failedSteps = [];

function step(name, cmd, args, vitestJson) {
  process.stderr.write(`\n── ${name}: ${[cmd, ...args].join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: false });
  if (vitestJson !== undefined) {
    try {
      const j = JSON.parse(readFileSync(vitestJson, 'utf8'));
      totals.passed += j.numPassedTests;
      totals.failed += j.numFailedTests;
      totals.skipped += j.numPendingTests + j.numTodoTests;
    } catch {
      // No report: the run itself failed to start; the step counts as failed below.
    }
  }
  if (r.status !== 0) failedSteps.push(name);
}

const bin = (pkg, file) => join('node_modules', pkg, file);
const vitest = (name, args) => {
  const out = join(tmp, `${name}.json`);
  step(name, process.execPath, [bin('vitest', 'vitest.mjs'), 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], out);
};

/**
 * Runs independent steps at once (each single-threaded for most of its time: two cores
 * finish them in about half the time), then shows each one's output whole, in the order
 * given, as `step` would have.
 */
async function together(steps) {
  const runs = steps.map(
    ([name, cmd, args]) =>
      new Promise((resolve) => {
        const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], shell: false });
        const chunks = [];
        child.stdout.on('data', (c) => chunks.push(c));
        child.stderr.on('data', (c) => chunks.push(c));
        child.on('close', (code) => resolve({ name, cmd, args, code, output: Buffer.concat(chunks) }));
      }),
  );
  for (const r of await Promise.all(runs)) {
    process.stderr.write(`\n── ${r.name}: ${[r.cmd, ...r.args].join(' ')}\n`);
    process.stderr.write(r.output);
    if (r.code !== 0) failedSteps.push(r.name);
  }
}

// The CLI the tests spawn runs this build (bin/servesim.mjs uses it only while it is fresh).
// The type check reads the build's declarations (examples/two-stage.ts imports 'servesim'),
// so it starts once the build is written.
await together([
  ['build', process.execPath, ['scripts/build.mjs']],
  ['lint', process.execPath, [bin('@biomejs/biome', 'bin/biome'), 'lint', '--error-on-warnings']],
]);
await together([
  ['types', process.execPath, [bin('typescript', 'bin/tsc'), '--noEmit']],
  ['types (playground)', process.execPath, [bin('typescript', 'bin/tsc'), '--noEmit', '-p', 'playground']],
]);
// Three long checks run on their own, and CI runs them after this: the playground in
// headless Chromium (a Vite build and a browser: about 20 s; `npm run test:browser`), the
// packed package (a build, a pack and two installs: about 35 s; `npm run test:package`) and
// the documents' command outputs (README, guide and LLM chapter: every built-in scenario
// and its plans again, about 45 s; `npm run test:docs`). So do the three lessons whose key
// claims need a fleet at scale (tail-at-scale's 100 shards in seven variants three times,
// the 47,000-replica fleet at 1M QPS, the zone outage's five fleets of an hour: about 50 s
// of CPU; `npm run test:lessons`), which kept the suite near its 3 minutes on a busy machine.
const LESSONS = ['test/scenarios/tail-at-scale.test.ts', 'test/scenarios/capacity-1k-vs-1m-qps.test.ts', 'test/scenarios/n-plus-one-zone-outage.test.ts'];
vitest('tests', [
  ...['test/playground/playground.test.ts', 'test/package/consumer.test.ts', 'test/docs/guide.test.ts', 'test/docs/readme.test.ts', 'test/docs/llm-scenarios.test.ts', ...LESSONS].flatMap((f) => ['--exclude', f]),
]);
rmSync(tmp, { recursive: true, force: true });

const s = ((Date.now() - started) / 1000).toFixed(0);
const steps = failedSteps.length === 0 ? 'all steps passed' : `failed steps: ${failedSteps.join(', ')}`;
process.stderr.write(`\nnpm test: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped; ${steps} (${s} s)\n`);
process.exitCode = failedSteps.length === 0 ? 0 : 1;
