import { describe, expect, it } from 'vitest';
import { ServingSystem } from '../../src/models/index.ts';

/** One shard of two replicas, exponential service of mean 10 ms; optionally tied. */
function scenario(qps: number, tied?: 'onStart' | 'onFinish', shards = 1, replicas = 2) {
  return {
    seed: 5,
    arrivals: { process: 'poisson' as const, qps },
    stop: { requests: 20000 },
    stages: [
      {
        name: 'fan',
        replicas,
        fanout: { shards, ...(tied === undefined ? {} : { tied: { cancel: tied } }) },
        service: { dist: 'exponential' as const, mean: 0.01 },
      },
    ],
  };
}

describe('tied requests on a fan-out', () => {
  it('onFinish on an idle system: latency is the min of two exponentials (the mean halves), one extra copy each', () => {
    // 1 request/s against 10 ms calls: a request finds its shard busy with probability
    // about 1%·2 per copy, so this is the idle system up to that. Reference: the min of
    // two independent exponentials of mean m is exponential of mean m/2: mean 5 ms,
    // median 5·ln 2 = 3.47 ms. 20,000 requests: the mean's standard error is
    // 5/√20000 = 0.035 ms, so ±0.2 ms is 5.7 standard errors.
    const r = new ServingSystem(scenario(1, 'onFinish')).run();
    expect(Math.abs(r.latencyMs.mean - 5)).toBeLessThan(0.2);
    // The median's standard error is about m/2 · 1/(2·0.5·√n)... ≈ 0.035 ms too; ±0.2 ms.
    expect(Math.abs(r.latencyMs.p50 - 5 * Math.LN2)).toBeLessThan(0.2);
    // Both copies start every time: one extra sub-request served per sub-request.
    expect(r.hedgeExtraLoad).toBe(1);
    // The loser is stopped when the winner ends: each copy holds a replica for the min,
    // so busy share = 2 copies × 5 ms × 1/s ÷ 2 replicas = 0.5% (±10%: 20,000 draws).
    expect(Math.abs(r.stages['fan']!.utilization / 0.005 - 1)).toBeLessThan(0.1);
    expect(r.requests.completed).toBe(20000);
  });

  it('onStart on an idle system: plain service time, the copy cancelled at once', () => {
    const untied = new ServingSystem(scenario(1)).run();
    const tied = new ServingSystem(scenario(1, 'onStart')).run();
    // The first copy starts on arrival, so its twin is never served: latency is one
    // exponential, mean 10 ms (±0.4 ms, 5.7 standard errors of 10/√20000)...
    expect(Math.abs(tied.latencyMs.mean - 10)).toBeLessThan(0.4);
    expect(tied.hedgeExtraLoad).toBe(0);
    // ... and the very draws of the untied run (the tie's replica choice has its own stream).
    expect(tied.latencyMs).toEqual(untied.latencyMs);
  });

  it('onStart with two replicas is exactly one shared queue: each pair is served by whichever replica frees first', () => {
    // Exact replay under load (75% busy, where queues form): joining both replicas' FIFO
    // queues and leaving the other when served is the shared FIFO queue of M/M/2.
    const shared = new ServingSystem(scenario(150, undefined, 3)).run();
    const tied = new ServingSystem(scenario(150, 'onStart', 3)).run();
    expect(tied.latencyMs).toEqual(shared.latencyMs);
    expect(tied.stages['fan']!.queueWaitMs).toEqual(shared.stages['fan']!.queueWaitMs);
    // A waiting pair is two entries, one in each replica's queue (the figure counts queue
    // entries, so it doubles; a pair is never half-queued under onStart).
    expect(tied.stages['fan']!.meanQueueLength).toBeCloseTo(2 * shared.stages['fan']!.meanQueueLength, 9);
    expect(tied.requests).toEqual(shared.requests);
  });

  it('onFinish with two replicas is one server twice as fast: the pair always runs together (M/M/1 at 2μ)', () => {
    // Both FIFO queues hold the pairs in the same order and a loser leaves when its winner
    // ends, so the two replicas always serve the same request. Reference: M/M/1 with
    // μ = 200/s, λ = 150/s: mean time in system 1/(μ − λ) = 20 ms. Whitt's asymptotic
    // variance of the M/M/1 sample mean at ρ = 0.75 gives a standard error of about 1 ms
    // over 20,000 requests; ±3 ms is 3 of them.
    const r = new ServingSystem(scenario(150, 'onFinish')).run();
    expect(Math.abs(r.latencyMs.mean - 20)).toBeLessThan(3);
    expect(r.hedgeExtraLoad).toBe(1);
  });

  it('onFinish under load conserves requests and leaves no copy behind', () => {
    // Three replicas per shard: a pair's copies can sit behind different work, so a
    // loser may still be queued when its winner ends (cancelled before it costs anything).
    const r = new ServingSystem(scenario(200, 'onFinish', 3, 3)).run();
    expect(r.requests.arrived).toBe(r.requests.completed + r.requests.dropped + r.requests.inFlight);
    expect(r.requests.inFlight).toBe(0);
    // Some losers were cancelled while still queued, so fewer than one extra copy each.
    expect(r.hedgeExtraLoad!).toBeLessThan(1);
    expect(r.hedgeExtraLoad!).toBeGreaterThan(0.5);
  });
});

/** One shard of two replicas, 10 ms calls of which 1 in 100 take 1 s; tied, the second copy after 50 ms. */
function delayed(qps: number, cancel: 'onStart' | 'onFinish' | null, requests = 20000) {
  return {
    seed: 6,
    arrivals: { process: 'poisson' as const, qps },
    stop: { requests },
    stages: [
      {
        name: 'fan',
        replicas: 2,
        fanout: { shards: 1, ...(cancel === null ? {} : { hedgeAfter: 0.05, tied: { cancel } }) },
        service: { dist: 'empirical' as const, values: [0.01, 1], weights: [99, 1] },
      },
    ],
  };
}

describe('tied requests with a delay (hedgeAfter): the second copy leaves only if still wanted', () => {
  it('onFinish on an idle system: a slow first copy gets a tied copy at 50 ms, so only both slow take 1 s', () => {
    // Reference, by hand: fast (99 %) → 10 ms; slow first copy (1 %) → a second copy at
    // 50 ms, which ends at 60 ms (99 %) or 1,050 ms (1 %, after the first's 1,000 ms).
    // Mean = 0.99·10 + 0.01·(0.99·60 + 0.01·1000) = 10.594 ms. Extra copies that start:
    // the 1 % slow firsts. 20,000 requests at 1/s: the system is idle up to ~1 %.
    const r = new ServingSystem(delayed(1, 'onFinish')).run();
    // Standard error of the mean: the sd of the mixture is about 11 ms (the 1 s tail),
    // /√20000 = 0.08 ms; ±0.4 ms is 5 of them.
    expect(Math.abs(r.latencyMs.mean - 10.594)).toBeLessThan(0.4);
    // √(0.01·0.99/20000) = 0.07 %: ±0.3 % is 4 of them.
    expect(Math.abs(r.hedgeExtraLoad! - 0.01)).toBeLessThan(0.003);
    // Over 1 s needs both slow: 1e-4 of 20,000 is 2 requests, so the top 0.1 % are the
    // rescued 60 ms ones (the sketch's 0.1 %).
    expect(Math.abs(r.latencyMs.p999 - 60)).toBeLessThan(0.1);
    expect(r.requests.completed).toBe(20000);
  });

  it('onStart: a copy that started is never doubled, so a slow call is not rescued (only a queued one is)', () => {
    // On a nearly idle system the first copy starts at once: its twin is never sent, no
    // two copies ever both start, and the 1 % of 1 s calls stay 1 s (unlike onFinish).
    const tied = new ServingSystem(delayed(1, 'onStart')).run();
    expect(tied.hedgeExtraLoad).toBe(0);
    expect(Math.abs(tied.latencyMs.p50 - 10)).toBeLessThan(0.01);
    expect(tied.latencyMs.p999).toBeGreaterThan(999);
  });

  it('under load: requests are conserved and no copy is left behind, either way', () => {
    for (const cancel of ['onStart', 'onFinish'] as const) {
      const r = new ServingSystem(delayed(60, cancel, 5000)).run();
      expect(r.requests).toMatchObject({ arrived: 5000, completed: 5000, dropped: 0, inFlight: 0 });
      expect(r.hedgeExtraLoad!).toBeLessThan(1);
    }
  });
});
