/**
 * The run-level collectors (src/models/metrics/run-*.ts): every figure of the run has
 * exactly one owner, the output keeps the contract's key order, the warm-up rule is
 * applied once by RunMetrics, and every descriptor points at a figure of a real result.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../src/config/resolve.ts';
import { runScenario } from '../../src/models/index.ts';
import { runCollectorFigures, runCollectors } from '../../src/models/metrics/run-collectors.ts';
import { RunMetrics } from '../../src/models/metrics/run-metrics.ts';
import { requestsCollector } from '../../src/models/metrics/run-requests.ts';
import { throughputCollector } from '../../src/models/metrics/run-throughput.ts';
import { RUN_RESULT_KEYS } from '../../src/models/result.ts';
import { poissonScenario } from '../support/scenarios.ts';

/** Keys `ServingSystem.result` writes itself: the run's identity, span, stages, warnings and series. */
const OWN_KEYS = ['scenario', 'seed', 'stages', 'measuredS', 'warmupEndS', 'endS', 'events', 'warnings', 'timeSeries'];

/** Every golden file: single runs (`servesim run --json`), comparisons and sweeps (estimates per variant). */
const goldens = (): Array<Record<string, unknown>> =>
  readdirSync('test/golden')
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(`test/golden/${f}`, 'utf8')) as Record<string, unknown>);

/** The golden runs, and each variant's figures (mean ± half-width at every leaf) of the other goldens. */
function goldenFigureTrees(): object[] {
  return goldens().flatMap((g) => ('scenario' in g ? [g] : ((g['variants'] as Array<{ figures: object }> | undefined) ?? []).map((v) => v.figures)));
}

/** A number at `path`: a run's figure, or an estimate's mean. */
function numberAt(tree: object, path: string): number | undefined {
  let at: unknown = tree;
  for (const k of path.split('.')) at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[k] : undefined;
  if (at !== null && typeof at === 'object' && typeof (at as { mean?: unknown }).mean === 'number') return (at as { mean: number }).mean;
  return typeof at === 'number' ? at : undefined;
}

describe('run collectors', () => {
  it('own every key of the result that the run does not write itself, each key once', () => {
    const owned = runCollectors.flatMap((c) => c.keys as string[]);
    expect(new Set(owned).size).toBe(owned.length);
    expect([...owned, ...OWN_KEYS].sort()).toEqual([...RUN_RESULT_KEYS].sort());
  });

  it('contribute exactly the keys they declare, and the run writes them in the contract order', () => {
    const sc = poissonScenario({ qps: 2, requests: 2_000, warmupRequests: 200, stages: [{ name: 'model', replicas: 2, service: { dist: 'exponential', mean: 0.5 } }] });
    const r = runScenario(sc);
    // `llm` is there only with an LLM stage, `waitSlo` only with a waiting-time objective, `classes`
    // only with request classes (the JSON contract is extended, never changed for other runs).
    expect(Object.keys(r)).toEqual(RUN_RESULT_KEYS.filter((k) => k !== 'llm' && k !== 'waitSlo' && k !== 'classes'));
    expect(Object.keys(runScenario({ ...sc, slo: { latency: null, ttft: null, tpot: null, wait: { target: 'wait < 1s for 80%', waitS: 1, fraction: 0.8 } } }))).toEqual(RUN_RESULT_KEYS.filter((k) => k !== 'llm' && k !== 'classes'));
    // The golden runs were written before the collectors: same key order.
    for (const g of goldens().filter((x) => 'scenario' in x)) expect(Object.keys(g)).toEqual(RUN_RESULT_KEYS.filter((k) => k in g));
  });

  it('have descriptors whose paths lead to a number in some built-in scenario', () => {
    const trees = goldenFigureTrees();
    for (const d of runCollectorFigures) {
      expect(d.scope).toBe('run');
      const found = trees.some((t) => numberAt(t, d.path) !== undefined);
      expect(found, d.path).toBe(true);
    }
  });
});

describe('RunMetrics', () => {
  it('measures arrivals from the warm-up count on, and rates from the start of measurement', () => {
    const system = resolveScenario(poissonScenario({ qps: 1, requests: 10, warmupRequests: 3, stages: [{ name: 'model', replicas: 1, service: { dist: 'exponential', mean: 1 } }] }));
    const started: number[] = [];
    const m = new RunMetrics(system, runCollectors, (t) => started.push(t));
    // Arrivals 0..2 are warm-up; arrival 3 (at t = 3) starts measurement.
    expect([0, 1, 2, 3, 4].map((i) => m.arrival(i, i))).toEqual([false, false, false, true, true]);
    expect(started).toEqual([3]);
    m.completion(false, 1, NaN, NaN); // a warm-up request finishing after measurement started: a departure only
    m.completion(true, 2, NaN, NaN);
    m.drop(false, 'rejected'); // warm-up: not counted
    m.drop(true, 'timedOut');
    const n = m.of(requestsCollector)!;
    expect([n.arrivedCount, n.completedCount, n.droppedCount, n.timedOutCount]).toEqual([2, 1, 1, 1]);
    expect(m.of(throughputCollector)!.departures).toBe(2);
  });

  it('counts no departure before measurement starts', () => {
    const system = resolveScenario(poissonScenario({ qps: 1, requests: 10, warmupRequests: 3, stages: [{ name: 'model', replicas: 1, service: { dist: 'exponential', mean: 1 } }] }));
    const m = new RunMetrics(system, runCollectors, () => {});
    m.completion(false, 1, NaN, NaN);
    expect(m.of(throughputCollector)!.departures).toBe(0);
    expect(m.measuring).toBe(false);
  });
});
