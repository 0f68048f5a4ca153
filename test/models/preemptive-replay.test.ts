/**
 * The preemptive-resume pool against a plain reference (STYLE: a plain version for
 * tests): constant arrivals every 10 ms, deterministic 23.7 ms service, three classes
 * drawn by share. The reference replays the same arrivals and classes through a
 * twenty-line single-server preemptive-resume loop; every request's latency must match
 * to rounding. Times are chosen so that no finish falls on an arrival instant.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/config/schema.ts';
import { ServingSystem } from '../../src/models/index.ts';
import type { Request } from '../../src/models/request.ts';

const GAP = 0.01;
const SERVICE = 0.0237;
const PRIORITY = [0, 1, 2];

/** Finish times of a single-server preemptive-resume priority queue (smaller priority first; a preempted job resumes ahead of its class). */
function reference(arrivals: number[], classes: number[]): number[] {
  interface Job { id: number; rem: number; back: number; seq: number }
  const finish = new Array<number>(arrivals.length).fill(NaN);
  const queue: Job[] = [];
  let seq = 0;
  const key = (j: Job) => [PRIORITY[classes[j.id]!]!, j.back, j.seq];
  const pop = (): Job | null => {
    if (queue.length === 0) return null;
    queue.sort((a, b) => { const [x, y] = [key(a), key(b)]; return x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!; });
    return queue.shift()!;
  };
  let t = 0;
  let cur: Job | null = null;
  const advanceTo = (until: number) => {
    while (cur !== null && t + cur.rem < until) {
      t += cur.rem;
      finish[cur.id] = t;
      cur = pop();
    }
    if (cur !== null) cur.rem -= until - t;
    t = until;
  };
  arrivals.forEach((ta, id) => {
    advanceTo(ta);
    const job: Job = { id, rem: SERVICE, back: 1, seq: seq++ };
    if (cur === null) cur = job;
    else if (PRIORITY[classes[id]!]! < PRIORITY[classes[cur.id]!]!) {
      queue.push({ ...cur, back: 0, seq: seq++ });
      cur = job;
    } else queue.push(job);
  });
  advanceTo(Infinity);
  return finish;
}

describe('preemptive-resume pool, replayed against a reference', () => {
  it('gives every request the latency the reference does', () => {
    const sc: Scenario = {
      name: 'replay',
      seed: 8,
      arrivals: { process: 'constant', qps: 1 / GAP },
      stop: { requests: 400 },
      classes: [
        { name: 'a', share: 0.2, priority: PRIORITY[0]! },
        { name: 'b', share: 0.3, priority: PRIORITY[1]! },
        { name: 'c', share: 0.5, priority: PRIORITY[2]! },
      ],
      // ρ = 2.37: the queue grows all along, so preemptions happen at every level.
      stages: [{ name: 'gpu', replicas: 1, service: { dist: 'deterministic', value: SERVICE }, discipline: { policy: 'priority-preemptive' } }],
    };
    const sys = new ServingSystem(sc);
    const m = sys.built[0]!.stage.metrics;
    const seen: Array<{ id: number; arrivalS: number; cls: number; endS: number }> = [];
    const finished = m.finished.bind(m);
    m.finished = (r: Request) => {
      seen.push({ id: r.id, arrivalS: r.arrivalS, cls: r.classIndex, endS: sys.sim.now });
      finished(r);
    };
    sys.run();
    seen.sort((a, b) => a.id - b.id);
    expect(seen.length).toBe(400);
    const expected = reference(seen.map((s) => s.arrivalS), seen.map((s) => s.cls));
    seen.forEach((s, i) => expect(s.endS, `request ${s.id} (class ${s.cls})`).toBeCloseTo(expected[i]!, 9));
    expect((sys.built[0]!.stage as unknown as { preemptions: number }).preemptions).toBeGreaterThan(50);
  });
});
