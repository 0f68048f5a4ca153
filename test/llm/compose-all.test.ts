/**
 * The three compositions at once (issue 15): a cache in front of a small LLM that escalates
 * a share to a big LLM, which falls back to another small engine when prompts wait. Every
 * request is accounted for once at each step, and the run's quality is the model that gave
 * each its final answer, exactly.
 */
import { describe, expect, it } from 'vitest';
import { scenarioFromText } from '../../src/config/parse.ts';
import { ServingSystem } from '../../src/models/index.ts';

const text = (seed: number) => `name: compose-all
seed: ${seed}
arrivals: { process: poisson, qps: 12 }
stop: { requests: 2400 }
warmup: { requests: 400 }
users: { count: 2000, zipf: 0.8 }
tokens:
  input:  { dist: lognormal, mean: 800, cv: 0.5, min: 1, max: 3000 }
  output: { dist: lognormal, mean: 150, cv: 1.0, min: 1, max: 1000 }
stages:
  - name: small
    replicas: 1
    cache: { capacity: 500, hit: { dist: deterministic, value: "2ms" } }
    escalate: { share: 0.4 }
    llm: { roofline: { model: llama-3.1-8b, gpu: h100-sxm } }
  - name: big
    replicas: 1
    fallback: { queueLength: 1, to: lite }
    llm: { roofline: { model: llama-3.1-70b, gpu: h200, tp: 2 }, maxNumSeqs: 4 }
  - name: lite
    replicas: 1
    llm: { roofline: { model: llama-3.1-8b, gpu: h100-sxm } }
`;

describe('cache, cascade and fallback together', () => {
  for (const seed of [1, 2]) {
    it(`seed ${seed}: counts add up at every step; quality is exactly the final answers' mix`, () => {
      const r = new ServingSystem(scenarioFromText({ name: 'compose.yaml', text: text(seed) })).run();
      const n = r.requests.completed;
      expect(n).toBe(2000);
      expect(r.requests.completed + r.requests.dropped + r.requests.inFlight).toBe(r.requests.arrived);
      const st = r.llm!.stages!;
      // At the small stage: a request is a hit or served by its engine.
      expect(st.small!.cache!.requests + st.small!.requests).toBe(n);
      expect(st.small!.cache!.requests).toBeGreaterThan(0);
      // Escalated requests (hits included: a hit is the small model's answer too) reach the big
      // stage, which serves them or diverts them to lite: Binomial(2000, 0.4), sd 21.9, four sd.
      const escalated = st.big!.requests + st.lite!.requests;
      expect(Math.abs(escalated - 0.4 * n)).toBeLessThan(4 * Math.sqrt(n * 0.4 * 0.6));
      expect(st.lite!.requests).toBeGreaterThan(0);
      expect(r.degradedShare).toBeCloseTo(st.lite!.requests / n, 12);
      expect(r.stages.big!.completed).toBe(st.big!.requests);
      expect(r.stages.lite!.completed).toBe(st.lite!.requests);
      // Final answers: 70B for those the big engine served, 8B for everything else.
      expect(r.quality).toBeCloseTo(((n - st.big!.requests) * 73.79 + st.big!.requests * 84.4) / n, 9);
    });
  }
});
