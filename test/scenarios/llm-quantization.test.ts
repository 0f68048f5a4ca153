import { describe, expect, it } from 'vitest';
import { LLM_MODELS } from '../../src/catalog/llm-models.ts';
import { kvCapacity } from '../../src/models/llm/roofline-capacity.ts';
import { rooflineDeployment } from '../../src/models/llm/roofline-deployment.ts';
import { quantizationQuality } from '../../src/models/llm/roofline-quality.ts';
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
    outputTokensPerS: Est;
    kvUtilization: { mean: Est };
    preemptions: Est;
    slo: { attainment: Est };
    cost: { perMillionOutputTokensUsd: Est };
  };
}

/** USD per H100-hour: AWS p5.48xlarge on demand, $98.32 for 8 GPUs (src/catalog/gpus.ts). */
const H100_HOUR = 98.32 / 8;

/** The lesson's deployment: Llama 3.1 70B on H100 SXM at TP 2, default efficiencies. */
const deployment = (weights: 'bf16' | 'fp8' | 'int4', kvCache: 'bf16' | 'fp8' = 'bf16') =>
  rooflineDeployment({ model: 'llama-3.1-70b', gpu: 'h100-sxm', tp: 2, weights, kvCache });

/**
 * The lesson's claim: at 5 requests/s (TTFT p99 < 2 s, TPOT p99 < 50 ms), bf16 needs three
 * TP-2 replicas (two miss), one fp8 replica meets both for about a third of the cost per
 * output token, an fp8 KV cache halves the cache's use, and int4 misses TPOT because its
 * prompt chunks compute at the BF16 peak. Seed 1 is the golden's; seeds 2 and 3 (`--seed`)
 * gave the same verdicts: bf16 × 3 TTFT p99 473-475 ms, TPOT p99 46.4-47.5 ms, 99.66-99.77%
 * within both; bf16 × 2 TTFT p99 54-62 s; fp8 TPOT p99 37.6-38.8 ms, 99.88-100% within
 * both; int4 TPOT p99 67.4-85.1 ms, 90.2-93.0% within both.
 */
describe('scenario llm-quantization', () => {
  it('bf16 needs 3 replicas, fp8 meets both objectives on 1 for a third of the cost, int4 misses TPOT', async () => {
    const r = await runGolden('llm-quantization');
    const out = JSON.parse(r.stdout) as { variants: Array<{ name: string; figures: Figures }> };
    const v = (name: string): Figures => out.variants.find((x) => x.name === name)!.figures;
    const base = v('base');
    const bf16Two = v('bf16-2-replicas');
    const fp8 = v('fp8');
    const fp8Kv = v('fp8-kv-fp8');
    const int4 = v('int4');

    // Meeting the objectives: p99s below the targets, so at least 99% within both.
    for (const meets of [base, fp8, fp8Kv]) {
      expect(meets.llm.ttftMs.p99.mean).toBeLessThan(2000);
      expect(meets.llm.tpotMs.p99.mean).toBeLessThan(50);
      expect(meets.llm.slo.attainment.mean).toBeGreaterThanOrEqual(0.99);
    }
    // Two bf16 replicas run at 85% of their KV-bound saturation: preemptions, prompts queue.
    expect(bf16Two.llm.ttftMs.p99.mean).toBeGreaterThan(2000);
    expect(bf16Two.llm.slo.attainment.mean).toBeLessThan(0.99);
    expect(bf16Two.llm.preemptions.mean).toBeGreaterThan(10 * Math.max(1, base.llm.preemptions.mean));
    // Int4: decode alone is fastest (below), but steps with prompt chunks are bf16-slow.
    expect(int4.llm.tpotMs.p99.mean).toBeGreaterThan(50);
    expect(int4.llm.tpotMs.p99.mean).toBeGreaterThan(fp8.llm.tpotMs.p99.mean);
    expect(int4.llm.slo.attainment.mean).toBeLessThan(0.99);

    // An fp8 KV cache holds twice the tokens in the same bytes, and the same sequences hold
    // the same blocks of 16 tokens, so the share used halves; the sequences running differ a
    // little (TPOT is lower), measured 0.47: between 0.4 and 0.6.
    const kvRatio = fp8Kv.llm.kvUtilization.mean.mean / fp8.llm.kvUtilization.mean.mean;
    expect(kvRatio).toBeGreaterThan(0.4);
    expect(kvRatio).toBeLessThan(0.6);

    // The bill: GPUs × $12.29 an hour (a replica is 2 GPUs).
    expect(base.cost.perHour.mean).toBeCloseTo(6 * H100_HOUR, 9);
    expect(bf16Two.cost.perHour.mean).toBeCloseTo(4 * H100_HOUR, 9);
    for (const x of [fp8, fp8Kv, int4]) expect(x.cost.perHour.mean).toBeCloseTo(2 * H100_HOUR, 9);
    // Cost per million output tokens is the bill over the tokens: $/h ÷ 3,600 ÷ tokens/s × 10⁶.
    for (const x of [base, bf16Two, fp8, fp8Kv, int4]) {
      expect(x.llm.cost.perMillionOutputTokensUsd.mean / ((x.cost.perHour.mean / 3600 / x.llm.outputTokensPerS.mean) * 1e6)).toBeCloseTo(1, 9);
    }
    // Both deliver the offered tokens, so fp8's cost is bf16's × 2/6 GPUs, up to the measured
    // spans: the measured arrivals (~360 s) plus the drain of the last requests, longer for
    // bf16 (E2E p99 51 s against 37 s), so tokens/s differ by a few percent (3.6% on seed 1,
    // 2.5-3.1% on seeds 2-3): within 6% of a third.
    const costRatio = fp8.llm.cost.perMillionOutputTokensUsd.mean / base.llm.cost.perMillionOutputTokensUsd.mean;
    expect(Math.abs(costRatio / (1 / 3) - 1)).toBeLessThan(0.06);
  }, 60_000);

  it('the narrative\'s arithmetic: weights and KV capacity per replica, step times, quality figures', () => {
    const GiB = 2 ** 30;
    const bf16 = kvCapacity(deployment('bf16'), { utilization: 0.9 });
    // bf16 weights: 70.55B parameters × 2 bytes / 2 GPUs = 65.7 GiB a GPU (131.4 GiB would not
    // fit on one); of the 0.9 × 80 = 72 GiB usable, 72 − 65.7 − 1.7 (reserve) = 4.6 GiB is KV.
    expect(bf16.perGpu.weightBytes / GiB).toBeCloseTo(65.7, 1);
    expect(bf16.perGpu.kvBytes / GiB).toBeCloseTo(4.59, 2);
    // Tokens per replica: KV bytes a GPU / (2 × 80 layers × 8/2 KV heads × 128 × 2 bytes = 160 KiB).
    expect(bf16.kvBytesPerTokenPerGpu).toBe(2 * 80 * 4 * 128 * 2);
    expect(bf16.tokens).toBe(30_092);
    expect(kvCapacity(deployment('fp8'), { utilization: 0.9 }).tokens).toBe(238_992);
    expect(kvCapacity(deployment('fp8', 'fp8'), { utilization: 0.9 }).tokens).toBe(477_984);
    // "About 27 running sequences": a sequence holds its prompt and, on average over its
    // life, half its answer: 30,092 / (1,000 + 250 / 2) = 26.7.
    expect(bf16.tokens / (1000 + 250 / 2)).toBeGreaterThan(26.5);
    expect(bf16.tokens / (1000 + 250 / 2)).toBeLessThan(27.5);

    // Step times (ms): 32 decoding sequences at 1,100 tokens of context; the same with a
    // fresh 1,000-token prompt chunk in the step.
    const ms = (w: 'bf16' | 'fp8' | 'int4') => {
      const step = rooflineStepTime(deployment(w));
      const decode = { decodeContextTokens: 32 * 1100, prefillContextTokens: 0, prefillAttentionPairs: 0 };
      return {
        decode: step.stepS(0, 32, decode) * 1000,
        mixed: step.stepS(1000, 32, { ...decode, prefillAttentionPairs: (1000 * 1001) / 2 }) * 1000,
      };
    };
    const [b, f, i] = [ms('bf16'), ms('fp8'), ms('int4')];
    expect(i.decode).toBeGreaterThan(14); // "about 15 ms" (14.57)
    expect(i.decode).toBeLessThan(15);
    expect(f.decode).toBeGreaterThan(21); // "21 ms" (21.44)
    expect(f.decode).toBeLessThan(22);
    expect(b.decode).toBeGreaterThan(35); // "36 ms" (35.63)
    expect(b.decode).toBeLessThan(36);
    // Int4 is weight-only: with a prompt chunk the step is compute-bound at the BF16 peak,
    // exactly bf16's time; fp8 computes at the FP8 peak.
    expect(i.mixed).toBeCloseTo(b.mixed, 9);
    expect(i.mixed).toBeGreaterThan(123.5); // "about 124 ms" (123.94)
    expect(i.mixed).toBeLessThan(124.5);
    expect(f.mixed).toBeGreaterThan(68); // "68 ms" (68.44)
    expect(f.mixed).toBeLessThan(69);

    // The quality figures the narrative quotes, and none for int4.
    const model = LLM_MODELS['llama-3.1-70b']!;
    const q = quantizationQuality(model, 'fp8')!;
    expect(q.baseline).toBe(84.4);
    expect(q.quantized).toBe(84.29);
    expect(quantizationQuality(model, 'int4')).toBeUndefined();
  });
});
