import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.ts';

/**
 * The package as a user gets it: `npm pack` (whose `prepare` builds dist/), the tarball
 * installed into a fresh CommonJS project (no "type": "module") from npm's cache, then an
 * ES module consumer, a `tsc --strict` consumer, a `.ts` scenario through the installed
 * CLI (with servesim installed there, and from a folder with nothing installed), and
 * `npx servesim list`. The build must print what the sources print, byte for byte.
 * Slow (a build and an install, 20-60 s): it is the one test of dist.
 */
const repo = resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(join(tmpdir(), 'servesim-package-'));
const app = join(tmp, 'app');
const elsewhere = join(tmp, 'elsewhere');
// The installed CLI runs the build whatever the caller's environment says.
const env = { ...process.env, SERVESIM_DEV: undefined, NODE_OPTIONS: undefined, npm_config_loglevel: 'error', npm_config_audit: 'false', npm_config_fund: 'false' };

const SCENARIO_TS = `import { defineScenario, registerRouter } from 'servesim';
import { replicas } from './replicas';

// A plug-in registered by the scenario itself, in the registries of the CLI running it.
registerRouter('last-replica', (view) => () => view.count() - 1);

export default defineScenario({
  name: 'from-typescript',
  seed: 5,
  arrivals: { process: 'poisson', qps: 50 },
  stop: { requests: 5_000 },
  stages: [{ name: 'model', replicas, routing: { policy: 'last-replica' }, service: { dist: 'gamma', mean: '60ms', cv: 0.5 } }],
});
`;

function sh(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 120_000, maxBuffer: 256 * 1024 * 1024 });
}
const installed = (...args: string[]) => sh(process.execPath, [join(app, 'node_modules/servesim/bin/servesim.mjs'), ...args], app);

beforeAll(() => {
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: repo, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as Array<{ filename: string; files: Array<{ path: string }> }>;
  const tarball = join(tmp, packed[0]!.filename);
  writeFileSync(join(tmp, 'files.json'), JSON.stringify(packed[0]!.files.map((f) => f.path)));
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  // @types/node as any TypeScript project on Node has it (the README example writes to stderr).
  const typesNode = JSON.parse(readFileSync(join(repo, 'node_modules/@types/node/package.json'), 'utf8')).version as string;
  execFileSync('npm', ['install', '--prefer-offline', '--no-package-lock', tarball, `@types/node@${typesNode}`], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
  // The README's library example, as written.
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  writeFileSync(join(app, 'readme-example.mts'), /<!-- example: library -->\n```ts\n([\s\S]*?)```\n<!-- \/example -->/.exec(readme)![1]!);
}, 240_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }), 60_000);

describe('the packed package', () => {
  it('ships bin, dist and the README only', () => {
    const files = JSON.parse(readFileSync(join(tmp, 'files.json'), 'utf8')) as string[];
    expect(files).toContain('dist/lib/index.mjs');
    expect(files).toContain('dist/types/index.d.ts');
    expect(files).toContain('dist/scenarios/mm4.yaml');
    expect(files.filter((f) => !/^(bin|dist)\//.test(f) && !['package.json', 'README.md'].includes(f))).toEqual([]);
  });

  it('runs from an ES module (node app.mjs)', () => {
    writeFileSync(
      join(app, 'app.mjs'),
      `import { loadScenario, run } from 'servesim';
import { Simulation } from 'servesim/engine';
const s = await loadScenario({ seed: 1, arrivals: { process: 'poisson', qps: 50 }, stop: { requests: 2000 }, stages: [{ name: 'model', replicas: 4, service: { dist: 'gamma', mean: '60ms', cv: 0.5 } }] });
const r = await run(s);
console.log(r.requests.completed, typeof Simulation);
`,
    );
    const r = sh(process.execPath, ['app.mjs'], app);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('2000 function\n');
  });

  it('type-checks under tsc --strict with no errors (no skipLibCheck)', () => {
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, types: ['node'] }, files: ['app.mts', 'readme-example.mts'] }),
    );
    writeFileSync(
      join(app, 'app.mts'),
      `import { compare, defineScenario, loadScenario, registerRouter, replicate, run, type CompareResult, type RouterFactory, type RunResult, type Scenario } from 'servesim';
import { RandomStreams } from 'servesim/engine';

const toFirst: RouterFactory = (view) => () => view.count() - 1;
registerRouter('last-replica', toFirst);
const input = defineScenario({ arrivals: { process: 'poisson', qps: 50 }, stop: { requests: 2000 }, stages: [{ name: 'model', replicas: 4, service: { dist: 'gamma', mean: '60ms', cv: 0.5 } }] });
const s: Scenario = await loadScenario(input);
const r: RunResult = await run(s, { seed: 2, signal: AbortSignal.timeout(60_000), onProgress: (f: number) => void f });
const c: CompareResult = await compare([{ name: 'a', scenario: s }, { name: 'b', scenario: s }], { replications: 2 });
const rep = await replicate(s, { replications: 2, onProgress: (done, total) => void (done / total) });
const p99: number = r.latencyMs.p99;
console.log(p99 > 0, c.differences.length, rep.replications, new RandomStreams(1) !== null);
`,
    );
    const r = sh(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', '.'], app);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 240_000); // tsc reads every declaration it reaches (zod's are large): 20 s idle, a minute under load

  it("runs the README's library example", () => {
    const r = sh(process.execPath, ['--import', 'tsx', 'readme-example.mts'], app);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^least-outstanding: p99 \d+ ms\nfirst-two: p99 \d+ ± \d+ ms over 5 runs\n$/);
  });

  it('runs a .ts scenario in a CommonJS project through the installed CLI, and from a folder with nothing installed', () => {
    writeFileSync(join(app, 'scenario.ts'), SCENARIO_TS);
    writeFileSync(join(app, 'replicas.ts'), 'export const replicas: number = 4;\n');
    const r = sh('npx', ['--no-install', 'servesim', 'run', 'scenario.ts', '--json'], app);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ scenario: 'from-typescript', requests: { completed: 5000 } });
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, 'scenario.ts'), SCENARIO_TS);
    writeFileSync(join(elsewhere, 'replicas.ts'), 'export const replicas: number = 4;\n');
    const far = installed('run', join(elsewhere, 'scenario.ts'), '--json');
    expect(far.stderr).toBe('');
    expect(far.stdout).toBe(r.stdout);
    // Every request on the last of 4 replicas; with replications the CLI would use worker
    // threads, which do not have the plug-in: it keeps them in its own thread.
    expect(JSON.parse(r.stdout).stages.model.utilization).toBeLessThanOrEqual(0.25 + 1e-9);
    const reps = sh('npx', ['--no-install', 'servesim', 'run', 'scenario.ts', '--replications', '2', '--workers', '2', '--json'], app);
    expect(reps.stderr).toBe('');
    expect(JSON.parse(reps.stdout)).toMatchObject({ scenario: 'from-typescript', replications: 2 });
  });

  it('npx servesim list works from the project', () => {
    const r = sh('npx', ['--no-install', 'servesim', 'list'], app);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^mm4\b/m);
  });

  it('prints from dist exactly what the sources print (JSON contract, text, worker threads)', async () => {
    for (const args of [
      ['run', 'mm4', '--json'],
      ['run', 'realtime-ranker'],
      ['run', 'mm4', '--replications', '3', '--workers', '2', '--set', 'stop.requests=20000', '--json'],
    ]) {
      const fromDist = installed(...args);
      const fromSource = await cli(...args);
      expect(fromDist.status, String(fromDist.error ?? fromDist.stderr)).toBe(fromSource.code);
      expect(fromDist.stdout).toBe(fromSource.stdout);
    }
  });
});
