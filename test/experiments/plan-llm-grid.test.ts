/**
 * `plan` and `sweep` over an LLM fleet's GPU type, weight format, TP degree and replica
 * count as one search (issue 15; src/experiments/llm-grid.ts): the plan's choice is the
 * brute-force cheapest over the whole grid run on the same seeds, a configuration whose
 * model does not fit is listed with the memory it needs (checked by hand), and the same
 * seed gives the same answer.
 */
import { describe, expect, it } from 'vitest';
import { aggregate } from '../../src/experiments/aggregate.ts';
import { planObjective, meetsObjective } from '../../src/experiments/plan-objective.ts';
import { plan, planJson } from '../../src/experiments/plan.ts';
import { inProcessRunner, replicationSeed, rootSeed, type RunTask } from '../../src/experiments/runner.ts';
import { sweep, sweepJson } from '../../src/experiments/sweep.ts';
import { scenarioSource } from '../../src/experiments/variants.ts';
import { InputError } from '../../src/config/errors.ts';

/**
 * Llama 3.1 8B at 10 requests/s, short runs (300 requests). With TPOT p99 < 70 ms the
 * L4's decode step (16 GB of bf16 weights read at 300 GB/s, about 54 ms) leaves bf16 no
 * room, fp8 halves the bytes: the grid's answer is neither its first combination nor
 * its smallest count.
 */
const SMALL = {
  seed: 7,
  arrivals: { process: 'poisson', qps: 10 },
  stop: { requests: 300 },
  warmup: { requests: 30 },
  tokens: { input: { dist: 'lognormal', mean: 500, cv: 0.5, min: 1, max: 2000 }, output: { dist: 'lognormal', mean: 100, cv: 1.0, min: 1, max: 500 } },
  slo: { ttft: 'p99 < 1s', tpot: 'p99 < 70ms' },
  stages: [{ name: 'llm', replicas: 1, llm: { roofline: { model: 'llama-3.1-8b', gpu: 'l4' } } }],
};
const GRID = ['llm.replicas=1..4', 'llm.gpu=l4,a100-80gb', 'llm.weights=bf16,fp8'];
const GPU = 'stages.llm.llm.roofline.gpu';
const WEIGHTS = 'stages.llm.llm.roofline.weights';
const REPLICAS = 'stages.llm.replicas';

describe('plan over GPU × weights × replicas', () => {
  it('chooses the brute-force cheapest configuration over the grid, run on the same seeds; the same seed gives the same plan', async () => {
    const src = scenarioSource(SMALL);
    const r = await plan(src, { vary: GRID });
    // Brute force: every combination at every count, one run each on the plan's seed.
    const base = src.validate([]);
    const seed = replicationSeed(rootSeed(undefined, base), 0);
    const objective = planObjective(undefined, base.slo);
    if (typeof objective === 'string') throw new Error(objective);
    const configs: Array<Record<string, string | number>> = [];
    for (const gpu of ['l4', 'a100-80gb']) for (const weights of ['bf16', 'fp8']) for (let n = 1; n <= 4; n++) configs.push({ [GPU]: gpu, [WEIGHTS]: weights, [REPLICAS]: n });
    const tasks: RunTask[] = configs.map((a) => ({ scenario: src.validate(Object.entries(a).map(([path, value]) => ({ path, value }))), seed }));
    const runs = await inProcessRunner()(tasks);
    const outcomes = configs.map((a, i) => {
      const run = runs[i]!;
      const meets = meetsObjective(aggregate([run]).figures, objective.checks) && !run.result.warnings.some((w) => w.includes('is overloaded'));
      return { a, meets, cost: run.result.cost.perHour };
    });
    const meeting = outcomes.filter((o) => o.meets).sort((x, y) => x.cost - y.cost);
    expect(meeting.length).toBeGreaterThan(0);
    const cheapest = meeting[0]!;
    // No tie at the top: the answer is one configuration.
    expect(meeting[1]!.cost).toBeGreaterThan(cheapest.cost);
    expect(r.best?.assignment).toEqual(cheapest.a);
    expect(r.best?.cost).toBeCloseTo(cheapest.cost, 9);
    // The answer is not trivially the first combination or the bottom of the range.
    expect(cheapest.a).toEqual({ [GPU]: 'l4', [WEIGHTS]: 'fp8', [REPLICAS]: 2 });
    // Each combination's minimum is the brute force's fewest meeting (monotone on this grid).
    for (const c of r.perCombination) {
      const fewest = outcomes.find((o) => o.meets && o.a[GPU] === c.assignment[GPU] && o.a[WEIGHTS] === c.assignment[WEIGHTS]);
      expect(c.minimum?.assignment[REPLICAS]).toBe(fewest?.a[REPLICAS]);
    }
    // The table's rows: one per combination, the cheapest first and marked, those missing at the top of the range after.
    const json = planJson(r);
    const rows = json.configurations!;
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({ assignment: { [GPU]: 'l4', [WEIGHTS]: 'fp8' }, count: 2, meets: true, verdict: 'cheapest' });
    expect(rows.filter((x) => x.verdict === 'cheapest')).toHaveLength(1);
    expect(rows.map((x) => x.meets)).toEqual([...rows.map((x) => x.meets)].sort((x, y) => Number(y) - Number(x)));
    for (const x of rows.filter((y) => y.meets)) {
      // $/M output tokens = $/hour over the output tokens of an hour at the measured rate: read from the same run.
      expect(x.perMillionOutputTokensUsd).toBeGreaterThan(0);
      expect(x.ttftP99Ms).toBeLessThan(1000);
      expect(x.tpotP99Ms).toBeLessThan(70);
      expect(x.kvUtilization).toBeGreaterThan(0);
    }
    // Determinism: the same seed, the same plan, byte for byte.
    const again = await plan(scenarioSource(SMALL), { vary: GRID });
    expect(JSON.stringify(planJson(again))).toBe(JSON.stringify(json));
  }, 120_000);

  it('lists a model that does not fit with the memory it needs per GPU (by hand), without simulating it', async () => {
    const raw = { ...SMALL, stages: [{ name: 'llm', replicas: 1, llm: { roofline: { model: 'llama-3.1-70b', gpu: 'l4' } } }] };
    const r = await plan(scenarioSource(raw), { vary: ['llm.replicas=1..4', 'llm.tp=1,2'] });
    expect(r.best).toBeUndefined();
    expect(r.evaluated).toHaveLength(0);
    // Llama 3.1 70B (config.json: 80 layers, hidden 8192, MLP 28,672, 64 heads, 8 KV heads of 128, vocab 128,256, untied):
    // per layer q 8192² + k,v 2 × 8192 × 1024 + o 8192² + MLP 3 × 8192 × 28,672 + two norms 2 × 8192 = 855,654,400;
    // × 80 + embeddings and head 2 × 128,256 × 8192 + final norm 8192 = 70,553,706,496 parameters (HF: 70.6B).
    const params = 80 * (8192 * 8192 * 2 + 2 * 8192 * 1024 + 3 * 8192 * 28672 + 2 * 8192) + 2 * 128256 * 8192 + 8192;
    expect(params).toBe(70_553_706_496);
    const GIB = 2 ** 30;
    for (const tp of [1, 2]) {
      // Each GPU: its share of the bf16 weights (2 bytes each), vLLM's 1.7 GiB reserve, and one 16-token block of
      // KV cache (2 × 80 layers × 8/tp KV heads × 128 × 2 bytes a token); usable: 0.9 × 24 GiB.
      const need = (params * 2) / tp + 1.7 * GIB + 16 * (2 * 80 * (8 / tp) * 128 * 2);
      const c = r.perCombination.find((x) => x.assignment['stages.llm.llm.roofline.tp'] === tp)!;
      expect(c.doesNotFit?.kind).toBe('memory');
      expect(c.doesNotFit?.needGiBPerGpu).toBeCloseTo(need / GIB, 9);
      expect(c.doesNotFit?.usableGiBPerGpu).toBeCloseTo(0.9 * 24, 9);
      expect(c.doesNotFit?.gpusPerReplica).toBe(tp);
      // tp 8 is the first that fits: 131.4 / 8 + 1.7 = 18.1 GiB ≤ 21.6 (tp 4 needs 34.6).
      expect(c.doesNotFit?.fitsAtTp).toBe(8);
    }
    const rows = planJson(r).configurations!;
    expect(rows.map((x) => x.verdict)).toEqual(['does not fit', 'does not fit']);
    expect(rows[0]!.doesNotFit?.message).toContain('does not fit on l4 at tp 1: each GPU needs 133.1 GiB');
  });

  it('a TP that cannot split the heads is "cannot split"; a GPU without a price, in a grid of priced ones, "no price"; neither is simulated', async () => {
    const r = await plan(scenarioSource(SMALL), { vary: ['llm.replicas=1..2', 'llm.gpu=l4,mi300x', 'llm.tp=1,3'] });
    const verdicts = Object.fromEntries(planJson(r).configurations!.map((x) => [`${x.assignment[GPU]} tp${x.assignment['stages.llm.llm.roofline.tp']}`, x.verdict]));
    // Llama 3.1 8B has 32 attention heads: tp 3 does not divide them; the MI300X has no on-demand price in the catalog.
    expect(verdicts).toEqual({ 'l4 tp1': 'misses', 'l4 tp3': 'cannot split', 'mi300x tp1': 'no price', 'mi300x tp3': 'cannot split' });
    expect(r.perCombination.find((c) => c.assignment[GPU] === 'l4' && c.assignment['stages.llm.llm.roofline.tp'] === 3)?.doesNotFit?.message).toContain('tp 3 does not divide the 32 attention heads');
    // Only l4 at tp 1 was simulated (its counts 1 and 2); the cost stays in dollars.
    expect(new Set(r.evaluated.map((p) => p.assignment[GPU]))).toEqual(new Set(['l4']));
    expect(r.costIsReplicas).toBe(false);
  }, 60_000);

  it('a sweep over the same keys runs the grid, lists what does not fit and names the cheapest point meeting the objective', async () => {
    const r = await sweep(scenarioSource({ ...SMALL, stages: [{ name: 'llm', replicas: 2, llm: { roofline: { model: 'llama-3.1-8b', gpu: 'l4' } } }] }), {
      vary: 'llm.model=llama-3.1-8b,llama-3.1-70b',
      grid: ['llm.weights=bf16,fp8'],
      steps: 1,
    });
    const c = r.curves[0]!;
    expect(r.grid).toEqual(['stages.llm.llm.roofline.model', WEIGHTS]);
    expect(c.points.map((p) => p.x)).toEqual(['model=llama-3.1-8b, weights=bf16', 'model=llama-3.1-8b, weights=fp8']);
    // 70B on one L4: bf16 needs 133.1 GiB, fp8 half the weights, 69.4 GiB; 21.6 usable.
    expect(c.skipped?.map((s) => [s.x, s.doesNotFit.needGiBPerGpu!.toFixed(1)])).toEqual([
      ['model=llama-3.1-70b, weights=bf16', '133.1'],
      ['model=llama-3.1-70b, weights=fp8', '69.4'],
    ]);
    // Two L4s: bf16 misses TPOT, fp8 meets it; both cost the same, so the cheapest meeting is fp8.
    expect(c.analysis.cheapestMeetingSlo).toBe('model=llama-3.1-8b, weights=fp8');
    const json = sweepJson(r);
    expect(json.grid).toEqual(r.grid);
    expect('points' in json && json.points[1]!.assignment).toEqual({ 'stages.llm.llm.roofline.model': 'llama-3.1-8b', [WEIGHTS]: 'fp8' });
    expect('doesNotFit' in json && json.doesNotFit).toHaveLength(2);
  }, 60_000);

  it('llm.<key> needs one roofline LLM stage and a roofline key', async () => {
    const pool = { arrivals: { process: 'poisson', qps: 5 }, stop: { requests: 100 }, stages: [{ name: 's', replicas: 1, service: { dist: 'exponential', mean: '10ms' } }] };
    await expect(plan(scenarioSource(pool), { slo: 'p99<1s', vary: ['stages.s.replicas=1..2', 'llm.gpu=l4,h200'] })).rejects.toThrow(/--vary llm\.gpu: the scenario has no LLM stage/);
    await expect(plan(scenarioSource(SMALL), { vary: ['llm.replicas=1..2', 'llm.gpus=l4'] })).rejects.toThrow(InputError);
    await expect(plan(scenarioSource(SMALL), { vary: ['llm.replicas=1..2', 'llm.gpus=l4'] })).rejects.toThrow(/llm\.<key> names a key of the LLM stage's roofline/);
  });
});
