import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../src/config/resolve.ts';
import { scenarioFromText } from '../../src/config/parse.ts';

describe('resolveScenario applies every default once', () => {
  it('a bare stage gets the documented defaults', () => {
    const d = resolveScenario({ arrivals: { process: 'poisson', qps: 10 }, stop: { requests: 100 }, stages: [{ name: 'm', replicas: 2, service: { dist: 'exponential', mean: 0.1 } }] });
    expect(d).toMatchObject({ name: 'scenario', seed: 1, stopRequests: 100, stopS: Infinity, stopField: 'stop.requests', warmupRequests: 0, warmupS: 0, slo: null, users: null, retry: null, timeSeriesWindowS: null });
    expect(d.stages[0]).toMatchObject({
      kind: 'pool', concurrency: 1, queueCapacity: Infinity, maxBatch: 1, maxWaitS: 0, routing: 'shared', deadlineS: Infinity, systemDeadlineS: Infinity,
      ack: null, fanout: null, autoscale: null, cache: null, fallback: null, precompute: null, standby: false, shielded: false,
    });
    expect(d.stages[0]!.quality).toBeNaN();
  });

  it('fan-out, buffer, autoscaling, retries and catalog service times resolve with their defaults', () => {
    const d = resolveScenario(
      scenarioFromText({
        name: 'r.yaml',
        text: `
arrivals: { process: poisson, qps: 10 }
stop: { requests: 100 }
retry: { timeout: "1s", maxAttempts: 3, budget: { ratio: 0.1 } }
stages:
  - { name: f, replicas: 1, fanout: { shards: 4 }, service: { dist: exponential, mean: "10ms" } }
  - { name: b, replicas: 1, buffer: { ack: { dist: deterministic, value: "2ms" }, retention: 50 }, service: { dist: exponential, mean: "10ms" } }
  - name: a
    replicas: 2
    model: gbdt
    hardware: c7i.xlarge
    autoscale: { metric: utilization, target: 0.6, min: 1, max: 4, coldStart: { dist: deterministic, value: "30s" } }
`,
      }),
    );
    const [f, b, a] = d.stages;
    expect(f).toMatchObject({ kind: 'fanout', fanout: { shards: 4, quorum: 4, hedgeAfterS: Infinity } });
    expect(b).toMatchObject({ kind: 'buffer', queueCapacity: 50, ack: { dist: 'deterministic', value: 0.002 } });
    expect(a!.autoscale).toMatchObject({ syncS: 15, scaleUpWindowS: 0, scaleDownWindowS: 300, tolerance: 0.1 });
    expect(a!.service.dist).toBe('linear');
    expect(a!.hardware?.name).toBe('c7i.xlarge');
    expect(d.retry).toEqual({ timeoutS: 1, maxAttempts: 3, backoffBaseS: 0.1, backoffMaxS: Infinity, jitter: 'full', budget: { ratio: 0.1, minPerSecond: 0 } });
  });
});
