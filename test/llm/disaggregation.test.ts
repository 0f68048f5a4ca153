/**
 * Prefill/decode disaggregation (issue 15, `llm.disaggregated`): on idle pools a request's
 * TTFT is its prefill step plus the KV transfer, by hand; tokens are counted once across the
 * two pools; the link serialises one prefill replica's transfers.
 */
import { describe, expect, it } from 'vitest';
import { scenarioFromText } from '../../src/config/parse.ts';
import { Simulation } from '../../src/engine/index.ts';
import { coefficientStepTime, LlmReplica, type LlmRequestSpec } from '../../src/models/llm/index.ts';
import { rooflineDeployment } from '../../src/models/llm/roofline-deployment.ts';
import { rooflineStepTime } from '../../src/models/llm/roofline.ts';
import { ServingSystem } from '../../src/models/index.ts';
import type { LlmStation } from '../../src/models/stations/llm.ts';

/** Llama 3.1 8B on H100s, one prefill and one decode replica, a 50 GB/s link with 20 µs latency. */
function scenario(qps: number, requests: number, input: number, output: number): string {
  return `name: disaggregated
arrivals: { process: constant, qps: ${qps} }
stop: { requests: ${requests} }
tokens:
  input:  { dist: deterministic, value: ${input} }
  output: { dist: deterministic, value: ${output} }
stages:
  - name: llm
    replicas: 2
    llm:
      roofline: { model: llama-3.1-8b, gpu: h100-sxm }
      disaggregated:
        prefill: { replicas: 1 }
        decode: { replicas: 1 }
        link: { bandwidthGBps: 50, latency: "20us" }
`;
}

function run(text: string) {
  const sys = new ServingSystem(scenarioFromText({ name: 'disaggregated.yaml', text }));
  const result = sys.run();
  return { result, station: sys.stages[0] as LlmStation };
}

// The prefill step of one fresh 2,048-token prompt on the stage's roofline (default
// efficiencies; the step model itself is checked by hand in roofline.test.ts).
const step = rooflineStepTime(rooflineDeployment({ model: 'llama-3.1-8b', gpu: 'h100-sxm' }));
const prefill2048S = step.stepS(2048, 0, { decodeContextTokens: 0, prefillContextTokens: 0, prefillAttentionPairs: (2048 * 2049) / 2 });

describe('prefill/decode disaggregation', () => {
  it('on idle pools, TTFT = the prefill step + the KV transfer (bytes / bandwidth + latency)', () => {
    // Requests 100 s apart, each done in well under a second: every one meets idle pools.
    // KV bytes: 2 (K, V) × 32 layers × 8 KV heads × 128 dims × 2 bytes = 131,072 per token;
    // × 2,048 prompt tokens = 268,435,456 bytes; / 50e9 B/s = 5.36870912 ms; + 20 µs
    // latency = 5.38870912 ms. The roofline has no front-end overhead (α = 0), so no
    // pre-queue time and the first token leaves with the step's end.
    const { result, station } = run(scenario(0.01, 3, 2048, 10));
    const transferS = (131_072 * 2048) / 50e9 + 20e-6;
    expect(transferS).toBeCloseTo(0.00538870912, 14);
    const ttftMs = (prefill2048S + transferS) * 1000;
    const llm = result.llm!;
    // Every request has the same TTFT, so their mean is it (the percentiles come from a sketch).
    expect(llm.ttftMs.mean).toBeCloseTo(ttftMs, 9);
    expect(result.requests.completed).toBe(3);
    // Prompt tokens counted once (on the prefill side), every output token once: 1 from
    // the prefill replica, 9 from the decode replica.
    const pre = station.engines[0]!.counters;
    const dec = station.engines[1]!.counters;
    expect(pre.inputTokens).toBe(3 * 2048);
    expect(pre.outputTokens).toBe(3);
    expect(dec.outputTokens).toBe(3 * 9);
    expect(station.measuredCounts()).toMatchObject({ inputTokens: 3 * 2048, outputTokens: 3 * 10 });
  });

  it('a one-token answer finishes when its KV would arrive, never reaching the decode pool', () => {
    const { result, station } = run(scenario(0.01, 2, 2048, 1));
    expect(result.llm!.ttftMs.mean).toBeCloseTo((prefill2048S + (131_072 * 2048) / 50e9 + 20e-6) * 1000, 9);
    expect(result.llm!.e2eMs.mean).toBeCloseTo(result.llm!.ttftMs.mean, 9);
    expect(station.engines[1]!.counters.submitted).toBe(0);
  });

  it('one prefill replica sends one transfer at a time', () => {
    // Two requests 1 µs apart (constant arrivals at 1e6/s) on a 1 GB/s link: a transfer
    // takes x = 268,435,456 B / 1e9 B/s = 268.435456 ms, longer than a prefill step s. The
    // first is prefilled in [0, s] and arrives at s + x + L; the second waits for that step,
    // is prefilled in [s, 2s], and its transfer starts only when the link is free, at
    // s + x (> 2s): it arrives at s + 2x + L, a TTFT of s + 2x + L − 1 µs. Mean TTFT:
    // s + 1.5x + L − 0.5 µs (were transfers concurrent: 1.5s + x + L − 0.5 µs).
    const text = scenario(1e6, 2, 2048, 2).replace('bandwidthGBps: 50', 'bandwidthGBps: 1');
    const { result } = run(text);
    const x = (131_072 * 2048) / 1e9;
    expect(x).toBeGreaterThan(prefill2048S);
    expect(result.llm!.ttftMs.mean).toBeCloseTo((prefill2048S + 1.5 * x + 20e-6 - 0.5e-6) * 1000, 9);
  });

  it('the load check foresees an overloaded prefill pool (its full-budget steps at the mean prompt)', () => {
    // 40 prompts/s of 3,000 tokens on 2 prefill replicas: a full step of 8,192 tokens
    // holds 2.73 mean prompts and takes the roofline's time for them, so the pool prefills
    // at most 2 × 2.73 / step ≈ 29 prompts/s < 40: warned. With 4 replicas, ≈ 58 > 40: not.
    const text = (prefill: number) =>
      scenario(40, 500, 3000, 200).replace('    replicas: 2\n', '    replicas: 8\n').replace('prefill: { replicas: 1 }', `prefill: { replicas: ${prefill} }`).replace('decode: { replicas: 1 }', 'decode: {}');
    const prompts = 8192 / 3000;
    const full = step.stepS(8192, 0, { decodeContextTokens: 0, prefillContextTokens: 0, prefillAttentionPairs: (prompts * 3000 * 3001) / 2 });
    expect((2 * prompts) / full).toBeGreaterThan(28);
    expect((2 * prompts) / full).toBeLessThan(30);
    const two = run(text(2));
    expect(two.station.capacityRps()).toBeCloseTo((2 * prompts) / full, 9);
    expect(two.result.warnings.some((w) => w.includes('stage "llm" is overloaded: 40 req/s arrive'))).toBe(true);
    expect(run(text(4)).result.warnings.some((w) => w.includes('overloaded'))).toBe(false);
  });

  it('decode.replicas left out is what the prefill pool leaves of the stage\'s replicas', () => {
    const text = scenario(0.01, 1, 100, 2).replace('    replicas: 2\n', '    replicas: 8\n').replace('prefill: { replicas: 1 }', 'prefill: { replicas: 3 }').replace('decode: { replicas: 1 }', 'decode: {}');
    const { station } = run(text);
    expect(station.prefillCount).toBe(3);
    expect(station.engines.length).toBe(8);
  });

  it('a replica admits a request with transferred KV as docs/llm-scheduler.md says, by hand', () => {
    // P' = 101 tokens known, X = 100 transferred, O' = 2; β = [1000, 1, 2] µs, α = 0.
    // Schedulable at once (no pre-queue). Step 1 at 0: admitted with c = 100, k = 1 prefill
    // token, ceil(101 / 16) = 7 blocks: 1000 + 1 = 1,001 µs, emits its first token here.
    // Step 2: one decode token, 1000 + 2 = 1,002 µs: finishes at 2,003 µs.
    const sim = new Simulation({ seed: 1 });
    const times: number[] = [];
    const blocks: number[] = [];
    const replica: LlmReplica<LlmRequestSpec> = new LlmReplica(
      sim,
      { maxNumSeqs: 8, maxBatchedTokens: 512, chunkedPrefill: true, prefixCaching: false, blockSize: 16, kvBlocks: 100 },
      coefficientStepTime({ alpha: [5000, 5, 0], beta: [1000, 1, 2] }),
      { firstToken: (_r, t) => times.push(t), finish: (_r, t) => times.push(t), reject: () => {} },
      { onStep: () => blocks.push(replica.usedBlocks) },
    );
    replica.submit({ inputTokens: 101, outputTokens: 2, transferredTokens: 100 });
    sim.run();
    expect(times.map((t) => Math.round(t * 1e9) / 1e3)).toEqual([1001, 2003]);
    expect(blocks).toEqual([7, 7]);
    expect(replica.counters.prefillTokensComputed).toBe(1);
    expect(replica.counters.decodeTokens).toBe(1);
  });
});
