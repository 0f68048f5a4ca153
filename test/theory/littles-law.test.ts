/**
 * Little's law, L = λW (Little, "A proof for the queuing formula L = λW", Operations
 * Research 9(3), 1961), holds on every sample path up to boundary terms, for any
 * arrival process, service distribution or discipline. Applied to one stage's queue
 * (Lq = λ·Wq), to its servers (busy servers = λ·E[S]) and to the whole stage
 * (L = λ·T), it ties the simulator's time averages (meanQueueLength, utilization) to
 * its per-request figures (waits, latencies) with no theory in between: a stage that
 * mis-timed its statistics, counted warm-up requests in one figure and not the other,
 * or lost requests would break it. Then, against theory, the servers' share of busy
 * time is ρ = λE[S]/c.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Scenario, StageSpec } from '../../src/config/schema.ts';
import { runScenario, type RunResult, type StageResult } from '../../src/models/index.ts';
import { estimate, expectAgreement, K, replicate, REPLICATIONS, seedBlock } from '../support/replications.ts';
import { poissonScenario } from '../support/scenarios.ts';

const CASES: Array<{ label: string; scenario: Scenario }> = [
  {
    label: 'M/M/4 at ρ = 0.8',
    scenario: poissonScenario({ qps: 3.2, requests: 100_000, warmupRequests: 10_000, stages: [{ name: 'pool', replicas: 4, service: { dist: 'exponential', mean: 1 } }] }),
  },
  {
    label: 'M/G/1 lognormal cv 2 at ρ = 0.6',
    scenario: poissonScenario({ qps: 0.6, requests: 100_000, warmupRequests: 10_000, stages: [{ name: 'pool', replicas: 1, service: { dist: 'lognormal', mean: 1, cv: 2 } }] }),
  },
  {
    label: 'M/M/2/6 overloaded (ρ = 1.5), with drops',
    scenario: poissonScenario({
      qps: 3,
      requests: 100_000,
      warmupRequests: 1_000,
      stages: [{ name: 'pool', replicas: 1, concurrency: 2, queue: { capacity: 4 }, service: { dist: 'exponential', mean: 1 } }],
    }),
  },
  {
    label: 'M/D/3 with 2 s service at ρ ≈ 0.93',
    scenario: poissonScenario({ qps: 1.4, requests: 100_000, warmupRequests: 10_000, stages: [{ name: 'pool', replicas: 3, service: { dist: 'deterministic', value: 2 } }] }),
  },
];

/** Relative difference |a − b| / |b|. */
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe.each(CASES)('sample-path Little’s law: $label', ({ scenario }) => {
  let r: RunResult;
  let st: StageResult;
  let lambdaS: number;
  let waitS: number;
  let serviceS: number;
  beforeAll(() => {
    r = runScenario(scenario, { seed: 2100 });
    st = r.stages['pool']!;
    // Rate into service: every measured request that was not dropped, over the span.
    lambdaS = st.completed / r.measuredS;
    waitS = st.queueWaitMs.mean / 1000;
    // Single stage: latency = wait + own service time, so their difference is the
    // sample mean of the service times the completed requests received.
    serviceS = (r.latencyMs.mean - st.queueWaitMs.mean) / 1000;
  });

  // The tolerance is sample-path, not statistical: the two sides differ only by
  // boundary terms, i.e. warm-up requests still queued or in service when measurement
  // starts (about L requests × W seconds of area) over a span of 3·10⁴–1.5·10⁵ s.
  // Measured: at most 8·10⁻⁵ here (Lq = λWq even holds to 10⁻¹⁴). 0.1 % is ten times
  // that, and tight enough that counting warm-up requests in one figure and not the
  // other, or mis-timing a queue change, fails.
  it('requests waiting: Lq = λ·Wq', () => {
    expect(rel(st.meanQueueLength, lambdaS * waitS)).toBeLessThan(0.001);
  });

  it('busy servers: c·utilization = λ·E[S]', () => {
    expect(rel(st.utilization * st.servers, lambdaS * serviceS)).toBeLessThan(0.001);
  });

  it('requests in the stage: L = λ·T', () => {
    expect(rel(st.meanQueueLength + st.utilization * st.servers, (r.requests.completed / r.measuredS) * (r.latencyMs.mean / 1000))).toBeLessThan(0.001);
  });

  it('flow is conserved and no figure is negative', () => {
    expect(r.requests.inFlight).toBe(0);
    expect(r.requests.completed + r.requests.dropped).toBe(r.requests.arrived);
    expect(st.completed + st.dropped).toBe(r.requests.arrived);
    expect(r.dropRate).toBeCloseTo(r.requests.dropped / r.requests.arrived, 15);
    const l = r.latencyMs;
    const ordered = [0, l.p50, l.p90, l.p95, l.p99, l.p999, l.max];
    for (let i = 1; i < ordered.length; i++) expect(ordered[i]!).toBeGreaterThanOrEqual(ordered[i - 1]!);
    expect(l.mean).toBeGreaterThanOrEqual(0);
    expect(st.queueWaitMs.mean).toBeGreaterThanOrEqual(0);
    expect(st.queueWaitMs.p50).toBeGreaterThanOrEqual(0);
    expect(st.queueWaitMs.p99).toBeGreaterThanOrEqual(st.queueWaitMs.p50);
    expect(serviceS).toBeGreaterThan(0);
  });
});

describe('busy share of the servers is ρ = λE[S]/c (across replications)', () => {
  const cases: Array<{ label: string; qps: number; c: number; service: StageSpec['service']; rho: number; seedBase: number }> = [
    // Reference: 3.2·1/4 = 0.8.
    { label: 'M/M/4', qps: 3.2, c: 4, service: { dist: 'exponential', mean: 1 }, rho: 0.8, seedBase: 2200 },
    // Reference: 0.6·1/1 = 0.6 (lognormal cv 2: the mean alone sets ρ).
    { label: 'M/G/1 lognormal cv 2', qps: 0.6, c: 1, service: { dist: 'lognormal', mean: 1, cv: 2 }, rho: 0.6, seedBase: 2240 },
  ];
  it.each(cases)('$label: utilization = $rho', ({ qps, c, service, rho, seedBase, label }) => {
    const runs = replicate(
      poissonScenario({ qps, requests: 50_000, warmupRequests: 5_000, stages: [{ name: 'pool', replicas: c, service }] }),
      seedBlock(seedBase, REPLICATIONS),
    );
    // Utilization is λ̂·(mean of the service times drawn): its run-to-run spread is that
    // of the realised load, ≈ √(CV²_A + CV²_S)/√n: 0.6 % (exponential) and 1.0 %
    // (lognormal cv 2) per run of 45k requests, so an SE of 0.15–0.25 % over 20 runs.
    const est = estimate(runs.map((r) => r.stages['pool']!.utilization));
    expectAgreement(`${label} utilization`, est, rho, { k: K, maxRelSe: 0.006, maxRelErr: 0.02 });
  });
});
