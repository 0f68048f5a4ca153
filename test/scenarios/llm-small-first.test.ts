import { describe, expect, it } from 'vitest';
import { runGolden } from '../support/golden.ts';

/** A figure of one replication (ci95 null). */
interface Est {
  mean: number;
}
interface StageLlm {
  requests: Est;
  ttftMs: { p99: Est };
  tpotMs: { p99: Est };
}
interface Figures {
  requests: { completed: Est };
  latencyMs: { p50: Est; p99: Est };
  cost: { perHour: Est; perMillionRequests: Est };
  quality: Est;
  llm: { ttftMs: { p99: Est }; tpotMs: { p99: Est }; stages?: Record<string, StageLlm> };
}

/** USD per GPU-hour (src/catalog/gpus.ts): H200 p5en.48xlarge / 8, H100 SXM p5.48xlarge / 8. */
const H200_HOUR = 10.6;
const H100_HOUR = 98.32 / 8;
const Q70B = 84.4;
const Q8B = 73.79;

/**
 * The lesson's claim: 8B first with 20% escalated to 70B needs one 70B replica, meets both
 * objectives at each stage, and costs about half of 70B alone per million requests (51-54%
 * on seeds 1-3), with a lower median latency; its quality is exactly the mix of the models
 * that gave the final answers; at 40% one 70B replica misses TPOT (p99 69.5, 76.1, 68.3 ms
 * on seeds 1-3) and two meet it. Seed 1 is the golden's.
 */
describe('scenario llm-small-first', () => {
  it('8B first with 20% escalated costs about half of 70B alone; 40% needs a second 70B replica; quality is the mix', async () => {
    const r = await runGolden('llm-small-first');
    const out = JSON.parse(r.stdout) as { variants: Array<{ name: string; figures: Figures }> };
    const v = (name: string): Figures => out.variants.find((x) => x.name === name)!.figures;
    const base = v('base');
    const big = v('70b-only');
    const small = v('8b-only');
    const e40 = v('escalate-40');
    const e40x1 = v('escalate-40-x1');

    // 70B alone on three replicas meets both objectives (llm-which-gpu-70b's finding).
    expect(big.llm.ttftMs.p99.mean).toBeLessThan(2000);
    expect(big.llm.tpotMs.p99.mean).toBeLessThan(60);
    // The cascade: every request at the 8B stage, about a fifth at the 70B stage
    // (Binomial(4500, 0.2): sd 26.8; four sd), each stage within both objectives.
    const n = base.requests.completed.mean;
    const st = base.llm.stages!;
    expect(st.small!.requests.mean).toBe(n);
    const k = st.big!.requests.mean;
    expect(Math.abs(k - 0.2 * n)).toBeLessThan(4 * Math.sqrt(n * 0.2 * 0.8));
    for (const s of [st.small!, st.big!]) {
      expect(s.ttftMs.p99.mean).toBeLessThan(2000);
      expect(s.tpotMs.p99.mean).toBeLessThan(60);
    }
    // Quality: the final answer's model for each request.
    expect(base.quality.mean).toBeCloseTo(((n - k) * Q8B + k * Q70B) / n, 9);
    expect(big.quality.mean).toBeCloseTo(Q70B, 9);
    expect(small.quality.mean).toBeCloseTo(Q8B, 9);
    // The bills: one H100 and one 70B replica (two H200s) against three 70B replicas.
    expect(base.cost.perHour.mean).toBeCloseTo(H100_HOUR + 2 * H200_HOUR, 9);
    expect(big.cost.perHour.mean).toBeCloseTo(3 * 2 * H200_HOUR, 9);
    // About half per million requests (both serve the same requests: the ratio of the bills,
    // 33.49 / 63.60 = 0.527, up to the measured spans).
    const ratio = base.cost.perMillionRequests.mean / big.cost.perMillionRequests.mean;
    expect(ratio).toBeGreaterThan(0.45);
    expect(ratio).toBeLessThan(0.6);
    expect(small.cost.perMillionRequests.mean).toBeLessThan(base.cost.perMillionRequests.mean);
    // Most answers come from the fast model: a lower median; escalated ones wait for both.
    expect(base.latencyMs.p50.mean).toBeLessThan(0.5 * big.latencyMs.p50.mean);
    expect(base.latencyMs.p99.mean).toBeGreaterThan(small.latencyMs.p99.mean);

    // At 40%, one 70B replica misses TPOT at its stage; two meet it, at a higher quality mix.
    expect(e40x1.llm.stages!.big!.tpotMs.p99.mean).toBeGreaterThan(60);
    expect(e40.llm.stages!.big!.tpotMs.p99.mean).toBeLessThan(60);
    expect(e40.llm.stages!.big!.ttftMs.p99.mean).toBeLessThan(2000);
    expect(e40.quality.mean).toBeGreaterThan(base.quality.mean + 1);
    expect(e40.cost.perMillionRequests.mean).toBeGreaterThan(base.cost.perMillionRequests.mean);
  }, 120_000);
});
