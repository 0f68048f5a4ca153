/**
 * An LLM stage that falls back to a smaller LLM (issue 15): Llama 3.1 70B (2 × H200)
 * diverting to Llama 3.1 8B (one H100) when requests wait. The diverted share follows from
 * the big engine's service rate, a diverted request gets the small engine's TTFT (on an idle
 * small engine, its prefill step by hand) and its quality, and the estimated-TTFT trigger is
 * (waiting ÷ replicas + 1) × the mean prompt's TTFT alone.
 */
import { describe, expect, it } from 'vitest';
import { scenarioFromText } from '../../src/config/parse.ts';
import { ServingSystem } from '../../src/models/index.ts';
import type { RunResult } from '../../src/models/result.ts';
import type { LlmStation } from '../../src/models/stations/llm.ts';

const P = 2048;
const O = 10;
const N = 2000;

/**
 * Constant arrivals every 0.2 s; the big engine runs one sequence at a time (maxNumSeqs 1),
 * so it serves one request in its time alone S (0.462 s, read from its theory) and the
 * others wait; `trigger` diverts to the small engine.
 */
function scenario(trigger: string): string {
  return `name: llm-fallback
arrivals: { process: constant, qps: 5 }
stop: { requests: ${N + 200} }
warmup: { requests: 200 }
tokens:
  input:  { dist: deterministic, value: ${P} }
  output: { dist: deterministic, value: ${O} }
stages:
  - name: big
    replicas: 1
    fallback: { ${trigger}, to: small }
    llm: { roofline: { model: llama-3.1-70b, gpu: h200, tp: 2 }, maxNumSeqs: 1 }
  - name: small
    replicas: 1
    llm: { roofline: { model: llama-3.1-8b, gpu: h100-sxm } }
`;
}

function run(trigger: string): { r: RunResult; big: LlmStation } {
  const sys = new ServingSystem(scenarioFromText({ name: 'fallback.yaml', text: scenario(trigger) }));
  const r = sys.run();
  return { r, big: sys.stages[0] as LlmStation };
}

describe('an LLM stage falling back to a smaller LLM', () => {
  const { r, big } = run('queueLength: 2');
  const st = r.llm!.stages!;

  it('a fallback target answers instead of the stage, not after it: no cascade warning about pooled visits', () => {
    expect(r.warnings.some((w) => w.includes('answer requests in turn'))).toBe(false);
  });

  it('diverts what the big engine cannot take: 1 − a/S of the requests, to within the requests at the edges', () => {
    const S = big.theory.llm!.e2eAloneS;
    expect(S).toBeGreaterThan(0.4);
    expect(S).toBeLessThan(0.5);
    // Every S = 0.46 s the big engine finishes one request while two or three arrive, so once
    // two wait it is never idle: it finishes one request every S exactly (a step is planned
    // as the previous ends; the roofline has no front-end overhead), and the rest, the ones
    // finding two waiting, are diverted. Over the measured span of N·a the engine finishes
    // N·a/S (865.2 here; seed 1 diverts 1,135 of the expected 1,134.8), give or take the one running and the two waiting at each edge of the window.
    const diverted = st.small!.requests;
    expect(st.big!.requests + diverted).toBe(N);
    expect(Math.abs(diverted - N * (1 - 0.2 / S))).toBeLessThanOrEqual(6);
    expect(r.degradedShare).toBeCloseTo(diverted / N, 12);
    expect(r.stages.small!.completed).toBe(diverted);
    // Conservation over the whole run.
    expect(r.requests.completed + r.requests.dropped + r.requests.inFlight).toBe(r.requests.arrived);
    expect(r.requests.completed).toBe(N);
  });

  it("a diverted request's TTFT is the small engine's prefill, by hand (it is idle whenever one arrives)", () => {
    // Llama 3.1 8B on one H100 SXM (989.4 dense BF16 TFLOP/s, 3,350 GB/s), the roofline's
    // default efficiencies (compute 0.65, memory 0.72, 500 µs a step). A fresh 2,048-token
    // prompt in one step (maxBatchedTokens 8,192):
    // FLOPs 2 × 6,979,588,096 × 2,048 (matmuls) + 524,288 × 2,098,176 causal pairs
    //   (attention) = 29,688,441,339,904 → / (989.4e12 × 0.65) = 46.1637 ms (compute-bound);
    // bytes 16,060,522,496 weights + 131,072 × 2,048 KV written = 16,328,957,952
    //   → / (3,350e9 × 0.72) = 6.770 ms; step = 46.1637 + 0.5 = 46.6637 ms.
    // (test/llm/roofline.test.ts checks the same terms at other efficiencies.) The small
    // engine finishes a request in about 0.11 s and diverted requests come at least 0.2 s
    // apart, so every one finds it idle: every TTFT is this step.
    const prefillMs = (29_688_441_339_904 / (989.4e12 * 0.65) + 500e-6) * 1000;
    expect(prefillMs).toBeCloseTo(46.6637, 3);
    expect(st.small!.ttftMs.mean).toBeCloseTo(prefillMs, 9);
    // The big engine's first tokens come after its own (longer) prefill and a wait.
    expect(st.big!.ttftMs.p50).toBeGreaterThan(3 * prefillMs);
  });

  it('the run is the mix: each request carries the quality of the model that answered it', () => {
    const b = st.big!.requests;
    const s = st.small!.requests;
    expect(st.big!.quality).toEqual({ benchmark: 'OpenLLM v1 average (Instruct model)', value: 84.4 });
    expect(st.small!.quality).toEqual({ benchmark: 'OpenLLM v1 average (Instruct model)', value: 73.79 });
    expect(r.quality).toBeCloseTo((b * 84.4 + s * 73.79) / N, 9);
    expect(r.qualityMetric).toBe('OpenLLM v1 average (Instruct model)');
  });

  it('estimatedTtft diverts at (waiting ÷ replicas + 1) × the mean prompt alone: a bound of 2.5 of them is queueLength 2', () => {
    // Waiting 0, 1, 2 give estimates of 1, 2 and 3 prompts alone: above 2.5 exactly when two wait.
    const t = big.theory.llm!.ttftAloneS;
    const { r: byTtft } = run(`estimatedTtft: "${(2.5 * t * 1000).toFixed(6)}ms"`);
    expect(byTtft.llm!.stages!.small!.requests).toBe(st.small!.requests);
    expect(byTtft.latencyMs.mean).toBe(r.latencyMs.mean);
    const { r: tighter } = run(`estimatedTtft: "${(1.5 * t * 1000).toFixed(6)}ms"`);
    const { r: one } = run('queueLength: 1');
    expect(tighter.llm!.stages!.small!.requests).toBe(one.llm!.stages!.small!.requests);
    expect(tighter.latencyMs.mean).toBe(one.latencyMs.mean);
    // The big engine still finishes one request every S (it is never idle with one waiting
    // either), so about as many are diverted; but those it keeps wait for one request, not two.
    expect(Math.abs(one.llm!.stages!.small!.requests - st.small!.requests)).toBeLessThanOrEqual(6);
    expect(one.llm!.stages!.big!.ttftMs.mean).toBeLessThan(st.big!.ttftMs.mean - 300);
  });
});
