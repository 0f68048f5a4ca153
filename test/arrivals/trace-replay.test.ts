import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioFromText } from '../../src/config/parse.ts';
import { runScenario } from '../../src/models/index.ts';
import { openTraceFile } from '../../src/cli/trace-file.ts';

const TRACES = resolve(__dirname, '../../examples/traces');

/**
 * An independent replay: parse the CSV with a few lines of our own, then run the
 * Kiefer–Wolfowitz recursion for a FIFO queue with c servers (each arrival starts
 * on the server that frees first, never before it arrives). Reference: Kiefer &
 * Wolfowitz (1955), "On the theory of queues with many servers".
 */
function kieferWolfowitz(file: string, servers: number): number[] {
  const lines = readFileSync(file, 'utf8').trim().split(/\r?\n/); // the files have CRLF endings
  const header = lines[0]!.split(',');
  const [ti, ci, gi] = ['TIMESTAMP', 'ContextTokens', 'GeneratedTokens'].map((c) => header.indexOf(c));
  // Whole seconds since the epoch and the fraction stay apart until the difference is
  // taken: 1.7e9 + 0.98 in one double would round to 2.4e-7 s.
  const parts = (ts: string): [number, number] => {
    const [date, time] = ts.split(' ');
    const [y, mo, d] = date!.split('-').map(Number);
    const [h, mi, sec] = time!.split(':');
    const whole = Math.floor(Number(sec));
    return [Date.UTC(y!, mo! - 1, d!, Number(h), Number(mi), whole) / 1000, Number(`0.${sec!.split('.')[1] ?? '0'}`)];
  };
  const rows = lines.slice(1).map((l) => l.split(','));
  const [w0, f0] = parts(rows[0]![ti!]!);
  const seconds = (ts: string): number => {
    const [w, f] = parts(ts);
    return w - w0 + (f - f0);
  };
  const t0 = 0;
  const free = new Array<number>(servers).fill(-Infinity);
  return rows.map((r) => {
    const a = seconds(r[ti!]!) - t0;
    const s = 0.05 + 0.00002 * Number(r[ci!]) + 0.002 * Number(r[gi!]);
    let j = 0;
    for (let k = 1; k < servers; k++) if (free[k]! < free[j]!) j = k;
    const finish = Math.max(a, free[j]!) + s;
    free[j] = finish;
    return finish - a;
  });
}

const scenario = (file: string, extra = '') =>
  scenarioFromText({
    name: 'trace.yaml',
    text: `name: replay
arrivals: { process: trace, file: "${file}"${extra} }
stages:
  - name: llm
    replicas: 4
    service: { dist: linear, base: "50ms", per: { ContextTokens: "0.02ms", GeneratedTokens: "2ms" } }
`,
  });

const openTrace = (path: string, o: { timestampColumn: string | undefined }) => openTraceFile(path, path, o.timestampColumn);

describe('trace replay is exact', () => {
  for (const name of ['azure-llm-2023-code.csv', 'azure-llm-2023-conv.csv']) {
    it(`${name}: mean, p50, p99 and max equal the Kiefer–Wolfowitz recursion`, () => {
      const file = join(TRACES, name);
      const exact = kieferWolfowitz(file, 4);
      const r = runScenario(scenario(file), { openTrace });
      expect(r.requests.arrived).toBe(exact.length);
      expect(r.requests.completed).toBe(exact.length);
      const sorted = [...exact].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.floor(q * (sorted.length - 1))]! * 1000;
      const mean = (exact.reduce((a, b) => a + b, 0) / exact.length) * 1000;
      // Mean and max are kept exactly: only float summation order differs (1e-9).
      expect(Math.abs(r.latencyMs.mean / mean - 1)).toBeLessThan(1e-9);
      expect(Math.abs(r.latencyMs.max / (sorted[sorted.length - 1]! * 1000) - 1)).toBeLessThan(1e-9);
      // Quantiles come from the sketch: within its 0.1 % of the exact order statistic.
      expect(Math.abs(r.latencyMs.p50 / at(0.5) - 1)).toBeLessThanOrEqual(0.001);
      expect(Math.abs(r.latencyMs.p99 / at(0.99) - 1)).toBeLessThanOrEqual(0.001);
    });
  }

  it('rate: 2x replays twice as fast: the same as halving every timestamp', () => {
    const file = join(TRACES, 'azure-llm-2023-conv.csv');
    const r1 = runScenario(scenario(file), { openTrace });
    const r2 = runScenario(scenario(file, ', rate: 2x'), { openTrace });
    expect(r2.requests.arrived).toBe(r1.requests.arrived);
    // Twice the rate: the last arrival comes at half the time (1 s windows: ±1 window).
    const lastArrivalWindow = (r: typeof r1) => r.timeSeries.arrivals.findLastIndex((n) => n > 0);
    expect(Math.abs(lastArrivalWindow(r2) - lastArrivalWindow(r1) / 2)).toBeLessThanOrEqual(1);
    // Every window of the faster replay gets the arrivals of two windows of the original.
    expect(r2.timeSeries.arrivals[0]).toBe(r1.timeSeries.arrivals[0]! + r1.timeSeries.arrivals[1]!);
    expect(r2.latencyMs.p99).toBeGreaterThan(r1.latencyMs.p99);
  });

  it('timing: poisson keeps the rows but spaces them as Poisson arrivals at the trace mean rate', () => {
    const file = join(TRACES, 'azure-llm-2023-conv.csv');
    const replay = runScenario(scenario(file), { openTrace });
    const poisson = runScenario(scenario(file, ', timing: poisson'), { openTrace });
    expect(poisson.requests.arrived).toBe(replay.requests.arrived);
    // Same rows: the same total work, so the same busy time (19,366 service times summed).
    const busy = (r: typeof replay) => r.stages.llm!.utilization * 4 * r.measuredS;
    expect(Math.abs(busy(poisson) / busy(replay) - 1)).toBeLessThan(1e-9);
    // Same mean rate: 19,365 Poisson gaps sum to the trace's span within ±2.2 % (3 sd = 3/√n).
    const lastArrival = (r: typeof replay) => r.timeSeries.arrivals.findLastIndex((n) => n > 0);
    expect(Math.abs(lastArrival(poisson) / lastArrival(replay) - 1)).toBeLessThan(0.022);
  });

  it('the same trace with no randomness gives the same result whatever the seed', () => {
    const file = join(TRACES, 'azure-llm-2023-code.csv');
    const a = runScenario(scenario(file), { openTrace, seed: 1 });
    const b = runScenario(scenario(file), { openTrace, seed: 99 });
    expect(JSON.stringify({ ...a, seed: 0 })).toBe(JSON.stringify({ ...b, seed: 0 }));
  });
});
