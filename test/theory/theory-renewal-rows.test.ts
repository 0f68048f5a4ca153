/**
 * Which formula the theory table takes beside renewal arrivals and a waiting-time
 * objective, each worked by hand: GI/M/1 and GI/M/c (exact) where service is
 * exponential, Kingman / Allen–Cunneen (GI/G/c, approximate) where it is not, D/M/1 for
 * constant arrivals; P(wait > 0) beside GI/M/c always, and with a waiting-time objective
 * Erlang C's P(wait > 0) and P(wait ≤ t) beside an M/M/c. A Poisson run without that
 * objective keeps its one row.
 */
import { describe, expect, it } from 'vitest';
import { scenarioFromText } from '../../src/config/parse.ts';
import { exponential, gamma } from '../../src/engine/index.ts';
import { ggcMeanWaitApprox, gimcWait, mmcMeanWait, mmcWaitWithin } from '../../src/experiments/queueing.ts';
import { theoryForRun } from '../../src/experiments/theory.ts';
import { ServingSystem, runScenario } from '../../src/models/index.ts';
import { erlangC } from '../support/queueing-theory.ts';

function rowsOf(yaml: string) {
  const scenario = scenarioFromText({ name: 'theory-renewal.yaml', text: yaml });
  return theoryForRun(scenario, new ServingSystem(scenario), runScenario(scenario));
}

const head = (arrivals: string, extra = '') => `name: t
seed: 1
arrivals: ${arrivals}
stop: { requests: 2000 }
${extra}`;
const stage = (replicas: number, service: string) => `stages:
  - name: model
    replicas: ${replicas}
    service: ${service}
`;
const same = (a: number, b: number) => expect(Math.abs(a / b - 1)).toBeLessThan(1e-9);

describe('theory beside renewal arrivals', () => {
  it('Γ gaps and exponential service: GI/M/1, exact, with its P(wait > 0) = σ', () => {
    const rows = rowsOf(head('{ process: renewal, qps: 0.7, gap: { dist: gamma, cv: 2 } }') + stage(1, '{ dist: exponential, mean: "1s" }'));
    expect(rows.map((r) => r.quantity)).toEqual(['mean wait (ms)', 'P(wait > 0) (%)']);
    // Reference: σ = 0.871162, Wq = 6.761714 s (test/theory/gim1-renewal.test.ts).
    expect(rows[0]!.model).toMatch(/^GI\/M\/1 \(exact, root σ = 0\.8712/);
    expect(rows[0]!.analytic).toBeCloseTo(6761.71, 1);
    expect(rows[1]!.analytic).toBeCloseTo(87.1162, 3);
    expect(rows[0]!.note).not.toMatch(/not Poisson/);
  });

  it('several servers: GI/M/c, Takács’s delay probability', () => {
    const rows = rowsOf(head('{ process: renewal, qps: 3, gap: { dist: erlang, k: 3 } }') + stage(4, '{ dist: exponential, mean: "1s" }'));
    const w = gimcWait(gamma(1 / 3, 1 / Math.sqrt(3)).lst!, 4, 1)!;
    expect(rows[0]!.model).toMatch(/^GI\/M\/c \(exact/);
    same(rows[0]!.analytic, w.meanWaitS * 1000);
    same(rows[1]!.analytic, w.pWait * 100);
  });

  it('constant arrivals: D/M/1 by the same root', () => {
    const rows = rowsOf(head('{ process: constant, qps: 0.8 }') + stage(1, '{ dist: exponential, mean: "1s" }'));
    // Reference: σ = e^{−1.25(1−σ)} = 0.628630, Wq = σ/(1 − σ) = 1.692731 s.
    expect(rows[0]!.analytic).toBeCloseTo(1692.73, 1);
  });

  it('service not exponential: Kingman for one server, Allen–Cunneen for several (approximations, said so)', () => {
    const one = rowsOf(head('{ process: renewal, qps: 0.5, gap: { dist: lognormal, cv: 1.5 } }') + stage(1, '{ dist: gamma, mean: "1s", cv: 0.5 }'));
    expect(one.map((r) => r.model)).toEqual(['GI/G/1 (Kingman approx.)']);
    // Reference: M/M/1 at ρ = 0.5 waits 1 s; × (ca² + cs²)/2 = (2.25 + 0.25)/2 = 1.25 → 1,250 ms.
    expect(one[0]!.analytic).toBeCloseTo(1250, 6);
    same(one[0]!.analytic, ggcMeanWaitApprox(0.5, 1, 1, 2.25, 0.25) * 1000);
    expect(one[0]!.note).toMatch(/an approximation/);
    const many = rowsOf(head('{ process: renewal, qps: 3, gap: { dist: weibull, cv: 2 } }') + stage(4, '{ dist: deterministic, value: "1s" }'));
    expect(many[0]!.model).toBe('GI/G/c (Allen–Cunneen approx.)');
    same(many[0]!.analytic, mmcMeanWait(3, 1, 4) * ((4 + 0) / 2) * 1000);
  });
});

describe('theory beside a waiting-time objective', () => {
  it('M/M/c: Erlang C’s P(wait > 0) and P(wait ≤ t) beside the mean wait', () => {
    const rows = rowsOf(head('{ process: poisson, qps: 3.2 }', 'slo: "wait < 1s for 80%"\n') + stage(4, '{ dist: exponential, mean: "1s" }'));
    expect(rows.map((r) => r.quantity)).toEqual(['mean wait (ms)', 'P(wait > 0) (%)', 'P(wait ≤ 1s) (%)']);
    same(rows[1]!.analytic, erlangC(4, 3.2) * 100);
    same(rows[2]!.analytic, mmcWaitWithin(3.2, 1, 4, 1) * 100);
    expect(rows[2]!.analytic).toBeCloseTo(73.2006, 3);
  });

  it('without one, a Poisson M/M/c keeps its single row', () => {
    const rows = rowsOf(head('{ process: poisson, qps: 3.2 }') + stage(4, '{ dist: exponential, mean: "1s" }'));
    expect(rows.map((r) => r.model)).toEqual(['M/M/c (Erlang C)']);
    same(rows[0]!.analytic, gimcWait(exponential(1 / 3.2).lst!, 4, 1)!.meanWaitS * 1000);
  });
});
