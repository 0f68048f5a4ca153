import { describe, expect, it } from 'vitest';
import { LLM_PROFILES } from '../../src/catalog/llm-profiles.ts';
import { runGolden } from '../support/golden.ts';

/** A figure of one replication (ci95 null). */
interface Est {
  mean: number;
}
interface Figures {
  cost: { perHour: Est };
  llm: {
    ttftMs: { p50: Est; p99: Est };
    tpotMs: { p99: Est };
    prefixHitRatio: Est;
    kvUtilization: { mean: Est };
    slo: { attainment: Est };
  };
}

/**
 * The lesson's claim: with 32 shared system prompts on 8 replicas, prefix-affinity routing
 * about doubles the prefix-cache hit ratio of load-based or round-robin routing, and with
 * it meets TTFT p99 < 1 s and TPOT p99 < 50 ms where routing by load misses TPOT; without
 * prefix caching every prompt is computed whole and far fewer requests meet both. Seed 1
 * is the golden's; seeds 2 and 3 (`--seed`) gave: hits 71.1-71.2% (affinity) against
 * 34.2-34.3% (least-outstanding) and 33.8-33.9% (round-robin); within both 99.76-99.83%
 * against 94.07-94.26% and 53.09-53.31% (no caching); TPOT p99 42.0-43.6 ms against 62.0-63.7.
 */
describe('scenario llm-prefix-affinity', () => {
  it('affinity doubles the prefix hits and meets both objectives; routing by load misses TPOT; no cache misses more', async () => {
    const r = await runGolden('llm-prefix-affinity');
    const out = JSON.parse(r.stdout) as { variants: Array<{ name: string; figures: Figures }> };
    const v = (name: string) => out.variants.find((x) => x.name === name)!.figures;
    const base = v('base');
    const load = v('least-outstanding');
    const rr = v('round-robin');
    const none = v('no-prefix-caching');

    // The narrative's arithmetic: 32 prompts × 2,048 / 16 = 4,096 blocks, more than a
    // replica's 2,537; the prefix is 2,048 of a 2,500-token mean prompt (82%).
    expect((32 * 2048) / 16).toBe(4096);
    expect(LLM_PROFILES['codellama-34b/h100/tp1'].kvBlocks).toBe(2537);

    for (const x of [load, rr, none]) expect(x.cost.perHour.mean).toBe(base.cost.perHour.mean);
    expect(base.llm.prefixHitRatio.mean).toBeGreaterThan(load.llm.prefixHitRatio.mean + 0.3);
    expect(base.llm.prefixHitRatio.mean).toBeGreaterThan(rr.llm.prefixHitRatio.mean + 0.3);
    expect(none.llm.prefixHitRatio.mean).toBe(0);

    expect(base.llm.ttftMs.p99.mean).toBeLessThan(1000);
    expect(base.llm.tpotMs.p99.mean).toBeLessThan(50);
    expect(base.llm.slo.attainment.mean).toBeGreaterThanOrEqual(0.99);
    expect(load.llm.tpotMs.p99.mean).toBeGreaterThan(50);
    expect(load.llm.slo.attainment.mean).toBeLessThan(0.99);
    expect(none.llm.slo.attainment.mean).toBeLessThan(load.llm.slo.attainment.mean);

    expect(base.llm.ttftMs.p50.mean).toBeLessThan(load.llm.ttftMs.p50.mean);
    expect(load.llm.ttftMs.p50.mean).toBeLessThan(none.llm.ttftMs.p50.mean);
    expect(base.llm.kvUtilization.mean.mean).toBeLessThan(load.llm.kvUtilization.mean.mean);
  }, 60_000);
});
