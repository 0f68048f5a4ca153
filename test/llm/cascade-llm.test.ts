/**
 * An LLM cascade (issue 15): Llama 3.1 8B answers every request, a share escalates to
 * Llama 3.1 70B (`escalate: { share }`). The big stage serves about that share, each stage
 * keeps its own LLM figures (`llm.stages`), and the run's quality is the mix of the models
 * that gave each request its final answer.
 */
import { describe, expect, it } from 'vitest';
import { scenarioFromText } from '../../src/config/parse.ts';
import { ServingSystem } from '../../src/models/index.ts';

const SHARE = 0.25;

function scenario(seed: number): string {
  return `name: llm-cascade
seed: ${seed}
arrivals: { process: poisson, qps: 4 }
stop: { requests: 3300 }
warmup: { requests: 300 }
tokens:
  input:  { dist: lognormal, mean: 800, cv: 0.5, min: 1, max: 3000 }
  output: { dist: lognormal, mean: 150, cv: 1.0, min: 1, max: 1000 }
stages:
  - name: small
    replicas: 1
    escalate: { share: ${SHARE} }
    llm: { roofline: { model: llama-3.1-8b, gpu: h100-sxm } }
  - name: big
    replicas: 1
    llm: { roofline: { model: llama-3.1-70b, gpu: h200, tp: 2 } }
`;
}

describe('an LLM cascade: small model first, a share escalates', () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: the big stage serves the escalated share; per-stage figures; quality is the mix`, () => {
      const r = new ServingSystem(scenarioFromText({ name: 'cascade.yaml', text: scenario(seed) })).run();
      const n = r.requests.completed;
      expect(n).toBe(3000);
      expect(r.requests.completed + r.requests.dropped + r.requests.inFlight).toBe(r.requests.arrived);
      const st = r.llm!.stages!;
      // Every request passes the small stage; each escalates independently with probability
      // 0.25 (its own stream), so the big stage's count is Binomial(3000, 0.25): sd = 23.7;
      // four sd (95 requests) is a chance of about 6e-5 per seed of a false alarm.
      expect(st.small!.requests).toBe(n);
      expect(r.stages.small!.completed).toBe(n);
      expect(r.stages.big!.completed).toBe(st.big!.requests);
      const k = st.big!.requests;
      expect(Math.abs(k - SHARE * n)).toBeLessThan(4 * Math.sqrt(n * SHARE * (1 - SHARE)));
      // Each request's final answer is the last model's: 8B for those that stayed, 70B for the escalated.
      expect(r.quality).toBeCloseTo(((n - k) * 73.79 + k * 84.4) / n, 9);
      // Per-stage figures are each engine's own: the 70B prefill is several times the 8B's.
      expect(st.big!.ttftMs.p50).toBeGreaterThan(3 * st.small!.ttftMs.p50);
      expect(st.small!.quality!.value).toBe(73.79);
      expect(st.big!.quality!.value).toBe(84.4);
      // The merged section counts both engines' tokens; each stage counts its own.
      expect(st.small!.outputTokensPerS + st.big!.outputTokensPerS).toBeCloseTo(r.llm!.outputTokensPerS, 9);
      // The run's latency: every request's time at the small stage, plus the big stage's for the escalated.
      expect(Math.abs(r.latencyMs.mean * n - (st.small!.e2eMs.mean * n + st.big!.e2eMs.mean * k))).toBeLessThan(1e-6 * r.latencyMs.mean * n);
      // The merged TTFT/TPOT pool both engines' visits of an escalated request: the run says so.
      expect(r.warnings.filter((w) => w.startsWith('llm: stages "small", "big" answer requests in turn'))).toHaveLength(1);
    });
  }
});

describe('a cascade whose first model has no published quality', () => {
  it("scores only the escalated answers, and warns that the run's quality leaves the others out", () => {
    const text = scenario(1).replace('model: llama-3.1-8b', 'model: qwen2.5-7b').replace('stop: { requests: 3300 }', 'stop: { requests: 800 }');
    const r = new ServingSystem(scenarioFromText({ name: 'cascade.yaml', text })).run();
    expect(r.llm!.stages!.small!.quality).toBeNull();
    // Each escalated request's final answer is 70B's: the only scored ones.
    expect(r.quality).toBeCloseTo(84.4, 9);
    expect(r.warnings.some((w) => w.startsWith('quality: stage(s) "small" have no published quality'))).toBe(true);
  });
});

describe('explain names the engines and the escalation', () => {
  it('servesim explain llm-small-first says who answers and what escalates', async () => {
    const { cli } = await import('../support/cli.ts');
    const r = await cli('explain', 'llm-small-first');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('→ small (1 replica, LLM llama-3.1-8b on h100-sxm, 20% escalate to the next stage, the rest leave answered)');
    expect(r.stdout).toContain('→ big (1 replica, LLM llama-3.1-70b on 2× h200)');
  });
});
