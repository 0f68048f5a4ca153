/**
 * Token counts per request (src/models/llm/token-source.ts): whole numbers of at least 1,
 * truncation to [min, max] by drawing again, uniform and deterministic exactly, trace
 * columns read as given, prefix groups uniform and a prefix never longer than the prompt.
 */
import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/engine/index.ts';
import { meanTokens, maxTokens, tokenSource } from '../../src/models/llm/token-source.ts';

const streams = (seed: number) => (name: string) => RandomStreams.independent(seed, name);
const N = 20_000;

describe('token source', () => {
  it('lognormal draws are whole, within [min, max], and their mean is the truncated one', () => {
    const draw = tokenSource({ input: { dist: 'lognormal', mean: 1000, cv: 1, min: 10, max: 3000 }, output: { dist: 'deterministic', value: 7 }, prefix: null }, streams(1), []);
    let sum = 0;
    for (let i = 0; i < N; i++) {
      const t = draw(null);
      expect(Number.isInteger(t.inputTokens) && t.inputTokens >= 10 && t.inputTokens <= 3000).toBe(true);
      expect(t.outputTokens).toBe(7);
      sum += t.inputTokens;
    }
    // Truncating at 3,000 (the 95.9th percentile of a lognormal of mean 1,000, cv 1)
    // removes the upper tail. Closed form with σ² = ln 2, μ = ln 1000 − σ²/2:
    // E[X | X ≤ 3000] = 1000 · Φ((ln 3000 − μ − σ²)/σ) / Φ((ln 3000 − μ)/σ) = 852.0 (the
    // cut at 10 and rounding to whole tokens move it by far less than 1). The truncated
    // sd is under 700, so the se of 20k draws is under 5: ±25 is more than 5 se.
    expect(Math.abs(sum / N - 852)).toBeLessThan(25);
  });

  it('uniform covers [min, max] with mean (min + max) / 2; bounds and means are read from the spec', () => {
    const draw = tokenSource({ input: { dist: 'uniform', min: 5, max: 9 }, output: { dist: 'uniform', min: 1, max: 1 }, prefix: null }, streams(2), []);
    const seen = new Set<number>();
    let sum = 0;
    for (let i = 0; i < N; i++) {
      const t = draw(null);
      seen.add(t.inputTokens);
      sum += t.inputTokens;
      expect(t.outputTokens).toBe(1);
    }
    expect([...seen].sort()).toEqual([5, 6, 7, 8, 9]);
    // Variance of a uniform on 5..9 is 2; se of the mean ≈ 0.01: ±0.05 is 5 se.
    expect(Math.abs(sum / N - 7)).toBeLessThan(0.05);
    expect(maxTokens({ dist: 'uniform', min: 5, max: 9 })).toBe(9);
    expect(meanTokens({ dist: 'lognormal', mean: 10, cv: 1 })).toBe(10);
    expect(maxTokens({ dist: 'gamma', mean: 10, cv: 1 })).toBe(Infinity);
  });

  it('trace columns are read by name; a missing one names the columns there are', () => {
    const draw = tokenSource({ input: { dist: 'trace', column: 'ContextTokens' }, output: { dist: 'trace', column: 'GeneratedTokens' }, prefix: null }, streams(3), ['GeneratedTokens', 'ContextTokens']);
    expect(draw([12, 345])).toEqual({ inputTokens: 345, outputTokens: 12 });
    expect(() => tokenSource({ input: { dist: 'trace', column: 'Prompt' }, output: { dist: 'deterministic', value: 1 }, prefix: null }, streams(3), ['A', 'B'])).toThrow('tokens: the trace has no numeric column "Prompt" (it has: A, B)');
  });

  it('prefix groups are uniform, and a prompt shorter than the prefix is all prefix', () => {
    const draw = tokenSource({ input: { dist: 'uniform', min: 1, max: 200 }, output: { dist: 'deterministic', value: 2 }, prefix: { groups: 4, tokens: 100 } }, streams(4), []);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < N; i++) {
      const t = draw(null);
      counts[t.prefixGroup!]!++;
      expect(t.prefixTokens).toBe(Math.min(100, t.inputTokens));
    }
    // Each group's count is binomial(20000, 1/4): sd ≈ 61, ±300 is 5 sd.
    for (const c of counts) expect(Math.abs(c - N / 4)).toBeLessThan(300);
  });
});
