/**
 * The trust model's rule for trace paths (src/cli/trace-file.ts) and the trace defects
 * of issue 11: every refusal is an InputError naming the field and the path, made
 * before a byte of a refused file is read; nothing hangs on a FIFO or a device.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveTracePath, traceOpener, type TraceAccess } from '../../src/cli/trace-file.ts';
import { cli, expectInputError } from '../support/cli.ts';

// realpath: on some systems tmpdir() is itself a symlink, and the rule compares real paths.
const top = realpathSync(mkdtempSync(join(tmpdir(), 'servesim-tracepath-')));
const scen = join(top, 'scen');
const outside = join(top, 'outside');
const sibling = join(top, 'scen-other'); // shares the prefix "scen": must still count as outside
for (const d of [scen, join(scen, 'traces'), outside, sibling]) mkdirSync(d, { recursive: true });
const GOOD = 'time,Tokens\n0,1\n0.5,2\n';
writeFileSync(join(scen, 'traces', 'in.csv'), GOOD);
writeFileSync(join(outside, 'out.csv'), GOOD);
writeFileSync(join(sibling, 'sib.csv'), GOOD);
symlinkSync(join(outside, 'out.csv'), join(scen, 'traces', 'escape.csv'));
symlinkSync(join(scen, 'traces', 'in.csv'), join(outside, 'back-in.csv'));

const access = (extra: Partial<TraceAccess> = {}): TraceAccess => ({ scenario: 's.yaml', baseDir: scen, named: [], ...extra });
const refused = (a: TraceAccess, path: string): string => {
  try {
    resolveTracePath(a, path);
  } catch (err) {
    return (err as Error).message;
  }
  return 'allowed';
};

describe('trace path rule', () => {
  it('a path inside the scenario folder resolves against it', () => {
    expect(resolveTracePath(access(), 'traces/in.csv')).toBe(join(scen, 'traces', 'in.csv'));
    expect(resolveTracePath(access(), join(scen, 'traces', 'in.csv'))).toBe(join(scen, 'traces', 'in.csv'));
    expect(resolveTracePath(access(), './traces/../traces/in.csv')).toBe(join(scen, 'traces', 'in.csv'));
  });

  it('a path leaving the tree is refused, naming the scenario, the field and the path', () => {
    expect(refused(access(), '../outside/out.csv')).toBe(
      "s.yaml: arrivals.file: ../outside/out.csv: resolves outside the scenario's folder; a scenario may read traces only inside its own folder: allow another folder with --trace-root <dir>, or name the file yourself with --set arrivals.file=<path>",
    );
    expect(refused(access(), '/etc/passwd')).toContain('arrivals.file: /etc/passwd: resolves outside');
    expect(refused(access(), '/proc/self/environ')).toContain('arrivals.file: /proc/self/environ: resolves outside');
    expect(refused(access(), '../../../../../../../etc/passwd')).toContain('resolves outside');
  });

  it('a folder that merely shares the prefix is outside', () => {
    expect(refused(access(), '../scen-other/sib.csv')).toContain('resolves outside');
  });

  it('symlinks are followed: one leading out is refused, one leading in is judged by its target', () => {
    expect(refused(access(), 'traces/escape.csv')).toContain('resolves outside');
    expect(resolveTracePath(access(), '../outside/back-in.csv')).toBe(join(scen, 'traces', 'in.csv'));
  });

  it('--trace-root allows one more folder', () => {
    expect(resolveTracePath(access({ root: outside }), '../outside/out.csv')).toBe(join(outside, 'out.csv'));
    expect(refused(access({ root: outside }), '../scen-other/sib.csv')).toContain("outside the scenario's folder and --trace-root");
  });

  it('a path typed on the command line is trusted, relative to the working directory', () => {
    const typed = relative(process.cwd(), join(outside, 'out.csv'));
    expect(resolveTracePath(access({ named: [typed] }), typed)).toBe(join(outside, 'out.csv'));
  });

  it('a scenario carried by a part opens no trace at all', () => {
    expect(refused(access({ baseDir: null }), 'traces/in.csv')).toContain('a scenario carried by a part file cannot open a trace');
  });

  it('a missing file says where relative paths are read from', () => {
    expect(refused(access(), 'traces/nope.csv')).toContain(`arrivals.file: traces/nope.csv: no such trace file (relative paths are read from the scenario's folder, ${scen})`);
  });

  it('a folder, a FIFO and a device are refused without waiting', () => {
    const fifo = join(scen, 'traces', 'fifo.csv');
    execFileSync('mkfifo', [fifo]);
    const open = (p: string, named: string[] = []) => () => traceOpener(access({ named }))(p, { timestampColumn: undefined });
    expect(open('traces')).toThrow('traces: not a regular file');
    expect(open('traces/fifo.csv')).toThrow('traces/fifo.csv: not a regular file');
    expect(open('/dev/zero', ['/dev/zero'])).toThrow('/dev/zero: not a regular file');
  });
});

describe('trace defects: located refusals', () => {
  const dir = join(scen, 'defects');
  mkdirSync(dir, { recursive: true });
  const scenario = (name: string, trace: string, csv: string | Buffer): string => {
    writeFileSync(join(dir, trace), csv);
    const p = join(dir, name);
    writeFileSync(p, `arrivals: { process: trace, file: "${trace}" }\nstages:\n  - name: m\n    replicas: 1\n    service: { dist: linear, base: "1ms", per: { Tokens: "1ms" } }\n`);
    return p;
  };

  it('a 5 KB first line full of ANSI escapes is shown as cleaned, cut column names only', async () => {
    const header = `\u001b[2J\u001b[31m${'A'.repeat(5000)}\u001b[0m,${'B'.repeat(200)}`;
    const err = await expectInputError(['run', scenario('ansi.yaml', 'ansi.csv', `${header}\n0,1\n`)], 'ansi.csv:1: has no timestamp column (columns: ');
    expect(err).not.toContain('\u001b');
    expect(err.length).toBeLessThan(300);
  });

  it('a header-only trace has no rows', async () => {
    await expectInputError(['run', scenario('hdr.yaml', 'hdr.csv', 'time,Tokens\n')], 'hdr.csv: has no rows');
    await expectInputError(['run', scenario('blank.yaml', 'blank.csv', 'time,Tokens\n\n\n')], 'blank.csv: has no rows');
  });

  it('a negative attribute names its row and column (it used to schedule an event in the past)', async () => {
    await expectInputError(['run', scenario('neg.yaml', 'neg.csv', 'time,Tokens\n0,1\n1,-45\n')], 'neg.csv:3: column "Tokens" is -45: trace attributes (token counts, sizes) must not be negative');
  });

  it('NaN, a huge timestamp and time going back are located', async () => {
    await expectInputError(['run', scenario('nan.yaml', 'nan.csv', 'time,Tokens\n0,1\nNaN,1\n')], 'nan.csv:3: cannot read the timestamp "NaN"');
    await expectInputError(['run', scenario('huge.yaml', 'huge.csv', 'time,Tokens\n0,1\n1e300,1\n')], 'huge.csv:3: this row arrives 1.000e+300 s after the first');
    await expectInputError(['run', scenario('back.yaml', 'back.csv', 'time,Tokens\n0,1\n5,1\n4,1\n')], 'back.csv:4: timestamps must not go back in time');
    // timing: poisson reads the whole trace first for its mean rate: the same bound applies there.
    const poisson = scenario('huge-p.yaml', 'huge-p.csv', 'time,Tokens\n0,1\n1,1\n1e300,1\n');
    writeFileSync(poisson, readFileSync(poisson, 'utf8').replace('file: "huge-p.csv"', 'file: "huge-p.csv", timing: poisson'));
    await expectInputError(['run', poisson], 'huge-p.csv:4: this row arrives 1.000e+300 s after the first');
  });

  it('a binary file is not a trace', async () => {
    const bin = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0x0a, 0x00, 0x01]);
    await expectInputError(['run', scenario('bin.yaml', 'bin.csv', bin)], 'bin.csv:1: is not a text CSV file');
    await expectInputError(['run', scenario('long.yaml', 'long.csv', 'x'.repeat(3 * 2 ** 20))], 'long.csv:1: a line over 1 MiB long');
  });
});

describe('trace paths through the CLI', () => {
  const yaml = (trace: string) => `arrivals: { process: trace, file: "${trace}" }\nstages:\n  - name: m\n    replicas: 1\n    service: { dist: exponential, mean: "1ms" }\n`;
  writeFileSync(join(scen, 'in.yaml'), yaml('traces/in.csv'));
  writeFileSync(join(scen, 'out.yaml'), yaml('../outside/out.csv'));
  writeFileSync(join(scen, 'missing.yaml'), yaml('traces/missing.csv'));

  it('validate checks the trace: present, allowed, with a header and a row', async () => {
    expect((await cli('validate', join(scen, 'in.yaml'))).code).toBe(0);
    await expectInputError(['validate', join(scen, 'missing.yaml')], 'arrivals.file: traces/missing.csv: no such trace file');
    await expectInputError(['validate', join(scen, 'out.yaml')], 'arrivals.file: ../outside/out.csv: resolves outside');
    expect((await cli('validate', join(scen, 'out.yaml'), '--trace-root', outside)).code).toBe(0);
  });

  it('run: --trace-root and --set arrivals.file let the user name a trace outside the tree; the file alone cannot', async () => {
    await expectInputError(['run', join(scen, 'out.yaml')], 'resolves outside');
    const viaRoot = await cli('run', join(scen, 'out.yaml'), '--trace-root', outside, '--json');
    expect(viaRoot.code, viaRoot.stderr).toBe(0);
    expect(JSON.parse(viaRoot.stdout).requests.completed).toBe(2);
    const viaSet = await cli('run', join(scen, 'in.yaml'), '--set', `arrivals.file=${join(outside, 'out.csv')}`, '--json');
    expect(viaSet.code, viaSet.stderr).toBe(0);
    await expectInputError(['run', join(scen, 'in.yaml'), '--trace-root', join(top, 'nope')], '--trace-root');
  });

  it('worker threads apply the same rule', async () => {
    await expectInputError(['run', join(scen, 'out.yaml'), '--replications', '2', '--workers', '2'], 'resolves outside');
  });
});
