/** The scenario fragment for LLM stages (src/config/llm-schema.ts, not wired in yet). */
import { describe, expect, it } from 'vitest';
import { llmStageSpec, tokensSpec } from '../../src/config/llm-schema.ts';
import { resolveLlmStage } from '../../src/config/resolve-llm.ts';

const messages = (r: { success: boolean; error?: { issues: { message: string }[] } }): string[] => (r.success ? [] : r.error!.issues.map((i) => i.message));

describe('llm: block', () => {
  it('a profile gives defaults for the rest (applied by the resolver)', () => {
    const r = resolveLlmStage(llmStageSpec.parse({ profile: 'codellama-34b/h100/tp1', maxBatchedTokens: 4096 }), { input: { dist: 'deterministic', value: 10 }, output: { dist: 'deterministic', value: 5 } }, null);
    expect(r).toMatchObject({ maxNumSeqs: 256, maxBatchedTokens: 4096, chunkedPrefill: true, prefixCaching: true, blockSize: 16, kvBlocks: 2537, gpusPerReplica: 1 });
  });
  it('an unknown profile gets a did-you-mean', () => {
    expect(messages(llmStageSpec.safeParse({ profile: 'codellama-34b/h100/tp2' }))[0]).toContain('did you mean "codellama-34b/h100/tp1"');
  });
  it('maxBatchedTokens below blockSize is refused with both numbers', () => {
    expect(messages(llmStageSpec.safeParse({ profile: 'phi-4/h100/tp1', maxBatchedTokens: 8, blockSize: 16 }))).toEqual(['maxBatchedTokens (8) must be at least blockSize (16)']);
  });
  it('exactly one step-time model, and kvBlocks without a profile', () => {
    expect(messages(llmStageSpec.safeParse({ coefficients: { alpha: [1, 0, 0], beta: [1, 1, 1] } }))).toEqual(['kvBlocks is required without a profile or a roofline (they give their own)']);
    expect(messages(llmStageSpec.safeParse({ kvBlocks: 10 }))[0]).toContain('got none');
  });
});

describe('tokens:', () => {
  it('accepts the issue sketch', () => {
    expect(
      tokensSpec.safeParse({
        input: { dist: 'lognormal', mean: 1000, cv: 1.0, min: 1, max: 8000 },
        output: { dist: 'lognormal', mean: 250, cv: 1.2, min: 1, max: 2000 },
        prefix: { groups: 20, tokens: 1024 },
      }).success,
    ).toBe(true);
  });
  it('refuses min > max', () => {
    expect(messages(tokensSpec.safeParse({ input: { dist: 'lognormal', mean: 10, cv: 1, min: 50, max: 5 }, output: { dist: 'deterministic', value: 3 } }))).toEqual(['max (5) must not be below min (50)']);
  });
});
