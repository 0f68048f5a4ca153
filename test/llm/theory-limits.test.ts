/** `theoryLimits`: the verdict for each formula follows the bound that binds and the settings. */
import { describe, expect, it } from 'vitest';
import { theoryLimits, type LlmSchedulerConfig, type TheoryScope } from '../../src/models/llm/index.ts';

const base: LlmSchedulerConfig = { maxBatchedTokens: 4096, maxNumSeqs: 256, chunkedPrefill: true, prefixCaching: false, blockSize: 16, kvBlocks: 2537 };
const verdicts = (s: readonly TheoryScope[]): string[] => s.map((x) => `${x.formula}: ${x.verdict}`);

describe('where the closed forms hold', () => {
  it('CodeLlama-34B/H100 with 1000 in, 250 out: KV-bound, so saturation is an upper bound and Little approximate', () => {
    const s = theoryLimits(base, { meanInputTokens: 1000, meanOutputTokens: 250 });
    expect(verdicts(s)).toEqual(['alone: exact', 'saturation: upper-bound', 'little: approximate']);
    expect(s[1]!.why).toMatch(/KV-bound \(B = 35\.9 < maxNumSeqs 256\)/);
    for (const x of s) expect(x.needs.length).toBeGreaterThan(0);
  });

  it('a cache large enough for maxNumSeqs: saturation exact (approximate when token counts vary), Little exact', () => {
    const cfg = { ...base, maxNumSeqs: 64, kvBlocks: 100_000 };
    expect(verdicts(theoryLimits(cfg, { meanInputTokens: 1000, meanOutputTokens: 250 }))).toEqual(['alone: exact', 'saturation: exact', 'little: exact']);
    const varied = theoryLimits(cfg, { meanInputTokens: 1000, meanOutputTokens: 250, tokensVary: true, maxInputTokens: 8000 });
    expect(verdicts(varied)).toEqual(['alone: exact', 'saturation: approximate', 'little: approximate']);
    expect(varied[2]!.why).toMatch(/8064.*4096/);
  });

  it('token-budget-bound: exact with chunked prefill, an upper bound without', () => {
    const cfg = { ...base, maxNumSeqs: 1024, maxBatchedTokens: 512, kvBlocks: 100_000 };
    expect(theoryLimits(cfg, { meanInputTokens: 300, meanOutputTokens: 50 })[1]!.verdict).toBe('exact');
    expect(theoryLimits({ ...cfg, maxBatchedTokens: 2048, chunkedPrefill: false }, { meanInputTokens: 300, meanOutputTokens: 50 })[1]!.verdict).toBe('upper-bound');
  });

  it('a request the replica rejects has no alone formula; prefix hits make it an upper bound', () => {
    const rejected = theoryLimits({ ...base, chunkedPrefill: false, maxBatchedTokens: 512 }, { meanInputTokens: 1000, meanOutputTokens: 250 });
    expect(rejected[0]!.verdict).toBe('no');
    expect(rejected[0]!.why).toMatch(/token-budget/);
    expect(theoryLimits({ ...base, prefixCaching: true }, { meanInputTokens: 1000, meanOutputTokens: 250, prefixHits: true })[0]!.verdict).toBe('upper-bound');
  });
});
