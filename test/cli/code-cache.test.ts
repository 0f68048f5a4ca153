/**
 * The built command line starts from V8's code cache (src/cli/cli-loader.cjs): the cache
 * the build wrote is taken, a cache that does not match the bundle is never used (the run
 * then compiles as usual and prints the same), and the bundle calls no import() of its own
 * (vm.Script would need an experimental hook for it). Runs against dist/, which npm test
 * builds first.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const DIST = join(import.meta.dirname, '../../dist');
const built = existsSync(join(DIST, 'lib/cli.cache'));

/** Loads `lib`'s bundle in a fresh process; returns whether the cache was used and what `servesim --version` and a short run print. */
function load(lib: string): { cacheUsed: boolean; version: string; run: string } {
  const script = `
    const { loadCli } = require(${JSON.stringify(join(lib, 'cli-loader.cjs'))});
    const l = loadCli();
    let out = '';
    const io = { out: (t) => (out += t), err: (t) => (out += t) };
    (async () => {
      await l.cli.main(['--version'], io);
      const version = out;
      out = '';
      await l.cli.main(['run', 'mm4', '--set', 'stop.requests=3000', '--set', 'warmup.requests=300', '--json'], io);
      process.stdout.write(JSON.stringify({ cacheUsed: l.cacheUsed, version, run: out }));
    })();`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as { cacheUsed: boolean; version: string; run: string };
}

const temps: string[] = [];
/** A copy of dist (lib beside scenarios, as the bundle expects), to tamper with. */
function copyOfDist(): string {
  const d = mkdtempSync(join(tmpdir(), 'servesim-cache-'));
  temps.push(d);
  cpSync(join(DIST, 'lib'), join(d, 'lib'), { recursive: true });
  cpSync(join(DIST, 'scenarios'), join(d, 'scenarios'), { recursive: true });
  return join(d, 'lib');
}
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

describe.skipIf(!built)('the command line from its code cache', () => {
  it('takes the cache the build wrote', () => {
    const r = load(join(DIST, 'lib'));
    expect(r.cacheUsed).toBe(true);
    expect(r.version).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(JSON.parse(r.run).requests.arrived).toBe(2700);
  });

  it('never uses a cache made from another bundle, and prints the same without it', () => {
    const reference = load(join(DIST, 'lib'));
    // The bundle changed by one character, its length kept (V8's own check looks only at the length).
    const lib = copyOfDist();
    const bundle = readFileSync(join(lib, 'cli.cjs'), 'latin1');
    const at = bundle.indexOf('Counts of keys');
    expect(at).toBeGreaterThanOrEqual(0);
    writeFileSync(join(lib, 'cli.cjs'), `${bundle.slice(0, at)}Countz${bundle.slice(at + 'Counts'.length)}`, 'latin1');
    const edited = load(lib);
    expect(edited.cacheUsed).toBe(false);
    expect(edited.run).toBe(reference.run);
    // No cache at all, and a cache that is not one (a truncated file).
    const none = copyOfDist();
    rmSync(join(none, 'cli.cache'));
    expect(load(none)).toEqual({ ...reference, cacheUsed: false });
    const junk = copyOfDist();
    writeFileSync(join(junk, 'cli.cache'), readFileSync(join(junk, 'cli.cache')).subarray(0, 100));
    expect(load(junk)).toEqual({ ...reference, cacheUsed: false });
  });

  it('builds a bundle with no import() of its own, in ASCII', () => {
    const bundle = readFileSync(join(DIST, 'lib/cli.cjs'), 'latin1');
    expect(bundle).not.toMatch(/\bimport\(/);
    expect(bundle).toMatch(/^[\x00-\x7f]*$/);
  });
});
