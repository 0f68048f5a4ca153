import { describe, expect, it } from 'vitest';
import { scenarioFromText } from '../../src/config/parse.ts';
import { runScenario } from '../../src/models/index.ts';

describe('cascades', () => {
  /**
   * Retrieval (5 ms on average) turns each request into 1,000 candidates; a light
   * ranker scores them at 2 ms + 0.01 ms per candidate (12 ms) and keeps the top 100; a
   * heavy ranker scores those at 1 ms + 0.1 ms per candidate (11 ms). With 10 requests
   * a second and 40 replicas per stage nothing waits (Erlang C: P(wait) < 1e-30), so
   * the mean latency is the sum of the mean service times: 5 + 12 + 11 = 28 ms.
   */
  const r = runScenario(
    scenarioFromText({
      name: 'cascade.yaml',
      text: `
seed: 8
arrivals: { process: poisson, qps: 10 }
stop: { requests: 20000 }
stages:
  - name: retrieval
    replicas: 40
    candidates: 1000
    service: { dist: exponential, mean: "5ms" }
  - name: light
    replicas: 40
    keep: 100
    service: { dist: linear, base: "2ms", per: { candidates: "0.01ms" } }
  - name: heavy
    replicas: 40
    service: { dist: linear, base: "1ms", per: { candidates: "0.1ms" } }
`,
    }),
  );

  it('matches the analytic mean when queues are negligible', () => {
    // The only randomness is retrieval's exponential service: sd 5 ms over 20,000
    // requests gives a mean within ±0.11 ms (3 sd).
    expect(Math.abs(r.latencyMs.mean - 28)).toBeLessThan(0.11);
    expect(r.stages.light!.timeInStageMs!.mean).toBeCloseTo(12, 9);
    expect(r.stages.heavy!.timeInStageMs!.mean).toBeCloseTo(11, 9);
    expect(Math.abs(r.stages.retrieval!.timeInStageMs!.mean - 5)).toBeLessThan(0.11);
    expect(r.stages.heavy!.queueWaitMs.mean).toBe(0);
  });
});

describe('fallback to a lighter model', () => {
  const text = (fallback: string, lite = true) => `
seed: 4
arrivals: { process: poisson, qps: 150 }
stop: { requests: 30000 }
warmup: { requests: 3000 }
models:
  heavy-model: { latency: { cpu: { base: "20ms", perItem: "0ms" } }, quality: { metric: AUC, value: 0.81 } }
  lite-model: { latency: { cpu: { base: "1ms", perItem: "0ms" } }, quality: { metric: AUC, value: 0.75 } }
stages:
  - name: heavy
    replicas: 2
    model: heavy-model
    hardware: c7i.xlarge
${fallback}
${lite ? '  - name: lite\n    replicas: 1\n    model: lite-model\n    hardware: c7i.xlarge\n' : ''}`;
  // Heavy: 2 replicas × 50/s = 100/s against 150/s: overloaded without a fallback.
  const r = runScenario(scenarioFromText({ name: 'fb.yaml', text: text('    fallback: { queueLength: 5, to: lite }') }));

  it('never lets more than the threshold wait; the rest degrade to the light model', () => {
    expect(r.stages.heavy!.maxQueueLength).toBeLessThanOrEqual(5);
    // The heavy model serves at most its capacity, 100/s of 150/s: at least a third degrade.
    expect(r.degradedShare).toBeGreaterThan(1 / 3 - 0.02);
    expect(r.degradedShare).toBeLessThan(0.45);
    expect(r.requests.dropped).toBe(0);
  });

  it('reports the quality cost: request-weighted between the two models', () => {
    const expected = 0.81 * (1 - r.degradedShare) + 0.75 * r.degradedShare;
    expect(r.quality!).toBeCloseTo(expected, 9);
    // The light model's time is counted in the heavy stage's node (the diverted path).
    expect(r.stages.lite!.completed).toBeGreaterThan(0);
  });

  it('a heuristic fallback answers at its latency with its quality', () => {
    const h = runScenario(
      scenarioFromText({
        name: 'fb2.yaml',
        text: text('    fallback: { queueLength: 5, heuristic: { latency: { dist: deterministic, value: "2ms" }, quality: 0.6 } }', false),
      }),
    );
    expect(h.quality!).toBeCloseTo(0.81 * (1 - h.degradedShare) + 0.6 * h.degradedShare, 9);
    expect(h.degradedShare).toBeGreaterThan(0.3);
    expect(h.latencyMs.p50).toBeGreaterThan(0);
  });
});
