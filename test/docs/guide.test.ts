import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GPUS } from '../../src/catalog/gpus.ts';
import { LLM_MODELS, type LlmModelSpec } from '../../src/catalog/llm-models.ts';
import { LLM_PROFILES } from '../../src/catalog/llm-profiles.ts';
import { DEFAULT_ROOFLINE_EFFICIENCY, kvCapacity, llmParameters, rooflineDeployment, saturationThroughput, weightBytes } from '../../src/models/llm/index.ts';
import { expectFresh } from './fresh.ts';

// A guard against a hang, not a timing check: the guide reruns every lesson it quotes (about 55 s
// of CPU; 76 s on a 2-core machine at load 5, 118 s at load 10, where 120 s had no room left).
it('docs/capacity-planning.md shows what the code prints now', () => expectFresh('docs/capacity-planning.md'), 300_000);

/**
 * The LLM chapter works figures out by hand beside the commands. The commands' outputs are
 * checked by expectFresh; these tests check the hand arithmetic against the code that the
 * simulator runs (and the catalogs it reads), and that every figure the prose quotes from the
 * embedded run's theory rows is still what that run prints.
 */
describe('the capacity-planning guide, chapter 12 (LLM)', () => {
  const doc = readFileSync('docs/capacity-planning.md', 'utf8');
  const start = doc.indexOf('## 12. Serving a large language model');
  const chapter = doc.slice(start, doc.indexOf('## 13. ', start));
  const fmt = (x: number) => x.toLocaleString('en-US');
  const blocksHeld = (p: number, o: number) => {
    let sum = 0;
    for (let j = 0; j < o; j++) sum += Math.ceil((p + j) / 16);
    return sum;
  };

  it('has the chapter, before "From numbers to a design"', () => {
    expect(start).toBeGreaterThan(0);
    expect(chapter.length).toBeGreaterThan(1000);
  });

  it('KV capacity of Llama 3.1 8B on an 80 GB GPU at 0.9 is the roofline accounting written out', () => {
    const m = LLM_MODELS['llama-3.1-8b'];
    const c = kvCapacity(rooflineDeployment({ model: 'llama-3.1-8b', gpu: 'h100-sxm' }), { utilization: 0.9 });
    // Reference: 2 × 32 × 8 × 128 × 2 = 131,072; 0.9 × 80 × 2^30 − 8,030,261,248 × 2 − 1.7 × 2^30
    // = 59,423,527,731.2 bytes; / 131,072 = 453,365.0… tokens; / 16 = 28,335 blocks.
    expect(c.kvBytesPerTokenPerGpu).toBe(2 * m.layers * m.kvHeads * m.headDim * 2);
    expect(llmParameters(m).total).toBe(8_030_261_248);
    expect(c.perGpu.kvBytes).toBeCloseTo(59_423_527_731.2, 1);
    expect([c.tokens, c.blocks]).toEqual([453_365, 28_335]);
    for (const s of ['131,072 bytes (128 KiB)', '= 77,309,411,328 bytes', '= 16,060,522,496 bytes', '= 59,423,527,731.2 bytes', '= 453,365', '= 28,335']) expect(chapter).toContain(s);
  });

  it('the mean blocks a sequence holds bound the batch as the theory row says', () => {
    // P = 3,000, O = 200 (examples/llm-colocated.yaml): 38,836 / 200 = 194.18 blocks; 28,335 / 194.18 = 145.9.
    expect(blocksHeld(3000, 200)).toBe(38_836);
    expect((28_335 / (38_836 / 200)).toFixed(1)).toBe('145.9');
    expect(chapter).toContain('38,836 / 200 = 194.18 blocks, so the cache holds at most 28,335 / 194.18 = 145.9');
  });

  it('the chat lesson sizes by hand as the saturation formula does', () => {
    const p = LLM_PROFILES['codellama-34b/h100/tp1'];
    expect(blocksHeld(1000, 250)).toBe(17_686);
    const s = saturationThroughput(p, { maxNumSeqs: 256, maxBatchedTokens: 4096, chunkedPrefill: true, prefixCaching: true, blockSize: 16, kvBlocks: p.kvBlocks }, 1000, 250);
    // Reference: docs/llm-scheduler.md's worked example: B = 35.86, step 42,428 µs, 845.2 tokens/s, 3.381 requests/s.
    expect(s.batch.toFixed(2)).toBe('35.86');
    expect((s.stepUs / 1000).toFixed(2)).toBe('42.43');
    expect(Math.round(s.outputTokensPerS)).toBe(845);
    expect(s.requestsPerS.toFixed(2)).toBe('3.38');
    expect(chapter).toContain('= 35.86 sequences');
    expect(chapter).toContain('= 42.43 ms');
    expect(chapter).toContain('845 output tokens/s = 3.38 requests/s');
    // 20 / (8 × 3.38) = 74%, 20 / (7 × 3.38) = 85%, 4 × 3.38 = 13.5.
    expect(Math.round((20 / (8 * s.requestsPerS)) * 100)).toBe(74);
    expect(Math.round((20 / (7 * s.requestsPerS)) * 100)).toBe(85);
    expect((4 * s.requestsPerS).toFixed(1)).toBe('13.5');
  });

  it('Llama 3.1 70B on H100 and H200: weights, KV tokens and blocks as the chapter writes them', () => {
    const m = LLM_MODELS['llama-3.1-70b'];
    const gib = (b: number) => b / 2 ** 30;
    expect(llmParameters(m).total).toBe(70_553_706_496);
    expect(gib(weightBytes(m, 'bf16')).toFixed(1)).toBe('131.4');
    expect(gib(weightBytes(m, 'bf16') / 2).toFixed(1)).toBe('65.7');
    expect(gib(weightBytes(m, 'fp8') / 2).toFixed(1)).toBe('33.8');
    expect(gib(weightBytes(m, 'int4') / 2).toFixed(1)).toBe('18.4');
    const cap = (gpu: 'h100-sxm' | 'h200', weights: 'bf16' | 'fp8', kvCache: 'bf16' | 'fp8') => kvCapacity(rooflineDeployment({ model: 'llama-3.1-70b', gpu, tp: 2, weights, kvCache }), { utilization: 0.9 });
    const bf16 = cap('h100-sxm', 'bf16', 'bf16');
    expect(bf16.kvBytesPerTokenPerGpu).toBe(160 * 1024);
    expect(gib(bf16.perGpu.kvBytes).toFixed(2)).toBe('4.59');
    expect([bf16.tokens, bf16.blocks]).toEqual([30_092, 1_880]);
    expect((1_880 / (17_686 / 250)).toFixed(1)).toBe('26.6');
    expect(gib(cap('h200', 'bf16', 'bf16').perGpu.kvBytes).toFixed(1)).toBe('59.5');
    expect(cap('h200', 'bf16', 'bf16').tokens).toBe(389_885);
    expect(gib(cap('h100-sxm', 'fp8', 'bf16').perGpu.kvBytes).toFixed(1)).toBe('36.5');
    expect(cap('h100-sxm', 'fp8', 'bf16').tokens).toBe(238_992);
    expect(cap('h100-sxm', 'fp8', 'fp8').tokens).toBe(477_984);
    for (const n of [30_092, 1_880, 389_885, 238_992, 477_984]) expect(chapter).toContain(fmt(n));
  });

  it('the roofline terms worked by hand: weight reads, prompt compute, the ridge, the KV transfer', () => {
    const e = DEFAULT_ROOFLINE_EFFICIENCY;
    const h100 = GPUS['h100-sxm'];
    const bw = h100.memoryGBps * 1e9 * e.memory;
    const bf16Flops = h100.denseTflops.bf16! * 1e12 * e.compute;
    const fp8Flops = h100.denseTflops.fp8! * 1e12 * e.compute;
    const m70 = LLM_MODELS['llama-3.1-70b'];
    const m8 = LLM_MODELS['llama-3.1-8b'];
    const nonEmb = (m: LlmModelSpec) => llmParameters(m).active - llmParameters(m).embedding;
    // Decode steps read each GPU's half of the weights at TP 2.
    expect(((weightBytes(m70, 'bf16') / 2 / bw) * 1e3).toFixed(1)).toBe('29.3');
    expect(((weightBytes(m70, 'fp8') / 2 / bw) * 1e3).toFixed(1)).toBe('15.1');
    expect(((weightBytes(m70, 'int4') / 2 / bw) * 1e3).toFixed(1)).toBe('8.2');
    // 1,000 prompt tokens of the 70B over 2 GPUs: 106 ms at the BF16 peak, 53 ms at FP8's.
    expect(nonEmb(m70)).toBe(68_452_360_192);
    expect(Math.round(((2 * nonEmb(m70) * 1000) / 2 / bf16Flops) * 1e3)).toBe(106);
    expect(Math.round(((2 * nonEmb(m70) * 1000) / 2 / fp8Flops) * 1e3)).toBe(53);
    // Llama 3.1 8B on one H100: 21.7 µs a prompt token, 6.66 ms to read the weights, 307 tokens, 178 ms for 8,192.
    expect(nonEmb(m8)).toBe(6_979_588_096);
    const perToken = (2 * nonEmb(m8)) / bf16Flops;
    expect((perToken * 1e6).toFixed(1)).toBe('21.7');
    expect(((weightBytes(m8, 'bf16') / bw) * 1e3).toFixed(2)).toBe('6.66');
    expect(Math.round(weightBytes(m8, 'bf16') / bw / perToken)).toBe(307);
    expect(Math.round(8192 * perToken * 1e3)).toBe(178);
    // A mean prompt's KV cache over the 50 GB/s link: 3,000 × 128 KiB = 393 MB, 7.86 ms.
    expect(Math.round((3000 * 131_072) / 1e6)).toBe(393);
    expect((((3000 * 131_072) / 50e9) * 1e3).toFixed(2)).toBe('7.86');
    for (const s of ['21.7 µs', '6.66 ms', '307 prompt tokens', '178 ms', '29.3 ms', '15.1 ms', '8.2 ms', '106 ms', '53 ms', '393 MB', '7.86 ms']) expect(chapter).toContain(s);
  });

  it('quotes from the embedded run only what its theory rows print', () => {
    const open = '<!-- servesim: run examples/llm-colocated.yaml -->';
    const block = chapter.slice(chapter.indexOf(open), chapter.indexOf('<!-- /servesim -->', chapter.indexOf(open)));
    expect(block.length).toBeGreaterThan(open.length);
    // Each pair: what the prose says, and the line of the output it reads.
    const quoted: [string, string][] = [
      ['offered load is 37%', 'offered load is 37% of the saturation throughput'],
      ['1,527 ms (the "mean E2E" theory row), in company 2,737 ms', 'request alone on an idle replica says 1,527 ms, simulation 2,737 ms'],
      ['69.3 ms to the first token', 'request alone on an idle replica says 69.3 ms, simulation 93.1 ms'],
      ['(93.1 ms and 2,737 ms)', 'simulation 93.1 ms'],
      ['the p99 prompt (11,185 tokens) alone takes\n  295 ms', 'p99 prompt alone says 295 ms'],
      ['(11,185 tokens)', 'the p99 prompt (11,185 tokens'],
      ['leaves 705 ms', 'leaves 705 ms above the floor'],
      ['"KV-bound (B = 145.9 < maxNumSeqs 256)"', 'KV-bound (B = 145.9 < maxNumSeqs 256)'],
      ['this run, at 37% of saturation', 'offered load is 37% of the saturation throughput'],
      ['λ × W = 13.0 sequences per replica against a\n  simulated mean batch of 13.1', 'says 13.0 per replica, simulation 13.1 per replica'],
      ['40 × 2.737 s / 8', 'mean    p50    p90     p99   p99.9     max\n  2,737'],
      ['about\n  69.3 ms', 'says 69.3 ms'],
    ];
    for (const [prose, output] of quoted) {
      expect(chapter, prose).toContain(prose);
      expect(block, output).toContain(output);
    }
  });
});
