/**
 * A plan's objective (src/experiments/plan-objective.ts): `--slo` when given, else the
 * scenario's `slo:`, with an LLM scenario's TTFT and TPOT objectives met together
 * (`llm.slo.attainment`, the goodput share, at the stricter percentile).
 */
import { describe, expect, it } from 'vitest';
import { parseSlo, parseWaitSlo, type Slo, type WaitSlo } from '../../src/config/slo.ts';
import { meetsObjective, planObjective, type PlanObjective } from '../../src/experiments/plan-objective.ts';

const slo = (text: string): Slo => parseSlo(text) as Slo;
const objective = (o: PlanObjective | string): PlanObjective => {
  if (typeof o === 'string') throw new Error(o);
  return o;
};
/** A figures tree as aggregates hold them (one replication: ci95 null). */
const figures = (sloAtt: number, llmAtt: number) => ({ slo: { attainment: { mean: sloAtt, ci95: NaN } }, llm: { slo: { attainment: { mean: llmAtt, ci95: NaN } } } });

describe('plan objective', () => {
  it('--slo wins over the scenario and is a latency objective', () => {
    const o = objective(planObjective('p99<100ms', { latency: null, ttft: slo('p99 < 500ms'), tpot: slo('p99 < 50ms') }));
    expect(o.target).toBe('p99 < 100ms');
    expect(o.checks).toEqual([{ path: 'slo.attainment', fraction: 0.99, within: 'within target' }]);
    expect(o.latencyOnly?.latencyS).toBeCloseTo(0.1, 12);
    expect(o.given).toBe(true);
  });

  it('without --slo, the scenario latency objective', () => {
    const o = objective(planObjective(undefined, slo('p99.9 < 1s')));
    expect(o.target).toBe('p99.9 < 1s');
    expect(o.checks).toEqual([{ path: 'slo.attainment', fraction: 99.9 / 100, within: 'within target' }]); // as parseSlo divides
    expect(o.given).toBe(false);
  });

  it('TTFT and TPOT: the goodput share at the stricter percentile, no latency shortcut', () => {
    const o = objective(planObjective(undefined, { latency: null, ttft: slo('p90 < 500ms'), tpot: slo('p99 < 50ms') }));
    expect(o.target).toBe('TTFT p90 < 500ms and TPOT p99 < 50ms');
    expect(o.checks).toEqual([{ path: 'llm.slo.attainment', fraction: 0.99, within: 'within both TTFT and TPOT targets' }]);
    expect(o.latencyOnly).toBeNull(); // no closed-form bracket, no early stop: they know only the end-to-end latency
    // Exactly at the share meets; a hair below, or a missing figure, does not.
    expect(meetsObjective(figures(0, 0.99), o.checks)).toBe(true);
    expect(meetsObjective(figures(1, 0.9899), o.checks)).toBe(false);
    expect(meetsObjective({}, o.checks)).toBe(false);
  });

  it('a latency objective beside TTFT must be met too', () => {
    const o = objective(planObjective(undefined, { latency: slo('p99 < 30s'), ttft: slo('p99 < 500ms'), tpot: null }));
    expect(o.target).toBe('p99 < 30s and TTFT p99 < 500ms');
    expect(o.checks.map((c) => c.path)).toEqual(['slo.attainment', 'llm.slo.attainment']);
    expect(meetsObjective(figures(0.995, 0.995), o.checks)).toBe(true);
    expect(meetsObjective(figures(0.98, 0.995), o.checks)).toBe(false);
    expect(meetsObjective(figures(0.995, 0.98), o.checks)).toBe(false);
  });

  it('no objective anywhere, or a bad --slo, is a message', () => {
    expect(planObjective(undefined, undefined)).toContain('plan needs an objective: give --slo');
    expect(planObjective('fast please', undefined)).toContain('--slo: expected an SLO like');
  });

  it('a waiting-time objective: waitSlo.attainment at its share, from --slo or the scenario, beside a latency one', () => {
    const given = objective(planObjective('wait < 500ms for 80%', slo('p99 < 1s')));
    expect(given.target).toBe('wait < 500ms for 80%');
    expect(given.checks).toEqual([{ path: 'waitSlo.attainment', fraction: 0.8, within: 'within the wait' }]);
    expect(given.latencyOnly).toBeNull();
    const wait = parseWaitSlo('wait < 20s for 80%') as WaitSlo;
    const both = objective(planObjective(undefined, { latency: slo('p99 < 1m'), ttft: null, tpot: null, wait }));
    expect(both.target).toBe('p99 < 1m and wait < 20s for 80%');
    expect(both.checks.map((c) => c.path)).toEqual(['slo.attainment', 'waitSlo.attainment']);
    expect(both.latencyOnly).toBeNull();
    expect(meetsObjective({ slo: { attainment: { mean: 0.99, ci95: NaN } }, waitSlo: { attainment: { mean: 0.8, ci95: NaN } } }, both.checks)).toBe(true);
    expect(meetsObjective({ slo: { attainment: { mean: 0.99, ci95: NaN } }, waitSlo: { attainment: { mean: 0.79, ci95: NaN } } }, both.checks)).toBe(false);
    expect(planObjective('wait < 20 for 80%', null)).toMatch(/^--slo: expected a waiting-time objective like "wait < 20s for 80%"/);
  });
});
