/**
 * Bad arrival specs through the CLI: exit code 2, a message naming the path and the
 * value, no stack trace, nothing on stdout. The good baseline runs, so each failure
 * below is due to its one change.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'servesim-arrivals-'));

function scenarioFile(name: string, arrivals: string): string {
  const p = join(dir, name);
  writeFileSync(
    p,
    `name: arrivals
arrivals: ${arrivals}
stop: { requests: 200 }
stages:
  - name: model
    replicas: 2
    service: { dist: exponential, mean: "10ms" }
`,
  );
  return p;
}

async function expectInputError(arrivals: string, ...messages: string[]): Promise<string> {
  const r = await cli('run', scenarioFile('bad.yaml', arrivals));
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  for (const m of messages) expect(r.stderr).toContain(m);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return r.stderr;
}

describe('arrival specs: clear errors, exit code 2', () => {
  it('the good baselines run', async () => {
    for (const a of [
      '{ process: diurnal, qps: 50, amplitude: 0.5 }',
      '{ process: spike, qps: 50, factor: 3, at: "1s", duration: "2s", ramp: "500ms" }',
      '{ process: bursty, qps: 50, burstQps: 500, meanNormal: "2s", meanBurst: "200ms" }',
      '{ process: schedule, steps: [{ at: "0s", qps: 50 }, { at: "1s", qps: 100 }], repeat: "2s" }',
      '{ process: renewal, qps: 50, gap: { dist: weibull, cv: 1.5 } }',
      '{ process: renewal, gap: { dist: hyperexponential, phases: [{ p: 0.9, mean: "5ms" }, { p: 0.1, mean: "155ms" }] } }',
    ]) {
      const r = await cli('run', scenarioFile('good.yaml', a), '--json');
      expect(r.stderr, a).toBe('');
      expect(r.code, a).toBe(0);
    }
  });

  it('unknown process lists the known ones', async () => {
    await expectInputError('{ process: burst, qps: 5 }', 'arrivals.process: expected one of "poisson", "constant", "diurnal", "spike", "bursty", "schedule", "trace", "plugin"', 'got "burst"');
  });

  it('diurnal: amplitude outside [0, 1], peak outside the period, a misspelt key', async () => {
    await expectInputError('{ process: diurnal, qps: 50, amplitude: 1.5 }', 'arrivals.amplitude: must be between 0 and 1', 'got 1.5');
    await expectInputError('{ process: diurnal, qps: 50, amplitude: 0.5, period: "1h", peakAt: "90m" }', 'arrivals.peakAt: the time of the peak must be within one period ("60m"), got "90m"');
    await expectInputError('{ process: diurnal, qps: 50, amplitude: 0.5, peak: "14h" }', 'arrivals.peak: unknown key (did you mean "peakAt"?)');
  });

  it('spike: a factor of 0, ramps longer than the spike', async () => {
    await expectInputError('{ process: spike, qps: 50, factor: 0, at: "1s", duration: "2s" }', 'arrivals.factor: must be greater than 0, got 0');
    await expectInputError('{ process: spike, qps: 50, factor: 3, at: "1s", duration: "2s", ramp: "1.5s" }', `arrivals.ramp: the ramps up and down (2 × "1.5s") must fit in the spike's duration ("2s")`);
  });

  it('bursty: a missing sojourn, a negative burst rate', async () => {
    await expectInputError('{ process: bursty, qps: 50, burstQps: 500, meanNormal: "2s" }', 'arrivals.meanBurst: missing (required)');
    await expectInputError('{ process: bursty, qps: 50, burstQps: -1, meanNormal: "2s", meanBurst: "1s" }', 'arrivals.burstQps: must be 0 or more, got -1');
  });

  it('schedule: a negative rate names its step', async () => {
    await expectInputError('{ process: schedule, steps: [{ at: "0s", qps: 100 }, { at: "10m", qps: -5 }] }', 'arrivals.steps[1].qps: must be 0 or more, got -5');
  });

  it('schedule: the first step must be at 0s', async () => {
    await expectInputError('{ process: schedule, steps: [{ at: "5m", qps: 100 }] }', 'arrivals.steps[0].at: the first step must be at "0s", got "5m"');
  });

  it('schedule: steps in increasing time order', async () => {
    await expectInputError(
      '{ process: schedule, steps: [{ at: "0s", qps: 1 }, { at: "10m", qps: 2 }, { at: "5m", qps: 3 }] }',
      'arrivals.steps[2].at: steps must be in increasing time order: "5m" is not after steps[1] at "10m"',
    );
  });

  it('schedule: a repeat not past the last step, all rates 0, no steps', async () => {
    await expectInputError('{ process: schedule, steps: [{ at: "0s", qps: 1 }, { at: "10m", qps: 2 }], repeat: "10m" }', `arrivals.repeat: must be longer than the last step's time ("10m"), got "10m"`);
    await expectInputError('{ process: schedule, steps: [{ at: "0s", qps: 0 }] }', 'arrivals.steps: every step has qps 0, so no request would ever arrive');
    await expectInputError('{ process: schedule, steps: [] }', 'arrivals.steps: needs at least one step');
  });

  it('reports every problem of a schedule at once, with its line', async () => {
    const err = await expectInputError('{ process: schedule, steps: [{ at: "1m", qps: -1 }, { at: "30s", qps: 2 }] }', 'arrivals.steps[0].qps', 'arrivals.steps[0].at', 'arrivals.steps[1].at');
    expect(err.trim().split('\n')).toHaveLength(3);
    expect(err).toMatch(/bad\.yaml:2:\d+: arrivals\.steps\[1\]\.at/);
  });

  it('renewal: cv 0 or below, Erlang k below 1 or not whole, a hyperexponential below cv 1', async () => {
    await expectInputError('{ process: renewal, qps: 50, gap: { dist: gamma, cv: 0 } }', 'bad.yaml:2:', 'arrivals.gap.cv: must be greater than 0, got 0');
    await expectInputError('{ process: renewal, qps: 50, gap: { dist: lognormal, cv: -1 } }', 'arrivals.gap.cv: must be greater than 0, got -1');
    await expectInputError('{ process: renewal, qps: 50, gap: { dist: erlang, k: 0 } }', 'arrivals.gap.k: expected a whole number of at least 1, got 0');
    await expectInputError('{ process: renewal, qps: 50, gap: { dist: erlang, k: 2.5 } }', 'arrivals.gap.k: expected a whole number of at least 1, got 2.5');
    await expectInputError('{ process: renewal, qps: 50, gap: { dist: hyperexponential, cv: 0.5 } }', "arrivals.gap.cv: a hyperexponential's cv must be at least 1", 'got 0.5');
  });

  it('renewal: a missing rate, an unknown family, phases that do not sum to 1, phases beside qps', async () => {
    await expectInputError('{ process: renewal, gap: { dist: gamma, cv: 2 } }', 'arrivals.qps: renewal arrivals need a rate');
    await expectInputError('{ process: renewal, qps: 50, gap: { dist: pareto, cv: 2 } }', 'arrivals.gap.dist: expected one of "gamma", "weibull", "lognormal", "erlang", "hyperexponential"', 'got "pareto"');
    await expectInputError('{ process: renewal, gap: { dist: hyperexponential, phases: [{ p: 0.5, mean: "5ms" }, { p: 0.4, mean: "155ms" }] } }', "arrivals.gap.phases: the phases' probabilities must sum to 1, got 0.9");
    await expectInputError('{ process: renewal, qps: 50, gap: { dist: hyperexponential, phases: [{ p: 0.5, mean: "5ms" }, { p: 0.5, mean: "15ms" }] } }', 'arrivals.qps: explicit phases set the rate');
    await expectInputError('{ process: renewal, qps: 50, gap: { dist: hyperexponential, cv: 2, phases: [{ p: 0.5, mean: "5ms" }, { p: 0.5, mean: "15ms" }] } }', 'arrivals.gap: give exactly one of "cv"');
    await expectInputError('{ process: renewal, qps: 50, gap: { dist: gamma } }', 'arrivals.gap.cv: missing (required)');
  });
});
