import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, expectInputError } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'servesim-bad6-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}
const BASE = `name: base
arrivals: { process: poisson, qps: 50 }
stop: { requests: 2000 }
stages:
  - name: ranker
    replicas: 2
    service: { dist: exponential, mean: "10ms" }
`;


describe('bad experiment input: clear messages and exit code 2', () => {
  const f = file('base.yaml', BASE);

  it('a --vary path that does not exist suggests the closest', async () => {
    await expectInputError(['sweep', f, '--vary', 'stages.ranker.replcas=1..4'], '--vary stages.ranker.replcas: no such value in the scenario (did you mean stages.ranker.replicas?)');
  });

  it('an empty range', async () => {
    await expectInputError(['sweep', f, '--vary', 'arrivals.qps=500..100'], '--vary arrivals.qps: the range 500..100 is empty (its start is above its end)');
  });

  it('an SLO that never parses', async () => {
    await expectInputError(['plan', f, '--slo', 'fast enough', '--vary', 'stages.ranker.replicas=1..8'], '--slo: expected an SLO like "p99 < 100ms" or "latency < 100ms for 99.9%", got "fast enough"');
  });

  it('a plan with no objective: neither --slo nor an slo: in the scenario', async () => {
    await expectInputError(['plan', f, '--vary', 'stages.ranker.replicas=1..8'], 'plan needs an objective: give --slo (e.g. "p99<100ms") or an slo: in the scenario');
  });

  it('variants that change nothing', async () => {
    const v = file('same.yaml', `${BASE}variants:\n  twin: { stages.ranker.replicas: 2 }\n`);
    await expectInputError(['compare', v], 'variants.twin: changes nothing (every value it sets equals the base scenario\'s)');
  });

  it('a variant setting a path that does not exist is an unknown key, named in its variant', async () => {
    const v = file('typo.yaml', `${BASE}variants:\n  big: { stages.ranker.replicaz: 4 }\n`);
    await expectInputError(['compare', v], 'variants.big:', 'stages[0].replicaz: unknown key (did you mean "replicas"?)');
  });

  it('compare with one file and no variants', async () => {
    await expectInputError(['compare', f], 'compare needs two or more scenario files, or one file with variants');
  });

  it('plan without a count to size', async () => {
    await expectInputError(['plan', f, '--slo', 'p99<50ms', '--vary', 'stages.ranker.service.mean=5ms,10ms'], 'plan sizes exactly one count');
  });

  it('a replication count that is not a whole number', async () => {
    await expectInputError(['run', f, '--replications', 'many'], 'expected a whole number of at least 1, got "many"');
  });

  it('a report file with an unknown extension', async () => {
    await expectInputError(['run', f, '--report', join(dir, 'out.pdf')], 'expected a file ending in .html or .md');
  });
});

describe('experiments run', () => {
  const f = file('ok.yaml', `${BASE}slo: "p99 < 100ms"\n`);

  it('compare two files: paired differences with their significance', async () => {
    const g = file('ok3.yaml', BASE.replace('replicas: 2', 'replicas: 3').replace('name: base', 'name: three'));
    const r = await cli('compare', f, g, '--replications', '4', '--workers', '1', '--json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.variants.map((v: { name: string }) => v.name)).toEqual(['base', 'three']);
    const p99 = j.differences[0].differences.find((d: { figure: string }) => d.figure === 'latencyMs.p99');
    expect(p99.difference).toBeLessThan(0);
  });

  it('sweep finds the highest load within the SLO', async () => {
    const r = await cli('sweep', f, '--vary', 'arrivals.qps=50..190', '--steps', '8', '--workers', '1', '--json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.points).toHaveLength(8);
    expect(j.analysis.maxXMeetingSlo).toBeGreaterThan(50);
  });

  it('replications give every figure a mean and an interval; the same seed, the same output', async () => {
    const a = await cli('run', f, '--replications', '3', '--workers', '1', '--json');
    const b = await cli('run', f, '--replications', '3', '--workers', '2', '--force-workers', '--json'); // forced: a 1-core machine refuses 2 otherwise
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toBe(b.stdout); // threads or not, byte-identical
    const j = JSON.parse(a.stdout);
    expect(j.figures.latencyMs.p99.ci95).toBeGreaterThan(0);
    expect(j.pooled.count).toBe(3 * 2000);
  });
});
