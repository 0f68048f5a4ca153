import { randomLogNormal } from 'd3-random';
import type { Distribution } from './distribution.ts';
import { integrateLogScale } from './gamma-function.ts';

/**
 * Lognormal given by its mean and coefficient of variation (cv = sd/mean), the way
 * latencies are usually described. With σ² = ln(1 + cv²) and μ = ln(mean) − σ²/2,
 * exp(N(μ, σ²)) has exactly that mean and variance (mean·cv)².
 */
export function lognormal(mean: number, cv: number): Distribution {
  if (!(mean > 0)) throw new RangeError(`lognormal mean must be > 0, got ${mean}`);
  if (!(cv > 0)) throw new RangeError(`lognormal cv must be > 0, got ${cv}`);
  const sigma2 = Math.log1p(cv * cv);
  const mu = Math.log(mean) - sigma2 / 2;
  const sigma = Math.sqrt(sigma2);
  return {
    kind: 'lognormal',
    mean,
    variance: (mean * cv) ** 2,
    source: (rng) => randomLogNormal.source(rng)(mu, sigma),
    // No closed form: ∫ e^{−sx} f(x) dx over ln x within μ ± 12σ (the rest weighs under 1e-32).
    lst: (s) => integrateLogScale((x) => (Math.exp(-s * x) * Math.exp(-((Math.log(x) - mu) ** 2) / (2 * sigma2))) / (x * sigma * Math.sqrt(2 * Math.PI)), mu - 12 * sigma, mu + 12 * sigma),
  };
}
