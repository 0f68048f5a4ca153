import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, expectInputError } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'servesim-bad4-'));

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const traceScenario = (trace: string, extra = '') => `name: t
arrivals: { process: trace, file: "${trace}"${extra} }
stages:
  - name: llm
    replicas: 2
    service: { dist: linear, base: "50ms", per: { Tokens: "1ms" } }
`;


describe('bad traffic input: clear messages and exit code 2', () => {
  it('a good trace runs (and relative paths resolve against the scenario file)', async () => {
    file('good.csv', 'TIMESTAMP,Tokens\n0.0,10\n0.5,20\n1.25,5\n');
    const r = await cli('run', file('good.yaml', traceScenario('good.csv')), '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).requests.completed).toBe(3);
  });

  it('a trace file that is missing', async () => {
    await expectInputError(['run', file('missing.yaml', traceScenario('nope.csv'))], 'nope.csv: no such trace file');
  });

  it('a trace with no timestamp column', async () => {
    file('nots.csv', 'when,Tokens\n0.0,10\n');
    await expectInputError(['run', file('nots.yaml', traceScenario('nots.csv'))], 'nots.csv:1: has no timestamp column (columns: when, Tokens)');
  });

  it('a named timestamp column that does not exist', async () => {
    file('named.csv', 'when,Tokens\n0.0,10\n');
    await expectInputError(['run', file('named.yaml', traceScenario('named.csv', ', timestamp: at'))], 'named.csv:1: no column named "at" (columns: when, Tokens)');
  });

  it('unsorted timestamps name the line', async () => {
    file('unsorted.csv', 'TIMESTAMP,Tokens\n0.0,10\n2.0,10\n1.5,10\n');
    await expectInputError(['run', file('unsorted.yaml', traceScenario('unsorted.csv'))], 'unsorted.csv:4: timestamps must not go back in time');
  });

  it('an unparseable timestamp names the line', async () => {
    file('bad-ts.csv', 'TIMESTAMP,Tokens\n2023-11-16 18:17:03.98,10\nyesterday,10\n');
    await expectInputError(['run', file('bad-ts.yaml', traceScenario('bad-ts.csv'))], 'bad-ts.csv:3: cannot read the timestamp "yesterday"');
  });

  it('a service time that reads an attribute the trace does not have', async () => {
    file('attrs.csv', 'TIMESTAMP,Words\n0.0,10\n');
    await expectInputError(['run', file('attrs.yaml', traceScenario('attrs.csv'))], 'stages[0].service.per.Tokens: the requests carry no attribute "Tokens" (they have: Words, and candidates)');
  });

  it('a replay speed that does not parse', async () => {
    file('speed.csv', 'TIMESTAMP,Tokens\n0.0,10\n');
    await expectInputError(['run', file('speed.yaml', traceScenario('speed.csv', ', rate: fast'))], 'arrivals.rate: expected a speed like "2x" (twice as fast) or "0.5x", got "fast"');
  });

  it('a rate schedule with a negative rate', async () => {
    const f = file(
      'neg.yaml',
      `arrivals: { process: schedule, steps: [{ at: "0s", qps: 10 }, { at: "1m", qps: -5 }] }
stop: { duration: "2m" }
stages: [{ name: m, replicas: 1, service: { dist: exponential, mean: "10ms" } }]
`,
    );
    await expectInputError(['run', f], 'arrivals.steps[1].qps: must be 0 or more, got -5');
  });

  it('min replicas above max', async () => {
    const f = file(
      'minmax.yaml',
      `arrivals: { process: poisson, qps: 10 }
stop: { duration: "2m" }
stages:
  - name: m
    replicas: 2
    service: { dist: exponential, mean: "10ms" }
    autoscale: { metric: utilization, target: 0.6, min: 8, max: 4, coldStart: { dist: deterministic, value: "60s" } }
`,
    );
    await expectInputError(['run', f], 'stages[0].autoscale.min: min replicas (8) must not be above max replicas (4)');
  });

  it('initial replicas outside [min, max]', async () => {
    const f = file(
      'outside.yaml',
      `arrivals: { process: poisson, qps: 10 }
stop: { duration: "2m" }
stages:
  - name: m
    replicas: 20
    service: { dist: exponential, mean: "10ms" }
    autoscale: { metric: utilization, target: 0.6, min: 2, max: 4, coldStart: { dist: deterministic, value: "60s" } }
`,
    );
    await expectInputError(['run', f], 'stages[0].replicas: 20 replicas to start with is outside the autoscaler\'s range [2, 4]');
  });

  it('a scenario without stop that is not a trace', async () => {
    const f = file('nostop.yaml', `arrivals: { process: poisson, qps: 10 }\nstages: [{ name: m, replicas: 1, service: { dist: exponential, mean: "10ms" } }]\n`);
    await expectInputError(['run', f], 'stop: missing: give stop: { requests: N } or { duration: "10m" }');
  });
});
