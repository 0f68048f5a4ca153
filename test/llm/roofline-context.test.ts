/**
 * The attention context the replica hands its step-time model (`StepContext`), checked
 * by hand on two small runs. The coefficient and table models ignore it (their numbers
 * are unchanged: reference-match.test.ts); the roofline model reads it.
 */
import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/engine/index.ts';
import { noisyStepTime, type LlmSchedulerConfig, type StepContext, type StepTimeModel } from '../../src/models/llm/index.ts';
import { runReplica } from './run-replica.ts';

/** 1 ms per step, recording (p, d, context) of every step. */
function recorder(): { model: StepTimeModel; seen: { p: number; d: number; ctx: StepContext }[] } {
  const seen: { p: number; d: number; ctx: StepContext }[] = [];
  return {
    seen,
    model: {
      stepS: (p, d, ctx) => {
        if (ctx === undefined) throw new Error('the replica must give a context');
        seen.push({ p, d, ctx: { ...ctx } });
        return 1e-3;
      },
      preQueueS: () => 0,
      perOutputTokenS: 0,
    },
  };
}

const base: LlmSchedulerConfig = { maxBatchedTokens: 4, maxNumSeqs: 4, chunkedPrefill: true, prefixCaching: false, blockSize: 4, kvBlocks: 100 };

describe('StepContext given by the replica', () => {
  it('chunked prefill then decode: context read, causal pairs, decode context', () => {
    const r = recorder();
    runReplica([{ arrivalS: 0, P: 10, O: 3 }], base, r.model);
    // P = 10 in chunks of the budget 4: (c, k) = (0, 4), (4, 4), (8, 2).
    //   pairs k·c + k(k+1)/2: 0 + 10 = 10; 16 + 10 = 26; 16 + 3 = 19. Context read Σc: 0, 4, 8.
    // Then two decode steps: the sequence knows n = 11, then 12 tokens and attends to c + 1 = 11, then 12.
    expect(r.seen).toEqual([
      { p: 4, d: 0, ctx: { decodeContextTokens: 0, prefillContextTokens: 0, prefillAttentionPairs: 10 } },
      { p: 4, d: 0, ctx: { decodeContextTokens: 0, prefillContextTokens: 4, prefillAttentionPairs: 26 } },
      { p: 2, d: 0, ctx: { decodeContextTokens: 0, prefillContextTokens: 8, prefillAttentionPairs: 19 } },
      { p: 0, d: 1, ctx: { decodeContextTokens: 11, prefillContextTokens: 0, prefillAttentionPairs: 0 } },
      { p: 0, d: 1, ctx: { decodeContextTokens: 12, prefillContextTokens: 0, prefillAttentionPairs: 0 } },
    ]);
  });

  it('a prefix-cache hit is context read, not computed', () => {
    const r = recorder();
    const cfg = { ...base, maxBatchedTokens: 16, prefixCaching: true };
    // Two requests of group 0 sharing T = 8 prefix tokens; the second arrives after the first has finished.
    runReplica(
      [
        { arrivalS: 0, P: 10, O: 1, group: 0, T: 8 },
        { arrivalS: 1, P: 10, O: 1, group: 0, T: 8 },
      ],
      cfg,
      r.model,
    );
    // First: 10 tokens from c = 0: 55 pairs. Second: 2 cached blocks (8 tokens) hit, k = 2 from c = 8: 16 + 3 = 19 pairs.
    expect(r.seen).toEqual([
      { p: 10, d: 0, ctx: { decodeContextTokens: 0, prefillContextTokens: 0, prefillAttentionPairs: 55 } },
      { p: 2, d: 0, ctx: { decodeContextTokens: 0, prefillContextTokens: 8, prefillAttentionPairs: 19 } },
    ]);
  });

  it('noisyStepTime hands the context on to the model it wraps', () => {
    const r = recorder();
    const ctx = { decodeContextTokens: 7, prefillContextTokens: 3, prefillAttentionPairs: 5 };
    noisyStepTime(r.model, 0.1, RandomStreams.independent(1, 'noise')).stepS(2, 1, ctx);
    expect(r.seen).toEqual([{ p: 2, d: 1, ctx }]);
  });
});
