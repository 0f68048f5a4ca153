import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/config/schema.ts';
import { parseSlo } from '../../src/config/slo.ts';
import { runScenario } from '../../src/models/index.ts';

/**
 * Deterministic arrivals every 10 ms (the first at 10 ms), one replica, maxBatch 4,
 * maxWait 25 ms, service 20 ms + 5 ms × batch, 14 requests. Worked by hand:
 *
 *   t=10,20,30  r1..r3 queue; the slot is free but the batch is not full, so it
 *               waits until r1 has waited 25 ms: t=35 starts [r1 r2 r3], 35 ms, ends 70.
 *   t=40,50,60  r4..r6 queue behind the busy slot.
 *   t=70        the batch ends first (scheduled at 35, before r7's arrival was, at 60):
 *               r4 has waited 30 ms ≥ 25, so [r4 r5 r6] starts at once, ends 105; then r7 queues.
 *   t=80..100   r8..r10 queue: four wait when the slot frees at 105 → [r7..r10], 40 ms, ends 145.
 *   t=110..140  r11..r14 → [r11..r14] at 145, ends 185.
 *
 * Latencies (ms): 60 50 40 | 65 55 45 | 75 65 55 45 | 75 65 55 45; batches 3, 3, 4, 4.
 */
const handCase: Scenario = {
  name: 'by-hand',
  seed: 1,
  arrivals: { process: 'constant', qps: 100 },
  stop: { requests: 14 },
  slo: parseSlo('p90 < 70ms') as Exclude<ReturnType<typeof parseSlo>, string>,
  stages: [
    {
      name: 'gpu',
      replicas: 1,
      batching: { maxBatch: 4, maxWait: 0.025 },
      service: { dist: 'linear', base: 0.02, perItem: 0.005 },
    },
  ],
};
const LAT = [60, 50, 40, 65, 55, 45, 75, 65, 55, 45, 75, 65, 55, 45];

describe('dynamic batching, worked by hand', () => {
  const r = runScenario(handCase);

  it('latencies match the hand calculation', () => {
    const mean = LAT.reduce((a, b) => a + b, 0) / LAT.length;
    // Reference: sum 795 ms over 14 requests. Float sums of the event times differ from
    // the exact decimal figures only in the last bits.
    expect(r.latencyMs.mean).toBeCloseTo(mean, 9);
    expect(r.latencyMs.max).toBeCloseTo(75, 9);
    // Quantiles are the order statistics of rank ⌊q·(n−1)⌋, within the sketch's 0.1 %.
    const sorted = [...LAT].sort((a, b) => a - b);
    expect(r.latencyMs.p50).toBeGreaterThan(sorted[6]! * 0.999);
    expect(r.latencyMs.p50).toBeLessThan(sorted[6]! * 1.001);
    expect(r.requests).toMatchObject({ arrived: 14, completed: 14, dropped: 0, timedOut: 0 });
  });

  it('batch sizes are 3, 3, 4, 4', () => {
    const bs = r.stages.gpu!.batchSize;
    expect(bs.mean).toBe(14 / 4);
    expect(bs.p50).toBe(3); // rank ⌊0.5·3⌋ = 1 of [3, 3, 4, 4]
    expect(bs.p99).toBe(4);
  });

  it('queue waits: r1 25 ms, r4 30 ms, r7 35 ms, ...', () => {
    // Waits (ms): 25 15 5 | 30 20 10 | 35 25 15 5 | 35 25 15 5 → mean 265/14.
    expect(r.stages.gpu!.queueWaitMs.mean).toBeCloseTo(265 / 14, 9);
  });

  it('SLO attainment counts requests under the target exactly', () => {
    // 12 of 14 latencies are under 70 ms (the two 75 ms are not): 85.7 % < 90 %, not met.
    expect(r.slo).not.toBeNull();
    expect(r.slo!.target).toBe('p90 < 70ms');
    expect(r.slo!.attainment).toBeCloseTo(12 / 14, 12);
    expect(r.slo!.met).toBe(false);
    // Measured span: from t=0 (no warm-up) to the last batch's end at 185 ms.
    expect(r.measuredS).toBeCloseTo(0.185, 12);
    expect(r.slo!.goodputRps).toBeCloseTo(12 / 0.185, 9);
  });

  it('maxWait 0 takes whatever waits at once (greedy batching)', () => {
    const greedy = runScenario({ ...handCase, stages: [{ ...handCase.stages[0]!, batching: { maxBatch: 4, maxWait: 0 } }] });
    // r1 alone at 10 (25 ms, ends 35); [r2 r3] at 35 (30 ms, ends 65); [r4 r5 r6] at 65
    // (ends 100); at 100 the batch ends before r10 arrives, so [r7 r8 r9] (ends 135);
    // [r10..r13] at 135 (40 ms, ends 175); [r14] at 175 (ends 200). Six batches.
    const lat = [25, 45, 35, 60, 50, 40, 65, 55, 45, 75, 65, 55, 45, 60];
    expect(greedy.latencyMs.mean).toBeCloseTo(lat.reduce((a, b) => a + b, 0) / 14, 9);
    expect(greedy.stages.gpu!.batchSize.mean).toBe(14 / 6);
  });
});
