import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { flagProblems, parseSeed } from '../../src/cli/flags.ts';
import { OutputError, writeFileAtomic, writeFilesInto } from '../../src/cli/write-file.ts';
import { cli, expectInputError } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'servesim-io-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}
// Small enough that a run that should have been refused would still end quickly.
const BASE = `name: base
description: Two replicas at 50 requests/s.
arrivals: { process: poisson, qps: 50 }
stop: { requests: 2000 }
stages:
  - name: ranker
    replicas: 2
    service: { dist: exponential, mean: "10ms" }
`;
const f = file('base.yaml', BASE);
const missing = join(dir, 'no-such-folder');

describe('output paths are checked before anything runs (exit 2, no file)', () => {
  it('--report into a missing folder', async () => {
    await expectInputError(['run', f, '--replications', '2', '--report', join(missing, 'r.html')], `--report ${join(missing, 'r.html')}: its folder ${missing} does not exist`);
    expect(existsSync(missing)).toBe(false);
  });

  it('--report naming a folder', async () => {
    const d = join(dir, 'a-folder.html');
    mkdirSync(d, { recursive: true });
    await expectInputError(['compare', f, f, '--report', d], `--report ${d}: is a folder`);
  });

  it('--out into a missing folder, before the shard runs', async () => {
    await expectInputError(['run', f, '--replications', '2', '--shard', '0/2', '--out', join(missing, 'p.json')], `--out ${join(missing, 'p.json')}: its folder ${missing} does not exist`);
  });

  it('--out must be a .json file', async () => {
    await expectInputError(['run', f, '--replications', '2', '--shard', '0/2', '--out', join(dir, 'p.txt')], 'expected a file ending in .json');
  });

  it('--csv into a missing parent folder, or onto a file', async () => {
    await expectInputError(['run', f, '--csv', join(missing, 'a', 'b')], `its folder ${join(missing, 'a')} does not exist`);
    await expectInputError(['run', f, '--csv', f], `--csv ${f}: is a file, not a folder`);
  });

  it('several problems are named in one pass', async () => {
    const err = await expectInputError(['run', f, '--out', 'x.json', '--csv', join(dir, 'c'), '--report', join(missing, 'r.md')], '--out x.json: only a --shard i/n run', '--csv', `--report ${join(missing, 'r.md')}`);
    expect(err.split('\n').filter((l) => l.startsWith('servesim:'))).toHaveLength(3);
  });
});

describe('flags that would do nothing are refused, naming both', () => {
  it('--csv with --replications, --report or --shard', async () => {
    await expectInputError(['run', f, '--csv', join(dir, 'c'), '--replications', '3'], '--csv', 'with --replications 3');
    await expectInputError(['run', f, '--csv', join(dir, 'c'), '--report', join(dir, 'r.md')], 'with --report');
    expect(existsSync(join(dir, 'c'))).toBe(false);
  });

  it('--csv on a file that asks for replications or declares variants', async () => {
    const reps = file('reps.yaml', `${BASE}replications: 3\n`);
    await expectInputError(['run', reps, '--csv', join(dir, 'c')], `asks for 3 replications`, 'add --replications 1');
    const vars = file('vars.yaml', `${BASE}variants:\n  three: { stages.ranker.replicas: 3 }\n`);
    await expectInputError(['run', vars, '--csv', join(dir, 'c')], 'declares variants', '--variant');
    const ok = await cli('run', reps, '--csv', join(dir, 'c'), '--replications', '1');
    expect(ok.code, ok.stderr).toBe(0);
    expect(readdirSync(join(dir, 'c')).sort()).toEqual(['series.csv', 'stage-ranker.csv']);
  });

  it('--json with --shard, --steps with a list', async () => {
    await expectInputError(['run', f, '--replications', '2', '--shard', '0/2', '--json'], '--json with --shard', 'give --json to servesim merge');
    await expectInputError(['sweep', f, '--vary', 'stages.ranker.replicas=2,3', '--steps', '4'], '--steps with --vary stages.ranker.replicas=2,3');
    expect((await cli('sweep', f, '--vary', 'stages.ranker.replicas=2,3', '--json')).code).toBe(0);
  });

  it('a second range in a sweep (one range; more values are lists, a grid), a --qps that is not a rate', async () => {
    await expectInputError(['sweep', f, '--vary', 'arrivals.qps=10..50', '--vary', 'stages.ranker.replicas=1..3'], 'a sweep varies one range, and --vary arrivals.qps=10..50 is given already');
    await expectInputError(['sweep', f, '--vary', 'stages.ranker.replicas=2,3', '--vary', 'stages.ranker.replicas=4,5'], '--vary stages.ranker.replicas: given twice');
    await expectInputError(['plan', f, '--slo', 'p99<1s', '--vary', 'stages.ranker.replicas=1..4', '--qps', '1e400'], "option '--qps <rate>'", 'expected a rate above 0');
  });

  it('--statistical-stop with --full-bisection, or with several replications', async () => {
    await expectInputError(['plan', f, '--slo', 'p99<50ms', '--vary', 'stages.ranker.replicas=1..4', '--statistical-stop', '--full-bisection'], '--statistical-stop with --full-bisection');
    await expectInputError(['plan', f, '--slo', 'p99<50ms', '--vary', 'stages.ranker.replicas=1..4', '--statistical-stop', '--replications', '3'], '--statistical-stop with --replications 3');
  });
  it('--out without --shard', async () => {
    await expectInputError(['compare', f, f, '--out', join(dir, 'p.json')], '--out', 'only a --shard i/n run writes a part file');
  });

  it('--report with --shard', async () => {
    await expectInputError(['run', f, '--replications', '2', '--shard', '0/2', '--report', join(dir, 'r.md')], 'with --shard', 'give --report to servesim merge');
  });

  it('--workers with one replication (run and plan); compare and sweep keep it', async () => {
    await expectInputError(['run', f, '--workers', '1'], '--workers 1 with one replication');
    await expectInputError(['plan', f, '--slo', 'p99<1s', '--vary', 'stages.ranker.replicas=1..4', '--workers', '1'], '--workers 1 with one replication');
    expect((await cli('compare', f, f, '--workers', '1', '--json')).stderr).not.toContain('--workers');
  });

  it('--variant on a file with neither variants nor a sweep', async () => {
    await expectInputError(['run', f, '--variant', 'base'], '--variant base:', 'declares no variants and no sweep');
  });
});

describe('caps', () => {
  it('--replications above 10,000', async () => {
    await expectInputError(['run', f, '--replications', '1000000'], "option '--replications <n>'", 'at most 10,000');
    const file10k = file('reps-big.yaml', `${BASE}replications: 20000\n`);
    await expectInputError(['run', file10k], 'replications: at most 10,000, got 20000');
  });

  it('--steps above 1,000, and more than 20,000 simulations in all', async () => {
    await expectInputError(['sweep', f, '--vary', 'arrivals.qps=10..50', '--steps', '5000'], "option '--steps <n>'", 'at most 1,000 points');
    await expectInputError(['sweep', f, '--vary', 'arrivals.qps=10..50.5', '--steps', '1000', '--replications', '30'], 'would run 30,000 simulations (1,000 configurations × 30 replications)');
  });

  it('--workers above the cores unless forced', () => {
    expect(flagProblems({ workers: 64, replications: 2 }, 2)).toEqual([expect.stringContaining('--workers 64: this machine has 2 cores')]);
    expect(flagProblems({ workers: 64, replications: 2, forceWorkers: true }, 2)).toEqual([]);
    expect(flagProblems({ workers: 2 }, 2)).toEqual([]);
    expect(flagProblems({ forceWorkers: true }, 2)).toEqual([expect.stringContaining('--force-workers without --workers')]);
  });
});

describe('--seed', () => {
  const refused = (v: string) => {
    expect(() => parseSeed(v), v).toThrow(InvalidArgumentError);
  };

  it('takes the whole numbers a double holds exactly, and words', () => {
    expect(parseSeed('42')).toBe(42);
    expect(parseSeed('-9007199254740991')).toBe(-9007199254740991);
    expect(parseSeed('9007199254740991')).toBe(9007199254740991);
    expect(parseSeed('blue-7')).toBe('blue-7');
  });

  it('refuses numbers past 2^53 - 1 (they collide: 2^53 + 1 reads as 2^53)', () => {
    expect(Number('9007199254740993')).toBe(Number('9007199254740992')); // the collision being refused
    refused('9007199254740992');
    refused('9007199254740993');
  });

  it('refuses decimals, exponents, blanks and other number-like words', () => {
    for (const v of ['1e3', '1.5', '  ', '', '+5', '0x10', '.5', 'Infinity', '-nan', 'two words', 'tab\there', '\u001b[31m']) refused(v);
  });

  it('a refused seed is exit 2 naming the flag', async () => {
    const r = await cli('run', f, '--seed', '1.5');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("option '--seed <n>' argument '1.5' is invalid");
  });

  it('a word seed runs, reproducibly', async () => {
    const a = await cli('run', f, '--seed', 'blue', '--json');
    const b = await cli('run', f, '--seed', 'blue', '--json');
    expect(a.code, a.stderr).toBe(0);
    expect(JSON.parse(a.stdout).seed).toBe('blue');
    expect(a.stdout).toBe(b.stdout);
  });
});

describe('atomic writes', () => {
  it('a write leaves the file and nothing else', () => {
    const d = mkdtempSync(join(dir, 'w-'));
    writeFileAtomic(join(d, 'a.md'), 'one');
    writeFileAtomic(join(d, 'a.md'), 'two');
    expect(readdirSync(d)).toEqual(['a.md']);
    expect(readFileSync(join(d, 'a.md'), 'utf8')).toBe('two');
  });

  it('a failed write removes its temp files and names the path', () => {
    const d = mkdtempSync(join(dir, 'w-'));
    // A non-empty folder where the file should go: the temp is written, the rename fails.
    mkdirSync(join(d, 'b.csv', 'inside'), { recursive: true });
    let err: unknown;
    try {
      writeFilesInto(d, [
        { name: 'a.csv', text: 'a' },
        { name: 'b.csv', text: 'b' },
      ]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OutputError);
    expect((err as OutputError).message).toContain(join(d, 'b.csv'));
    expect(readdirSync(d).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('a folder that went away after the check: exit 1 with the path, no stack trace', async () => {
    const gone = join(missing, 'x');
    expect(() => writeFileAtomic(join(gone, 'r.md'), 'x')).toThrow(`cannot write ${join(gone, 'r.md')}: its folder no longer exists (ENOENT)`);
  });
});

describe('what a run says about itself', () => {
  it('the header marks a description written for other values than --set gave', async () => {
    const r = await cli('run', f, '--set', 'stages.ranker.replicas=3');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('servesim · base — Two replicas at 50 requests/s. [as written; this run: stages.ranker.replicas=3]');
    expect(r.stdout).toMatch(/ranker\s+3\s/); // the stage table shows the run's value
    expect((await cli('run', f)).stdout.split('\n')[0]).toBe('servesim · base — Two replicas at 50 requests/s.');
  });

  it('plan says a configuration was refused as overloaded, not only what it measured', async () => {
    // Reference: 8 req/s of 200 ms mean service need 1.6 replicas; 1 replica is overloaded,
    // yet a 2,000-request run still has every request under 1,000 s.
    const over = file('over.yaml', `arrivals: { process: poisson, qps: 8 }\nstop: { requests: 2000 }\nstages:\n  - name: model\n    replicas: 2\n    service: { dist: exponential, mean: "200ms" }\n`);
    const r = await cli('plan', over, '--slo', 'p50<1000s', '--vary', 'stages.model.replicas=1..4');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('One fewer (stages.model.replicas=1) fails: refused as overloaded, stage "model": 8 req/s arrive');
  });
});

describe('sweep says which points have no steady state', () => {
  it('names the overloaded points (2 replicas of 10 ms serve at most 200/s) and claims no knee over them', async () => {
    const r = await cli('sweep', f, '--vary', 'arrivals.qps=100..300', '--steps', '3');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 of 3 points are overloaded (arrivals.qps = 200, 300)');
    const all = await cli('sweep', f, '--vary', 'arrivals.qps=300..400', '--steps', '2');
    expect(all.stdout).toContain('Every point is overloaded (arrivals.qps = 300, 400)');
    expect(all.stdout).not.toContain('no knee');
  });
});
