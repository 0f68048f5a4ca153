import { describe, expect, it } from 'vitest';
import { scenarioFromText } from '../../src/config/parse.ts';
import { runScenario } from '../../src/models/index.ts';

/**
 * Dean & Barroso, "The Tail at Scale" (CACM 2013): a request fans out to 100 shards,
 * each answering in 10 ms except with probability 1 % in 1 s. It waits for all of
 * them, so it takes 1 s or more unless every shard was fast: 1 − 0.99^100 = 63.4 %.
 * Shards get plenty of replicas so that nothing queues: the latency is the
 * slowest shard's service time, as in the paper's example.
 */
const scenario = (hedge: string) =>
  scenarioFromText({
    name: 'tail.yaml',
    text: `
seed: 9
arrivals: { process: poisson, qps: 5 }
stop: { requests: 20000 }
stages:
  - name: shards
    replicas: 20
    fanout: { shards: 100${hedge} }
    service: { dist: empirical, values: ["10ms", "1s"], weights: [99, 1] }
`,
  });

describe('fan-out: the tail at scale', () => {
  it('63.4 % of requests take over 1 s when they wait for 100 shards', () => {
    // Every latency is either 10 ms (all shards fast) or ≥ 1 s; the SLO counter gives the
    // exact share under 1 s (strictly). With 20,000 requests, sd = √(0.634·0.366/20000) = 0.34 %:
    // ±1.4 % is 4 sd.
    const r = runScenario({ ...scenario(''), slo: { target: 'p36.6 < 1s', latencyS: 1, fraction: 0.366 } });
    const over = 1 - r.slo!.attainment;
    expect(Math.abs(over - (1 - 0.99 ** 100))).toBeLessThan(0.014);
    expect(r.hedgeExtraLoad).toBe(0);
    expect(r.latencyMs.p50).toBeGreaterThan(1000 * 0.998); // the median request waited for a 1 s shard (sketch: 0.1 %)
  });

  it('hedging after 50 ms cuts it sharply, for about 1 % extra load', () => {
    const r = runScenario({ ...scenario(', hedgeAfter: "50ms"'), slo: { target: 'p99 < 1s', latencyS: 1, fraction: 0.99 } });
    // A shard is slow only if its first copy and its backup both are: 1e-4, so
    // P(request > 1 s) = 1 − (1 − 1e-4)^100 ≈ 1 % (vs 63 %). Backups go out for the
    // 1 % of sub-requests still running at 50 ms.
    const over = 1 - r.slo!.attainment;
    expect(over).toBeLessThan(0.02);
    expect(r.hedgeExtraLoad!).toBeGreaterThan(0.008);
    expect(r.hedgeExtraLoad!).toBeLessThan(0.012);
    // The hedged requests now take ~60 ms (50 ms wait + 10 ms backup) instead of 1 s.
    expect(r.latencyMs.p90).toBeLessThan(100);
  });

  it('a quorum of 95 of 100 shards ignores the slowest five', () => {
    const r = runScenario({ ...scenario(', quorum: 95'), slo: { target: 'p99 < 1s', latencyS: 1, fraction: 0.99 } });
    // Over 1 s only if more than 5 of 100 shards are slow: P(Bin(100, 0.01) > 5) = 0.06 %.
    expect(1 - r.slo!.attainment).toBeLessThan(0.003);
  });
});
