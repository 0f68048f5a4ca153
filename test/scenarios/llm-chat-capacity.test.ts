import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.ts';
import { runGolden } from '../support/golden.ts';

/** A figure of one replication (ci95 null). */
interface Est {
  mean: number;
}
interface Objective {
  attainment: Est;
}
interface Figures {
  measuredS: Est;
  cost: { perHour: Est };
  llm: {
    ttftMs: { p99: Est };
    tpotMs: { p99: Est };
    outputTokensPerS: Est;
    preemptions: Est;
    slo: { ttft: Objective; tpot: Objective; attainment: Est };
    cost: { perMillionOutputTokensUsd: Est };
  };
}

/** USD per H100-hour: AWS p5.48xlarge on demand, $98.32 for 8 GPUs (src/catalog/gpus.ts). */
const H100_HOUR = 98.32 / 8;

/**
 * The lesson's claim: at 20 chat requests/s (CodeLlama-34B, one H100 per replica), 7
 * replicas miss TTFT p99 < 500 ms, 8 meet both objectives, and below saturation a million
 * output tokens cost in proportion to the replicas paid for. Seed 1 is the golden's; the
 * verdicts were also checked by hand on seeds 2-5 (`--seed`): 7 replicas gave TTFT p99
 * 724-1,921 ms, 8 gave 406-435 ms with TPOT p99 45.5-46.6 ms and 99.2-99.5% within both,
 * so the claim does not hang on one seed.
 */
describe('scenario llm-chat-capacity', () => {
  it('7 replicas miss the TTFT objective, 8 meet both; the cost per output token scales with the replicas', async () => {
    const r = await runGolden('llm-chat-capacity');
    const out = JSON.parse(r.stdout) as { variants: Array<{ name: string; figures: Figures }> };
    const v = (name: string): Figures['llm'] & { perHour: number; measuredS: number } => {
      const f = out.variants.find((x) => x.name === name)!.figures;
      return { ...f.llm, perHour: f.cost.perHour.mean, measuredS: f.measuredS.mean };
    };
    const base = v('base');
    const six = v('replicas-6');
    const seven = v('replicas-7');
    const ten = v('replicas-10');

    // The objectives: p99 < 500 ms TTFT and p99 < 50 ms TPOT, so a configuration meets
    // both when at least 99% of requests are within both (DistServe's goodput share).
    for (const meets of [base, ten]) {
      expect(meets.ttftMs.p99.mean).toBeLessThan(500);
      expect(meets.tpotMs.p99.mean).toBeLessThan(50);
      expect(meets.slo.attainment.mean).toBeGreaterThanOrEqual(0.99);
    }
    for (const misses of [six, seven]) {
      expect(misses.ttftMs.p99.mean).toBeGreaterThan(500);
      expect(misses.slo.attainment.mean).toBeLessThan(0.99);
    }
    // Six replicas run at 99% of their saturation throughput (20 of 20.3 req/s): the KV
    // cache overflows, and preemptions recompute prompts; eight (74%) hardly preempt.
    expect(six.preemptions.mean).toBeGreaterThan(10 * Math.max(1, base.preemptions.mean));

    // The bill: replicas × $12.29 an hour.
    expect(base.perHour).toBeCloseTo(8 * H100_HOUR, 9);
    expect(ten.perHour).toBeCloseTo(10 * H100_HOUR, 9);
    // Cost per million output tokens is the bill over the tokens: $/h ÷ 3,600 ÷ tokens/s × 10⁶.
    const perMillion = (x: typeof base) => (x.perHour / 3600 / x.outputTokensPerS.mean) * 1e6;
    for (const x of [base, six, seven, ten]) expect(x.cost.perMillionOutputTokensUsd.mean / perMillion(x)).toBeCloseTo(1, 9);
    // Hand range for 8 replicas. Lower bound: the replicas cannot deliver more than is
    // offered, 20 req/s × 240.4 output tokens (the lognormal mean 250, cv 1.2, redrawn
    // above 2,000: the tail above it carries 4.2% of the mean and 0.4% of the mass), 4,808
    // tokens/s, so at least $98.32 / 3,600 / 4,808 × 10⁶ = $5.68. Upper bound: the measured
    // span is the 270 s of measured arrivals plus the drain of the last requests, under
    // 75 s (the longest E2E of such a run), so at least 4,808 × 270 / 345 = 3,763 tokens/s:
    // at most $7.26.
    expect(base.cost.perMillionOutputTokensUsd.mean).toBeGreaterThan(5.68);
    expect(base.cost.perMillionOutputTokensUsd.mean).toBeLessThan(7.26);
    // Below saturation every configuration delivers the offered tokens, so the cost per
    // token is in proportion to the replicas: 10/8 and 7/8. The spans differ only by
    // their drains (a few seconds in ~300 s; the tokens/s measured 4,440-4,444): 2%.
    expect(Math.abs(ten.cost.perMillionOutputTokensUsd.mean / base.cost.perMillionOutputTokensUsd.mean / (10 / 8) - 1)).toBeLessThan(0.02);
    expect(Math.abs(seven.cost.perMillionOutputTokensUsd.mean / base.cost.perMillionOutputTokensUsd.mean / (7 / 8) - 1)).toBeLessThan(0.02);
  }, 60_000);

  it('plan, on the scenario\'s own TTFT and TPOT objectives, finds the 8 replicas the lesson runs', async () => {
    // No --slo: plan reads slo: { ttft, tpot } and a configuration meets it when 99% of
    // requests meet both (llm.slo.attainment). Bisection over 1..16: 4 runs of 6,000 requests.
    const r = await cli('plan', 'llm-chat-capacity', '--vary', 'stages.llm.replicas=1..16', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { slo: string; best: { assignment: Record<string, number>; meets: boolean }; nextCheaper: { assignment: Record<string, number>; meets: boolean } };
    expect(out.slo).toBe('TTFT p99 < 500ms and TPOT p99 < 50ms');
    expect(out.best.assignment['stages.llm.replicas']).toBe(8);
    expect(out.nextCheaper.assignment['stages.llm.replicas']).toBe(7);
    expect(out.nextCheaper.meets).toBe(false);
  }, 60_000);

  it('sweep reads the TTFT/TPOT objectives: 8 replicas meet them at 20 req/s, not at 25', async () => {
    // Two loads × four configurations, 6,000 requests each (kept to two for the test's time). At 25 req/s 8 replicas run
    // at 92% of their saturation throughput (27.05 req/s, theory lines) and the queue of
    // prompts waiting for KV blocks takes TTFT p99 to seconds (4.5 s measured).
    const r = await cli('sweep', 'llm-chat-capacity', '--vary', 'arrivals.qps=20,25', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { variants: Array<{ name: string; analysis: { maxXMeetingSlo?: number; sloTarget?: string } }> };
    const base = out.variants.find((v) => v.name === 'base')!;
    expect(base.analysis.sloTarget).toBe('TTFT p99 < 500ms and TPOT p99 < 50ms');
    expect(base.analysis.maxXMeetingSlo).toBe(20);
    // Seven replicas meet them at neither (at 20 they miss: the lesson's claim).
    expect(out.variants.find((v) => v.name === 'replicas-7')!.analysis.maxXMeetingSlo).toBeUndefined();
  }, 60_000);
});
