import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HARDWARE } from '../../src/catalog/hardware.ts';
import { DEFAULT_MODELS } from '../../src/catalog/models.ts';
import { cli, expectInputError } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'servesim-bad3-'));

const GOOD = `name: ok
arrivals: { process: poisson, qps: 500 }
stop: { requests: 1000 }
slo: "p99 < 100ms"
stages:
  - name: ranker
    replicas: 2
    hardware: g5.xlarge
    model: deep-ranker
    batching: { maxBatch: 16, maxWait: "2ms" }
    routing: { policy: power-of-two }
`;

/** Writes `text` as a scenario file and checks `run` refuses it (the shared promise of bad input). */
async function expectScenarioError(text: string, ...messages: string[]): Promise<string> {
  const f = join(dir, `s${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(f, text);
  return expectInputError(['run', f], ...messages);
}

describe('bad serving input: clear messages and exit code 2', () => {
  it('the good base case runs', async () => {
    const f = join(dir, 'good.yaml');
    writeFileSync(f, GOOD);
    expect((await cli('run', f)).code).toBe(0);
  });

  it('unknown hardware lists the known names', async () => {
    const err = await expectScenarioError(GOOD.replace('g5.xlarge', 'g9.huge'), 'stages[0].hardware: unknown hardware "g9.huge"; known: ');
    for (const name of Object.keys(DEFAULT_HARDWARE)) expect(err).toContain(name);
  });

  it('unknown model lists the known names', async () => {
    const err = await expectScenarioError(GOOD.replace('deep-ranker', 'gpt-7'), 'stages[0].model: unknown model "gpt-7"; known: ');
    for (const name of Object.keys(DEFAULT_MODELS)) expect(err).toContain(name);
  });

  it('maxBatch below 1', async () => {
    await expectScenarioError(GOOD.replace('maxBatch: 16', 'maxBatch: 0'), 'stages[0].batching.maxBatch: expected a whole number of at least 1, got 0');
  });

  it('a negative maxWait', async () => {
    await expectScenarioError(GOOD.replace('maxWait: "2ms"', 'maxWait: "-2ms"'), 'stages[0].batching.maxWait: must not be negative, got "-2ms"');
  });

  it('an SLO that does not parse', async () => {
    await expectScenarioError(GOOD.replace('p99 < 100ms', 'fast please'), 'slo: expected an SLO like "p99 < 100ms" or "latency < 100ms for 99.9%", got "fast please"');
  });

  it('an SLO with a percentile out of range', async () => {
    await expectScenarioError(GOOD.replace('p99 < 100ms', 'p100 < 100ms'), 'slo: expected an SLO like', 'between 0 and 100');
  });

  it('an unknown routing policy', async () => {
    await expectScenarioError(GOOD.replace('power-of-two', 'fastest'), 'stages[0].routing.policy: expected one of "shared", "round-robin", "random", "least-outstanding", "power-of-two", "least-outstanding-tokens", "least-kv-utilization", "prefix-affinity", got "fastest"');
  });

  it('a model without hardware (its latency profile depends on the device)', async () => {
    await expectScenarioError(GOOD.replace('    hardware: g5.xlarge\n', ''), 'stages[0].hardware: missing: model "deep-ranker" needs a hardware name');
  });

  it('batching with a per-request distribution', async () => {
    const t = GOOD.replace('    model: deep-ranker\n', '    service: { dist: exponential, mean: "10ms" }\n');
    await expectScenarioError(t, 'stages[0].service.dist: batching (maxBatch 16) needs a batch-aware service time');
  });

  it('a batch table that does not reach maxBatch', async () => {
    const t = GOOD.replace('    model: deep-ranker\n', '    service: { dist: table, points: [[1, "5ms"], [8, "9ms"]] }\n');
    await expectScenarioError(t, 'stages[0].service.points: the table stops at batch 8 but batching.maxBatch is 16');
  });

  it('a hardware entry in the scenario with a bad device', async () => {
    const t = `${GOOD}hardware:\n  my-tpu: { device: tpu, usdPerHour: 1 }\n`;
    await expectScenarioError(t, 'hardware.my-tpu.device: expected "cpu" or "gpu", got "tpu"');
  });

  it('the error names the line of the offending value', async () => {
    await expectScenarioError(GOOD.replace('g5.xlarge', 'g9.huge'), ':8:15: stages[0].hardware');
  });
});
