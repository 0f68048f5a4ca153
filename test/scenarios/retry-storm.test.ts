import { runGolden } from '../support/golden.ts';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cli } from '../support/cli.ts';

/** A figure of `compare --json`: the mean over replications and its 95% half-width. */
interface Est {
  mean: number;
  ci95: number;
}
interface Figures {
  dropRate: Est;
  slo: { attainment: Est };
  retries: { attemptRatePerRequest: Est; budgetDenied: Est; wastedAnswers: Est };
  requests: { arrived: Est };
}

/**
 * Ten 100 ms replicas (100 req/s) at 80 req/s take a 20 s spike to 160 req/s; clients
 * time out after 500 ms and try up to 4 times. 5 replications of 5 minutes (about
 * 25,000 requests each) on common random numbers.
 */
describe('scenario retry-storm', () => {
  it('without a budget, retries multiply the load and drop most requests; a budget prevents it', async () => {
    const r = await runGolden('retry-storm');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { replications: number; variants: Array<{ name: string; figures: Figures }> };
    expect(out.replications).toBe(5);
    const v = new Map(out.variants.map((x) => [x.name, x.figures]));
    const storm = v.get('base')!;
    const budget = v.get('budget')!;
    const none = v.get('no-retries')!;

    // Once every attempt times out, every request uses all 4 attempts: the mean sits
    // near 4 when the storm holds for most of the run (observed 3.42 ± 0.01). With a
    // 10% budget it cannot pass 1.1 plus the 1-a-second allowance (1/80 here): 1.1125.
    expect(storm.retries.attemptRatePerRequest.mean).toBeGreaterThan(3);
    expect(budget.retries.attemptRatePerRequest.mean).toBeLessThan(1.12);
    expect(budget.retries.budgetDenied.mean).toBeGreaterThan(0);
    expect(none.retries.attemptRatePerRequest.mean).toBe(1);

    // The spike alone costs about a sixth of the run's requests (no-retries: 17%); the
    // storm loses four fifths (81%), because it never ends. The budget keeps it near the
    // no-retry level. Factors are far outside the intervals (±0.3% and ±2%).
    expect(storm.dropRate.mean).toBeGreaterThan(0.7);
    expect(budget.dropRate.mean).toBeLessThan(0.3);
    expect(storm.dropRate.mean).toBeGreaterThan(3 * budget.dropRate.mean);
    expect(Math.abs(budget.dropRate.mean - none.dropRate.mean)).toBeLessThan(0.05);
    expect(budget.slo.attainment.mean - budget.slo.attainment.ci95).toBeGreaterThan(storm.slo.attainment.mean + storm.slo.attainment.ci95);
    // Wasted work: answers computed for attempts the client had already given up on.
    expect(storm.retries.wastedAnswers.mean).toBeGreaterThan(3 * budget.retries.wastedAnswers.mean);
    // Common random numbers: every variant saw the same arrivals.
    expect(budget.requests.arrived.mean).toBe(storm.requests.arrived.mean);
  });

  it('after the spike the storm serves almost nothing, the budgeted system everything', async () => {
    // compare --json carries no time series, so the base scenario runs alone (a copy
    // without its variants), once per policy, and the per-second series is read over
    // minutes 2 to 5, long after the spike ended at 80 s. One replication, seed 2.
    const raw = parse(readFileSync('src/scenarios/retry-storm.yaml', 'utf8')) as Record<string, unknown>;
    delete raw.variants;
    delete raw.replications;
    const dir = mkdtempSync(join(tmpdir(), 'retry-storm-'));
    const file = join(dir, 'retry-storm-plain.json');
    writeFileSync(file, JSON.stringify(raw));
    const servedAfter = async (...set: string[]) => {
      const r = await cli('run', file, '--json', ...set.flatMap((s) => ['--set', s]));
      expect(r.code).toBe(0);
      const t = (JSON.parse(r.stdout) as { timeSeries: { startS: number[]; arrivals: number[]; completions: number[] } }).timeSeries;
      let arrived = 0;
      let completed = 0;
      t.startS.forEach((s, i) => {
        if (s >= 120 && s < 300) {
          arrived += t.arrivals[i]!;
          completed += t.completions[i]!;
        }
      });
      return completed / arrived;
    };
    try {
      // Observed: 0.000 without a budget (metastable: the queue stays full of abandoned
      // attempts), 1.00 with one and 0.99 without retries. Before the spike all three
      // serve 99% or more.
      expect(await servedAfter()).toBeLessThan(0.05);
      expect(await servedAfter('retry.budget={ratio: 0.1, minPerSecond: 1}')).toBeGreaterThan(0.95);
      expect(await servedAfter('retry.maxAttempts=1')).toBeGreaterThan(0.95);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
