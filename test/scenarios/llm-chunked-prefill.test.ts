import { describe, expect, it } from 'vitest';
import { rooflineDeployment } from '../../src/models/llm/roofline-deployment.ts';
import { rooflineStepTime } from '../../src/models/llm/roofline.ts';
import { runGolden } from '../support/golden.ts';

/** A figure of one replication (ci95 null). */
interface Est {
  mean: number;
}
interface Figures {
  llm: {
    ttftMs: { p99: Est };
    tpotMs: { p99: Est };
    itlMs: { p99: Est };
    slo: { attainment: Est };
  };
}

/**
 * The lesson's claim: with 6,000-token prompts, a smaller token budget per step lowers the
 * TPOT and inter-token p99 (a decode waits behind at most one budget of prompt chunks);
 * 512 meets TPOT p99 < 30 ms and TTFT p99 < 2 s where vLLM's default 8,192 misses TPOT, and
 * 256 is below the roofline's ridge, so prompts queue and TTFT misses. Seed 1 is the
 * golden's; seeds 2 and 3 (`--seed`) gave the same order and verdicts: TPOT p99 8,192:
 * 39.2-47.4 ms, 2,048: 29.3-33.4, 512: 13.8-14.1, 256: 12.7-12.9 ms; inter-token p99
 * 8,192: 206 ms, 512: 15.9-16.4 ms; TTFT p99 512: 830-905 ms, 256: 2,131-3,104 ms.
 */
describe('scenario llm-chunked-prefill', () => {
  it('smaller budgets cut TPOT and inter-token spikes; 512 meets both objectives, 256 queues prompts', async () => {
    const r = await runGolden('llm-chunked-prefill');
    const out = JSON.parse(r.stdout) as { variants: Array<{ name: string; figures: Figures }> };
    const v = (name: string): Figures['llm'] => out.variants.find((x) => x.name === name)!.figures.llm;
    const [b8192, b2048, b512, b256] = [v('base'), v('chunk-2048'), v('chunk-512'), v('chunk-256')];

    // Monotone in the budget: each halving-or-more of the budget lowers both tail figures.
    const order = [b8192, b2048, b512, b256];
    for (let i = 1; i < order.length; i++) {
      expect(order[i]!.tpotMs.p99.mean).toBeLessThan(order[i - 1]!.tpotMs.p99.mean);
      expect(order[i]!.itlMs.p99.mean).toBeLessThan(order[i - 1]!.itlMs.p99.mean);
    }
    // The default misses TPOT; 512 meets both objectives (at least 99% within both).
    expect(b8192.tpotMs.p99.mean).toBeGreaterThan(30);
    expect(b8192.slo.attainment.mean).toBeLessThan(0.99);
    expect(b512.tpotMs.p99.mean).toBeLessThan(30);
    expect(b512.ttftMs.p99.mean).toBeLessThan(2000);
    expect(b512.slo.attainment.mean).toBeGreaterThanOrEqual(0.99);
    // The spike: at 8,192 the inter-token p99 is a budget-filled step (about 226 ms, below);
    // at 512 it stays under 20 ms (16.3 ms measured, 15.9-16.4 on seeds 1-3: a 12.6 ms decode
    // step of 16 sequences, a little more with a chunk and a larger batch).
    expect(b8192.itlMs.p99.mean).toBeGreaterThan(150);
    expect(b512.itlMs.p99.mean).toBeLessThan(20);
    // 256: prompts queue (prefill at about 18,900 tokens/s a replica against 18,000 offered).
    expect(b256.ttftMs.p99.mean).toBeGreaterThan(2000);
    expect(b256.slo.attainment.mean).toBeLessThan(0.99);
  }, 60_000);

  it('the narrative\'s arithmetic: step times at each budget, and the prefill rate at 256', () => {
    const step = rooflineStepTime(rooflineDeployment({ model: 'llama-3.1-8b', gpu: 'h100-sxm' }));
    // 16 decoding sequences at 6,200 tokens of context, and the rest of the budget as a
    // chunk 3,000 tokens into a prompt (the mean prompt's middle).
    const d = 16;
    const decodeCtx = d * 6200;
    const ms = (budget: number): number => {
      const k = budget - d;
      return step.stepS(k, d, { decodeContextTokens: decodeCtx, prefillContextTokens: 3000, prefillAttentionPairs: k * 3000 + (k * (k + 1)) / 2 }) * 1000;
    };
    const decodeMs = step.stepS(0, d, { decodeContextTokens: decodeCtx, prefillContextTokens: 0, prefillAttentionPairs: 0 }) * 1000;
    expect(decodeMs).toBeGreaterThan(12.5); // "13 ms" (12.55)
    expect(decodeMs).toBeLessThan(13);
    expect(ms(8192)).toBeGreaterThan(220); // "about 226 ms" (225.67)
    expect(ms(8192)).toBeLessThan(230);
    expect(ms(2048)).toBeGreaterThan(51); // "about 52 ms" (51.71)
    expect(ms(2048)).toBeLessThan(53);
    // At 512 the step is still memory-bound: within 5% of a decode-only step (13.03 ms).
    expect(ms(512) / decodeMs).toBeLessThan(1.05);
    // At 256 a step costs about the same for half the prompt tokens: 240 tokens per 12.7 ms.
    const rate256 = (256 - d) / (ms(256) / 1000);
    expect(rate256).toBeGreaterThan(18_500); // "about 18,900 tokens a second" (18,860)
    expect(rate256).toBeLessThan(19_300);
    // Offered per replica: 6 requests/s × 6,000 tokens (nominal mean) / 2 replicas.
    expect((6 * 6000) / 2).toBe(18_000);
  });
});
