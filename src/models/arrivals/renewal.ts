import type { RenewalGapSpec, RenewalSpec } from '../../config/renewal-spec.ts';
import { balancedPhases, gamma, hyperexponential, lognormal, weibull, type Distribution } from '../../engine/index.ts';
import type { ArrivalFactory } from './arrival-process.ts';

/**
 * The gap distribution of renewal arrivals at `qps` (mean 1/qps): gamma, Weibull or
 * lognormal by cv; Erlang-k as the gamma of cv 1/√k; a two-phase hyperexponential
 * with balanced means by cv, or from explicit phases (whose mean sets the rate).
 */
export function renewalGap(gap: RenewalGapSpec, qps: number): Distribution {
  const meanS = 1 / qps;
  switch (gap.dist) {
    case 'gamma':
      return gamma(meanS, gap.cv);
    case 'weibull':
      return weibull(meanS, gap.cv);
    case 'lognormal':
      return lognormal(meanS, gap.cv);
    case 'erlang':
      return { ...gamma(meanS, 1 / Math.sqrt(gap.k)), kind: 'erlang' };
    case 'hyperexponential':
      return hyperexponential(gap.phases !== undefined ? gap.phases.map((ph) => ({ p: ph.p, meanS: ph.mean })) : balancedPhases(meanS, gap.cv!));
  }
}

/**
 * Renewal arrivals: independent gaps from one distribution of mean 1/qps (a GI arrival
 * stream, the "GI" of GI/M/c), drawn from the run's `arrivals` stream so each
 * replication's seed gives its own arrivals. The first arrival comes one gap after 0
 * (an ordinary, not an equilibrium, renewal process). No gap is clipped.
 */
export const makeRenewal: ArrivalFactory<RenewalSpec> = (spec, sim) => {
  const dist = renewalGap(spec.gap, spec.qps);
  const gap = dist.source(sim.random.stream('arrivals'));
  const rate = 1 / dist.mean;
  return {
    meanRateRps: rate,
    meanRate: () => rate,
    interarrivalScv: dist.variance / (dist.mean * dist.mean),
    gapDistribution: dist,
    next: (nowS) => nowS + gap(),
  };
};
