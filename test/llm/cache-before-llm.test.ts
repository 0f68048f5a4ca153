/**
 * A cache in front of an LLM stage (issue 15): a hit never reaches the engine; the engine's
 * figures (`llm`, `llm.stages.<name>`) count only what it served, the hits' token counts are
 * counted apart (`llm.stages.<name>.cache`), and the run's latency includes the hits at the
 * cache's latency.
 */
import { describe, expect, it } from 'vitest';
import { scenarioFromText } from '../../src/config/parse.ts';
import { ServingSystem } from '../../src/models/index.ts';

const P = 500;
const O = 50;

/**
 * Uniform popularity over 1,000 users (zipf 0) and an LRU cache of 300 entries: once the
 * cache is full it holds 300 distinct keys whatever the history, and each request's key is
 * a fresh uniform draw, so every lookup hits with probability exactly C/U = 0.3,
 * independently of the others (the independent reference model with uniform popularity).
 * The cache is full after about U·ln(U/(U − C)) = 357 requests; warm-up is 1,000.
 */
function scenario(seed: number): string {
  return `name: cache-before-llm
seed: ${seed}
arrivals: { process: poisson, qps: 4 }
stop: { requests: 5000 }
warmup: { requests: 1000 }
users: { count: 1000, zipf: 0 }
tokens:
  input:  { dist: deterministic, value: ${P} }
  output: { dist: deterministic, value: ${O} }
stages:
  - name: llm
    replicas: 1
    cache: { capacity: 300, policy: lru, hit: { dist: deterministic, value: "2ms" } }
    llm: { roofline: { model: llama-3.1-8b, gpu: h100-sxm } }
`;
}

describe('a cache in front of an LLM stage', () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: the engine serves the misses only, about (1 − h)·N of N, and the hits take the cache's latency`, () => {
      const sys = new ServingSystem(scenarioFromText({ name: 'cache.yaml', text: scenario(seed) }));
      const r = sys.run();
      const n = r.requests.completed;
      expect(r.requests.arrived).toBe(4000);
      // Conservation: every measured request finished, either as a hit or at the engine.
      expect(r.requests.completed + r.requests.dropped + r.requests.inFlight).toBe(r.requests.arrived);
      const st = r.llm!.stages!.llm!;
      const hits = st.cache!.requests;
      expect(hits + st.requests).toBe(n);
      expect(r.stages.llm!.completed).toBe(st.requests);
      // Served ~ Binomial(N, 1 − h) with h = 0.3: sd = √(4000 × 0.3 × 0.7) = 29.0; four sd
      // (116 requests) is a chance of about 6e-5 per seed of a false alarm.
      const sd = Math.sqrt(n * 0.3 * 0.7);
      expect(Math.abs(st.requests - 0.7 * n)).toBeLessThan(4 * sd);
      expect(r.stages.llm!.hitRatio).toBeCloseTo(hits / n, 12);
      // The hits' token counts are counted apart, never as the engine's.
      const spanS = r.measuredS;
      expect(st.cache!.inputTokensPerS * spanS).toBeCloseTo(hits * P, 6);
      expect(st.cache!.outputTokensPerS * spanS).toBeCloseTo(hits * O, 6);
      // The engine's own token counts are those of what it finished after warm-up, give or
      // take the requests in flight at the warm-up boundary (at most a few at 4 req/s, each
      // done in about 0.4 s): the output tokens lie within 5 requests' worth of served × O.
      expect(Math.abs(st.outputTokensPerS * spanS - st.requests * O)).toBeLessThanOrEqual(5 * O);
      // The run's latency includes the hits: a hit takes exactly the cache's 2 ms, an engine's
      // answer far longer (its prefill alone is over 10 ms), and the run's mean is the hits'
      // 2 ms and the engine's E2E weighted by their counts, to rounding (the engine's E2E runs
      // from arrival at the stage, which is arrival at the system here; sketch means are exact).
      expect(r.latencyMs.p50).toBeGreaterThan(10);
      expect(Math.abs(r.latencyMs.mean * n - (2 * hits + st.e2eMs.mean * st.requests))).toBeLessThan(1e-6 * r.latencyMs.mean * n);
      expect(st.e2eMs.mean).toBeCloseTo(r.llm!.e2eMs.mean, 9);
      expect(st.ttftMs.p50).toBeGreaterThan(10);
      // A hit serves the stage's model's answer: its quality, like the engine's.
      expect(r.quality).toBeCloseTo(73.79, 9);
    });
  }
});
