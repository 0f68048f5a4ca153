import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, expectInputError } from '../support/cli.ts';

/** The keys of issue 17 (cache policies, HPA scaling policies): clear messages, exit code 2. */
const dir = mkdtempSync(join(tmpdir(), 'servesim-bad17-'));

const GOOD = `name: ok
arrivals: { process: poisson, qps: 100 }
stop: { requests: 2000 }
users: { count: 1000, zipf: 0.8 }
stages:
  - name: model
    replicas: 2
    service: { dist: exponential, mean: "5ms" }
    cache: { capacity: 100, policy: lfu, ttl: "1m", ttlResetOnHit: true, hit: { dist: deterministic, value: "1ms" } }
    autoscale:
      metric: utilization
      target: 0.6
      min: 1
      max: 8
      coldStart: { dist: deterministic, value: "10s" }
      behavior:
        scaleUp: { selectPolicy: Min, policies: [{ type: Pods, value: 2, periodSeconds: 30 }] }
        scaleDown: { stabilizationWindowSeconds: 60 }
`;

let n = 0;
async function expectScenarioError(text: string, ...messages: string[]): Promise<string> {
  const f = join(dir, `s${n++}.yaml`);
  writeFileSync(f, text);
  return expectInputError(['run', f], ...messages);
}

describe('bad cache and scaling-policy input', () => {
  it('the good base case runs, and its stage has a decision log', async () => {
    const f = join(dir, 'good.yaml');
    writeFileSync(f, GOOD);
    const r = await cli('run', f, '--json');
    expect(r.code, r.stderr).toBe(0);
    const st = JSON.parse(r.stdout).stages.model;
    expect(st.hitRatio).toBeGreaterThan(0);
    expect(st.scalingLog.length).toBeGreaterThan(0);
    expect(Object.keys(st.scalingLog[0])).toEqual(['timeS', 'metric', 'recommendation', 'limitedBy', 'replicas']);
  });

  it('an unknown cache policy lists the known ones', async () => {
    await expectScenarioError(GOOD.replace('policy: lfu', 'policy: arc'), 'stages[0].cache.policy: expected one of "lru", "fifo", "random", "lfu", got "arc"');
  });

  it('ttlResetOnHit without a ttl', async () => {
    await expectScenarioError(GOOD.replace('ttl: "1m", ', ''), 'stages[0].cache.ttlResetOnHit: ttlResetOnHit needs a ttl');
  });

  it('an unknown policy type, and a period beyond Kubernetes bound', async () => {
    await expectScenarioError(GOOD.replace('type: Pods', 'type: Nodes'), 'stages[0].autoscale.behavior.scaleUp.policies[0].type: expected "Pods" or "Percent", got "Nodes"');
    await expectScenarioError(GOOD.replace('periodSeconds: 30', 'periodSeconds: 3600'), 'periodSeconds is at most 1800 in Kubernetes, got 3600');
  });

  it('a stabilization window given twice', async () => {
    await expectScenarioError(GOOD.replace('      coldStart:', '      scaleDownWindow: "2m"\n      coldStart:'), 'give scaleDownWindow or behavior.scaleDown.stabilizationWindowSeconds, not both');
  });

  it('an empty policy list', async () => {
    await expectScenarioError(GOOD.replace('policies: [{ type: Pods, value: 2, periodSeconds: 30 }]', 'policies: []'), 'give at least one policy, or leave policies out for the default ones');
  });
});
