import { describe, expect, it } from 'vitest';
import { runGolden } from '../support/golden.ts';

/** A figure of `compare --json`: the mean over replications and its 95% half-width. */
interface Est {
  mean: number;
  ci95: number;
}
interface Latency {
  mean: Est;
  p99: Est;
  max: Est;
}
interface Figures {
  latencyMs: Latency;
  stages: { llm: { utilization: Est } };
  classes: { chat: { latencyMs: Latency }; summarize: { latencyMs: Latency } };
}

/**
 * Four one-at-a-time replicas at 82 % load, chat requests (80 %, ~120 output tokens) and
 * summaries (20 %, ~900 tokens), FIFO against shortest-first by output tokens. 5
 * replications of 20 minutes (about 6,600 measured requests each) on common random numbers.
 */
describe('scenario shortest-first-llm', () => {
  it('shortest-first cuts the mean and the short jobs’ latency; the long jobs pay in the tail', async () => {
    const r = await runGolden('shortest-first-llm');
    const out = JSON.parse(r.stdout) as { replications: number; variants: Array<{ name: string; figures: Figures }> };
    expect(out.replications).toBe(5);
    const v = new Map(out.variants.map((x) => [x.name, x.figures]));
    const fifo = v.get('base')!;
    const sjf = v.get('shortest-first')!;
    // Observed: mean 1,179 → 872 ms; chat mean 870 → 463 ms, chat p99 3,920 → 2,218 ms
    // (intervals ±52, ±13, ±420, ±48 ms): the bounds below sit several intervals away.
    expect(sjf.latencyMs.mean.mean).toBeLessThan(0.85 * fifo.latencyMs.mean.mean);
    expect(sjf.classes.chat.latencyMs.mean.mean).toBeLessThan(0.65 * fifo.classes.chat.latencyMs.mean.mean);
    expect(sjf.classes.chat.latencyMs.p99.mean).toBeLessThan(0.75 * fifo.classes.chat.latencyMs.p99.mean);
    // The summaries' mean barely moves (2,410 → 2,493 ± 77 ms), their tail grows
    // (p99 6,110 → 8,895 ms, max 9.1 → 19.1 s), and so does the overall p99 (4,901 → 5,543).
    const s0 = fifo.classes.summarize.latencyMs;
    const s1 = sjf.classes.summarize.latencyMs;
    expect(Math.abs(s1.mean.mean / s0.mean.mean - 1)).toBeLessThan(0.1);
    expect(s1.p99.mean).toBeGreaterThan(1.2 * s0.p99.mean);
    expect(s1.max.mean).toBeGreaterThan(1.5 * s0.max.mean);
    expect(sjf.latencyMs.p99.mean).toBeGreaterThan(fifo.latencyMs.p99.mean);
    // The same work in another order: utilization agrees to well within its interval.
    expect(Math.abs(sjf.stages.llm.utilization.mean - fifo.stages.llm.utilization.mean)).toBeLessThan(0.005);
  }, 120_000);
});
