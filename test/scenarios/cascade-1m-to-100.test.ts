import { runGolden } from '../support/golden.ts';
import { describe, expect, it } from 'vitest';

/**
 * The built-in cascade-1m-to-100 scenario: user tower, nearest-neighbour search over a
 * million items to the top 100, then a Transformer ranker batched on two GPUs, at
 * 300 requests/s. The claim: almost all the time is the ranker's; retrieval over the
 * million items is a small part; batching is what lets two GPUs keep up.
 */

interface Dist {
  mean: number;
  p50: number;
  p99: number;
}
interface StageJson {
  timeInStageMs: Dist;
  batchSize: Dist;
  dropped: number;
}
interface RunJson {
  requests: { arrived: number; completed: number; dropped: number };
  latencyMs: { mean: number; p99: number };
  stages: Record<string, StageJson>;
  slo: { attainment: number; met: boolean };
}

describe('cascade-1m-to-100', () => {
  it('the heavy ranker takes most of the time; retrieval over 1M items takes little', async () => {
    const r = await runGolden('cascade-1m-to-100');
    expect(r.code, r.stderr).toBe(0);
    const run = JSON.parse(r.stdout) as RunJson;
    expect(Object.keys(run.stages)).toEqual(['user-tower', 'ann-search', 'ranker']);
    expect(run.requests.dropped).toBe(0);
    const t = (name: string) => run.stages[name]!.timeInStageMs.mean;

    // Every request passes every stage in series (no cache, fallback or fan-out), so the
    // mean times in stage add up to the mean latency; only float rounding separates them.
    const sum = t('user-tower') + t('ann-search') + t('ranker');
    expect(Math.abs(sum / run.latencyMs.mean - 1)).toBeLessThan(1e-6);

    // Retrieval: the user tower is the catalog's two-tower CPU call, 2 + 3 ms = 5 ms, on
    // three replicas at 50% (a little queueing on top); the search is lognormal with
    // mean 3 ms on four slots at 23% (almost never a wait). So about 5.4 + 3.0 ms
    // (Reference: docs/catalog.md); 10 ms bounds both with room for their queueing.
    expect(t('user-tower')).toBeGreaterThan(5);
    expect(t('ann-search')).toBeGreaterThan(2.9);
    expect(t('user-tower') + t('ann-search')).toBeLessThan(10);

    // The ranker: a batch of b costs 15 ms + 3 ms x b (100 candidates at 0.03 ms), so
    // even alone a request spends 15 + 3 = 18 ms there, plus the wait for the batch in
    // progress. Measured, 42 ms of the 50.5 ms mean (83%); 75% is the claim's floor.
    expect(t('ranker')).toBeGreaterThan(18);
    expect(t('ranker') / run.latencyMs.mean).toBeGreaterThan(0.75);

    // Batching is at work: one request at a time, two GPUs could serve at most
    // 2 / 18 ms = 111 requests/s, a third of the load. With batches of mean size B
    // (noise has mean 1), the GPUs are busy 300/s x (15 ms / B + 3 ms) of their 2
    // seconds per second, so a stable run needs B >= 15 / (2/0.3 - 3) = 4.09 (measured
    // 4.29 at 97.6% busy). 4 allows for sampling; without batching B would be 1.
    expect(run.stages.ranker!.batchSize.mean).toBeGreaterThan(4);
    expect(run.slo.met).toBe(true);
  }, 60_000);
});
