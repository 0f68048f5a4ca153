import { describe, expect, it } from 'vitest';
import { scenarioFromText } from '../../src/config/parse.ts';
import { ServingSystem } from '../../src/models/index.ts';

/**
 * A step from 100 to 1,000 QPS at t = 300 s against replicas that serve 50 QPS each
 * (20 ms flat), autoscaled on utilization with target 0.6, min 2, max 40, HPA
 * defaults (sync 15 s, tolerance 0.1, no scale-up stabilization, 5 min scale-down
 * stabilization) and a cold start of exactly 60 s.
 *
 * By hand. Before the step 4 replicas run at 100/(4·50) = 0.5: ratio 0.5/0.6 = 0.83,
 * outside the tolerance, but ceil(4 · 0.83) = 4: no change. After it every ready
 * replica is busy (the queue grows by hundreds per second), so the metric is 1 and
 * the recommendation is ceil(ready / 0.6):
 *   t=315  ready 4  → 7   (3 requested, ready at 375)
 *   t=330…360: ready 4 → 7 = current: nothing
 *   t=375  ready 7  → 12  (ready at 435)
 *   t=435  ready 12 → 20  (ready at 495)
 *   t=495  ready 20 → 34  (ready at 555)
 *   t=555  ready 34 → 57, clamped to 40 (ready at 615)
 * (New replicas are ready before the sync at the same instant: their timers were
 * scheduled first.)
 */
const text = `
name: step
seed: 4
arrivals:
  process: schedule
  steps: [{ at: "0s", qps: 100 }, { at: "300s", qps: 1000 }]
stop: { duration: "25m" }
timeSeries: { window: "15s" }
hardware:
  box: { device: cpu, usdPerHour: 3.6 }
stages:
  - name: model
    replicas: 4
    hardware: box
    service: { dist: deterministic, value: "20ms" }
    autoscale:
      metric: utilization
      target: 0.6
      min: 2
      max: 40
      coldStart: { dist: deterministic, value: "60s" }
`;

describe('autoscaling follows the HPA rule', () => {
  const sys = new ServingSystem(scenarioFromText({ name: 'step.yaml', text }));
  const r = sys.run();
  const decisions = sys.autoscalers.get('model')!.decisions;
  const at = (t: number) => decisions.find((d) => Math.abs(d.timeS - t) < 1e-9)!;

  it('holds 4 replicas before the step', () => {
    for (const d of decisions.filter((d) => d.timeS <= 300)) {
      expect(d.ready).toBe(4);
      expect(d.desired).toBe(4);
    }
  });

  it('scales up as worked out by hand (sync period, cold start, max)', () => {
    const expected: Array<[number, number, number]> = [
      // [time, ready at the sync, desired]
      [315, 4, 7],
      [330, 4, 7],
      [360, 4, 7],
      [375, 7, 12],
      [420, 7, 12],
      [435, 12, 20],
      [495, 20, 34],
      [555, 34, 40],
      [615, 40, 40],
    ];
    for (const [t, ready, desired] of expected) {
      expect({ t, ready: at(t).ready, desired: at(t).desired }).toEqual({ t, ready, desired });
    }
    expect(at(315).metric).toBeGreaterThan(0.99); // saturated within milliseconds of the step
  });

  it('every decision follows the rule from its own metric', () => {
    // recommendation = ceil(ready · metric / target) outside the 10 % tolerance; up at
    // once to the recommendation; down only to the highest recommendation of the last
    // 300 s; clamped to [2, 40].
    decisions.forEach((d, i) => {
      const current = d.ready + d.provisioning;
      const ratio = d.metric / 0.6;
      const rec = Math.abs(ratio - 1) <= 0.1 ? current : Math.ceil(d.ready * ratio - 1e-9);
      expect(d.recommendation).toBe(rec);
      const window = decisions.slice(0, i + 1).filter((x) => x.timeS >= d.timeS - 300);
      const down = Math.max(...window.map((x) => x.recommendation));
      const want = current < rec ? rec : current > down ? down : current;
      expect(d.desired).toBe(Math.min(40, Math.max(2, want)));
    });
  });

  it('scale-down waits out the 5-minute stabilization window', () => {
    const firstDown = decisions.find((d) => d.desired < d.ready + d.provisioning);
    expect(firstDown).toBeDefined();
    // The backlog drains around t ≈ 700 s; recommendations stay high until then, so no
    // scale-down can come before 300 s after that.
    const lastHigh = decisions.filter((d) => d.recommendation >= 40).at(-1)!;
    expect(firstDown!.timeS).toBeGreaterThanOrEqual(lastHigh.timeS + 300);
  });

  it('bills replicas from the moment they are requested, and reports p99 per window', () => {
    const s = r.timeSeries;
    const w = s.startS.findIndex((t) => t === 330); // window [330, 345): 4 ready, 7 billed
    expect(s.stages.model!.replicas[w]).toBe(4);
    expect(s.costPerHourUsd[w]).toBeCloseTo(7 * 3.6, 9);
    const after = s.startS.findIndex((t) => t === 630); // all 40 ready
    expect(s.stages.model!.replicas[after]).toBe(40);
    // The spike's backlog shows in the per-window p99: far above 20 ms after the step.
    expect(s.p99Ms[s.startS.findIndex((t) => t === 285)]!).toBeLessThan(100);
    expect(s.p99Ms[s.startS.findIndex((t) => t === 600)]!).toBeGreaterThan(10_000);
    expect(r.stages.model!.maxReplicas).toBe(40);
  });
});
