import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, expectInputError } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'servesim-bad-'));

function scenarioFile(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const GOOD = `name: ok
arrivals: { process: poisson, qps: 5 }
stop: { requests: 1000 }
stages:
  - name: model
    replicas: 2
    service: { dist: exponential, mean: "100ms" }
`;


describe('bad input gives one clear message per problem and exit code 2', () => {
  it('bad duration names the path, the line and the value', async () => {
    const f = scenarioFile('dur.yaml', GOOD.replace('"100ms"', '"ten"'));
    await expectInputError(['run', f], `${f}:7:41: stages[0].service.mean: expected a duration like "10ms", got "ten"`);
  });

  it('a bare number is not a duration', async () => {
    const f = scenarioFile('num.yaml', GOOD.replace('"100ms"', '100'));
    await expectInputError(['run', f], 'stages[0].service.mean: expected a duration like "10ms", got 100');
  });

  it('unknown key is an error with a suggestion, never a silent default', async () => {
    const f = scenarioFile('key.yaml', GOOD.replace('replicas: 2', 'replicsa: 2'));
    const err = await expectInputError(['run', f], 'stages[0].replicsa: unknown key (did you mean "replicas"?)');
    expect(err).toContain('stages[0].replicas: missing (required)');
  });

  it('unknown top-level key', async () => {
    const f = scenarioFile('top.yaml', `${GOOD}warmpu: { requests: 10 }\n`);
    await expectInputError(['run', f], 'warmpu: unknown key (did you mean "warmup"?)');
  });

  it('negative QPS', async () => {
    const f = scenarioFile('qps.yaml', GOOD.replace('qps: 5', 'qps: -5'));
    await expectInputError(['run', f], 'arrivals.qps: must be greater than 0, got -5');
  });

  it('zero replicas', async () => {
    const f = scenarioFile('rep.yaml', GOOD.replace('replicas: 2', 'replicas: 0'));
    await expectInputError(['run', f], 'stages[0].replicas: expected a whole number of at least 1, got 0');
  });

  it('unknown distribution lists the known ones', async () => {
    const f = scenarioFile('dist.yaml', GOOD.replace('exponential', 'expo'));
    await expectInputError(['run', f], 'stages[0].service.dist: expected one of "exponential", "deterministic", "uniform", "lognormal", "gamma", "empirical", "plugin", "linear", "table", got "expo"');
  });

  it('reports every problem of the file at once', async () => {
    const f = scenarioFile('many.yaml', GOOD.replace('qps: 5', 'qps: 0').replace('replicas: 2', 'replicas: 1.5'));
    const err = await expectInputError(['run', f], 'arrivals.qps', 'stages[0].replicas');
    expect(err.trim().split('\n')).toHaveLength(2);
  });

  it('duplicate stage names', async () => {
    const two = `${GOOD}  - name: model\n    replicas: 1\n    service: { dist: deterministic, value: "1ms" }\n`;
    await expectInputError(['run', scenarioFile('dup.yaml', two)], 'stages[1].name: stage name "model" is already used by stages[0]');
  });

  it('warm-up longer than the run', async () => {
    const f = scenarioFile('warm.yaml', `${GOOD}warmup: { requests: 5000 }\n`);
    await expectInputError(['run', f], 'warmup.requests: warm-up (5,000 requests) must be shorter than the run (stop.requests: 1,000): lower it too, e.g. --set warmup.requests=100');
  });

  it('stop needs exactly one of requests or duration', async () => {
    const f = scenarioFile('stop.yaml', GOOD.replace('stop: { requests: 1000 }', 'stop: { requests: 1000, duration: "1m" }'));
    await expectInputError(['run', f], 'stop: give exactly one of "requests" or "duration"');
  });

  it('missing file', async () => {
    await expectInputError(['run', join(dir, 'nope.yaml')], 'nope.yaml: no such scenario file');
  });

  it('a bare word that is neither a file nor a built-in lists the built-ins', async () => {
    await expectInputError(['run', 'nope'], 'nope: no such scenario file, and no built-in scenario of that name (built-in: accuracy-vs-latency,');
  });

  it('unparseable YAML names the line', async () => {
    const f = scenarioFile('broken.yaml', 'arrivals: { process: poisson\nstages: [\n');
    await expectInputError(['run', f], `${f}:2:`, 'cannot read the file');
  });

  it('unparseable JSON names the line', async () => {
    const f = scenarioFile('broken.json', '{\n  "arrivals": {"process": "poisson",,}\n}\n');
    await expectInputError(['run', f], `${f}:2:`, 'cannot read the file');
  });

  it('a file that is not a mapping', async () => {
    await expectInputError(['run', scenarioFile('list.yaml', '- 1\n- 2\n')], 'expected a scenario');
  });

  it('a TypeScript module is validated like a YAML file', async () => {
    await expectInputError(['run', 'test/fixtures/bad-scenario.ts'], 'stages[0].service.mean: expected a duration like "10ms", got "10 parsecs"');
  });

  it('--set on a stage that does not exist', async () => {
    const f = scenarioFile('set.yaml', GOOD);
    await expectInputError(['run', f, '--set', 'stages.ranker.replicas=3'], '--set stages.ranker.replicas: no element named "ranker" (there are: model)');
  });

  it('--set that makes the scenario invalid is reported like the file', async () => {
    const f = scenarioFile('set2.yaml', GOOD);
    await expectInputError(['run', f, '--set', 'stages.model.replicas=0'], 'stages[0].replicas: expected a whole number of at least 1, got 0');
  });

  it('unknown command-line option', async () => {
    const r = await cli('run', '--bogus');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--bogus'");
  });
});
