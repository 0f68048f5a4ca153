import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, expectInputError } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'servesim-narrative-'));

function scenarioFile(name: string, narrative: string, variants = ''): string {
  const p = join(dir, name);
  writeFileSync(
    p,
    `name: quoted
narrative: "${narrative}"
seed: 3
arrivals: { process: poisson, qps: 5 }
stop: { requests: 500 }
stages:
  - name: model
    replicas: 2
    service: { dist: deterministic, value: "100ms" }
${variants}`,
  );
  return p;
}

describe('a narrative quotes figures of its own run', () => {
  it('fills a placeholder from the run it precedes', async () => {
    // Reference: a deterministic 100 ms service at 25% busy: most requests do not wait, so the median is the service time.
    const f = scenarioFile('ok.yaml', 'The median request takes {latencyMs.p50|ms}; {requests.completed|int} in all.');
    const r = await cli('run', f);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('The median request takes 100 ms; 500 in all.');
  });

  it('fills a variant\'s figure from its own configuration', async () => {
    const f = scenarioFile('variants.yaml', 'Base p50 {latencyMs.p50|ms}, slow p50 {latencyMs.p50@slow|ms}.', 'variants:\n  slow: { stages.model.service.value: "200ms" }\n');
    const r = await cli('run', f);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Base p50 100 ms, slow p50 200 ms.');
  });

  it('run --variant of one configuration quotes its figures and a dash for the others', async () => {
    // --variant strips the file's variants to run one as a plain run; the narrative still names the others.
    const f = scenarioFile('one-variant.yaml', 'Base p50 {latencyMs.p50|ms}, slow p50 {latencyMs.p50@slow|ms}.', 'variants:\n  slow: { stages.model.service.value: "200ms" }\n');
    const base = await cli('run', f, '--variant', 'base');
    expect(base.code, base.stderr).toBe(0);
    expect(base.stdout).toContain('Base p50 100 ms, slow p50 –.');
    const slow = await cli('run', f, '--variant', 'slow');
    expect(slow.code, slow.stderr).toBe(0);
    expect(slow.stdout).toContain('Base p50 –, slow p50 200 ms.');
  });

  it('refuses a path the result does not have, naming the file and the placeholder', async () => {
    const f = scenarioFile('path.yaml', 'p99 is {latencyMs.p98|ms}.');
    await expectInputError(['run', f], `${f}: narrative: {latencyMs.p98|ms}: the result has no figure latencyMs.p98`);
  });

  it('validate refuses an unknown variant or format before anything runs', async () => {
    const f = scenarioFile('variant.yaml', 'p99 {latencyMs.p99@fast|ms} in {latencyMs.p99|sec}.', 'variants:\n  slow: { stages.model.service.value: "200ms" }\n');
    const err = await expectInputError(['validate', f], `${f}: narrative: {latencyMs.p99@fast|ms}: no variant "fast" (the file has base, slow)`);
    expect(err).toContain('{latencyMs.p99|sec}: unknown format "sec"');
  });
});

describe('a sweep narrative quotes its points and readings', () => {
  const sweep = 'sweep: { vary: "arrivals.qps=5..9", steps: 3 }\n';

  it('fills {path@variant,x=value} from that point and {kneeX@variant} from the curve; --variant of the file reads them as dashes', async () => {
    // Reference: deterministic service on 2 servers; at 9 req/s (45% busy at 100 ms, 54% at 120 ms) Erlang C puts
    // P(wait > 0) near 0.28 and 0.37, under a half, so the median request does not wait: it is the service time.
    const f = scenarioFile(
      'sweep.yaml',
      'At 5 req/s the median is {latencyMs.p50@x=5|ms}, at 9 {latencyMs.p50@x=9|ms}; slow at 9: {latencyMs.p50@slow,x=9|ms}; knee {kneeX|int}.',
      `variants:\n  slow: { stages.model.service.value: "120ms" }\n${sweep}`,
    );
    const r = await cli('run', f);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/At 5 req\/s the median is 100 ms, at 9 100 ms; slow at 9: 120 ms; knee (–|[0-9,]+)\./);
    const one = await cli('run', f, '--variant', 'slow');
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toContain('At 5 req/s the median is –, at 9 –; slow at 9: –;');
  });

  it('refuses a point the sweep does not have and a variant the file does not declare, naming each', async () => {
    const f = scenarioFile('sweep-bad.yaml', 'At 7 req/s {latencyMs.p50@x=7|ms}; {latencyMs.p50@fast,x=5|ms}.', sweep);
    await expectInputError(['validate', f], 'no variant "fast"');
    const g = scenarioFile('sweep-bad2.yaml', 'At 8 req/s {latencyMs.p50@x=8|ms}.', sweep);
    await expectInputError(['run', g], '{latencyMs.p50@x=8|ms}: the result has no figure latencyMs.p50');
  });
});

describe('a sweep of a file whose narrative quotes single runs', () => {
  it('leaves the narrative out with a line saying so, and prints the sweep (it used to run every point, then refuse)', async () => {
    // No `sweep:` key: the narrative was written for `run`; {latencyMs.p50@slow} has no point to read in a sweep.
    const f = scenarioFile('run-narrative.yaml', 'The slow variant takes {latencyMs.p50@slow|ms} at the median.', 'variants:\n  slow: { stages.model.service.value: "120ms" }\n');
    const r = await cli('sweep', f, '--vary', 'arrivals.qps=5,6');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("quotes a single run's figures: `servesim run` shows it.");
    expect(r.stdout).not.toContain('The slow variant takes');
    expect(r.stdout).toMatch(/^arrivals\.qps\s/m);
  });
});
