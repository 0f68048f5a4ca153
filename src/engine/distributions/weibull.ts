import type { Distribution } from './distribution.ts';
import { integrateLogScale, lnGamma } from './gamma-function.ts';

/**
 * The Weibull shape k whose coefficient of variation is `cv`:
 * cv² = Γ(1 + 2/k)/Γ(1 + 1/k)² − 1, which falls as k grows, solved by bisection on
 * ln k over [1e-2, 1e6] (cv from about 1e15 down to 1.3e-6).
 */
export function weibullShape(cv: number): number {
  const target = Math.log1p(cv * cv);
  const f = (k: number) => lnGamma(1 + 2 / k) - 2 * lnGamma(1 + 1 / k) - target;
  let lo = Math.log(1e-2);
  let hi = Math.log(1e6);
  if (!(f(Math.exp(lo)) > 0 && f(Math.exp(hi)) < 0)) throw new RangeError(`weibull cv must be between about 1.3e-6 and 1e15, got ${cv}`);
  for (let i = 0; i < 200 && hi - lo > 1e-14; i++) {
    const mid = (lo + hi) / 2;
    if (f(Math.exp(mid)) > 0) lo = mid;
    else hi = mid;
  }
  return Math.exp((lo + hi) / 2);
}

/**
 * Weibull given by mean and coefficient of variation: shape k from cv
 * (`weibullShape`), scale λ = mean/Γ(1 + 1/k); sampled by inversion,
 * λ·(−ln(1 − U))^{1/k}. cv = 1 is the exponential (k = 1); cv < 1 is more regular,
 * cv > 1 burstier. Its Laplace–Stieltjes transform has no closed form and is
 * integrated numerically (`integrateLogScale`) over y = (x/λ)^k, which is Exp(1).
 */
export function weibull(mean: number, cv: number): Distribution {
  if (!(mean > 0)) throw new RangeError(`weibull mean must be > 0, got ${mean}`);
  if (!(cv > 0)) throw new RangeError(`weibull cv must be > 0, got ${cv}`);
  const k = weibullShape(cv);
  const scale = mean / Math.exp(lnGamma(1 + 1 / k));
  return {
    kind: 'weibull',
    mean,
    variance: (mean * cv) ** 2,
    source: (rng) => () => scale * (-Math.log(1 - rng())) ** (1 / k),
    lst: (s) => integrateLogScale((y) => Math.exp(-s * scale * y ** (1 / k) - y), -60, Math.log(60)),
  };
}
