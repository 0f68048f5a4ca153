/**
 * The theory table's rows per request class (src/experiments/theory-classes.ts): each
 * class's closed form at the stage's rate, worked by hand, named with its model; none
 * where no form applies.
 */
import { describe, expect, it } from 'vitest';
import { scenarioFromText } from '../../src/config/parse.ts';
import { theoryForRun } from '../../src/experiments/theory.ts';
import { ServingSystem, runScenario } from '../../src/models/index.ts';

function rowsOf(yaml: string) {
  const scenario = scenarioFromText({ name: 'theory-classes.yaml', text: yaml });
  const result = runScenario(scenario);
  return theoryForRun(scenario, new ServingSystem(scenario), result).filter((r) => r.quantity.startsWith('class'));
}

const scenario = (policy: string, replicas: number, lambda: number) => `
arrivals: { process: poisson, qps: ${lambda} }
stop: { requests: 4000 }
classes:
  - { name: hi, share: 0.25, priority: 0 }
  - { name: lo, share: 0.75, priority: 1 }
stages:
  - name: gpu
    replicas: ${replicas}
    service: { dist: exponential, mean: "10ms" }
    discipline: { policy: ${policy} }
`;

const same = (a: number, b: number) => expect(Math.abs(a / b - 1)).toBeLessThan(1e-9);

describe('class rows of the theory table', () => {
  it('M/G/1 non-preemptive priority (Cobham) at ρ = 0.8', () => {
    // Reference: λ = 80/s, E[S] = 10 ms, E[S²] = 2·10⁻⁴ s²; W_0 = 80·10⁻⁴ = 8 ms; σ = 0.2, 0.8.
    // T_hi = 8/0.8 + 10 = 20 ms; T_lo = 8/(0.8·0.2) + 10 = 60 ms.
    const rows = rowsOf(scenario('priority', 1, 80));
    expect(rows.map((r) => r.model)).toEqual(['M/G/1 non-preemptive priority (Cobham)', 'M/G/1 non-preemptive priority (Cobham)']);
    same(rows[0]!.analytic, 20);
    same(rows[1]!.analytic, 60);
    expect(rows[0]!.note).toContain('Poisson arrivals per class');
  });

  it('M/G/1 preemptive-resume at ρ = 0.8', () => {
    // Reference: T_hi = 10/1 + (20·10⁻⁴ s)/(0.8) = 10 + 2.5 = 12.5 ms; T_lo = 10/0.8 + 8/(0.8·0.2) = 62.5 ms.
    const rows = rowsOf(scenario('priority-preemptive', 1, 80));
    same(rows[0]!.analytic, 12.5);
    same(rows[1]!.analytic, 62.5);
  });

  it('M/M/c non-preemptive priority (c = 4) at ρ = 0.8', () => {
    // Reference: λ = 320/s, a = 3.2, C(4, 3.2) = 0.596431 (Erlang C); cμ = 400/s; σ = 0.2, 0.8.
    // W_hi = 0.596431/(400·0.8) s = 1.86385 ms; W_lo = 0.596431/(400·0.8·0.2) s = 9.31923 ms; + 10 ms.
    const rows = rowsOf(scenario('priority', 4, 320));
    expect(rows[0]!.model).toBe('M/M/c non-preemptive priority');
    expect(rows[0]!.analytic).toBeCloseTo(11.86385, 4);
    expect(rows[1]!.analytic).toBeCloseTo(19.31923, 4);
  });

  it('none under FIFO, nor without classes', () => {
    expect(rowsOf(scenario('fifo', 1, 80))).toEqual([]);
    expect(rowsOf(scenario('weighted-fair', 1, 80))).toEqual([]);
  });
});
