/**
 * Request classes in whole runs: a scenario without classes (or with them, under FIFO)
 * keeps every overall figure; weighted-fair shares a saturated pool by the weights;
 * disciplines compose with batching.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/config/schema.ts';
import { runScenario, ServingSystem, type RunResult } from '../../src/models/index.ts';
import type { Request } from '../../src/models/request.ts';

const base: Scenario = {
  name: 'classes',
  seed: 11,
  arrivals: { process: 'poisson', qps: 30 },
  stop: { requests: 5_000 },
  warmup: { requests: 500 },
  stages: [
    { name: 'gpu', replicas: 2, batching: { maxBatch: 4, maxWait: 0.01 }, service: { dist: 'linear', base: 0.05, perItem: 0.01 } },
    { name: 'ranker', replicas: 3, routing: { policy: 'least-outstanding' }, service: { dist: 'exponential', mean: 0.08 } },
  ],
};

/** A result without what only classes add: the `classes` key and the time series' `classes`. */
const withoutClasses = (r: RunResult) => JSON.stringify({ ...r, classes: undefined, timeSeries: { ...r.timeSeries, classes: undefined } });

describe('without classes, or under FIFO, the overall figures are today’s', () => {
  const today = runScenario(base);

  it('declaring classes on FIFO stages changes no overall figure (the class draws have their own stream)', () => {
    const r = runScenario({
      ...base,
      classes: [
        // No priorities: on FIFO stages they would (rightly) add a warning.
        { name: 'interactive', share: 0.3, attributes: { size: { dist: 'exponential', mean: 10 } } },
        { name: 'batch', share: 0.7 },
      ],
    });
    expect(r.classes).toBeDefined();
    expect(withoutClasses(r)).toBe(JSON.stringify(today));
    expect(r.classes!['interactive']!.requests.arrived + r.classes!['batch']!.requests.arrived).toBe(r.requests.arrived);
  });

  it('a non-FIFO discipline with one class serves FIFO: the same figures, batching and routing included', () => {
    for (const policy of ['priority', 'weighted-fair', 'earliest-deadline-first'] as const) {
      const r = runScenario({ ...base, stages: base.stages.map((s) => ({ ...s, discipline: { policy } })) });
      expect(JSON.stringify(r), policy).toBe(JSON.stringify(today));
    }
  });
});

describe('weighted-fair under saturation', () => {
  /** Shares of the services ending per class while arrivals last (the queue never empties then), after warm-up. */
  function servedShares(policy: 'weighted-fair' | 'fifo', weights: number[]): number[] {
    const names = weights.map((_, i) => `c${i}`);
    const sc: Scenario = {
      name: 'wfq',
      seed: 5,
      // Arrivals at twice the capacity, shared equally: every class stays backlogged.
      arrivals: { process: 'poisson', qps: 2 * weights.length },
      stop: { requests: 20_000 * weights.length },
      warmup: { requests: 1_000 },
      classes: names.map((name, i) => ({ name, share: 1 / weights.length, weight: weights[i]! })),
      stages: [{ name: 'gpu', replicas: weights.length, service: { dist: 'exponential', mean: 1 }, discipline: { policy } }],
    };
    const sys = new ServingSystem(sc);
    const m = sys.built[0]!.stage.metrics;
    const counts = weights.map(() => 0);
    const finished = m.finished.bind(m);
    m.finished = (r: Request) => {
      // Every service that ends once measurement has started, not only measured requests':
      // the backlog grows, so the requests served are older the later the run, and the
      // favoured class's are younger (more of them would count as measured).
      if (sys.metrics.measuring && !sys.arrivalsDone) counts[r.classIndex]!++;
      finished(r);
    };
    sys.run();
    const total = counts.reduce((a, b) => a + b, 0);
    return counts.map((c) => c / total);
  }

  it('two classes, weights 3 : 1, get 75 % and 25 % of the service (within 2 %)', () => {
    const s = servedShares('weighted-fair', [3, 1]);
    // Deficit round-robin is deterministic while both classes wait: 3 of every 4 starts.
    // About 19k starts are counted; 2 % of the weight is the bound.
    expect(Math.abs(s[0]! / 0.75 - 1)).toBeLessThan(0.02);
    expect(Math.abs(s[1]! / 0.25 - 1)).toBeLessThan(0.02);
  });

  it('three classes, weights 1 : 2 : 5, get 1/8, 2/8 and 5/8 (within 2 %)', () => {
    const s = servedShares('weighted-fair', [1, 2, 5]);
    [1 / 8, 2 / 8, 5 / 8].forEach((w, k) => expect(Math.abs(s[k]! / w - 1), `class ${k}`).toBeLessThan(0.02));
  });

  it('FIFO on the same traffic serves the arrival shares instead (the weights are the discipline’s doing)', () => {
    const s = servedShares('fifo', [3, 1]);
    expect(Math.abs(s[0]! - 0.5)).toBeLessThan(0.02);
  });
});

describe('disciplines compose with batching', () => {
  it('a batch takes the head of the priority line: the high class waits less, batches still fill', () => {
    const sc: Scenario = {
      name: 'batched-priority',
      seed: 3,
      arrivals: { process: 'poisson', qps: 300 },
      stop: { requests: 30_000 },
      warmup: { requests: 3_000 },
      classes: [
        { name: 'hi', share: 0.2, priority: 0 },
        { name: 'lo', share: 0.8, priority: 1 },
      ],
      stages: [{ name: 'gpu', replicas: 1, batching: { maxBatch: 8, maxWait: 0.005 }, service: { dist: 'linear', base: 0.01, perItem: 0.002 }, discipline: { policy: 'priority' } }],
    };
    const pr = runScenario(sc);
    const fifo = runScenario({ ...sc, stages: sc.stages.map((s) => ({ ...s, discipline: { policy: 'fifo' as const } })) });
    expect(pr.stages['gpu']!.batchSize.mean).toBeGreaterThan(2);
    expect(pr.classes!['hi']!.latencyMs.mean).toBeLessThan(0.8 * fifo.classes!['hi']!.latencyMs.mean);
    expect(pr.classes!['lo']!.latencyMs.mean).toBeGreaterThan(fifo.classes!['lo']!.latencyMs.mean);
    // Under FIFO the classes see one queue: their means agree within noise (30k requests).
    expect(Math.abs(fifo.classes!['hi']!.latencyMs.mean / fifo.classes!['lo']!.latencyMs.mean - 1)).toBeLessThan(0.05);
  });
});

describe('classes with their own arrival processes', () => {
  const sc: Scenario = {
    name: 'per-class',
    seed: 9,
    arrivals: { process: 'classes' },
    stop: { duration: 2_000 },
    classes: [
      { name: 'steady', arrivals: { process: 'poisson', qps: 5 } },
      { name: 'flood', arrivals: { process: 'spike', qps: 10, factor: 3, at: 500, duration: 500 } },
    ],
    stages: [{ name: 'gpu', replicas: 8, service: { dist: 'exponential', mean: 0.1 } }],
  };

  it('each class arrives at its own process’s rate (their superposition is the run’s)', () => {
    const r = runScenario(sc);
    // Expected counts: 5/s · 2,000 s = 10,000; 10/s · 2,000 s + 20/s · 500 s = 30,000. Poisson
    // counts: SD √10,000 = 100 and √30,000 ≈ 173; 4 % is more than 4 SD for both.
    expect(Math.abs(r.classes!['steady']!.requests.arrived / 10_000 - 1)).toBeLessThan(0.04);
    expect(Math.abs(r.classes!['flood']!.requests.arrived / 30_000 - 1)).toBeLessThan(0.04);
    expect(r.classes!['steady']!.requests.arrived + r.classes!['flood']!.requests.arrived).toBe(r.requests.arrived);
  });

  it('a class’s draws are its own: changing one class’s process leaves the other’s arrivals as they were', () => {
    const a = runScenario(sc);
    const b = runScenario({ ...sc, classes: [sc.classes![0]!, { name: 'flood', arrivals: { process: 'poisson', qps: 12 } }] });
    expect(b.classes!['steady']!.requests.arrived).toBe(a.classes!['steady']!.requests.arrived);
  });
});

describe('admission control', () => {
  it('a token bucket holds a class to its rate; the shed count as dropped, by reason', () => {
    const r = runScenario({
      name: 'rate-limit',
      seed: 4,
      arrivals: { process: 'poisson', qps: 40 },
      stop: { duration: 1_000 },
      classes: [
        { name: 'free', share: 0.5, rateLimit: { rps: 10, burst: 50 } },
        { name: 'paid', share: 0.5 },
      ],
      stages: [{ name: 'gpu', replicas: 8, service: { dist: 'exponential', mean: 0.05 } }],
    });
    const free = r.classes!['free']!;
    const paid = r.classes!['paid']!;
    // Offered 20/s, limited to 10/s: about 10,000 admitted over 1,000 s (+ the 50 banked
    // at the start); the Poisson spread of the offered count (SD ≈ 141) barely matters
    // once the bucket is the bottleneck. 3 % is over 3 SD of anything left.
    expect(Math.abs(free.requests.completed / 10_050 - 1)).toBeLessThan(0.03);
    expect(free.shed.rateLimit).toBe(free.requests.dropped);
    expect(free.shed.queueLength).toBe(0);
    expect(paid.requests.dropped).toBe(0);
    expect(r.requests.dropped).toBe(free.requests.dropped);
    expect(r.requests.arrived).toBe(r.requests.completed + r.requests.dropped);
  });

  it('an in-flight limit sheds exactly what arrives while the class holds its limit (counted by hand)', () => {
    // Arrivals every 1/8 s (exact in binary), each served for exactly 1 s by one of 100
    // replicas (no queue): the class would hold 8 at once. With maxInFlight 4, each second
    // admits the arrivals at 0, 1/8, 2/8, 3/8 and sheds the 4 at 4/8..7/8; the one at
    // t + 1 finds the one of t just finished (its completion was scheduled first).
    const r = runScenario({
      name: 'max-in-flight',
      arrivals: { process: 'constant', qps: 8 },
      stop: { requests: 1_000 },
      classes: [{ name: 'only', share: 1, maxInFlight: 4 }],
      stages: [{ name: 'gpu', replicas: 100, service: { dist: 'deterministic', value: 1 } }],
    });
    const c = r.classes!['only']!;
    expect(c.shed.concurrency).toBe(500);
    expect(c.requests.completed).toBe(500);
    expect(c.shed.rateLimit + c.shed.queueLength + c.shed.estimatedWait).toBe(0);
    expect(r.requests.dropped).toBe(500);
    expect(r.stages['gpu']!.utilization * 100).toBeCloseTo(4, 1);
  });

  it('an estimated-wait threshold caps the wait a class may face (counted by hand)', () => {
    // One replica serving exactly 1 s, an arrival every 1/2 s: the queue grows by one a
    // second. The estimate is waiting × 1 s / 1 slot, so with estimatedWait 2s a request
    // that finds 2 waiting is shed: the queue never exceeds 2, and of each pair arriving
    // per second once it is full, one is served and one shed.
    const r = runScenario({
      name: 'estimated-wait',
      arrivals: { process: 'constant', qps: 2 },
      stop: { requests: 1_000 },
      classes: [{ name: 'only', share: 1, shedAt: { estimatedWait: 2 } }],
      stages: [{ name: 'gpu', replicas: 1, service: { dist: 'deterministic', value: 1 } }],
    });
    const c = r.classes!['only']!;
    expect(r.stages['gpu']!.maxQueueLength).toBe(2);
    expect(c.shed.estimatedWait).toBe(c.requests.dropped);
    // By hand: t = 0 starts at once; 0.5 and 1.0 find 0 waiting (1.0's completion, scheduled
    // at 0, goes first), 1.5 finds 1, 2.0 finds 1 again (a completion at 2.0): all queue.
    // From 2.5 on, each arrival at a half second finds 2 waiting (estimate 2 s) and is
    // shed, each one at a whole second finds 1: 2.5, 3.5, ..., 499.5 are shed, 498 of the
    // 1,000 arrivals, and the other 502 are served.
    expect(c.shed.estimatedWait).toBe(498);
    expect(c.requests.completed).toBe(502);
  });

  it('queue-length shedding sheds the lower class first and keeps the higher one whole', () => {
    const r = runScenario({
      name: 'shed',
      seed: 4,
      // 1.5 times the pool's capacity: without shedding the queue would grow without end.
      arrivals: { process: 'poisson', qps: 30 },
      stop: { duration: 600 },
      classes: [
        { name: 'hi', share: 0.3, priority: 0, shedAt: { queueLength: 200 } },
        { name: 'lo', share: 0.7, priority: 1, shedAt: { queueLength: 20 } },
      ],
      stages: [{ name: 'gpu', replicas: 2, service: { dist: 'exponential', mean: 0.1 }, discipline: { policy: 'priority' } }],
    });
    const hi = r.classes!['hi']!;
    const lo = r.classes!['lo']!;
    // Capacity 20/s: hi offers 9/s and is never shed (its threshold is never reached: lo
    // is shed at 20 waiting); lo's 21/s is cut to the 11/s left.
    expect(hi.shed.queueLength).toBe(0);
    expect(hi.requests.dropped).toBe(0);
    // lo's 21/s is cut to about the 11/s left: some 48 % shed.
    expect(lo.shed.queueLength).toBeGreaterThan(0.4 * lo.requests.arrived);
    expect(lo.shed.queueLength).toBeLessThan(0.6 * lo.requests.arrived);
    // hi may still queue past lo's threshold, never up to its own.
    expect(r.stages['gpu']!.maxQueueLength).toBeLessThan(200);
    expect(r.requests.arrived).toBe(r.requests.completed + r.requests.dropped);
  });
});

describe('per-class paths', () => {
  it('a stage serving only some classes sees only their requests; the others go past it', () => {
    const r = runScenario({
      name: 'paths',
      seed: 2,
      arrivals: { process: 'poisson', qps: 20 },
      stop: { requests: 3_000 },
      classes: [
        { name: 'interactive', share: 0.3 },
        { name: 'batch', share: 0.7 },
      ],
      stages: [
        { name: 'cache', replicas: 1, classes: ['interactive'], service: { dist: 'deterministic', value: 0.001 } },
        { name: 'model', replicas: 4, service: { dist: 'exponential', mean: 0.05 } },
        { name: 'post', replicas: 2, classes: ['batch'], service: { dist: 'deterministic', value: 0.002 } },
      ],
    });
    const c = r.classes!;
    expect(r.stages['cache']!.completed).toBe(c['interactive']!.requests.completed);
    expect(r.stages['model']!.completed).toBe(r.requests.completed);
    expect(r.stages['post']!.completed).toBe(c['batch']!.requests.completed);
    expect(r.requests.completed).toBe(3_000);
  });
});

describe('a lone stage serving only some classes', () => {
  it('measures its own time in stage (it does not adopt the run’s end-to-end latencies)', () => {
    const r = runScenario({
      name: 'lone',
      seed: 2,
      arrivals: { process: 'poisson', qps: 20 },
      stop: { requests: 2_000 },
      classes: [
        { name: 'interactive', share: 0.3 },
        { name: 'batch', share: 0.7 },
      ],
      stages: [{ name: 'model', replicas: 4, classes: ['interactive'], service: { dist: 'deterministic', value: 0.05 } }],
    });
    // Every request that entered spent at least the 50 ms of service there; the batch
    // ones skipped it and finished at once.
    expect(r.stages['model']!.timeInStageMs!.p50).toBeGreaterThanOrEqual(49.9);
    expect(r.classes!['batch']!.latencyMs.max).toBe(0);
  });
});
