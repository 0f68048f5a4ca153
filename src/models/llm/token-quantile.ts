/**
 * Quantiles of a token-count distribution as `tokenSource` draws it (token-source.ts): a
 * lognormal draw X becomes max(1, round(X)), redrawn until it falls in [min, max]; a
 * uniform is uniform on the whole numbers of [min, max]. Theory uses them for floors at a
 * percentile (the TTFT of the p99 prompt alone). Gamma and trace columns have none here.
 */
import type { TokenDistributionSpec } from '../../config/llm-schema.ts';

/** Φ, the standard normal CDF, by Abramowitz & Stegun 7.1.26 for erf (|error| < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/**
 * The smallest whole count k with P(count ≤ k) ≥ q, for q in (0, 1); undefined where
 * this module has no closed form (gamma, trace). For a lognormal of mean m and cv c
 * (σ² = ln(1 + c²), μ = ln m − σ²/2), P(count ≤ k) = (F(k + ½) − F(lo − ½)) / (F(hi + ½) −
 * F(lo − ½)) with F the lognormal CDF (F(½) = 0 for lo = 1: the rounding sends X < 1.5 to 1).
 */
export function tokenQuantile(spec: TokenDistributionSpec, q: number): number | undefined {
  if (!(q > 0 && q < 1)) throw new RangeError(`tokenQuantile: q must be in (0, 1), got ${q}`);
  switch (spec.dist) {
    case 'deterministic':
      return spec.value;
    case 'uniform':
      return spec.min + Math.ceil(q * (spec.max - spec.min + 1)) - 1;
    case 'lognormal': {
      const s2 = Math.log(1 + spec.cv * spec.cv);
      const sigma = Math.sqrt(s2);
      const mu = Math.log(spec.mean) - s2 / 2;
      const cdf = (x: number) => (x <= 0 ? 0 : normalCdf((Math.log(x) - mu) / sigma));
      const lo = spec.min ?? 1;
      const hi = spec.max ?? Infinity;
      const below = lo <= 1 ? 0 : cdf(lo - 0.5);
      const mass = (hi === Infinity ? 1 : cdf(hi + 0.5)) - below;
      const atMost = (k: number) => (cdf(k + 0.5) - below) / mass;
      // Bisection on whole counts: atMost is nondecreasing in k.
      let a = lo; // atMost(a − 1) < q is kept true by starting at the bottom
      let b = hi === Infinity ? Math.max(lo, Math.ceil(spec.mean)) : hi;
      while (hi === Infinity && atMost(b) < q) b *= 2;
      while (a < b) {
        const mid = Math.floor((a + b) / 2);
        if (atMost(mid) >= q) b = mid;
        else a = mid + 1;
      }
      return a;
    }
    default:
      return undefined;
  }
}
