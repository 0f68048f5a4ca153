/**
 * `tokenQuantile` (src/models/llm/token-quantile.ts) against hand values and against the
 * draws of `tokenSource` itself.
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/engine/index.ts';
import { tokenQuantile } from '../../src/models/llm/token-quantile.ts';
import { tokenSource } from '../../src/models/llm/token-source.ts';
import type { TokenDistributionSpec } from '../../src/config/llm-schema.ts';

describe('token quantiles', () => {
  it('deterministic and uniform, by hand', () => {
    expect(tokenQuantile({ dist: 'deterministic', value: 700 }, 0.99)).toBe(700);
    // Uniform on the 100 whole numbers 1..100: P(count ≤ k) = k / 100, so the p99 is 99 and the p50 is 50.
    expect(tokenQuantile({ dist: 'uniform', min: 1, max: 100 }, 0.99)).toBe(99);
    expect(tokenQuantile({ dist: 'uniform', min: 1, max: 100 }, 0.5)).toBe(50);
    expect(tokenQuantile({ dist: 'gamma', mean: 100, cv: 1 }, 0.5)).toBeUndefined();
    expect(tokenQuantile({ dist: 'trace', column: 'ContextTokens' }, 0.5)).toBeUndefined();
  });

  it('a lognormal without bounds: exp(μ + z·σ), within the rounding', () => {
    // Reference: mean 1,000, cv 0.5: σ² = ln 1.25, μ = ln 1000 − σ²/2; z(0.99) = 2.326348;
    // exp(μ + zσ) = 2,684.1, so the smallest whole k with X < k + ½ at 99% is 2,684 (Φ by
    // A&S 7.1.26 errs under 1.5e-7, a thousandth of a token here).
    const sigma = Math.sqrt(Math.log(1.25));
    const x = Math.exp(Math.log(1000) - Math.log(1.25) / 2 + 2.326348 * sigma);
    expect(x).toBeCloseTo(2684.1, 0);
    expect(tokenQuantile({ dist: 'lognormal', mean: 1000, cv: 0.5 }, 0.99)).toBe(2684);
  });

  it('redrawn above max: the quantile of what tokenSource draws (100,000 draws)', () => {
    // The lesson's prompts: lognormal mean 1,000, cv 0.5, max 4,000 (2,650 by the formula).
    // The empirical p99 of n = 100,000 draws has a standard error of √(q(1−q)/n)/f(x_q), about
    // 9 tokens here (f at the p99 ≈ 1.1e-4 per token): 40 tokens is over 4 standard errors.
    const spec: TokenDistributionSpec = { dist: 'lognormal', mean: 1000, cv: 0.5, max: 4000 };
    const q = tokenQuantile(spec, 0.99)!;
    expect(q).toBe(2650);
    const sim = new Simulation({ seed: 5 });
    const draw = tokenSource({ input: spec, output: { dist: 'deterministic', value: 1 }, prefix: null }, (n) => sim.random.stream(n), []);
    const xs = Array.from({ length: 100_000 }, () => draw(null).inputTokens).sort((a, b) => a - b);
    expect(Math.abs(xs[Math.ceil(0.99 * xs.length) - 1]! - q)).toBeLessThan(40);
  });
});
