import { describe, expect, it } from 'vitest';
import { GPUS } from '../../src/catalog/gpus.ts';
import { kvCapacity } from '../../src/models/llm/roofline-capacity.ts';
import { rooflineDeployment } from '../../src/models/llm/roofline-deployment.ts';
import { rooflineStepTime } from '../../src/models/llm/roofline.ts';
import { runGolden } from '../support/golden.ts';

/** A figure of one replication (ci95 null). */
interface Est {
  mean: number;
}
interface Figures {
  cost: { perHour: Est };
  llm: {
    ttftMs: { p99: Est };
    tpotMs: { p99: Est };
    slo: { attainment: Est };
    cost: { perMillionOutputTokensUsd: Est };
  };
}

type Gpu = keyof typeof GPUS;
/** USD per GPU-hour from the catalog (AWS on demand, src/catalog/gpus.ts). */
const hourly = (gpu: Gpu): number => GPUS[gpu].price!.usdPerGpuHour;
const deployment = (gpu: Gpu, tp: number) => rooflineDeployment({ model: 'llama-3.1-70b', gpu, tp });

/**
 * The lesson's claim: at 10 requests/s (TTFT p99 < 2 s, TPOT p99 < 60 ms), three H200
 * replicas at TP 2 meet both objectives for the least $ per million output tokens of the
 * configurations that meet them (two miss TPOT). Seed 1 is the golden's; seeds 1-8
 * (`--seed`) gave the same verdicts for the H200s: 3 replicas TPOT p99 51.4-59.8 ms with
 * 99.00-99.89% within both, 2 replicas TPOT p99 93.3-132.4 ms, and $7.27-7.63 per million
 * against $9.10-9.50 for the cheapest other (A100 80 GB, TP 8, 2 replicas). That one sits
 * at the edge of the TPOT objective: p99 60.2-88.2 ms on seeds 1-8, a miss on each, where
 * the draws of the exponential sampler before issue 13's ziggurat gave 56.6-69.5 ms, a
 * meet on four of eight. The narrative calls it at the edge, and this test asserts only
 * that it is near 60 ms on seed 1.
 */
describe('scenario llm-which-gpu-70b', () => {
  it('three H200s at TP 2 meet both objectives for the least $ per million output tokens; two miss', async () => {
    const r = await runGolden('llm-which-gpu-70b');
    const out = JSON.parse(r.stdout) as { variants: Array<{ name: string; figures: Figures }> };
    const v = (name: string): Figures => out.variants.find((x) => x.name === name)!.figures;
    const base = v('base');
    const others = ['h100-tp2-x6', 'h100-tp4-x2', 'a100-80gb-tp8-x2', 'a100-40gb-tp8-x3'].map(v);
    const edge = v('a100-80gb-tp8-x2');

    for (const meets of [base, ...others.filter((x) => x !== edge)]) {
      expect(meets.llm.ttftMs.p99.mean).toBeLessThan(2000);
      expect(meets.llm.tpotMs.p99.mean).toBeLessThan(60);
      expect(meets.llm.slo.attainment.mean).toBeGreaterThanOrEqual(0.99);
    }
    // The A100s at TP 8 x 2: TTFT met, TPOT p99 within a few ms of the 60 ms objective (62.2 ms).
    expect(edge.llm.ttftMs.p99.mean).toBeLessThan(2000);
    expect(edge.llm.tpotMs.p99.mean).toBeGreaterThan(55);
    expect(edge.llm.tpotMs.p99.mean).toBeLessThan(70);
    // Two H200 replicas: larger batches, every decode step slower, TPOT p99 over 60 ms.
    const two = v('h200-tp2-x2');
    expect(two.llm.tpotMs.p99.mean).toBeGreaterThan(60);
    expect(two.llm.slo.attainment.mean).toBeLessThan(0.99);

    // The bill: replicas × TP × the GPU-hour.
    expect(base.cost.perHour.mean).toBeCloseTo(3 * 2 * hourly('h200'), 9);
    expect(two.cost.perHour.mean).toBeCloseTo(2 * 2 * hourly('h200'), 9);
    const bills = [6 * 2 * hourly('h100-sxm'), 2 * 4 * hourly('h100-sxm'), 2 * 8 * hourly('a100-80gb'), 3 * 8 * hourly('a100-40gb')];
    others.forEach((x, i) => expect(x.cost.perHour.mean).toBeCloseTo(bills[i]!, 9));

    // The cheapest per output token of those that meet, by a margin: every variant serves
    // the same offered load, so the cost per token follows the bill ($63.60 against at least
    // $81.93 an hour, 0.776) up to the measured spans, which differ by the drain of the last
    // requests (measured throughputs 9.07-9.58 req/s, within 6%: 0.776 × 1.06 = 0.82; 0.79-0.80
    // measured against the A100s at TP 8 x 2 on seeds 1-8): below 0.85 of each.
    for (const x of others) expect(base.llm.cost.perMillionOutputTokensUsd.mean).toBeLessThan(0.85 * x.llm.cost.perMillionOutputTokensUsd.mean);
  }, 60_000);

  it('the narrative\'s arithmetic: KV capacity per replica, lone step times, and what does not fit', () => {
    // KV tokens a replica (bf16, utilization 0.9, 1.7 GiB reserve): 160 KiB a token at TP 2
    // (8 KV heads over 2 GPUs), 80 KiB at TP 4.
    expect(kvCapacity(deployment('h200', 2)).tokens).toBe(389_885);
    expect(kvCapacity(deployment('h100-sxm', 2)).tokens).toBe(30_092);
    expect(kvCapacity(deployment('h100-sxm', 4)).tokens).toBe(490_810);
    expect(kvCapacity(deployment('h200', 2)).perGpu.weightBytes / 2 ** 30).toBeCloseTo(65.7, 1);

    // A decode step alone (one sequence at 1,100 tokens of context), and a fresh 1,000-token prompt.
    const alone = (gpu: Gpu, tp: number) => {
      const step = rooflineStepTime(deployment(gpu, tp));
      return {
        decodeMs: step.stepS(0, 1, { decodeContextTokens: 1100, prefillContextTokens: 0, prefillAttentionPairs: 0 }) * 1000,
        prefillMs: step.stepS(1000, 0, { decodeContextTokens: 0, prefillContextTokens: 0, prefillAttentionPairs: (1000 * 1001) / 2 }) * 1000,
      };
    };
    const a100 = alone('a100-80gb', 2);
    expect(a100.decodeMs).toBeGreaterThan(51.5); // "52 ms" (51.89)
    expect(a100.decodeMs).toBeLessThan(52.5);
    expect(a100.prefillMs).toBeGreaterThan(357.5); // "358 ms" (357.91)
    expect(a100.prefillMs).toBeLessThan(358.5);
    const l4 = alone('l4', 8);
    expect(l4.decodeMs).toBeGreaterThan(85.5); // "86 ms" (85.79): over 60 ms at any count
    expect(l4.decodeMs).toBeLessThan(86.5);

    // Not variants: bf16 weights do not fit at a smaller TP, and the MI300X has no price.
    expect(() => kvCapacity(deployment('h100-sxm', 1))).toThrow(/does not fit/);
    expect(() => kvCapacity(deployment('h200', 1))).toThrow(/does not fit/);
    expect(() => kvCapacity(deployment('a100-40gb', 2))).toThrow(/does not fit/);
    expect(() => kvCapacity(deployment('l4', 4))).toThrow(/does not fit/);
    expect(GPUS.mi300x.price).toBeNull();
  });
});
