import { describe, expect, it } from 'vitest';
import { scenarioFromText } from '../../src/config/parse.ts';
import { HPA_DEFAULT_BEHAVIOR } from '../../src/config/resolve.ts';
import { ServingSystem } from '../../src/models/index.ts';
import { scaleDownLimit, scaleUpLimit } from '../../src/models/scaling-policies.ts';

/**
 * Kubernetes' HPA scaling policies (kubernetes.io, "Horizontal Pod Autoscaling",
 * "Configurable scaling behavior"; controller `normalizeDesiredReplicasWithBehaviors`).
 *
 * A step from 10 to 1,500 QPS at t = 300 s and back to 10 at 600 s, against replicas
 * serving 50 QPS each (20 ms flat), metric `inflight` with target 1 (requests per ready
 * replica), min 1, max 40, a 1 s cold start, `behavior` with Kubernetes' default
 * scale-up (the larger of +4 pods or +100 % per 15 s) and a scale-down of 5 pods per
 * 60 s with the default 300 s stabilization.
 *
 * By hand, scaling up. The queue grows by ~1,450 a second, so the recommendation
 * ceil(ready × metric / 1) is in the thousands at every sync from 315 s; the policies
 * bound each step from the count at the start of the 15 s period (the previous sync's
 * change is exactly 15 s old, outside the period, so each sync has a fresh budget):
 *   t=315  1 → max(1+4, ceil(1·2)) = 5    (Pods)
 *   t=330  5 → max(5+4, 10) = 10          (Percent)
 *   t=345 10 → max(14, 20) = 20           (Percent)
 *   t=360 20 → max(24, 40) = 40 = max     (max)
 * where without `behavior` it jumps 1 → 40 at t=315.
 *
 * Scaling down. After the backlog clears (t≈500) the recommendations are about 30
 * (1,500 QPS × 20 ms: 30 requests in flight on average over 40 replicas, 0.75 each; the
 * count at a sync is random, and seed 4 draws 31, 31, 31, 30, 31, 31, 31 from t=510 to
 * t=600), then 1 from t=615. Stabilization keeps the highest recommendation of the last
 * 300 s; the policy allows 5 fewer than the count at the start of a sliding 60 s period
 * (changes strictly after now − 60 s):
 *   t=810  stabilized 31, limit 40−5 = 35      → 35 (Pods)
 *   t=825…855: the 810 change is inside the period, limit 35: hold 35
 *   t=870  810 left the period, limit 30; stabilized 31 (t=585) → 31
 *   t=900  limit 35−5 = 30; stabilized 31 (t=600) → 31
 *   t=915  stabilized 1; the 870 change (4) is in the period, limit 35−5 = 30 → 30 (Pods)
 *   t=930  only 915's 1 in the period: limit 31−5 = 26 → 26, then 25 at 975 (when 915 leaves) …
 * so the count goes 40, 35, 31, 30, 26, 25, 21, 20, 16, 15, 11, 10, 6, 5, 1.
 */
const scenario = (behavior: string): string => `
name: hpa-step
seed: 4
arrivals:
  process: schedule
  steps: [{ at: "0s", qps: 10 }, { at: "300s", qps: 1500 }, { at: "600s", qps: 10 }]
stop: { duration: "25m" }
stages:
  - name: model
    replicas: 1
    service: { dist: deterministic, value: "20ms" }
    autoscale:
      metric: inflight
      target: 1
      min: 1
      max: 40
      coldStart: { dist: deterministic, value: "1s" }
${behavior}
`;

describe('HPA scaling policies on a step load', () => {
  const sys = new ServingSystem(scenarioFromText({ name: 'hpa.yaml', text: scenario('      behavior:\n        scaleDown: { policies: [{ type: Pods, value: 5, periodSeconds: 60 }] }') }));
  const r = sys.run();
  const decisions = sys.autoscalers.get('model')!.decisions;
  const log = r.stages['model']!.scalingLog!;
  const at = (t: number) => log.find((d) => Math.abs(d.timeS - t) < 1e-9)!;

  it('recommends ceil(ready × metric / target) at every sync (Kubernetes: tolerance 0.1)', () => {
    for (const d of decisions) {
      const ratio = d.metric / 1;
      expect(d.recommendation).toBe(Math.abs(ratio - 1) <= 0.1 ? d.ready + d.provisioning : Math.ceil(d.ready * ratio - 1e-9));
    }
  });

  it('scales up 1 → 5 → 10 → 20 → 40, each step bounded by the policy worked out by hand', () => {
    expect([300, 315, 330, 345, 360].map((t) => at(t).replicas)).toEqual([1, 5, 10, 20, 40]);
    expect([315, 330, 345, 360].map((t) => at(t).limitedBy)).toEqual(['scaleUp Pods 4 per 15s', 'scaleUp Percent 100 per 15s', 'scaleUp Percent 100 per 15s', 'max']);
    for (const t of [315, 330, 345, 360]) expect(at(t).recommendation).toBeGreaterThan(1000);
  });

  it('scales down 5 pods per sliding 60 s once the 300 s stabilization lets it', () => {
    const changes: number[] = [];
    for (const d of log) if (changes.at(-1) !== d.replicas) changes.push(d.replicas);
    expect(changes).toEqual([1, 5, 10, 20, 40, 35, 31, 30, 26, 25, 21, 20, 16, 15, 11, 10, 6, 5, 1]);
    expect([810, 825, 870, 900, 915, 930].map((t) => [at(t).replicas, at(t).limitedBy])).toEqual([
      [35, 'scaleDown Pods 5 per 60s'],
      [35, 'scaleDown Pods 5 per 60s'],
      [31, 'scaleDownStabilization'],
      [31, 'scaleDownStabilization'],
      [30, 'scaleDown Pods 5 per 60s'],
      [26, 'scaleDown Pods 5 per 60s'],
    ]);
    expect([585, 600, 615].map((t) => at(t).recommendation)).toEqual([31, 31, 1]);
  });

  it('without behavior keeps the earlier rule: one jump to the recommendation, and no log in the result', () => {
    const plain = new ServingSystem(scenarioFromText({ name: 'hpa.yaml', text: scenario('') }));
    const pr = plain.run();
    const d315 = plain.autoscalers.get('model')!.decisions.find((d) => d.timeS === 315)!;
    expect(d315.desired).toBe(40);
    expect('scalingLog' in pr.stages['model']!).toBe(false);
  });
});

describe('scaling limits (Kubernetes calculateScaleUpLimitWithScalingRules / calculateScaleDownLimitWithBehaviors)', () => {
  const up = HPA_DEFAULT_BEHAVIOR.scaleUp;
  it('default scale-up: the larger of +4 pods and +100 %, from the count at the period start', () => {
    expect(scaleUpLimit(up, 1, [], [], 100).replicas).toBe(5);
    expect(scaleUpLimit(up, 3, [], [], 100).replicas).toBe(7);
    expect(scaleUpLimit(up, 5, [], [], 100).replicas).toBe(10);
    // 10 now, of which 5 were added 10 s ago: the period started at 5, so 10 is the limit.
    expect(scaleUpLimit(up, 10, [{ timeS: 90, change: 5 }], [], 100).replicas).toBe(10);
    // An event exactly one period old is outside it.
    expect(scaleUpLimit(up, 10, [{ timeS: 85, change: 5 }], [], 100).replicas).toBe(20);
  });
  it('Min picks the smaller change, Disabled none; Percent rounds up when growing and down when shrinking', () => {
    const rules = { policies: [...up.policies], selectPolicy: 'Min' as const };
    expect(scaleUpLimit(rules, 10, [], [], 0)).toEqual({ replicas: 14, policy: up.policies[0] });
    expect(scaleUpLimit({ ...rules, selectPolicy: 'Disabled' }, 10, [], [], 0)).toEqual({ replicas: 10, policy: null });
    expect(scaleUpLimit({ selectPolicy: 'Max', policies: [{ type: 'Percent', value: 10, periodS: 60 }] }, 11, [], [], 0).replicas).toBe(13); // ceil(12.1)
    expect(scaleDownLimit({ selectPolicy: 'Max', policies: [{ type: 'Percent', value: 10, periodS: 60 }] }, 11, [], [], 0).replicas).toBe(9); // floor(9.9)
    expect(scaleDownLimit(HPA_DEFAULT_BEHAVIOR.scaleDown, 7, [], [], 0).replicas).toBe(0);
    const two = { selectPolicy: 'Min' as const, policies: [{ type: 'Pods' as const, value: 2, periodS: 60 }, { type: 'Percent' as const, value: 50, periodS: 60 }] };
    expect(scaleDownLimit(two, 10, [], [], 0)).toEqual({ replicas: 8, policy: two.policies[0] });
    expect(scaleDownLimit({ ...two, selectPolicy: 'Max' }, 10, [], [], 0)).toEqual({ replicas: 5, policy: two.policies[1] });
  });
});
