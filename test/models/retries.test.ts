import { describe, expect, it, vi } from 'vitest';
import { scenarioFromText } from '../../src/config/parse.ts';
import { runScenario, ServingSystem } from '../../src/models/index.ts';

/**
 * Ten replicas of 100 ms (capacity 100 req/s) at 85 req/s, with a 20-second spike to
 * 170 req/s at t = 60 s. Clients time out after 500 ms and retry up to 4 attempts.
 * Abandoned attempts stay queued and still use capacity, so once the queue is full
 * of them every attempt times out and is retried: the retry storm, which outlives
 * the spike (metastable failure). A 10 % retry budget caps the extra load, and the
 * system recovers once the spike is over.
 */
const scenario = (budget: string) =>
  scenarioFromText({
    name: 'storm.yaml',
    text: `
name: retry-storm
seed: 2
arrivals: { process: spike, qps: 85, factor: 2, at: "60s", duration: "20s" }
stop: { duration: "5m" }
retry:
  timeout: "500ms"
  maxAttempts: 4
  backoff: { base: "50ms", max: "1s" }
${budget}
stages:
  - name: model
    replicas: 10
    queue: { capacity: 300 }
    service: { dist: exponential, mean: "100ms" }
`,
  });

describe('retries', () => {
  const storm = runScenario(scenario(''));
  const budgeted = runScenario(scenario('  budget: { ratio: 0.1, minPerSecond: 1 }'));
  const during = (r: typeof storm, from: number, to: number) => {
    const s = r.timeSeries;
    const idx = s.startS.map((t, i) => (t >= from && t < to ? i : -1)).filter((i) => i >= 0);
    const sum = (xs: number[]) => idx.reduce((a, i) => a + xs[i]!, 0);
    return { arrivals: sum(s.arrivals), completions: sum(s.completions) };
  };
  // Windows from 2 minutes on, well after the spike ended at 80 s; and before it.
  const after = (r: typeof storm) => during(r, 120, 290);
  const before = (r: typeof storm) => during(r, 10, 55);

  it('without a budget the storm outlives the spike', () => {
    const a = after(storm);
    expect(a.completions / a.arrivals).toBeLessThan(0.05); // nothing gets through
    expect(storm.retries!.attemptRatePerRequest).toBeGreaterThan(3); // retries multiply load
    expect(storm.dropRate).toBeGreaterThan(0.8);
  });

  it('a retry budget prevents it: the system recovers once the spike is over', () => {
    // Back to the service it gave before the spike in most 5-second windows. At 85 %
    // load a Poisson burst now and then still pushes waits past the timeout and the
    // queue fills with abandoned work for a few seconds (seen at ~180 s and ~285 s with
    // this seed), but the budget keeps it from feeding itself: each relapse clears
    // within about 10 s, where the run without a budget never recovers.
    const ratios: number[] = [];
    for (let t = 120; t < 290; t += 5) {
      const w = during(budgeted, t, t + 5);
      ratios.push(w.completions / w.arrivals);
    }
    const good = ratios.filter((x) => x > 0.95).length / ratios.length;
    expect(good).toBeGreaterThan(0.85);
    expect(after(budgeted).completions / after(budgeted).arrivals).toBeGreaterThan(0.85);
    // Before the spike, at the same load, such a relapse comes about once a minute: the
    // queue passes the 50 requests that make a wait of 500 ms (10 replicas × 100/s ×
    // 0.5 s) a fraction C·ρ⁵⁰ ≈ 0.4 × 0.85⁵⁰ ≈ 1.2e−4 of the time, crossing up about
    // 185 × 1.2e−4 ≈ 0.02 times a second. This seed has one at ~53 s, inside the 45 s
    // window, so the bound is the recovery's 0.85, not 0.95: the point is that the
    // budgeted run after the spike serves as it did before it.
    expect(before(budgeted).completions / before(budgeted).arrivals).toBeGreaterThan(0.85);
    expect(budgeted.retries!.attemptRatePerRequest).toBeLessThan(1.15);
    expect(budgeted.retries!.budgetDenied).toBeGreaterThan(0);
    expect(budgeted.dropRate).toBeLessThan(storm.dropRate / 2); // the outage during the spike still counts
  });

  it('counts attempts per request and wasted answers', () => {
    for (const r of [storm, budgeted]) {
      expect(r.retries!.attemptsPerRequest.max).toBeLessThanOrEqual(4);
      expect(r.retries!.attempts).toBe(r.requests.arrived + r.retries!.retries);
      expect(r.retries!.wastedAnswers).toBeGreaterThan(0);
      expect(r.requests.arrived).toBe(r.requests.completed + r.requests.dropped + r.requests.inFlight);
    }
  });

  it('backs off exponentially (no jitter), worked by hand', () => {
    // One replica busy for 10 s with the first request (arrives at 1 s); no waiting
    // room. The second request arrives at 2 s and is turned away; its retries follow
    // after 50, 100, 200 ms: at 2.05, 2.15, 2.35 s, the fourth attempt fails for good.
    const sys = new ServingSystem(
      scenarioFromText({
        name: 'backoff.yaml',
        text: `
arrivals: { process: constant, qps: 1 }
stop: { requests: 2 }
retry: { timeout: "60s", maxAttempts: 4, backoff: { base: "50ms", jitter: none } }
stages:
  - name: m
    replicas: 1
    queue: { capacity: 0 }
    service: { dist: deterministic, value: "10s" }
`,
      }),
    );
    const drop = sys.stationDropped.bind(sys);
    const times: number[] = [];
    vi.spyOn(sys, 'stationDropped').mockImplementation((req, t) => {
      times.push(sys.sim.now);
      drop(req, t);
    });
    const r = sys.run();
    expect(times.map((t) => +t.toFixed(9))).toEqual([2, 2.05, 2.15, 2.35]);
    expect(r.requests).toMatchObject({ arrived: 2, completed: 1, dropped: 1 });
    expect(r.retries).toMatchObject({ attempts: 5, retries: 3 });
  });
});

describe('buffer stages', () => {
  /**
   * 1,000 messages every 10 ms into a log that keeps at most 50 waiting, read by one
   * consumer taking 20 ms each (50/s, half the rate). The consumer is always busy from
   * the first message on, so it finishes 10 s / 20 ms = 500 messages while they arrive,
   * then the 50 retained ones and the one it is working on: 1,000 arrived, the
   * oldest beyond the retention lost.
   */
  const r = runScenario(
    scenarioFromText({
      name: 'buffer.yaml',
      text: `
arrivals: { process: constant, qps: 100 }
stop: { requests: 1000 }
stages:
  - name: consumer
    replicas: 1
    buffer: { ack: { dist: deterministic, value: "2ms" }, retention: 50 }
    service: { dist: deterministic, value: "20ms" }
`,
    }),
  );

  it('loses the oldest messages beyond the retention, and counts them', () => {
    const st = r.stages.consumer!;
    expect(r.requests.completed + r.requests.dropped).toBe(1000);
    expect(st.lostOldest).toBe(r.requests.dropped);
    // Reference: arrivals at 0.01 … 10.00 s; the consumer serves back to back from
    // 0.01 s, so 500 finish by 10.01 s, then the 50 retained: 550 served, 450 lost.
    expect(r.requests.completed).toBe(550);
    expect(st.lostOldest).toBe(450);
    // What survives is recent: nobody waits more than the 50 ahead of it (1 s) plus
    // the message in service.
    expect(r.latencyMs.max).toBeLessThanOrEqual(50 * 20 + 20 + 20 + 1e-6);
    expect(st.maxQueueLength).toBe(50);
  });

  it('reports the producers’ acknowledgement latency apart from end-to-end latency', () => {
    expect(r.stages.consumer!.ackMs!.mean).toBeCloseTo(2, 12);
    expect(r.latencyMs.mean).toBeGreaterThan(500);
  });

  it('shows consumer lag over time', () => {
    const q = r.timeSeries.stages.consumer!.queueLength;
    expect(Math.max(...q)).toBeGreaterThan(45); // full log while messages keep coming
    expect(q[0]!).toBeLessThan(q[5]!); // the lag builds up
  });
});
