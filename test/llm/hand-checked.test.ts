/**
 * Hand-checked cases of docs/llm-scheduler.md with deterministic step times. Every
 * expected number is worked out in the comments beside it, in microseconds.
 */
import { describe, expect, it } from 'vitest';
import { coefficientStepTime, type LlmSchedulerConfig } from '../../src/models/llm/index.ts';
import { referenceRun } from './reference.ts';
import { runReplica } from './run-replica.ts';

const US = 1e-6;
/** step = 1000 + 10·p + 100·d µs; pre-queue 0 unless stated. */
const plain = coefficientStepTime({ alpha: [0, 0, 0], beta: [1000, 10, 100] });
const big: LlmSchedulerConfig = { maxBatchedTokens: 4096, maxNumSeqs: 256, chunkedPrefill: true, prefixCaching: false, blockSize: 16, kvBlocks: 1000 };

/** Times in µs, rounded to the nanosecond to compare exactly. */
const us = (xs: (number | undefined)[]): (number | undefined)[] => xs.map((x) => (x === undefined ? undefined : Math.round(x * 1e9) / 1e3));

describe('one request alone', () => {
  it('TTFT = α0 + α1·P + β0 + β1·P + α2 and E2E = TTFT + (O − 1)(β0 + β2 + α2), to the microsecond', () => {
    const time = coefficientStepTime({ alpha: [500, 1, 50], beta: [1000, 10, 100] });
    const run = runReplica([{ arrivalS: 0.25, P: 100, O: 5 }], big, time);
    // Reference: TTFT = 500 + 100 + 1000 + 1000 + 50 = 2650 µs; E2E = 2650 + 4 × (1000 + 100 + 50) = 7250 µs.
    expect(Math.round((run.firstS[0]! - 0.25) * 1e9) / 1e3).toBe(2650);
    expect(Math.round((run.finishS[0]! - 0.25) * 1e9) / 1e3).toBe(7250);
    expect(run.steps.map((s) => [s.p, s.d])).toEqual([[100, 0], [0, 1], [0, 1], [0, 1], [0, 1]]);
    const c = run.replica.counters;
    expect([c.finished, c.inputTokens, c.outputTokens, c.preemptions]).toEqual([1, 100, 5, 0]);
  });

  it('a prompt longer than the budget is prefilled in chunks, the first token at the end of the last chunk', () => {
    const cfg = { ...big, maxBatchedTokens: 64 };
    const run = runReplica([{ arrivalS: 0, P: 150, O: 2 }], cfg, plain);
    // Chunks 64, 64, 22: 1640 + 1640 + 1220 = 4500 µs; then one decode step of 1100 µs.
    expect(run.steps.map((s) => [s.p, s.d])).toEqual([[64, 0], [64, 0], [22, 0], [0, 1]]);
    expect(us(run.firstS)).toEqual([4500]);
    expect(us(run.finishS)).toEqual([5600]);
  });
});

describe('two requests arriving together (P = 300 and 200, O = 3 each)', () => {
  const reqs = [
    { arrivalS: 0, P: 300, O: 3 },
    { arrivalS: 0, P: 200, O: 3 },
  ];

  it('chunked prefill, budget 256: the token schedule of every step', () => {
    const run = runReplica(reqs, { ...big, maxBatchedTokens: 256 }, plain, true);
    expect(run.schedule).toEqual([
      [[0, 256]], // t = 0: r0 gets the whole budget; 1000 + 2560 = 3560 µs
      [[0, 44], [1, 200]], // t = 3560: r0 ends its prompt, r1 admitted whole (12 left); 1000 + 2440 → 7000
      [[0, 1], [1, 1]], // t = 7000: both decode; 1200 → 8200
      [[0, 1], [1, 1]], // t = 8200: 1200 → 9400, both finish
    ]);
    expect(us(run.steps.map((s) => s.t))).toEqual([0, 3560, 7000, 8200]);
    expect(us(run.firstS)).toEqual([7000, 7000]);
    expect(us(run.finishS)).toEqual([9400, 9400]);
  });

  it('chunked prefill, budget 400: r1 gets the 100 tokens left, then finishes its prompt next step', () => {
    const run = runReplica(reqs, { ...big, maxBatchedTokens: 400 }, plain, true);
    expect(run.schedule).toEqual([
      [[0, 300], [1, 100]], // t = 0: 1000 + 4000 = 5000 µs; r0's first token at 5000
      [[0, 1], [1, 100]], // t = 5000: 1000 + 1000 + 100 = 2100 → 7100; r1's first token
      [[0, 1], [1, 1]], // t = 7100: 1200 → 8300; r0 finishes (3 tokens)
      [[1, 1]], // t = 8300: 1100 → 9400; r1 finishes
    ]);
    expect(us(run.firstS)).toEqual([5000, 7100]);
    expect(us(run.finishS)).toEqual([8300, 9400]);
  });

  it('without chunked prefill, budget 400: r1 waits until its whole prompt fits beside r0', () => {
    const run = runReplica(reqs, { ...big, maxBatchedTokens: 400, chunkedPrefill: false }, plain, true);
    expect(run.schedule).toEqual([
      [[0, 300]], // t = 0: r1 (200) does not fit the 100 left and is not chunked; 4000 µs
      [[0, 1], [1, 200]], // t = 4000: 1000 + 2000 + 100 = 3100 → 7100
      [[0, 1], [1, 1]], // t = 7100: 1200 → 8300; r0 finishes
      [[1, 1]], // t = 8300: 1100 → 9400; r1 finishes
    ]);
    expect(us(run.firstS)).toEqual([4000, 7100]);
    expect(us(run.finishS)).toEqual([8300, 9400]);
  });
});

describe('a KV cache too small for the batch', () => {
  // Blocks of 4 tokens, 6 blocks (24 tokens); two requests of P = 8, O = 10 (each needs
  // at most ceil(17 / 4) = 5 blocks, so both are accepted).
  const cfg: LlmSchedulerConfig = { maxBatchedTokens: 64, maxNumSeqs: 8, chunkedPrefill: true, prefixCaching: false, blockSize: 4, kvBlocks: 6 };
  const reqs = [
    { arrivalS: 0, P: 8, O: 10 },
    { arrivalS: 0, P: 8, O: 10 },
  ];

  it('preempts the most recently admitted, which recomputes its prompt and tokens once blocks are free', () => {
    const run = runReplica(reqs, cfg, plain, true);
    expect(run.schedule).toEqual([
      [[0, 8], [1, 8]], // t = 0: 2 + 2 blocks; 1160 µs; both emit token 1 (c = 8, n = 9)
      [[0, 1], [1, 1]], // t = 1160: c + k = 9 needs a 3rd block each (free 2 → 0); → 2360
      [[0, 1], [1, 1]], // t = 2360: c + k = 10 → 3560
      [[0, 1], [1, 1]], // t = 3560: 11 → 4760
      [[0, 1], [1, 1]], // t = 4760: 12 → 5960; both have 5 tokens, c = 12, 3 blocks each
      [[0, 1]], // t = 5960: r0 needs a 4th block, none free: r1 (last admitted) is preempted; 1100 → 7060
      [[0, 1]], // t = 7060: r1 (n = 13) needs 4 blocks, 2 free: not admitted → 8160
      [[0, 1]], // t = 8160 → 9260
      [[0, 1]], // t = 9260 → 10360
      [[0, 1]], // t = 10360: r0 takes its 5th block; → 11460, r0 finishes (10 tokens)
      [[1, 13]], // t = 11460: r1 recomputes 8 prompt + 5 generated tokens: 1130 → 12590, emits token 6
      [[1, 1]], // 12590 → 13690
      [[1, 1]], // → 14790
      [[1, 1]], // → 15890
      [[1, 1]], // → 16990: r1 finishes
    ]);
    expect(run.replica.counters.preemptions).toBe(1);
    expect(us(run.firstS)).toEqual([1160, 1160]); // r1's first token is not emitted again
    expect(us(run.finishS)).toEqual([11460, 16990]);
    expect(run.steps.map((s) => [s.p, s.d])[10]).toEqual([13, 0]); // the recomputation is prefill
  });

  it('with prefix caching, the recomputation skips the preempted blocks still cached, and only those', () => {
    const run = runReplica(reqs, { ...cfg, prefixCaching: true }, plain, true);
    // At t = 5960 r1 (c = 12: blocks 0, 1, 2 full) is preempted; its blocks join the free
    // queue last first: [r1.2, r1.1, r1.0]. r0 takes r1.2 at once, and r1.1 at t = 10360
    // for its 5th block. At t = 11460 r1 finds block 0 only (block 1 is gone, and the run
    // of hits stops there): h = 4, it computes 13 − 4 = 9 tokens: 1090 µs → 12550.
    expect(run.schedule.slice(5, 12)).toEqual([[[0, 1]], [[0, 1]], [[0, 1]], [[0, 1]], [[0, 1]], [[1, 9]], [[1, 1]]]);
    expect(us(run.finishS)).toEqual([11460, 16950]);
    const c = run.replica.counters;
    // Lookups: r0 and r1 at t = 0 (8 tokens each, nothing cached), r1 again (13 tokens, 4 hit).
    // Before that, at t = 7060 … 10360 r1 found blocks 0 and 1 but needed 2 more, with
    // none free besides them: not admitted, and a failed admission counts nothing.
    expect([c.prefixQueryTokens, c.prefixHitTokens]).toEqual([29, 4]);
  });
});

describe('prefix caching', () => {
  const cfg: LlmSchedulerConfig = { maxBatchedTokens: 1000, maxNumSeqs: 8, chunkedPrefill: true, prefixCaching: true, blockSize: 4, kvBlocks: 100 };

  it('a later request of the group skips exactly the cached full blocks of the shared prefix', () => {
    const reqs = [
      { arrivalS: 0, P: 10, O: 2, group: 7, T: 9 }, // prefix blocks: floor(9 / 4) = 2 (tokens 0-7)
      { arrivalS: 0.01, P: 14, O: 2, group: 7, T: 9 }, // hits blocks 0, 1: computes 14 − 8 = 6 tokens
      { arrivalS: 0.02, P: 12, O: 2, group: 8, T: 9 }, // another group: no hit, 12 tokens
      { arrivalS: 0.03, P: 8, O: 2, group: 7, T: 8 }, // hits capped at floor((8 − 1) / 4) = 1 block: 4 tokens
      { arrivalS: 0.04, P: 10, O: 2 }, // no group: no hit
    ];
    const run = runReplica(reqs, cfg, plain, true);
    expect(run.steps.filter((s) => s.d === 0).map((s) => s.p)).toEqual([10, 6, 12, 4, 10]);
    // r1: 1000 + 60 = 1060 µs → 11060; then 1100 → 12160.
    expect(us(run.firstS)[1]).toBe(11060);
    expect(us(run.finishS)[1]).toBe(12160);
    const c = run.replica.counters;
    expect([c.prefixQueryTokens, c.prefixHitTokens]).toEqual([10 + 14 + 12 + 8 + 10, 8 + 4]);
    expect(c.prefillTokensComputed).toBe(42);
  });

  it('without prefix caching nothing is skipped', () => {
    const reqs = [
      { arrivalS: 0, P: 10, O: 2, group: 7, T: 9 },
      { arrivalS: 0.01, P: 14, O: 2, group: 7, T: 9 },
    ];
    const run = runReplica(reqs, { ...cfg, prefixCaching: false }, plain);
    expect(run.steps.filter((s) => s.d === 0).map((s) => s.p)).toEqual([10, 14]);
    expect(run.replica.counters.prefixHitRatio).toBe(0);
  });

  it('cached blocks are reused oldest released first: a group prefix survives while older blocks are taken', () => {
    // 8 blocks of 4. r0 (group 1, prefix 8 = 2 blocks, P = 8, O = 2) runs and finishes:
    // its blocks (2 prompt + 0 more: P + O − 1 = 9 tokens → 3 blocks) join the free
    // queue behind the 5 never-used ones. r1 (no group, P = 20, O = 1: 5 blocks) then
    // takes the 5 untouched blocks from the head; r2 (group 1) still finds the prefix.
    const small = { ...cfg, kvBlocks: 8 };
    const reqs = [
      { arrivalS: 0, P: 8, O: 2, group: 1, T: 8 },
      { arrivalS: 0.01, P: 20, O: 1 },
      { arrivalS: 0.01, P: 12, O: 1, group: 1, T: 8 },
    ];
    const run = runReplica(reqs, small, plain, true);
    // r2 hits 2 blocks (8 tokens) and computes 4.
    expect(run.schedule[2]).toEqual([[1, 20], [2, 4]]);
  });
});

describe('a prompt that can never fit', () => {
  const cfg: LlmSchedulerConfig = { maxBatchedTokens: 64, maxNumSeqs: 8, chunkedPrefill: true, prefixCaching: false, blockSize: 4, kvBlocks: 6 };

  it('is rejected at submission and counted; the replica goes on and the run ends', () => {
    const reqs = [
      { arrivalS: 0, P: 30, O: 1 }, // ceil(30 / 4) = 8 > 6 blocks
      { arrivalS: 0, P: 24, O: 1 }, // exactly 6 blocks: served
      { arrivalS: 0, P: 24, O: 2 }, // P + O − 1 = 25 tokens: 7 blocks, rejected
      { arrivalS: 0, P: 4, O: 3 },
    ];
    const run = runReplica(reqs, cfg, plain);
    expect(run.rejected).toEqual(['kv-capacity', undefined, 'kv-capacity', undefined]);
    expect(run.finishS.map((x) => x !== undefined)).toEqual([false, true, false, true]);
    expect(run.replica.counters.rejected).toBe(2);
    expect(run.sim.pending).toBe(0);
  });

  it('without chunked prefill, a request longer than the budget is rejected too', () => {
    const run = runReplica([{ arrivalS: 0, P: 60, O: 10 }], { ...cfg, chunkedPrefill: false, kvBlocks: 100 }, plain);
    expect(run.rejected).toEqual(['token-budget']);
  });

  it('token counts that are not positive integers are rejected as invalid', () => {
    const run = runReplica([{ arrivalS: 0, P: 0, O: 1 }, { arrivalS: 0, P: 3.5, O: 1 }, { arrivalS: 0, P: 4, O: 1, group: 1, T: 5 }], cfg, plain);
    expect(run.rejected).toEqual(['invalid', 'invalid', 'invalid']);
  });
});

describe('the reference loop agrees on the hand-checked cases', () => {
  it('KV too small, with and without prefix caching', () => {
    for (const prefixCaching of [false, true]) {
      const cfg: LlmSchedulerConfig = { maxBatchedTokens: 64, maxNumSeqs: 8, chunkedPrefill: true, prefixCaching, blockSize: 4, kvBlocks: 6 };
      const reqs = [
        { arrivalS: 0, P: 8, O: 10 },
        { arrivalS: 0, P: 8, O: 10 },
      ];
      const ref = referenceRun(reqs, cfg, plain);
      const run = runReplica(reqs, cfg, plain);
      expect(run.firstS).toEqual(ref.firstS);
      expect(run.finishS).toEqual(ref.finishS);
      expect(run.replica.counters.preemptions).toBe(ref.preemptions);
    }
  });
});

void US;
