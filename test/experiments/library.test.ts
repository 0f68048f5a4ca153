import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compare, compareJson, defineScenario, estimateAt, InputError, plan, planJson, replicate, replicateJson, scenarioSource, sweep, sweepJson, toScenario, type CompareResult } from '../../src/index.ts';
import { cli } from '../support/cli.ts';

/**
 * The README's "Using servesim as a library" example, run as written: two pools of
 * 1-second exponential servers at 1.2 requests/s, one with 2 replicas, one with 3.
 */
const pool = (replicas: number) =>
  defineScenario({
    name: `${replicas} replicas`,
    seed: 42,
    arrivals: { process: 'poisson', qps: 1.2 },
    stop: { requests: 2_000 },
    warmup: { requests: 200 },
    stages: [{ name: 'model', replicas, service: { dist: 'exponential', mean: '1s' } }],
  });

describe('servesim as a library', () => {
  it('compare returns typed figures and paired differences (the README example)', async () => {
    // As in the README, from `const result` to the printed line.
    const result: CompareResult = await compare(
      [
        { name: 'two', scenario: toScenario(pool(2)) },
        { name: 'three', scenario: toScenario(pool(3)) },
      ],
      { replications: 5 },
    );
    const wait = result.differences[0]!.differences.find((d) => d.figure === 'latencyMs.mean')!;
    // Reference: the line the README shows; it changes only when the simulation's
    // output does (the golden files would change with it).
    expect(`three − two: ${wait.difference.toFixed(0)} ± ${wait.ci95.toFixed(0)} ms, significant: ${wait.significant}`).toBe('three − two: -460 ± 94 ms, significant: true');

    expect(result.replications).toBe(5);
    expect(result.seed).toBe(42); // the first scenario's seed: no seed was given
    expect(result.variants.map((v) => v.name)).toEqual(['two', 'three']);
    expect(result.variants[0]!.aggregate.seeds).toEqual([42, '42/rep1', '42/rep2', '42/rep3', '42/rep4']);
    // Common random numbers: both pools saw the very same arrivals.
    const arrived = result.variants.map((v) => estimateAt(v.figures, 'requests.arrived'));
    expect(arrived[0]).toEqual(arrived[1]);
    expect(result.differences.map((d) => d.name)).toEqual(['three']);
    // Reference: Erlang C, λ = 1.2/s, μ = 1/s: mean wait 562.5 ms with 2 servers and
    // 78.4 ms with 3, so a third replica saves 484 ms; the run measured 460 ± 94 ms.
    // The bounds are about ±3 half-widths: a broken pairing or sign falls outside.
    expect(wait.difference).toBeLessThan(-300);
    expect(wait.difference).toBeGreaterThan(-700);
    expect(wait.variant).toBeLessThan(wait.baseline);

    // The JSON projection holds exactly the contract's keys, in the CLI's order.
    expect(Object.keys(compareJson(result))).toEqual(['replications', 'seed', 'variants', 'differences']);
    expect(Object.keys(compareJson(result).variants[0]!)).toEqual(['name', 'figures', 'pooled']);
  });

  it('the same scenarios and seed give the same result, byte for byte', async () => {
    const run = async () => JSON.stringify(compareJson(await compare([{ name: 'a', scenario: toScenario(pool(2)) }, { name: 'b', scenario: toScenario(pool(3)) }], { replications: 2, seed: 'x' })));
    expect(await run()).toBe(await run());
  });

  it('replicate gives every figure a mean and a 95% interval, typed like RunResult', async () => {
    const r = await replicate(toScenario(pool(3)), { replications: 3, seed: 7 });
    expect(r.replications).toBe(3);
    expect(r.seeds).toEqual([7, '7/rep1', '7/rep2']);
    // Typed access (RunEstimates) reads the very leaves estimateAt finds by path.
    const p99 = r.figures.latencyMs.p99;
    expect(p99).toBe(estimateAt(r.figures, 'latencyMs.p99'));
    expect(p99.mean).toBeGreaterThan(0);
    expect(p99.ci95).toBeGreaterThan(0);
    expect(r.figures.stages['model']!.utilization).toBe(estimateAt(r.figures, 'stages.model.utilization'));
    // No SLO in the scenario: the optional figure is absent, as its type allows.
    expect(r.figures.slo).toBeUndefined();
    expect(r.pooled.count).toBe(3 * 1_800);
  });

  it('sweep reads a scenario object and varies a path of it', async () => {
    const r = await sweep(scenarioSource(pool(3), 'pool'), { vary: 'arrivals.qps=0.5..2.5', steps: 3 });
    expect(r.vary).toBe('arrivals.qps');
    expect(r.values).toEqual([0.5, 1.5, 2.5]);
    expect(r.curves).toHaveLength(1);
    const p99 = r.curves[0]!.points.map((p) => estimateAt(p.aggregate.figures, 'latencyMs.p99')!.mean);
    // More load on the same three servers: the tail only grows.
    expect(p99[0]!).toBeLessThan(p99[1]!);
    expect(p99[1]!).toBeLessThan(p99[2]!);
  });

  it('refuses a compare of one configuration and a bad scenario with an InputError', async () => {
    await expect(compare([{ name: 'only', scenario: toScenario(pool(2)) }])).rejects.toThrow(InputError);
    expect(() => toScenario({ ...pool(2), stages: [] })).toThrow(InputError);
  });

  it('a scenario that is not data, or a promise of one, is an InputError saying so (not a clone error)', async () => {
    const { loadScenario, run } = await import('../../src/index.ts');
    // The README's mistake in JavaScript, where no type catches it: loadScenario not awaited.
    await expect(run(loadScenario('mm4') as never, { seed: 3 })).rejects.toThrow(/got a Promise, not a scenario: await it first/);
    await expect(loadScenario({ arrivals: { process: 'poisson', qps: 1 }, hook: () => 1 } as never)).rejects.toBeInstanceOf(InputError);
    await expect(loadScenario({ arrivals: { process: 'poisson', qps: 1 }, hook: () => 1 } as never)).rejects.toThrow(/not plain data \(a function or a symbol\?\)/);
  });

  it('the CLI prints the library\'s results: its --json is the *Json projection, byte for byte', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'servesim-lib-'));
    try {
      const [a, b] = [join(dir, 'two.json'), join(dir, 'three.json')];
      writeFileSync(a, JSON.stringify(pool(2)));
      writeFileSync(b, JSON.stringify(pool(3)));
      const json = (x: unknown) => `${JSON.stringify(x, null, 2)}\n`;
      const flags = ['--json', '--replications', '2', '--workers', '1'];

      const rep = await cli('run', a, ...flags);
      expect(rep.stdout).toBe(json(replicateJson(await replicate(toScenario(pool(2)), { replications: 2 }))));

      const cmp = await cli('compare', a, b, ...flags);
      expect(cmp.stdout).toBe(json(compareJson(await compare([{ name: '2 replicas', scenario: toScenario(pool(2)) }, { name: '3 replicas', scenario: toScenario(pool(3)) }], { replications: 2 }))));

      const swp = await cli('sweep', b, '--vary', 'arrivals.qps=0.5..2.5', '--steps', '3', ...flags);
      expect(swp.stdout).toBe(json(sweepJson(await sweep(scenarioSource(pool(3)), { vary: 'arrivals.qps=0.5..2.5', steps: 3 }, { replications: 2 }))));

      const pln = await cli('plan', a, '--slo', 'p99 < 8s', '--vary', 'stages.model.replicas=1..8', ...flags);
      expect(pln.stdout).toBe(json(planJson(await plan(scenarioSource(pool(2)), { slo: 'p99 < 8s', vary: ['stages.model.replicas=1..8'] }, { replications: 2 }))));
      expect(JSON.parse(pln.stdout).best.assignment).toEqual({ 'stages.model.replicas': 2 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('plan takes its root seed like every other experiment: --set seed=5 is --seed 5', async () => {
    // plan used to read the seed from the file as written, ignoring --set seed=.
    const dir = mkdtempSync(join(tmpdir(), 'servesim-lib-'));
    try {
      const a = join(dir, 'two.json');
      writeFileSync(a, JSON.stringify(pool(2)));
      const args = [a, '--slo', 'p99 < 8s', '--vary', 'stages.model.replicas=1..4', '--json'];
      const [bySet, byFlag, asWritten] = [await cli('plan', ...args, '--set', 'seed=5'), await cli('plan', ...args, '--seed', '5'), await cli('plan', ...args)];
      expect(bySet.code, bySet.stderr).toBe(0);
      expect(bySet.stdout).toBe(byFlag.stdout);
      expect(bySet.stdout).not.toBe(asWritten.stdout); // seed 42 draws other numbers
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
