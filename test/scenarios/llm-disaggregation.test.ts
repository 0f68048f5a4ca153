import { describe, expect, it } from 'vitest';
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
    slo: { attainment: Est; goodputRps: Est };
  };
}

/** USD per H100-hour: AWS p5.48xlarge on demand, $98.32 for 8 GPUs (src/catalog/gpus.ts). */
const H100_HOUR = 98.32 / 8;

/**
 * The lesson's claim: at 8 H100s, 4 prefill + 4 decode replicas meet TPOT p99 < 15 ms
 * where co-location misses it (and so serve more goodput), at the price of a higher TTFT
 * p99; 2 prefill replicas cannot keep up with the prompts. Seed 1 is the golden's; seeds
 * 2 and 3 (`--seed`) gave the same verdicts: co-located TPOT p99 21.3-21.4 ms with 78.0-82.9%
 * within both objectives, 4 + 4 TPOT p99 12.5-12.7 ms with 99.99% within both and TTFT p99
 * 470-494 ms (co-located 400-401 ms), 2 + 6 TTFT p99 74.7-80.9 s with none within both.
 */
describe('scenario llm-disaggregation', () => {
  it('4 + 4 meets the TPOT objective co-location misses, at a higher TTFT; 2 + 6 cannot keep up with the prompts', async () => {
    const r = await runGolden('llm-disaggregation');
    const out = JSON.parse(r.stdout) as { variants: Array<{ name: string; figures: Figures }> };
    const v = (name: string) => out.variants.find((x) => x.name === name)!.figures;
    const base = v('base');
    const split = v('disaggregated-4-4');
    const starved = v('disaggregated-2-6');

    // Same GPUs, same bill: 8 × $12.29 an hour.
    for (const x of [base, split, starved]) expect(x.cost.perHour.mean).toBeCloseTo(8 * H100_HOUR, 9);

    // Co-located: prompt chunks share decode steps, TPOT p99 above 15 ms; fewer than 99% within both.
    expect(base.llm.tpotMs.p99.mean).toBeGreaterThan(15);
    expect(base.llm.slo.attainment.mean).toBeLessThan(0.99);
    // 4 + 4: decode steps without prompts, both objectives met, more goodput; TTFT p99 higher.
    expect(split.llm.tpotMs.p99.mean).toBeLessThan(15);
    expect(split.llm.ttftMs.p99.mean).toBeLessThan(1000);
    expect(split.llm.slo.attainment.mean).toBeGreaterThanOrEqual(0.99);
    expect(split.llm.slo.goodputRps.mean).toBeGreaterThan(base.llm.slo.goodputRps.mean);
    expect(split.llm.ttftMs.p99.mean).toBeGreaterThan(base.llm.ttftMs.p99.mean);
    // 2 + 6: the prefill pool is overloaded (below), prompts queue for the whole run.
    expect(starved.llm.ttftMs.p99.mean).toBeGreaterThan(10_000);
    expect(starved.llm.slo.attainment.mean).toBeLessThan(0.01);
    expect(starved.llm.tpotMs.p99.mean).toBeLessThan(15);
  }, 60_000);

  it('the narrative\'s arithmetic: a mean prompt alone takes about 69 ms, so 40 a second need 2.8 prefill replicas', () => {
    // One fresh 3,000-token prompt in one step (3,000 ≤ the 8,192 budget), on the
    // lesson's roofline (Llama 3.1 8B, H100 SXM, default efficiencies).
    const step = rooflineStepTime(rooflineDeployment({ model: 'llama-3.1-8b', gpu: 'h100-sxm' }));
    const s = step.stepS(3000, 0, { decodeContextTokens: 0, prefillContextTokens: 0, prefillAttentionPairs: (3000 * 3001) / 2 });
    expect(s * 1000).toBeGreaterThan(68.5);
    expect(s * 1000).toBeLessThan(70);
    // Busy prefill replicas at 40 prompts a second (the mean prompt; longer ones cost more
    // than linearly, so this is a floor): between 2 and 3, so two cannot keep up.
    expect(40 * s).toBeGreaterThan(2.7);
    expect(40 * s).toBeLessThan(2.9);
  });
});
