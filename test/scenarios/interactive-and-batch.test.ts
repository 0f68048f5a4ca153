import { describe, expect, it } from 'vitest';
import { runGolden } from '../support/golden.ts';

/** A figure of `compare --json`: the mean over replications and its 95% half-width. */
interface Est {
  mean: number;
  ci95: number;
}
interface ClassFigures {
  latencyMs: { mean: Est; p99: Est };
  dropRate: Est;
  throughputRps: Est;
  slo?: { attainment: Est };
  shed: { queueLength: Est };
}

/**
 * One pool of 8 batching replicas (at most about 230 req/s), interactive traffic at 30/s
 * and batch traffic at 60/s with a two-minute flood to 240/s. 5 replications of 10
 * minutes (about 78,000 requests each) on common random numbers.
 */
describe('scenario interactive-and-batch', () => {
  it('a priority queue protects the interactive p99 during a batch flood; batch pays in latency, not throughput', async () => {
    const r = await runGolden('interactive-and-batch');
    const out = JSON.parse(r.stdout) as { replications: number; variants: Array<{ name: string; figures: { classes: Record<string, ClassFigures> } }> };
    expect(out.replications).toBe(5);
    const v = new Map(out.variants.map((x) => [x.name, x.figures.classes]));
    const fifo = v.get('base')!;
    const prio = v.get('priority')!;
    const shed = v.get('priority-shed')!;

    // FIFO: interactive requests queue behind the flood (observed p99 21 s); under
    // priority they skip it (observed 180 ms). A factor of 10 is far outside both
    // intervals (±1 s and a few ms).
    expect(fifo['interactive']!.latencyMs.p99.mean).toBeGreaterThan(10 * prio['interactive']!.latencyMs.p99.mean);
    expect(prio['interactive']!.slo!.attainment.mean).toBeGreaterThan(0.99);
    expect(fifo['interactive']!.slo!.attainment.mean).toBeLessThan(0.9);
    // The pool does the same work in another order: batch throughput is unchanged within
    // its interval, and batch latency rises (the interactive requests go first).
    const tb = (x: Record<string, ClassFigures>) => x['batch']!.throughputRps;
    expect(Math.abs(tb(prio).mean - tb(fifo).mean)).toBeLessThanOrEqual(tb(prio).ci95 + tb(fifo).ci95);
    expect(prio['batch']!.latencyMs.mean.mean).toBeGreaterThan(fifo['batch']!.latencyMs.mean.mean);
    // Shedding batch at 400 waiting: its p99 falls tenfold (observed 24.7 s → 2.2 s) for
    // some 8 % of batch shed; interactive is never shed and keeps its p99.
    expect(shed['batch']!.latencyMs.p99.mean).toBeLessThan(0.2 * prio['batch']!.latencyMs.p99.mean);
    expect(shed['batch']!.shed.queueLength.mean).toBeGreaterThan(0);
    expect(shed['interactive']!.dropRate.mean).toBe(0);
    expect(shed['interactive']!.latencyMs.p99.mean).toBeLessThan(1.2 * prio['interactive']!.latencyMs.p99.mean);
  }, 120_000);
});
