import { describe, expect, it } from 'vitest';
import type { RoutingPolicyName, Scenario } from '../../src/config/schema.ts';
import { runScenario } from '../../src/models/index.ts';

/** Eight replicas, exponential 10 ms service, ρ = 0.9 (720 req/s). */
const pool = (policy: RoutingPolicyName, seed: number): Scenario => ({
  name: `routing-${policy}`,
  seed,
  arrivals: { process: 'poisson', qps: 720 },
  stop: { requests: 200_000 },
  warmup: { requests: 20_000 },
  stages: [{ name: 'm', replicas: 8, routing: { policy }, service: { dist: 'exponential', mean: 0.01 } }],
});

const p99 = (policy: RoutingPolicyName) => {
  // Average p99 over three seeds to steady the comparison.
  const xs = [1, 2, 3].map((s) => runScenario(pool(policy, s)).latencyMs.p99);
  return xs.reduce((a, b) => a + b, 0) / xs.length;
};

describe('routing policies at ρ = 0.9', () => {
  const random = p99('random');
  const rr = p99('round-robin');
  const jsq = p99('least-outstanding');
  const p2 = p99('power-of-two');
  const shared = p99('shared');

  it('random routing makes each replica an M/M/1 queue', () => {
    // Reference: Poisson splitting gives each replica Poisson arrivals at 90/s, so the
    // sojourn is Exp(μ − λ) = Exp(10/s): p99 = ln(100)/10 s = 460.5 ms. Near saturation
    // a run's p99 is noisy: over 12 seeds one run's p99 had sd ≈ 7.6 %, so the mean of
    // three has SE ≈ 4.4 %, and ±15 % is about 3.4 SE.
    expect(random).toBeGreaterThan(460.5 * 0.85);
    expect(random).toBeLessThan(460.5 * 1.15);
  });

  it('least-outstanding and power-of-two are well below random; shared queue is best', () => {
    // Join-the-shortest-queue and two choices cut the tail to a fraction of random's
    // (measured p99s: random ≈ 478 ms, power-of-two ≈ 112, least-outstanding ≈ 92,
    // shared ≈ 75): "well below" is asserted as under half, far from the noise above.
    expect(jsq).toBeLessThan(0.5 * random);
    expect(p2).toBeLessThan(0.5 * random);
    expect(jsq).toBeLessThan(p2);
    // Round-robin removes arrival variability per replica (Erlang-8 gaps), in between.
    expect(rr).toBeLessThan(random);
    expect(rr).toBeGreaterThan(jsq);
    // One shared queue never leaves a replica idle while a request waits: M/M/8 is best.
    expect(shared).toBeLessThan(jsq);
    expect(shared).toBeLessThan(p2);
  });
});
