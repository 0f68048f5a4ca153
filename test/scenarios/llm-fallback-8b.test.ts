import { describe, expect, it } from 'vitest';
import { runGolden } from '../support/golden.ts';

/** A figure of one replication (ci95 null). */
interface Est {
  mean: number;
}
interface StageLlm {
  requests: Est;
  ttftMs: { p99: Est };
}
interface Figures {
  requests: { completed: Est };
  cost: { perHour: Est; perMillionRequests: Est };
  quality: Est;
  degradedShare: Est;
  stages: Record<string, { completed: Est }>;
  llm: {
    ttftMs: { p99: Est };
    tpotMs: { p99: Est };
    slo: { attainment: Est };
    stages?: Record<string, StageLlm>;
  };
}

/** USD per GPU-hour (src/catalog/gpus.ts): H200 p5en.48xlarge / 8, H100 SXM p5.48xlarge / 8. */
const H200_HOUR = 10.6;
const H100_HOUR = 98.32 / 8;
/** Published OpenLLM v1 averages of the Instruct models (src/catalog/llm-models.ts). */
const Q70B = 84.4;
const Q8B = 73.79;

/**
 * The lesson's claim: under a 3× spike, three 70B replicas that fall back to one 8B H100 keep
 * TTFT p99 under 2 s (and TPOT p99 under 100 ms) at a quality cost equal to the degraded share
 * times the gap between the models; without the fallback TTFT p99 runs to tens of seconds;
 * a 70B fleet sized for the peak meets both at full quality for more per hour and per request.
 * Seed 1 is the golden's; seeds 2 and 3 (`--seed`) gave the same verdicts: with the fallback
 * TTFT p99 1.54-1.56 s, TPOT p99 90.6-93.8 ms, 99.4-99.6% within both, 14.5-15.4% degraded;
 * without it TTFT p99 62.6-64.6 s; peak fleet TTFT p99 603-640 ms.
 */
describe('scenario llm-fallback-8b', () => {
  it('falling back to 8B keeps TTFT p99 < 2 s through the spike for a few points of quality; the peak fleet costs more', async () => {
    const r = await runGolden('llm-fallback-8b');
    const out = JSON.parse(r.stdout) as { variants: Array<{ name: string; figures: Figures }> };
    const v = (name: string): Figures => out.variants.find((x) => x.name === name)!.figures;
    const base = v('base');
    const none = v('no-fallback');
    const peak = v('peak-fleet');

    // With the fallback: both objectives met (p99s below the targets, at least 99% within both).
    expect(base.llm.ttftMs.p99.mean).toBeLessThan(2000);
    expect(base.llm.tpotMs.p99.mean).toBeLessThan(100);
    expect(base.llm.slo.attainment.mean).toBeGreaterThanOrEqual(0.99);
    // The degraded share went to the 8B stage, and every request was answered by one of the two.
    const small = base.llm.stages!.small!.requests.mean;
    const big = base.llm.stages!.big!.requests.mean;
    const n = base.requests.completed.mean;
    expect(small + big).toBe(n);
    expect(base.degradedShare.mean).toBeCloseTo(small / n, 12);
    expect(base.degradedShare.mean).toBeGreaterThan(0.05);
    expect(base.degradedShare.mean).toBeLessThan(0.3);
    // The 8B answers come fast: its own TTFT p99 is a fraction of the objective.
    expect(base.llm.stages!.small!.ttftMs.p99.mean).toBeLessThan(500);
    // Quality: each request scored by the model that answered it, so the mean is 84.4 minus
    // the degraded share times the 10.61 points between the two; a cost of over a point here.
    expect(base.quality.mean).toBeCloseTo(Q70B - base.degradedShare.mean * (Q70B - Q8B), 9);
    expect(base.quality.mean).toBeLessThan(Q70B - 1);

    // Without it: prompts queue through the spike; TTFT p99 tens of seconds, most requests miss.
    expect(none.llm.ttftMs.p99.mean).toBeGreaterThan(10 * 2000);
    expect(none.llm.slo.attainment.mean).toBeLessThan(0.5);
    expect(none.quality.mean).toBeCloseTo(Q70B, 9);
    expect(none.degradedShare.mean).toBe(0);

    // Sized for the peak: both met at full quality.
    expect(peak.llm.ttftMs.p99.mean).toBeLessThan(2000);
    expect(peak.llm.tpotMs.p99.mean).toBeLessThan(100);
    expect(peak.llm.slo.attainment.mean).toBeGreaterThanOrEqual(0.99);
    expect(peak.quality.mean).toBeCloseTo(Q70B, 9);

    // The bills: replicas × 2 H200s, plus the standby H100 with the fallback.
    expect(none.cost.perHour.mean).toBeCloseTo(3 * 2 * H200_HOUR, 9);
    expect(base.cost.perHour.mean).toBeCloseTo(3 * 2 * H200_HOUR + H100_HOUR, 9);
    expect(peak.cost.perHour.mean).toBeCloseTo(5 * 2 * H200_HOUR, 9);
    // Per request served, the peak fleet costs more than the fallback (over a third more on seed 1).
    expect(peak.cost.perMillionRequests.mean).toBeGreaterThan(1.2 * base.cost.perMillionRequests.mean);
  }, 120_000);
});
