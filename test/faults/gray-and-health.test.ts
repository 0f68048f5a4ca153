/**
 * Gray failures, the health check's ejections, attainment during and outside incidents,
 * and time to recover (src/models/faults.ts), each counted by hand on a deterministic
 * pool or checked against the alternating renewal process's averages.
 *
 * Hand cases use constant arrivals (the k-th at k s) and deterministic service, with the
 * fault and probe times chosen so that no two events of the count fall at the same
 * instant (no tie decides anything). Probes run at every multiple of the interval from 0.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/config/schema.ts';
import { runScenario } from '../../src/models/index.ts';

/** A one-stage scenario in the validated shape (durations in seconds). */
function scenario(stage: Record<string, unknown>, extra: Record<string, unknown> = {}): Scenario {
  return {
    name: 'gray',
    arrivals: { process: 'constant', qps: 1 },
    stop: { requests: 60 },
    ...extra,
    stages: [{ name: 'pool', service: { dist: 'deterministic', value: 0.1 }, ...stage }],
  } as unknown as Scenario;
}

const slo = (latencyS: number) => ({ slo: { target: `p99 < ${latencyS}s`, latencyS, fraction: 0.99 } });

describe('gray failures', () => {
  it('a slow replica serves k times slower: mean service (1 − f)·s + f·k·s with f = E[duration] / (E[between] + E[duration])', () => {
    // One replica with more slots than requests ever in flight, so every request starts
    // on arrival: Poisson arrivals see the replica's time-average state (PASTA), so a
    // share f = 1 / (9 + 1) = 0.1 of them start slow. Reference: 0.9 × 10 ms + 0.1 × 50 ms = 14 ms.
    const r = runScenario({
      name: 'gray-mean',
      seed: 3,
      arrivals: { process: 'poisson', qps: 2 },
      stop: { requests: 40_000 },
      warmup: { requests: 200 },
      stages: [
        {
          name: 'pool',
          replicas: 1,
          concurrency: 1000,
          service: { dist: 'deterministic', value: 0.01 },
          faults: { gray: { between: { dist: 'exponential', mean: 9 }, duration: { dist: 'exponential', mean: 1 }, slowdown: 5 } },
        },
      ],
    } as unknown as Scenario);
    const st = r.stages['pool']!;
    const f = st.faults!;
    const n = r.requests.completed;
    // Exact: every request took 10 ms, or 50 ms if its replica was slow when it started.
    expect(st.timeInStageMs!.mean).toBeCloseTo(10 + (40 * f.servedSlow) / n, 6);
    // Statistical, about 20,000 s and 2,000 spells: the two-state chain's time average
    // has standard deviation √(2 f (1 − f) / ((a + b) T)) = √(2 × 0.09 / (1.11 × 20,000)) ≈ 0.003,
    // and the share of requests adds √(0.09 / 40,000) ≈ 0.0015: ±0.015 is 4 of them combined.
    expect(Math.abs(f.slowShare - 0.1)).toBeLessThan(0.015);
    expect(Math.abs(f.servedSlow / n - 0.1)).toBeLessThan(0.015);
    expect(Math.abs(st.timeInStageMs!.mean - 14)).toBeLessThan(40 * 0.015);
    expect(f.slowSpells).toBeGreaterThan(1500);
    // Nothing is down: gray failures cost latency, not availability.
    expect(f.availability).toBe(1);
    expect(r.requests.dropped).toBe(0);
  });

  it('a plain liveness probe never ejects a slow replica; a latency probe (ejectSlow) does, after one interval at most', () => {
    // One replica, slow (4×) from 10.45 s to 15.45 s; probes every 0.9 s. Liveness: the
    // request of 11 s … 15 s take 0.4 s each, none is ejected.
    const gray = { between: { dist: 'deterministic', value: 10.45 }, duration: { dist: 'deterministic', value: 5 }, slowdown: 4 };
    const live = runScenario(scenario({ replicas: 1, faults: { gray, healthCheck: { interval: 0.9 } } }, { stop: { requests: 20 } }));
    expect(live.stages['pool']!.faults).toMatchObject({ ejections: 0, servedSlow: 5, slowSpells: 1 });
    // Latency probe, thresholds 1: the probe of 10.8 s fails and ejects it (0.35 s after it
    // turned slow); with no replica in rotation, the requests of 11 … 16 s wait; it is
    // healthy at 15.45 s and put back by the probe of 16.2 s, which starts 11 s's request;
    // 12 … 16 s's follow every 0.1 s, the last at 16.7 s.
    const r = runScenario(scenario({ replicas: 1, faults: { gray, healthCheck: { interval: 0.9, failureThreshold: 1, successThreshold: 1, ejectSlow: true } } }, { stop: { requests: 20 } }));
    const f = r.stages['pool']!.faults!;
    expect(f.ejections).toBe(1);
    expect(f.meanTimeToEjectS!).toBeCloseTo(10.8 - 10.45, 9);
    expect(f.servedSlow).toBe(0);
    expect(f.ejectedShare).toBeCloseTo((16.2 - 10.8) / r.measuredS, 9);
    // The incident runs from 10.45 s (slow) to 16.2 s (back in rotation); six requests
    // wait then, none at 10.45 s: the queue is back to 0 when 16 s's starts, 0.5 s later.
    expect(f.timeInIncidentS).toBeCloseTo(16.2 - 10.45, 9);
    expect(f.recoveries).toBe(1);
    expect(f.meanTimeToRecoverS!).toBeCloseTo(0.5, 9);
    // The request of 11 s waited until 16.2 s and took 0.1 s.
    expect(r.latencyMs.max).toBeCloseTo(5300, 0);
  });
});

describe('gray failures scoped to the shard', () => {
  it('on a pool (one shard) one clock turns every replica slow together: one spell, the same slow share', () => {
    // Three replicas, slow (4×) from 10.45 s to 15.45 s, on one clock (scope shard) or on
    // three that draw the same deterministic times (scope replica): the same replica-time
    // slow and the same five requests (11 … 15 s) served slow; one spell against three.
    const gray = { between: { dist: 'deterministic', value: 10.45 }, duration: { dist: 'deterministic', value: 5 }, slowdown: 4 };
    const shard = runScenario(scenario({ replicas: 3, faults: { gray: { ...gray, scope: 'shard' } } }, { stop: { requests: 20 } }));
    const replica = runScenario(scenario({ replicas: 3, faults: { gray } }, { stop: { requests: 20 } }));
    const fs = shard.stages['pool']!.faults!;
    const fr = replica.stages['pool']!.faults!;
    expect(fs).toMatchObject({ slowSpells: 1, servedSlow: 5 });
    expect(fr).toMatchObject({ slowSpells: 3, servedSlow: 5 });
    expect(fs.slowShare).toBeCloseTo(5 / shard.measuredS, 9);
    expect(fr.slowShare).toBeCloseTo(fs.slowShare, 12);
  });

  it('in a fan-out the shard clock slows exactly its shard: a hedge to the other replica is slow too', () => {
    // Two shards of two replicas, requests every second, 0.1 s calls, hedges after 0.15 s
    // (fired only for slow calls, which take 0.4 s). Shard clocks draw 10.45 s then 5 s each:
    // both shards slow from 10.45 s to 15.45 s, so the 5 requests of 11 … 15 s have both
    // copies slow on every shard: 2 shards × (original + backup) = 20 slow starts, and each
    // such request takes the original's 0.4 s (the backup, started 0.15 s later, ends later).
    const gray = { between: { dist: 'deterministic', value: 10.45 }, duration: { dist: 'deterministic', value: 5 }, slowdown: 4, scope: 'shard' };
    const r = runScenario(scenario({ replicas: 2, fanout: { shards: 2, hedgeAfter: 0.15 }, faults: { gray } }, { stop: { requests: 20 } }));
    const f = r.stages['pool']!.faults!;
    expect(f).toMatchObject({ slowSpells: 2, servedSlow: 20 });
    expect(r.latencyMs.max).toBeCloseTo(400, 6);
  });
});

describe('health checks and ejection', () => {
  /**
   * Two replicas, an arrival every second, 0.1 s of service: every request runs on replica
   * 0 (idle, lowest index). Replica 0 is down from 10.5 s to 30.5 s; probes every 0.7 s.
   */
  const outage = { outages: [{ at: 10.5, duration: 20, share: 0.5 }] };

  it('without a health check the dispatcher stops using a down replica at once: nothing is lost', () => {
    const r = runScenario(scenario({ replicas: 2, faults: outage }, slo(0.5)));
    const f = r.stages['pool']!.faults!;
    expect(f.lostToFailures).toBe(0);
    expect(r.requests).toMatchObject({ arrived: 60, completed: 60, dropped: 0 });
    // The incident is [10.5, 30.5] s (no backlog, recovered at once): requests 11 … 30 overlap it.
    expect(f).toMatchObject({ requestsDuringIncidents: 20, requestsOutsideIncidents: 40, sloDuringIncidents: 1, sloOutsideIncidents: 1, ejections: 0, ejectedShare: 0 });
  });

  it('with one, a crashed replica is a black hole until ejected: the request it swallows is lost at the ejection', () => {
    // Probes at 11.2, 11.9, 12.6 s fail: ejected at 12.6 s (failureThreshold 3), 2.1 s after
    // the crash. The request of 11 s went to replica 0 (still in rotation, idle) and was
    // swallowed; the one of 12 s found it busy and ran on replica 1. Replica 0 is up at
    // 30.5 s; the probe of 30.8 s passes and puts it back (successThreshold 1).
    const r = runScenario(scenario({ replicas: 2, faults: { ...outage, healthCheck: { interval: 0.7 } } }, slo(0.5)));
    const f = r.stages['pool']!.faults!;
    expect(f.lostToFailures).toBe(1);
    expect(r.requests).toMatchObject({ arrived: 60, completed: 59, dropped: 1 });
    expect(f.ejections).toBe(1);
    expect(f.meanTimeToEjectS!).toBeCloseTo(12.6 - 10.5, 9);
    expect(f.ejectedShare).toBeCloseTo((30.8 - 12.6) / (2 * r.measuredS), 9);
    expect(f.availability).toBeCloseTo(1 - 20 / (2 * r.measuredS), 9);
    expect(f.timeInIncidentS).toBeCloseTo(30.8 - 10.5, 9);
    // During: requests 11 … 30 (the lost one a miss), outside the other 40, all in 0.1 s.
    expect(f).toMatchObject({ requestsDuringIncidents: 20, requestsOutsideIncidents: 40, sloOutsideIncidents: 1 });
    expect(f.sloDuringIncidents).toBeCloseTo(19 / 20, 12);
  });

  it('with inFlight: retry the swallowed request is retried at the ejection, on the other replica', () => {
    const r = runScenario(scenario({ replicas: 2, faults: { ...outage, inFlight: 'retry', healthCheck: { interval: 0.7 } } }, slo(0.5)));
    const f = r.stages['pool']!.faults!;
    expect(f.lostToFailures).toBe(0);
    expect(r.requests).toMatchObject({ arrived: 60, completed: 60, dropped: 0 });
    // The request of 11 s: retried at 12.6 s on replica 1 (idle since 12.1 s), done at 12.7 s.
    expect(r.latencyMs.max).toBeCloseTo(1700, 0);
    expect(f.sloDuringIncidents).toBeCloseTo(19 / 20, 12);
  });
});

describe('attainment during and outside incidents, and time to recover', () => {
  it('a scripted outage of the only replica: the backlog, its drain, and the split, by hand', () => {
    // One replica, 0.5 s of service, down from 10.2 s to 15.2 s. The request of 10 s (in
    // service) is lost; 11 … 15 s queue. From 15.2 s one starts every 0.5 s while one
    // arrives every second: waiting 4 at 15.2 s, and it first reaches 0 when 18 s's starts
    // at 18.7 s, so the incident (waiting 0 when it began) recovers 3.5 s after it ended.
    const r = runScenario(
      scenario({ replicas: 1, service: { dist: 'deterministic', value: 0.5 }, faults: { outages: [{ at: 10.2, duration: 5, share: 1 }] } }, { stop: { requests: 40 }, ...slo(1) }),
    );
    const f = r.stages['pool']!.faults!;
    expect(f.recoveries).toBe(1);
    expect(f.meanTimeToRecoverS!).toBeCloseTo(3.5, 9);
    expect(f.maxTimeToRecoverS!).toBeCloseTo(3.5, 9);
    // The window is [10.2, 18.7] s: requests 10 … 18 overlap it (10 lost, 11 … 18 done in
    // 4.7, 4.2, …, 1.2 s: all over the 1 s objective); 1 … 9 and 19 … 40 are outside, all
    // within it (19 s's waits 0.2 s: 0.7 s).
    expect(f).toMatchObject({ requestsDuringIncidents: 9, requestsOutsideIncidents: 31, sloDuringIncidents: 0, sloOutsideIncidents: 1, lostToFailures: 1 });
    // And the whole run's attainment is the two parts weighted by their requests.
    expect(r.slo!.attainment).toBeCloseTo((0 * 9 + 1 * 31) / 40, 12);
  });

  it('without an objective the split counts requests and gives no attainment', () => {
    const r = runScenario(scenario({ replicas: 1, faults: { outages: [{ at: 10.2, duration: 5, share: 1 }] } }));
    const f = r.stages['pool']!.faults!;
    expect(f.sloDuringIncidents).toBeNull();
    expect(f.sloOutsideIncidents).toBeNull();
    expect(f.requestsDuringIncidents + f.requestsOutsideIncidents).toBe(r.requests.arrived);
  });
});

describe('conservation with gray failures and health checks (property)', () => {
  it('arrived = completed + dropped, every measured request is during or outside, and shares stay in [0, 1]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom('lost', 'retry'),
        fc.boolean(),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 1000 }),
        (replicas, concurrency, inFlight, ejectSlow, threshold, seed) => {
          const r = runScenario({
            name: 'prop',
            seed,
            arrivals: { process: 'poisson', qps: 20 },
            stop: { requests: 600 },
            warmup: { requests: 50 },
            slo: { target: 'p99 < 300ms', latencyS: 0.3, fraction: 0.99 },
            stages: [
              {
                name: 'pool',
                replicas,
                concurrency,
                service: { dist: 'exponential', mean: 0.05 },
                faults: {
                  failures: { between: { dist: 'exponential', mean: 3 }, repair: { dist: 'exponential', mean: 1 } },
                  gray: { between: { dist: 'exponential', mean: 2 }, duration: { dist: 'exponential', mean: 1 }, slowdown: 3 },
                  healthCheck: { interval: 0.3, failureThreshold: threshold, successThreshold: 1, ejectSlow },
                  inFlight,
                },
              },
            ],
          } as unknown as Scenario);
          const q = r.requests;
          expect(q.arrived).toBe(q.completed + q.dropped);
          expect(q.inFlight).toBe(0);
          const f = r.stages['pool']!.faults!;
          expect(f.requestsDuringIncidents + f.requestsOutsideIncidents).toBe(q.arrived);
          for (const v of [f.availability, f.slowShare, f.ejectedShare]) {
            expect(v).toBeGreaterThanOrEqual(0);
            expect(v).toBeLessThanOrEqual(1 + 1e-12);
          }
          if (inFlight === 'retry') expect(f.lostToFailures).toBe(0);
        },
      ),
      { seed: 17, numRuns: 40 },
    );
  });
});

describe('conservation on a fan-out with gray replicas, failures and health checks, hedged or tied (property)', () => {
  it('every parent completes or is dropped, and each sub-request is counted once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 3 }), fc.constantFrom('none', 'hedge', 'tied-start', 'tied-finish'), fc.constantFrom('lost', 'retry'), fc.integer({ min: 1, max: 1000 }), (replicas, copies, inFlight, seed) => {
        const extra = copies === 'hedge' ? { hedgeAfter: 0.05 } : copies === 'tied-start' ? { tied: { cancel: 'onStart' } } : copies === 'tied-finish' ? { tied: { cancel: 'onFinish' } } : {};
        const r = runScenario({
          name: 'prop-fanout',
          seed,
          arrivals: { process: 'poisson', qps: 10 },
          stop: { requests: 300 },
          slo: { target: 'p99 < 300ms', latencyS: 0.3, fraction: 0.99 },
          stages: [
            {
              name: 'shards',
              replicas,
              fanout: { shards: 5, ...extra },
              service: { dist: 'exponential', mean: 0.02 },
              faults: {
                failures: { between: { dist: 'exponential', mean: 2 }, repair: { dist: 'exponential', mean: 0.5 } },
                gray: { between: { dist: 'exponential', mean: 1 }, duration: { dist: 'exponential', mean: 0.5 }, slowdown: 5 },
                healthCheck: { interval: 0.2, failureThreshold: 2, successThreshold: 1, ejectSlow: true },
                inFlight,
              },
            },
          ],
        } as unknown as Scenario);
        const q = r.requests;
        expect(q.arrived).toBe(q.completed + q.dropped);
        expect(q.inFlight).toBe(0);
        const f = r.stages['shards']!.faults!;
        expect(f.requestsDuringIncidents + f.requestsOutsideIncidents).toBe(q.arrived);
        expect(f.ejectedShare).toBeGreaterThanOrEqual(0);
        expect(f.ejectedShare).toBeLessThanOrEqual(1);
      }),
      { seed: 23, numRuns: 30 },
    );
  });
});
