import { describe, expect, it } from 'vitest';
import { scenarioFromText } from '../../src/config/parse.ts';
import { runScenario } from '../../src/models/index.ts';
import { zipfPmf } from '../../src/models/users.ts';

/**
 * A stage's `cache.policy` reaches its node: the default is the LRU of before, byte for
 * byte, and FIFO's hit ratio at the stage is Fricker, Robert & Roberts' (the engine
 * tests, test/engine/cache-policies.test.ts, check every policy against its theory).
 */
const text = (cache: string) => `
name: cache-stage
seed: 3
arrivals: { process: poisson, qps: 1000 }
stop: { requests: 300000 }
warmup: { requests: 50000 }
users: { count: 10000, zipf: 0.8 }
stages:
  - name: model
    replicas: 8
    service: { dist: lognormal, mean: "5ms", cv: 0.5 }
    cache: { capacity: 1000${cache}, hit: { dist: deterministic, value: "1ms" } }
`;
const run = (cache: string) => runScenario(scenarioFromText({ name: 'cache-stage.yaml', text: text(cache) }));

describe('cache policies at a stage', () => {
  it('policy lru is the default: identical results', () => {
    expect(JSON.stringify(run(', policy: lru'))).toBe(JSON.stringify(run('')));
  });

  it('FIFO at the stage has the FRR hit ratio (within 1 %: 250,000 lookups, SE about 0.1 %)', () => {
    // h_i = p_i T/(1 + p_i T), Σ h_i = 1,000: reference 0.39418 (test/engine/cache-policies.test.ts).
    const p = zipfPmf(10_000, 0.8);
    let lo = 0;
    let hi = 1e7;
    for (let k = 0; k < 200; k++) {
      const t = (lo + hi) / 2;
      if (p.reduce((a, pi) => a + (pi * t) / (1 + pi * t), 0) < 1000) lo = t;
      else hi = t;
    }
    const frr = p.reduce((a, pi) => a + (pi * pi * lo) / (1 + pi * lo), 0);
    expect(frr).toBeCloseTo(0.39418, 4);
    const hit = run(', policy: fifo').stages['model']!.hitRatio!;
    expect(Math.abs(hit / frr - 1)).toBeLessThan(0.01);
  });

  it('random eviction replays from the seed, and evicts otherwise than FIFO', () => {
    const a = run(', policy: random');
    const b = run(', policy: random');
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    // Same expected hit ratio as FIFO under IRM (Gelenbe 1973), other evictions: another realisation.
    expect(a.stages['model']!.hitRatio).not.toBe(run(', policy: fifo').stages['model']!.hitRatio);
  });
});
