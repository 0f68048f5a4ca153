import { runGolden } from '../support/golden.ts';
import { describe, expect, it } from 'vitest';
import type { SweepVariantsJson } from '../../src/index.ts';

/**
 * The built-in cpu-vs-gpu scenario: the deep ranker on an autoscaled CPU fleet (held
 * near 60% busy) or on one batching GPU, swept from 25 to 400 requests/s. The claim: the
 * CPU fleet is cheaper per request at low load, the GPU above a crossover load, which
 * the test finds on the sweep and checks against the prices.
 */

describe('cpu-vs-gpu', () => {
  it('the batching GPU costs less per million requests above a crossover load, the CPU fleet below it', async () => {
    const r = await runGolden('cpu-vs-gpu');
    expect(r.code, r.stderr).toBe(0);
    // The library's own type of `sweep --json` for a file with variants (issue 12).
    const out = JSON.parse(r.stdout) as SweepVariantsJson;
    expect(out.vary).toBe('arrivals.qps');
    expect(out.variants.map((v) => v.name)).toEqual(['base', 'gpu']);
    const [cpu, gpu] = out.variants.map((v) => v.points) as [SweepVariantsJson['variants'][0]['points'], SweepVariantsJson['variants'][0]['points']];
    const xs = cpu.map((p) => p.x);
    expect(xs).toEqual(Array.from({ length: 16 }, (_, i) => 25 * (i + 1)));
    expect(gpu.map((p) => p.x)).toEqual(xs);

    const cpuCost = cpu.map((p) => p.figures.cost.perMillionRequests.mean);
    const gpuCost = gpu.map((p) => p.figures.cost.perMillionRequests.mean);
    for (let i = 0; i < xs.length; i++) {
      expect(cpu[i]!.figures.dropRate.mean).toBe(0);
      expect(gpu[i]!.figures.dropRate.mean).toBe(0);
      // One GPU whatever the load: $1.006 an hour (Reference: docs/catalog.md).
      expect(gpu[i]!.figures.cost.perHour.mean).toBeCloseTo(1.006, 9);
    }

    // The crossover: the first load at which the GPU is cheaper; the order must not flip
    // back anywhere in the range (a single crossing), and the CLI must name the same load.
    const at = xs.findIndex((_, i) => gpuCost[i]! < cpuCost[i]!);
    expect(at).toBeGreaterThan(0);
    for (let i = 0; i < xs.length; i++) {
      if (i < at) expect(cpuCost[i], `CPU cheaper at ${xs[i]} requests/s`).toBeLessThan(gpuCost[i]!);
      else expect(gpuCost[i], `GPU cheaper at ${xs[i]} requests/s`).toBeLessThan(cpuCost[i]!);
    }
    const crossover = xs[at]!;
    expect(out.crossings?.costPerMillion).toBe(crossover);

    // Where theory puts it. The GPU costs 1.006 / (3600 x qps) x 1e6 = 279.4 / qps $/M.
    // A CPU replica ($0.1785/h) at the 60% target serves 0.6 / 20 ms = 30 requests/s,
    // i.e. $1.65/M, up to $2.0/M when the replica count rounds up at low load. The
    // curves meet where 279.4 / qps falls to $1.65-2.0/M: between 140 and 169
    // requests/s, so the first grid point past it is 150 or 175.
    expect([150, 175]).toContain(crossover);
    for (const c of cpuCost) {
      expect(c).toBeGreaterThan(1.5);
      expect(c).toBeLessThan(2.1);
    }
    // At the top of the range the GPU costs less than half as much per request.
    expect(gpuCost.at(-1)! * 2).toBeLessThan(cpuCost.at(-1)!);

    // p99: the GPU answers a batch of a few in ~5.5-7 ms; a CPU request takes 20 ms plus
    // its queue, so the GPU's p99 is lower at every load.
    for (let i = 0; i < xs.length; i++) {
      expect(gpu[i]!.figures.latencyMs.p99.mean).toBeLessThan(cpu[i]!.figures.latencyMs.p99.mean);
    }
  }, 60_000);
});
