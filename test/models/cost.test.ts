import { describe, expect, it } from 'vitest';
import { scenarioFromText } from '../../src/config/parse.ts';
import { runScenario } from '../../src/models/index.ts';
import { DEFAULT_MODELS } from '../../src/catalog/models.ts';

/**
 * Deterministic case: 1,000 requests every 10 ms; a CPU stage of 2 replicas at
 * $0.36/h serving 1 ms flat, then 3 GPU replicas at $3.60/h running the catalog's
 * deep-ranker at speed 2. The GPU profile is 5 ms + 0.5 ms × b, so one request takes
 * 5.5 / 2 = 2.75 ms. Nothing ever waits (gaps of 10 ms), so every latency is 3.75 ms.
 */
const text = `
name: cost
arrivals: { process: constant, qps: 100 }
stop: { requests: 1000 }
hardware:
  cpu-x: { device: cpu, usdPerHour: 0.36 }
  gpu-x: { device: gpu, usdPerHour: 3.6, speed: 2 }
stages:
  - name: pre
    replicas: 2
    hardware: cpu-x
    service: { dist: deterministic, value: "1ms" }
  - name: rank
    replicas: 3
    hardware: gpu-x
    model: deep-ranker
`;

describe('cost and catalog models, by hand', () => {
  const r = runScenario(scenarioFromText({ name: 'cost.yaml', text }));
  // Measured span: from 0 to the last completion, 1000 × 10 ms + 3.75 ms.
  const span = 10 + 0.00375;

  it('service time of a catalog model is its device profile over the hardware speed', () => {
    expect(r.latencyMs.max).toBeCloseTo(3.75, 9);
    expect(r.latencyMs.mean).toBeCloseTo(3.75, 9);
    expect(r.measuredS).toBeCloseTo(span, 9);
  });

  it('cost: per hour, total and per million requests', () => {
    // Reference: 2 × 0.36 + 3 × 3.6 = 11.52 $/h.
    expect(r.cost.perHour).toBeCloseTo(11.52, 12);
    expect(r.cost.total).toBeCloseTo((11.52 * span) / 3600, 12);
    expect(r.cost.perMillionRequests).toBeCloseTo(((11.52 * span) / 3600 / 1000) * 1e6, 9);
    expect(r.stages.pre!.costPerHourUsd).toBeCloseTo(0.72, 12);
    expect(r.stages.rank!.costPerHourUsd).toBeCloseTo(10.8, 12);
    expect(r.cost.unpricedStages).toEqual([]);
  });

  it('utilization of what is paid for is the bill-weighted utilization', () => {
    const uPre = (1000 * 0.001) / (2 * span);
    const uRank = (1000 * 0.00275) / (3 * span);
    expect(r.stages.pre!.utilization).toBeCloseTo(uPre, 12);
    expect(r.stages.rank!.utilization).toBeCloseTo(uRank, 12);
    expect(r.cost.paidUtilization).toBeCloseTo((0.72 * uPre + 10.8 * uRank) / 11.52, 12);
  });

  it('reports the quality of the model that served each request', () => {
    expect(r.quality).toBeCloseTo(DEFAULT_MODELS['deep-ranker'].quality.value, 12); // a mean of 1,000 equal values
    expect(r.qualityMetric).toBe('AUC');
    expect(r.stages.rank!.quality).toEqual({ metric: 'AUC', value: DEFAULT_MODELS['deep-ranker'].quality.value });
    expect(r.stages.pre!.quality).toBeNull();
  });

  it('a stage without hardware costs nothing and is listed as unpriced', () => {
    const r2 = runScenario(scenarioFromText({ name: 'c.yaml', text: text.replace('    hardware: cpu-x\n', '') }));
    expect(r2.cost.perHour).toBeCloseTo(10.8, 12);
    expect(r2.cost.unpricedStages).toEqual(['pre']);
  });
});
