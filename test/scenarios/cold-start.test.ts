import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.ts';

interface Run {
  degradedShare: number;
  quality: number;
  stages: { ranker: { hitRatio: number; utilization: number } };
  timeSeries: { windowS: number; startS: number[]; stages: { ranker: { hitRatio: Array<number | null> } } };
}

async function run(...set: string[]): Promise<Run> {
  const r = await cli('run', 'cold-start', '--json', ...set.flatMap((s) => ['--set', s]));
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Run;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * Launch day at 300 req/s: an empty cache of 200,000 entries over 5 million Zipf(1)
 * users, 10% of requests from brand-new users, and 3 CPU replicas that can take the
 * load only once the cache absorbs about half of it. One seeded run of 20 minutes;
 * the first two minutes and the last five are measured by setting the stop and the
 * warm-up on the same seed (the same arrivals and users up to the shorter end).
 */
describe('scenario cold-start', () => {
  it('the hit ratio rises minute by minute as the cache warms', async () => {
    const r = await run();
    const s = r.timeSeries;
    expect(s.windowS).toBe(60);
    // The last window is the drain after the 20th minute (no lookups): null.
    const hr = s.stages.ranker.hitRatio.filter((x): x is number => x !== null);
    expect(hr.length).toBe(20);
    // Observed: 38% in minute 1, 47% in minute 2, 61-62% in minutes 17-20. Each window
    // has 18,000 lookups (standard error of a ratio ≤ 0.4%), so a 15-point rise is not
    // noise; the 10% of new users cap it at 90% of what the cache could give.
    expect(hr[0]!).toBeLessThan(0.45);
    expect(mean(hr.slice(-5))).toBeGreaterThan(hr[0]! + 0.15);
    expect(mean(hr.slice(-5))).toBeLessThan(0.9);
    // Warming is monotone up to noise: every 5-minute block beats the one before it.
    const blocks = [0, 5, 10, 15].map((k) => mean(hr.slice(k, k + 5)));
    for (let i = 1; i < blocks.length; i++) expect(blocks[i]!).toBeGreaterThan(blocks[i - 1]!);
  });

  it('the fallback share falls and the quality recovers as the cache warms', async () => {
    const first = await run('stop.duration=2m');
    const last = await run('warmup.duration=15m');
    // First two minutes: the ranker is 98% busy and 8.6% of requests take the logistic-
    // regression fallback. Last five: 0.14%. (36,000 and 90,000 requests: standard
    // errors 0.15% and 0.01%.)
    expect(first.degradedShare).toBeGreaterThan(0.05);
    expect(last.degradedShare).toBeLessThan(0.005);
    expect(last.degradedShare).toBeLessThan(first.degradedShare / 10);
    expect(first.stages.ranker.hitRatio).toBeLessThan(last.stages.ranker.hitRatio - 0.1);
    expect(first.stages.ranker.utilization).toBeGreaterThan(last.stages.ranker.utilization);
    // Quality: 0.8138 AUC from the deep ranker, 0.7886 from the fallback, so it falls at
    // least 0.0252 × the fallback share below 0.8138 (more while cache hits, which carry
    // no model's figure, are left out of the mean: observed 0.8101 at first), and is
    // back within 0.001 of the ranker's once the fallback is idle.
    expect(first.quality).toBeLessThan(0.8138 - 0.0252 * first.degradedShare + 1e-4);
    expect(last.quality).toBeGreaterThan(0.8138 - 0.001);
    expect(last.quality).toBeGreaterThan(first.quality);
  });
});
