import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/config/errors.ts';
import { LIMITS, MAX_TIME_S } from '../../src/config/limits.ts';
import { scenarioFromText } from '../../src/config/parse.ts';
import type { Scenario } from '../../src/config/schema.ts';
import { runScenario } from '../../src/models/index.ts';

/** The problems validation reports for a YAML scenario (empty when it is valid). */
function problems(text: string): string[] {
  try {
    scenarioFromText({ name: 's.yaml', text });
    return [];
  } catch (e) {
    if (e instanceof InputError) return [...e.problems];
    throw e;
  }
}

const base = (stage: string, extra = '', arrivals = '{ process: poisson, qps: 10 }', stop = '{ requests: 1000 }') => `
arrivals: ${arrivals}
stop: ${stop}
${extra}
stages:
  - name: m
    replicas: 1
    service: { dist: exponential, mean: "10ms" }
${stage}
`;

/** The InputError a run raises, or a failure when it raises none. */
function runError(s: Scenario): string {
  try {
    runScenario(s);
  } catch (e) {
    if (e instanceof InputError) return e.problems.join('\n');
    throw e;
  }
  throw new Error('the run was not refused');
}

describe('validation limits on counts that allocate', () => {
  it.each([
    ['replicas', base('').replace('replicas: 1', 'replicas: 1e11'), 's.yaml:7:15: stages[0].replicas: at most 100,000 replicas per stage'],
    ['fanout.shards', base('    fanout: { shards: 1000000 }'), 'stages[0].fanout.shards: at most 10,000 shards'],
    ['batching.maxBatch', base('    batching: { maxBatch: 1000000000 }').replace('{ dist: exponential, mean: "10ms" }', '{ dist: linear, base: "5ms", perItem: "1ms" }'), 'stages[0].batching.maxBatch: at most 100,000 requests per batch'],
    ['retry.maxAttempts', base('', 'retry: { timeout: "1s", maxAttempts: 1000000000 }'), 'retry.maxAttempts: at most 1,000 attempts per call, got 1,000,000,000'],
    ['autoscale.max', base('    autoscale: { metric: queue, target: 1, min: 1, max: 1000000, coldStart: { dist: deterministic, value: "1s" } }'), 'stages[0].autoscale.max: at most 100,000'],
    ['autoscale.syncPeriod', base('    autoscale: { metric: queue, target: 1, min: 1, max: 4, syncPeriod: "1ns", coldStart: { dist: deterministic, value: "1s" } }'), 'stages[0].autoscale.syncPeriod: must be at least "100ms"'],
    [
      'autoscale window over syncs',
      base('    autoscale: { metric: queue, target: 1, min: 1, max: 4, syncPeriod: "1s", scaleDownWindow: "30d", coldStart: { dist: deterministic, value: "1s" } }'),
      'stages[0].autoscale.scaleDownWindow: a "720h" scaleDownWindow holds 2,592,000 syncs',
    ],
    ['timeSeries.window', base('', 'timeSeries: { window: "1ns" }', undefined, '{ duration: "100s" }'), 'timeSeries.window: "0.001us" makes about 100,000,000,000 windows over the run\'s "100s"; at most 100,000: use a window of at least "1ms"'],
    ['stop.requests', base('', '', undefined, '{ requests: 1e10 }'), 'stop.requests: at most 1,000,000,000 arrivals per run'],
    ['qps × duration', base('', '', '{ process: poisson, qps: 1e12 }', '{ duration: "1s" }'), 'stop.duration: 1,000,000,000,000 requests/s for "1s" is about 1,000,000,000,000 arrivals'],
    ['span precision (duration)', base('', '', '{ process: poisson, qps: 1e-12 }', '{ duration: "1e9d" }'), 'stop.duration: the run would reach 8.64e+13 s'],
    ['span precision (requests)', base('', '', '{ process: poisson, qps: 1e-12 }', '{ requests: 1000 }'), 'stop.requests: the run would reach 1.00e+15 s'],
  ])('%s', (_, text, fragment) => {
    const p = problems(text);
    expect(p.join('\n')).toContain(fragment);
    expect(p).toHaveLength(1);
  });

  it('accepts values at the limits, and a huge queue bound (it does not preallocate)', () => {
    expect(problems(base('    queue: { capacity: 1000000000000 }'))).toEqual([]);
    expect(problems(base('    fanout: { shards: 10000 }').replace('replicas: 1', `replicas: ${LIMITS.replicas}`))).toEqual([]);
    expect(problems(base('', 'timeSeries: { window: "1ms" }', undefined, '{ duration: "100s" }'))).toEqual([]);
    const s = scenarioFromText({ name: 's.yaml', text: base('    queue: { capacity: 1000000000000 }') });
    expect(runScenario(s).requests.completed).toBe(1000);
  });

  it('2^33 s is the longest span float64 seconds resolve to 1 µs', () => {
    expect(MAX_TIME_S).toBe(2 ** 33);
    // One ulp just below 2^33 is 2^-20 s (< 1 µs); from 2^33 on it is 2^-19 s (> 1 µs).
    const below = 2 ** 33 - 1;
    expect(below + 2 ** -20).not.toBe(below);
    expect(2 ** 33 + 2 ** -20).toBe(2 ** 33);
  });

  it('warm-up at or above stop says what to change', () => {
    const p = problems(base('', 'warmup: { requests: 40000 }'));
    expect(p).toEqual(['s.yaml:4:21: warmup.requests: warm-up (40,000 requests) must be shorter than the run (stop.requests: 1,000): lower it too, e.g. --set warmup.requests=100 (a tenth of the run), or raise stop.requests above 40,000']);
  });
});

describe('limits during a run', () => {
  const pool = (over: Partial<Scenario>): Scenario => ({
    seed: 1,
    arrivals: { process: 'poisson', qps: 1000 },
    stop: { requests: 1_000_000 },
    stages: [{ name: 'ranker', replicas: 4, service: { dist: 'exponential', mean: 1 } }],
    ...over,
  });

  it('refuses up front an unbounded queue that would outgrow the bound, naming the stage and the fixes', () => {
    const msg = runError(pool({ limits: { maxInFlight: 100_000 } }));
    expect(msg).toContain('stage "ranker" is overloaded: 1,000 requests/s arrive and it completes at most 4 requests/s');
    expect(msg).toContain('would hold about 996,000 requests');
    expect(msg).toContain('stages[0].replicas');
    expect(msg).toContain('stages[0].queue: { capacity: N }');
    expect(msg).toContain('stop.requests');
  });

  it('stops a run that holds more requests than the bound (a spike the mean rate does not show)', () => {
    const msg = runError(
      pool({
        arrivals: { process: 'spike', qps: 1, factor: 1000, at: 10, duration: 100 },
        stop: { duration: 200 },
        limits: { maxInFlight: 20_000 },
      }),
    );
    expect(msg).toMatch(/stage "ranker" is overloaded: [\d,]+ requests\/s arrived on average so far/);
    expect(msg).toContain('the run now holds 20,000 requests');
  });

  it('counts each sub-request of a fan-out against the bound', () => {
    const msg = runError({
      seed: 1,
      arrivals: { process: 'spike', qps: 1, factor: 100, at: 1, duration: 100 },
      stop: { duration: 200 },
      limits: { maxInFlight: 50_000 },
      stages: [{ name: 'shards', replicas: 1, fanout: { shards: 1000, quorum: 1000 }, service: { dist: 'exponential', mean: 0.05 } }],
    });
    expect(msg).toContain('stage "shards" is overloaded');
    expect(msg).toMatch(/the run now holds [\d,]+ requests/);
  });

  it("counts a retrying client's abandoned attempts against the bound (held in the stage, no longer in flight)", () => {
    // A spike of 1,000/s for 100 s on one replica serving 2/s: calls give up after 10 ms
    // and never retry, so about 10 calls (1,000/s × 10 ms) are in flight at a time, while
    // the attempts they abandon stay in the queue: past the bound of 2,000 within 3 s.
    const msg = runError(
      pool({
        arrivals: { process: 'spike', qps: 1, factor: 1000, at: 10, duration: 100 },
        stop: { duration: 200 },
        retry: { timeout: 0.01, maxAttempts: 1 },
        limits: { maxInFlight: 2_000 },
        stages: [{ name: 'ranker', replicas: 1, service: { dist: 'exponential', mean: 0.5 } }],
      }),
    );
    expect(msg).toContain('stage "ranker" is overloaded');
    expect(msg).toContain('the run now holds 2,000 requests');
  });

  it("sizes the default windows for an overloaded queue's drain, not only for the arrivals", () => {
    // 20,000 arrivals in ~200 s, then ~19,800 s of draining at 1 request/s. Sized for
    // the arrivals alone, 1 s windows made ~20,000 windows (2M requests: 2M windows, 2.4 GB).
    const r = runScenario(
      pool({
        arrivals: { process: 'poisson', qps: 100 },
        stop: { requests: 20_000 },
        stages: [{ name: 'ranker', replicas: 1, service: { dist: 'exponential', mean: 1 } }],
      }),
    );
    expect(r.endS).toBeGreaterThan(19_000);
    // Expected: 200 s of arrivals + 19,800 s of drain = 20,000 s, so 2 s windows (at most 10,000).
    expect(r.timeSeries.windowS).toBe(2);
    // The drain's real length varies by about √20,000 s around the expected: 10,046 windows
    // with this seed. Sized for the arrivals alone it would be ~20,000.
    expect(r.timeSeries.startS.length).toBeLessThan(11_000);
  });

  it('caps time-series windows when validation could not tell the run length', () => {
    const msg = runError(
      pool({
        arrivals: { process: 'schedule', steps: [{ at: 0, qps: 1 }] },
        stop: { requests: 1000 },
        timeSeries: { window: 0.001 },
        stages: [{ name: 'ranker', replicas: 4, service: { dist: 'exponential', mean: 0.01 } }],
      }),
    );
    expect(msg).toContain('timeSeries.window: the run reached');
    expect(msg).toContain('100,000 windows of "1ms"');
  });

  it('refuses arrivals past 2^33 s when validation could not tell the run length', () => {
    const msg = runError(
      pool({
        arrivals: { process: 'schedule', steps: [{ at: 0, qps: 1e-12 }] },
        stop: { requests: 10 },
        stages: [{ name: 'ranker', replicas: 1, service: { dist: 'deterministic', value: 0.001 } }],
      }),
    );
    expect(msg).toContain('stop.requests: the run would reach');
    expect(msg).toContain('2^33 s');
  });
});
