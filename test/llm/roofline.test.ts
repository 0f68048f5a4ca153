/**
 * The roofline step model by hand: a decode step and a prefill step of Llama 3.1 8B on an
 * H100 SXM, the all-reduce cost of Llama 3.1 70B at TP 4, the KV capacity of Llama 3.1 8B
 * on an 80 GB GPU, and the refusals (does not fit; TP not dividing the heads).
 */
import { describe, expect, it } from 'vitest';
import { LLM_MODELS } from '../../src/catalog/llm-models.ts';
import { InputError } from '../../src/config/errors.ts';
import { kvCapacity } from '../../src/models/llm/roofline-capacity.ts';
import { rooflineDeployment } from '../../src/models/llm/roofline-deployment.ts';
import { kvBytesPerToken, llmParameters, weightBytes } from '../../src/models/llm/roofline-params.ts';
import { quantizationQuality } from '../../src/models/llm/roofline-quality.ts';
import { rooflineStepTime } from '../../src/models/llm/roofline.ts';
import { runReplica } from './run-replica.ts';

const llama8b = rooflineDeployment({ model: 'llama-3.1-8b', gpu: 'h100-sxm' });
// Round efficiencies so that the arithmetic below is easy to follow.
const eff = { compute: 0.5, memory: 0.8, overheadUs: 1000 };

function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('parameters and bytes of Llama 3.1 8B (config: V 128256, H 4096, 32 layers, 32 heads, 8 KV heads, MLP 14336, untied)', () => {
  it('counts 8,030,261,248 parameters, 16,060,522,496 bf16 bytes and 128 KiB of KV per token', () => {
    // Embedding 128256 × 4096 = 525,336,576, twice (untied) = 1,050,673,152.
    // Per layer: q, o 4096 × 4096 = 16,777,216 each; k, v 4096 × 1024 = 4,194,304 each;
    // MLP 3 × 4096 × 14336 = 176,160,768; norms 2 × 4096: 218,112,000; × 32 = 6,979,584,000.
    // Total 1,050,673,152 + 6,979,584,000 + 4,096 (final norm) = 8,030,261,248.
    const p = llmParameters(LLM_MODELS['llama-3.1-8b']);
    expect(p.total).toBe(8_030_261_248);
    expect(p.embedding).toBe(1_050_673_152);
    expect(weightBytes(LLM_MODELS['llama-3.1-8b'], 'bf16')).toBe(16_060_522_496);
    // 2 (K, V) × 32 layers × 8 KV heads × 128 × 2 bytes = 131,072.
    expect(kvBytesPerToken(LLM_MODELS['llama-3.1-8b'], 'bf16')).toBe(131_072);
    expect(kvBytesPerToken(LLM_MODELS['llama-3.1-8b'], 'fp8')).toBe(65_536);
  });
});

describe('rooflineStepTime by hand (Llama 3.1 8B, H100 SXM: 989.4 dense BF16 TFLOP/s, 3,350 GB/s; compute 0.5, memory 0.8, overhead 1 ms)', () => {
  const m = rooflineStepTime(llama8b, { efficiency: eff });

  it('a decode step of 64 sequences with 1,024 tokens of context each is memory-bound: 10.198 ms', () => {
    const ctx = { decodeContextTokens: 64 * 1024, prefillContextTokens: 0, prefillAttentionPairs: 0 };
    // FLOPs: 2 × (8,030,261,248 − 1,050,673,152) × 64 = 893,387,276,288 (matmuls)
    //      + 2 × 525,336,576 × 64 = 67,243,081,728 (output head, for the 64 sampled tokens)
    //      + 4 × 32 layers × 32 heads × 128 × 65,536 pairs = 34,359,738,368 (attention)
    //      = 994,990,096,384 → / (989.4e12 × 0.5) = 2.011300 ms.
    // Bytes: 16,060,522,496 (weights) + 131,072 × 65,536 = 8,589,934,592 (KV read) = 24,650,457,088
    //      → / (3,350e9 × 0.8) = 9.197932 ms. Step: max(2.011, 9.198) + 1 = 10.197932 ms.
    const b = m.breakdown(0, 64, ctx);
    expect(b.computeS).toBeCloseTo(0.002011299972, 12);
    expect(b.memoryS).toBeCloseTo(0.009197931749, 12);
    expect(b.bound).toBe('memory');
    expect(m.stepS(0, 64, ctx)).toBeCloseTo(0.010197931749, 12);
  });

  it('a prefill step of one fresh 2,048-token prompt is compute-bound: 61.013 ms', () => {
    const ctx = { decodeContextTokens: 0, prefillContextTokens: 0, prefillAttentionPairs: (2048 * 2049) / 2 };
    // FLOPs: 2 × 6,979,588,096 × 2,048 = 28,588,392,841,216 (matmuls; no token samples)
    //      + 524,288 × 2,098,176 causal pairs = 1,100,048,498,688 (attention)
    //      = 29,688,441,339,904 → / 494.7e12 = 60.013021 ms.
    // Bytes: 16,060,522,496 + 131,072 × 2,048 (KV written) = 16,328,957,952 → / 2.68e12 = 6.092895 ms.
    const b = m.breakdown(2048, 0, ctx);
    expect(b.computeS).toBeCloseTo(0.060013020699, 12);
    expect(b.memoryS).toBeCloseTo(0.006092894758, 12);
    expect(b.bound).toBe('compute');
    expect(b.allReduceS).toBe(0);
    expect(m.stepS(2048, 0, ctx)).toBeCloseTo(0.061013020699, 12);
  });

  it('fp8 weights on an H100 compute at the FP8 peak and read half the layer bytes', () => {
    const fp8 = rooflineStepTime(rooflineDeployment({ model: 'llama-3.1-8b', gpu: 'h100-sxm', weights: 'fp8' }), { efficiency: eff });
    const ctx = { decodeContextTokens: 0, prefillContextTokens: 0, prefillAttentionPairs: (2048 * 2049) / 2 };
    // Same FLOPs at 1,978.9 instead of 989.4 TFLOP/s.
    expect(fp8.breakdown(2048, 0, ctx).computeS).toBeCloseTo((29_688_441_339_904 / (1978.9e12 * 0.5)), 12);
    // Embeddings stay 16-bit: 1,050,677,248 × 2 + 6,979,584,000 × 1 bytes.
    expect(weightBytes(LLM_MODELS['llama-3.1-8b'], 'fp8')).toBe((1_050_673_152 + 4096) * 2 + 6_979_584_000);
  });
});

describe('tensor parallelism', () => {
  it('Llama 3.1 70B at TP 4 on H100 adds 2 all-reduces per layer: 2.718 ms for 64 tokens', () => {
    const d = rooflineDeployment({ model: 'llama-3.1-70b', gpu: 'h100-sxm', tp: 4 });
    const m = rooflineStepTime(d, { efficiency: { interconnect: 0.5, allReduceLatencyUs: 10 } });
    // Message: 64 tokens × 8,192 × 2 bytes = 1,048,576 B; a ring all-reduce sends 2(4−1)/4 = 1.5 of it
    // per GPU per direction: 1,572,864 B / (450 GB/s × 0.5) = 6.990507 µs, + 10 µs latency = 16.990507 µs.
    // 2 per layer × 80 layers = 160 all-reduces: 2.718481 ms.
    expect(m.work(0, 64).allReduces).toBe(160);
    expect(m.breakdown(0, 64).allReduceS).toBeCloseTo(0.002718481067, 12);
    // Compute and memory are divided by 4: the weights read per GPU are a quarter.
    const one = rooflineStepTime(rooflineDeployment({ model: 'llama-3.1-70b', gpu: 'h200' }));
    expect(m.work(0, 64).flops).toBeCloseTo(one.work(0, 64).flops / 4, 0);
  });

  it('refuses a TP that does not divide the attention heads, and a GPU without a sourced link', () => {
    expect(thrown(() => rooflineDeployment({ model: 'qwen2.5-7b', gpu: 'h100-sxm', tp: 8 }))).toMatch(
      /tp 8 does not divide the 28 attention heads of qwen2\.5-7b \(tp can be 1, 2, 4, 7, 14\)/,
    );
    expect(thrown(() => rooflineDeployment({ model: 'qwen2.5-32b', gpu: 'h100-sxm', tp: 3 }))).toMatch(/tp 3 does not divide the 40 attention heads/);
    expect(thrown(() => rooflineDeployment({ model: 'llama-3.1-8b', gpu: 'mi300x', tp: 2 }))).toMatch(/no sourced GPU-to-GPU bandwidth/);
    expect(thrown(() => rooflineDeployment({ model: 'llama-3.1-8b', gpu: 'a10g' }))).toMatch(/no sourced dense BF16 FLOP\/s/);
    expect(thrown(() => rooflineDeployment({ model: 'llama-3.1-8b', gpu: 'h100' }))).toMatch(/unknown GPU "h100" \(did you mean "h100-sxm"\?\)/);
    // 8 KV heads over 16 GPUs: replicated, one per GPU (32 attention heads still divide).
    expect(() => rooflineDeployment({ model: 'llama-3.1-8b', gpu: 'h100-sxm', tp: 16 })).not.toThrow();
  });
});

describe('KV capacity', () => {
  it('Llama 3.1 8B on an 80 GB GPU at utilization 0.9: 453,365 tokens, 28,335 blocks', () => {
    // Usable: 0.9 × 80 × 2^30 = 77,309,411,328 B. Weights 16,060,522,496 B. Reserve 1.7 × 2^30 = 1,825,361,100.8 B.
    // KV: 59,423,527,731.2 B / 131,072 B per token = 453,365.5 → 453,365 tokens = 28,335 blocks of 16.
    const c = kvCapacity(llama8b, { utilization: 0.9 });
    expect(c.tokens).toBe(453_365);
    expect(c.blocks).toBe(28_335);
    expect(c.perGpu.kvBytes).toBeCloseTo(59_423_527_731.2, 0);
    // An FP8 cache holds twice the tokens: 59,423,527,731.2 / 65,536 = 906,731.1.
    expect(kvCapacity(rooflineDeployment({ model: 'llama-3.1-8b', gpu: 'h100-sxm', kvCache: 'fp8' })).tokens).toBe(906_731);
  });

  it('reproduces the measured vLLM run: CodeLlama-34B on an 80 GB H100, 62.86 GiB of weights, 2,537 blocks', () => {
    // examples/llm-ground-truth/README.md: "62.86 GiB of weights, 7.43 GiB for the KV cache: 2,537 blocks".
    const d = rooflineDeployment({ model: 'codellama-34b', gpu: 'h100-sxm' });
    // 33,743,970,304 parameters × 2 B = 62.853 GiB; vLLM's 62.86 includes a few MB of buffers (rotary tables).
    expect(Math.abs(weightBytes(d.model, 'bf16') / 2 ** 30 - 62.86)).toBeLessThan(0.01);
    // The 1.7 GiB reserve is read from that run, rounded: 2,541 blocks, 0.16% above.
    expect(Math.abs(kvCapacity(d).blocks - 2537)).toBeLessThanOrEqual(5);
  });

  it('at TP 2 each GPU holds half the weights and half the KV heads', () => {
    const c = kvCapacity(rooflineDeployment({ model: 'llama-3.1-8b', gpu: 'h100-sxm', tp: 2 }));
    expect(c.kvBytesPerTokenPerGpu).toBe(65_536);
    expect(c.perGpu.weightBytes).toBe(16_060_522_496 / 2);
  });

  it('refuses a model that does not fit, with the memory it needs and the TP that would fit', () => {
    // 70,553,706,496 × 2 B = 131.4 GiB of weights + 1.7 reserve + one block > 0.9 × 80 = 72 GiB.
    const msg = thrown(() => kvCapacity(rooflineDeployment({ model: 'llama-3.1-70b', gpu: 'h100-sxm' })));
    expect(msg).toMatch(/llama-3\.1-70b \(bf16 weights\) does not fit on h100-sxm at tp 1: each GPU needs 133\.1 GiB \(weights 131\.4/);
    expect(msg).toMatch(/0\.9 × 80 GiB = 72\.0 GiB are usable; tp 2 would fit; so might fp8 or int4 weights/);
    // int4 weights fit on one H200: 131.4 GiB × 0.2578 for the layers (+ embeddings at 16 bits).
    expect(kvCapacity(rooflineDeployment({ model: 'llama-3.1-70b', gpu: 'h200', weights: 'int4' })).blocks).toBeGreaterThan(0);
  });
});

describe('catalogs', () => {
  it('derived parameter counts agree with the published ones', () => {
    const mix = llmParameters(LLM_MODELS['mixtral-8x7b']);
    // Mistral's announcement: 46.7B total, 12.9B per token.
    expect(mix.total / 46.7e9).toBeCloseTo(1, 2);
    expect(mix.active / 12.9e9).toBeCloseTo(1, 2);
    // Qwen2.5-32B's card rounds to 32.5B; the config gives 32.76B (0.8% above).
    expect(Math.abs(llmParameters(LLM_MODELS['qwen2.5-32b']).total / 32.5e9 - 1)).toBeLessThan(0.01);
  });

  it('a quantized variant carries its published quality figure', () => {
    const q = quantizationQuality(LLM_MODELS['llama-3.1-8b'], 'fp8');
    expect(q?.quantized).toBe(73.44);
    expect(q?.baseline).toBe(73.79);
    expect(quantizationQuality(LLM_MODELS['llama-3.1-8b'], 'bf16')).toBeUndefined();
    expect(quantizationQuality(LLM_MODELS['llama-3.1-8b'], 'int4')).toBeUndefined();
  });
});

describe('the replica with a roofline step model', () => {
  it('a request alone: TTFT is its prefill step, E2E adds the decode step at its context', () => {
    const m = rooflineStepTime(llama8b, { efficiency: eff });
    const run = runReplica(
      [{ arrivalS: 0, P: 100, O: 2 }],
      { maxBatchedTokens: 4096, maxNumSeqs: 8, chunkedPrefill: true, prefixCaching: false, blockSize: 16, kvBlocks: 1000 },
      m,
    );
    const prefill = m.stepS(100, 0, { decodeContextTokens: 0, prefillContextTokens: 0, prefillAttentionPairs: 5050 });
    const decode = m.stepS(0, 1, { decodeContextTokens: 101, prefillContextTokens: 0, prefillAttentionPairs: 0 });
    expect(run.firstS[0]).toBeCloseTo(prefill, 12);
    expect(run.finishS[0]).toBeCloseTo(prefill + decode, 12);
  });
});
