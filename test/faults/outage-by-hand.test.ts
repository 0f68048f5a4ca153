/**
 * A zone outage's drops, counted by hand on a deterministic pool: constant arrivals every
 * 1/3 s (the k-th at k/3 s), service 0.9 s, four replicas, no waiting room. At most three
 * requests are ever in service (0.9 s < 3 × 1/3 s), and a batch starts on the least-loaded
 * idle replica, lowest index first, so arrival k runs on replica (k − 1) mod 3 and
 * replica 3 stays idle. The outage starts at 100.2 s (no event of the hand count
 * below falls within 0.03 s of another, so no tie decides it) and
 * lasts 60 s; it takes the first ⌈share × 4⌉ replicas (a fixed zone).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/config/schema.ts';
import { runScenario } from '../../src/models/index.ts';
import { cli } from '../support/cli.ts';

function outageRun(share: number, inFlight: 'lost' | 'retry') {
  const sc = {
    name: 'zone-outage',
    arrivals: { process: 'constant', qps: 3 },
    stop: { requests: 900 },
    stages: [
      {
        name: 'pool',
        replicas: 4,
        queue: { capacity: 0 },
        service: { dist: 'deterministic', value: 0.9 },
        faults: { outages: [{ at: 100.2, duration: 60, share }], inFlight },
      },
    ],
  } as unknown as Scenario;
  return runScenario(sc);
}

describe('a zone outage on a deterministic pool', () => {
  it('losing half the replicas drops the two requests they ran and every third arrival for 60 s', () => {
    const r = outageRun(0.5, 'lost');
    const st = r.stages['pool']!;
    // At 100.2 s replicas 0 and 1 run arrivals 298 and 299 (started at 99.33 and 99.67 s):
    // both are lost. Replica 2 runs 300 until 100.9 s; replica 3 takes 301 (100.33 s), then
    // they serve 303, 304, 306, ... and arrivals 302, 305, ..., 479 (the last before
    // 160.2 s) find both busy: (479 − 302) / 3 + 1 = 60.
    expect(st.faults!.lostToFailures).toBe(2);
    expect(st.dropped).toBe(62);
    expect(r.requests).toMatchObject({ arrived: 900, completed: 838, dropped: 62, inFlight: 0 });
    expect(st.faults!.outages).toBe(1);
    expect(st.faults!.failures).toBe(0);
    expect(st.faults!.timeInIncidentS).toBeCloseTo(60, 9);
    // Two of four replicas down for 60 s of the measured span.
    expect(st.faults!.availability).toBeCloseTo(1 - (2 * 60) / (4 * r.measuredS), 12);
  });

  it('losing one replica of four (N+1) drops only the request it ran: three replicas carry the load', () => {
    const r = outageRun(0.25, 'lost');
    const st = r.stages['pool']!;
    expect(st.faults!.lostToFailures).toBe(1);
    expect(st.dropped).toBe(1);
    expect(st.faults!.availability).toBeCloseTo(1 - 60 / (4 * r.measuredS), 12);
  });

  it('retry puts the failed replicas\u2019 requests back at the head: none is lost, and they take two arrivals\u2019 places', () => {
    const r = outageRun(0.5, 'retry');
    const st = r.stages['pool']!;
    // At 100.2 s the queue holds 298 then 299 (beyond its capacity of 0: they were
    // admitted already). Replica 3 takes 298 at once (until 101.1 s); 301 (100.33 s) and
    // 302 (100.67 s) find 299 waiting and no room; replica 2 takes 299 at 100.9 s (until
    // 101.8 s), so 303 (101.0 s) finds both busy. From 304 on the pattern is the lost
    // case's: 305, 308, ..., 479 dropped, (479 − 305) / 3 + 1 = 59. Total 3 + 59 = 62.
    expect(st.faults!.lostToFailures).toBe(0);
    expect(st.dropped).toBe(62);
    expect(r.requests).toMatchObject({ arrived: 900, completed: 838, dropped: 62, inFlight: 0 });
  });

  it('a retried request keeps the deadline it had on arriving, even one that started at once', () => {
    // One replica, an arrival every second from 1 s, 0.5 s of service, a 2 s stage
    // deadline; the only replica is down from 1.2 s to 11.2 s. The request of 1 s started
    // at once, goes back to the queue at 1.2 s and times out at 3 s; those of 2 … 9 s
    // time out at 4 … 11 s; the one of 10 s (deadline 12 s) is served at 11.2 s.
    const r = runScenario({
      name: 'retry-deadline',
      arrivals: { process: 'constant', qps: 1 },
      stop: { requests: 20 },
      stages: [
        {
          name: 'pool',
          replicas: 1,
          deadline: 2,
          service: { dist: 'deterministic', value: 0.5 },
          faults: { outages: [{ at: 1.2, duration: 10, share: 1 }], inFlight: 'retry' },
        },
      ],
    } as unknown as Scenario);
    const st = r.stages['pool']!;
    expect(st.faults!.lostToFailures).toBe(0);
    expect(st.timedOut).toBe(9);
    expect(r.requests).toMatchObject({ arrived: 20, completed: 11, dropped: 9 });
  });

  it('without faults the same pool drops nothing', () => {
    const r = runScenario({
      name: 'no-outage',
      arrivals: { process: 'constant', qps: 3 },
      stop: { requests: 900 },
      stages: [{ name: 'pool', replicas: 4, queue: { capacity: 0 }, service: { dist: 'deterministic', value: 0.9 } }],
    } as unknown as Scenario);
    expect(r.requests.dropped).toBe(0);
    expect(r.stages['pool']!.faults).toBeUndefined();
  });
});

describe('theory beside a pool with faults', () => {
  it('says the queueing formula counts every replica up, with the availability the run measured', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'servesim-faults-'));
    try {
      const file = join(dir, 'zone.yaml');
      writeFileSync(
        file,
        [
          'arrivals: { process: poisson, qps: 3 }',
          'stop: { requests: 900 }',
          'stages:',
          '  - name: pool',
          '    replicas: 4',
          '    service: { dist: exponential, mean: "900ms" }',
          '    faults: { outages: [{ at: "100s", duration: "60s", share: 0.5 }] }',
          '',
        ].join('\n'),
      );
      const r = await cli('run', file);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/Faults "pool": availability \d+\.\d%, \d+ requests lost to failures, 60\.0 s with a replica down \(0 failures, 1 outages\)/);
      expect(r.stdout).toMatch(/replicas were down part of the time \(availability \d+\.\d%\), so fewer servers served than the formula counts/);
      // By hand: 2 of 4 replicas down for 60 s of a run of T seconds leaves 1 − 120/(4T)
      // of the replica-time up (T ≈ 300 s for 900 arrivals at 3/s, so about 90 %). The
      // printed T is rounded to the second, the availability to 0.1 %: at most 0.07 % between them.
      const spanS = Number(/measured over ([\d,]+) s of simulated time/.exec(r.stdout)![1]!.replace(',', ''));
      const shown = Number(/availability (\d+\.\d)%/.exec(r.stdout)![1]);
      expect(Math.abs(shown - 100 * (1 - 120 / (4 * spanS)))).toBeLessThan(0.08);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
