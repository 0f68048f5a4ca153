/**
 * Invariants of LLM stages under every routing policy, co-located or disaggregated
 * (property test, issue 15): every request is either completed or refused, the station
 * ends with nothing waiting or in service, and every replica's outstanding-token sum (the
 * running sum token-aware routers read) returns to exactly 0.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scenarioFromText } from '../../src/config/parse.ts';
import { ServingSystem } from '../../src/models/index.ts';
import type { LlmStation } from '../../src/models/stations/llm.ts';

const POLICIES = ['round-robin', 'random', 'least-outstanding', 'power-of-two', 'least-outstanding-tokens', 'least-kv-utilization', 'prefix-affinity'] as const;

const caseArb = fc.record({
  policy: fc.constantFrom(...POLICIES),
  disaggregated: fc.boolean(),
  replicas: fc.integer({ min: 2, max: 5 }),
  qps: fc.double({ min: 1, max: 200, noNaN: true }),
  requests: fc.integer({ min: 1, max: 300 }),
  inputMean: fc.integer({ min: 10, max: 4000 }),
  outputMean: fc.integer({ min: 1, max: 300 }),
  groups: fc.integer({ min: 1, max: 8 }),
  seed: fc.integer({ min: 0, max: 1e6 }),
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function text(c: Case): string {
  // Co-located replicas get a small KV cache (300 blocks, 4,800 tokens): long requests are
  // refused and the cache overfills (preemptions); a disaggregated stage's come from the GPU.
  const pool = c.disaggregated
    ? `\n      disaggregated: { prefill: { replicas: 1 }, decode: {}, link: { bandwidthGBps: 10, latency: "50us" } }`
    : '\n      kvBlocks: 300';
  return `name: prop
seed: ${c.seed}
arrivals: { process: poisson, qps: ${c.qps} }
stop: { requests: ${c.requests} }
tokens:
  input:  { dist: lognormal, mean: ${c.inputMean}, cv: 1.5, max: 20000 }
  output: { dist: lognormal, mean: ${c.outputMean}, cv: 1.5, max: 2000 }
  prefix: { groups: ${c.groups}, tokens: 256 }
stages:
  - name: llm
    replicas: ${c.replicas}
    routing: { policy: ${c.policy} }
    llm:
      roofline: { model: llama-3.1-8b, gpu: h100-sxm }
      maxBatchedTokens: 2048${pool}
`;
}

describe('LLM routing and disaggregation invariants (property test)', () => {
  it('completed + refused = arrived; nothing left waiting, in service or in an outstanding-token sum', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const sys = new ServingSystem(scenarioFromText({ name: 'prop.yaml', text: text(c) }));
        const r = sys.run();
        const st = sys.stages[0] as LlmStation;
        expect(r.requests.completed + r.requests.dropped).toBe(c.requests);
        expect(r.llm!.rejected).toBe(r.requests.dropped);
        expect(st.waiting).toBe(0);
        expect(st.inService).toBe(0);
        for (const e of st.engines) expect(e.outstandingTokens).toBe(0);
      }),
      { numRuns: 40 },
    );
  });

  it('the small KV cache of the co-located cases does refuse and preempt (the property above is not vacuous)', () => {
    const c: Case = { policy: 'prefix-affinity', disaggregated: false, replicas: 2, qps: 50, requests: 300, inputMean: 3000, outputMean: 300, groups: 4, seed: 1 };
    const r = new ServingSystem(scenarioFromText({ name: 'prop.yaml', text: text(c) })).run();
    expect(r.requests.dropped).toBeGreaterThan(0);
    expect(r.llm!.preemptions).toBeGreaterThan(0);
  });
});
