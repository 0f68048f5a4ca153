/**
 * The theory line's λ is the rate that actually reaches the stage: the arrival
 * process's own mean rate over the measured span (never the scenario's `qps` key), the
 * throughput of an overloaded stage before it, and the parent rate on each shard of a
 * fan-out. The closed forms assume Poisson arrivals: for a bursty, diurnal, schedule
 * or trace process the line is a reference only (its note says so), but it must be the
 * formula at the right rate. Each expected number is worked by hand from the formula.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioFromText } from '../../src/config/parse.ts';
import { openTraceFile } from '../../src/cli/trace-file.ts';
import { theoryForRun } from '../../src/experiments/theory.ts';
import { ServingSystem, runScenario, type RunOptions } from '../../src/models/index.ts';
import type { TheoryRow } from '../../src/report/model.ts';
import { mmcMeanWait, pollaczekKhinchineWait } from '../support/queueing-theory.ts';

/** Runs a scenario (YAML text) and returns its theory rows with the result. */
function theoryOf(yaml: string, options: RunOptions = {}) {
  const scenario = scenarioFromText({ name: 'theory-lines.yaml', text: yaml });
  const result = runScenario(scenario, options);
  const rows = theoryForRun(scenario, new ServingSystem(scenario, options), result);
  return { result, rows, row: (stage: string): TheoryRow => rows.find((r) => r.stage === stage)! };
}

/** Relative agreement to rounding: the row and the hand calculation evaluate the same formula. */
const expectSame = (actual: number, expected: number) => expect(Math.abs(actual / expected - 1)).toBeLessThan(1e-9);

const pool = (replicas: number, meanMs: number) => `
stages:
  - name: model
    replicas: ${replicas}
    service: { dist: exponential, mean: "${meanMs}ms" }
`;

describe('theory λ is the arrival process’s own mean rate over the measured span', () => {
  it('bursty (MMPP-2): M/M/c at the mean rate 35/s, not the normal-state qps 10/s', () => {
    const { row } = theoryOf(`name: bursty
arrivals: { process: bursty, qps: 10, burstQps: 60, meanNormal: "1s", meanBurst: "1s" }
warmup: { duration: "10s" }
stop: { duration: "100s" }
${pool(4, 50)}`);
    // Reference: λ̄ = (10·1 + 60·1)/(1 + 1) = 35/s. Over [10 s, 100 s] from a start in the
    // normal state the expected rate is λ̄ − 25·(e^{−20} − e^{−200})/(2·90) = 35 − 2.9e-10.
    const lambda = 35 - (25 * (Math.exp(-20) - Math.exp(-200))) / (2 * 90);
    // M/M/4 at a = 35 · 0.05 = 1.75 (ρ = 44 %); a reference only: MMPP arrivals are
    // burstier than Poisson, and the note says so.
    const expected = mmcMeanWait(4, lambda, 20) * 1000;
    expect(row('model').model).toBe('M/M/c (Erlang C)');
    expectSame(row('model').analytic, expected);
    expect(row('model').note).toContain('arrivals are not Poisson');
  });

  it('diurnal: the mean of the curve over the span run (its trough), not the daily mean qps', () => {
    const { row } = theoryOf(`name: diurnal
arrivals: { process: diurnal, qps: 40, amplitude: 0.5, period: "1h" }
stop: { duration: "10m" }
${pool(2, 50)}`);
    // Reference: ∫₀^600 40(1 + 0.5 cos(2π(t − 1800)/3600)) dt / 600
    //          = 40 + 20 · (3600/2π) · (sin(−2π/3) − sin(−π)) / 600 = 40 − 16.54 = 23.46/s.
    const lambda = 40 + (20 * (3600 / (2 * Math.PI)) * (Math.sin((-2 * Math.PI) / 3) - Math.sin(-Math.PI))) / 600;
    expect(lambda).toBeCloseTo(23.4601, 4);
    // M/M/2 at a = 23.46 · 0.05 = 1.17 (ρ = 59 %). At qps 40 the stage would be 100 %
    // loaded, and the line said "no steady state".
    expect(row('model').model).toBe('M/M/c (Erlang C)');
    expectSame(row('model').analytic, mmcMeanWait(2, lambda, 20) * 1000);
    expect(row('model').note).toContain('arrivals are not Poisson');
  });

  it('schedule: the mean over whole periods of the steps, not the run’s throughput', () => {
    const { row } = theoryOf(`name: schedule
arrivals: { process: schedule, steps: [{ at: "0s", qps: 10 }, { at: "1m", qps: 50 }], repeat: "2m" }
stop: { duration: "4m" }
${pool(2, 50)}`);
    // Reference: two whole periods of (10·60 + 50·60)/120 = 30/s; M/M/2 at a = 1.5.
    expectSame(row('model').analytic, mmcMeanWait(2, 30, 20) * 1000);
    expect(row('model').note).toContain('arrivals are not Poisson');
  });

  it('spike: the base rate plus the spike’s extra arrivals, spread over the span run', () => {
    const { row } = theoryOf(`name: spike
arrivals: { process: spike, qps: 20, factor: 3, at: "10s", duration: "20s" }
stop: { duration: "60s" }
${pool(2, 50)}`);
    // Reference: 20/s plus (3 − 1) · 20/s for 20 s = 800 extra arrivals over 60 s:
    // 20 + 800/60 = 33.3/s; M/M/2 at a = 1.67 (ρ = 83 %), not at the base 20/s.
    const lambda = 20 + 800 / 60;
    expectSame(row('model').analytic, mmcMeanWait(2, lambda, 20) * 1000);
    expect(row('model').note).toContain('arrivals are not Poisson');
  });

  it('trace: (rows − 1) over the span of the rows, not completions over the run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'servesim-theory-'));
    const file = join(dir, 'eight.csv');
    writeFileSync(file, 'time\n0\n0.5\n0.7\n1.5\n2.0\n3.0\n3.1\n4.0\n');
    const openTrace = (path: string, o: { timestampColumn: string | undefined }) => openTraceFile(path, path, o.timestampColumn);
    const { row, result } = theoryOf(
      `name: trace
arrivals: { process: trace, file: "${file}" }
stages:
  - name: model
    replicas: 1
    service: { dist: exponential, mean: "100ms" }
`,
      { openTrace },
    );
    expect(result.requests.arrived).toBe(8);
    // Reference: 7 gaps in 4 s, λ = 1.75/s; M/G/1 with exponential service (E[S] = 0.1 s,
    // Var S = 0.01 s²): W = λE[S²]/(2(1 − ρ)) = 1.75 · 0.02 / (2 · 0.825) = 21.2 ms.
    expect(row('model').model).toBe('M/G/1 (Pollaczek–Khinchine)');
    expectSame(row('model').analytic, pollaczekKhinchineWait(1.75, 0.1, 0.01) * 1000);
    expect(row('model').analytic).toBeCloseTo(21.2121, 3);
  });
});

describe('theory λ downstream of an overloaded stage', () => {
  it('is the upstream stage’s throughput, measured, not the offered qps', () => {
    const { row, result } = theoryOf(`name: tandem
arrivals: { process: poisson, qps: 25 }
stop: { requests: 20000 }
stages:
  - name: front
    replicas: 1
    queue: { capacity: 5 }
    service: { dist: exponential, mean: "100ms" }
  - name: back
    replicas: 1
    service: { dist: exponential, mean: "60ms" }
`);
    // front completes at most 10/s of the 25/s offered (an M/M/1/6 at ρ = 2.5 sheds the
    // rest); back, whose capacity is 16.7/s, was read as 150 % loaded ("no steady state").
    // front sheds the excess: a steady state at full load (M/M/1/6), not "no steady state".
    expect(row('front').analytic).toBeNaN();
    expect(row('front').note).toContain('its bounded queue turns the excess away');
    const back = result.stages['back']!;
    const lambda = (back.completed + back.dropped) / result.measuredS;
    // Reference: M/M/1/6 throughput μ(1 − P₀), P₀ = 1.5/(2.5⁷ − 1) = 0.0025: 9.975/s; the
    // run measures it within its noise (20,000 arrivals: a few per cent at most).
    expect(Math.abs(lambda / 9.975 - 1)).toBeLessThan(0.05);
    // Burke does not apply behind a bounded queue: P–K at the measured rate, a reference.
    expect(row('back').model).toBe('M/G/1 (Pollaczek–Khinchine)');
    expectSame(row('back').analytic, pollaczekKhinchineWait(lambda, 0.06, 0.0036) * 1000);
    expect(row('back').note).toContain('stage "front" before it is overloaded');
    expect(row('back').note).not.toContain('no steady state');
  });
});

describe('theory at a fan-out stage', () => {
  it('each shard sees the parent rate and has the stage’s replicas: M/G/1 per shard, not M/M/4 over all shards', () => {
    const { row } = theoryOf(`name: fanout
arrivals: { process: poisson, qps: 8 }
stop: { requests: 3000 }
stages:
  - name: shards
    replicas: 1
    fanout: { shards: 4 }
    service: { dist: exponential, mean: "100ms" }
`);
    // Reference: one shard is one server at ρ = 8 · 0.1 = 0.8: W = 8 · 0.02 / (2 · 0.2) = 400 ms.
    expect(row('shards').model).toBe('M/G/1 (Pollaczek–Khinchine)');
    expectSame(row('shards').analytic, pollaczekKhinchineWait(8, 0.1, 0.01) * 1000);
    expect(row('shards').analytic).toBeCloseTo(400, 6);
  });

  it('hedged: each shard also gets the backup copies, at the rate the run measured', () => {
    const { row, result } = theoryOf(`name: hedged
arrivals: { process: poisson, qps: 4 }
stop: { requests: 3000 }
stages:
  - name: shards
    replicas: 1
    fanout: { shards: 4, hedgeAfter: "200ms" }
    service: { dist: exponential, mean: "100ms" }
`);
    const st = result.stages['shards']!;
    // Parents reaching the stage per second, times (1 + backups per sub-request): the
    // rate one shard receives. At 4/s a shard is 40 % busy without hedges; the backups
    // (hedgeExtraLoad, a few tenths) push it higher.
    const lambda = ((st.completed + st.dropped) / result.measuredS) * (1 + st.hedgeExtraLoad!);
    expect(st.hedgeExtraLoad!).toBeGreaterThan(0.05);
    expectSame(row('shards').analytic, pollaczekKhinchineWait(lambda, 0.1, 0.01) * 1000);
    expect(row('shards').note).toContain('hedged sub-requests add backup copies');
  });
});
