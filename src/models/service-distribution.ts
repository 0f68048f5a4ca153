import { deterministic, empirical, exponential, gamma, lognormal, uniform, type Distribution } from '../engine/index.ts';
import type { DistributionKind, DistributionSpec } from '../config/description.ts';

type Factory<K extends DistributionKind> = (spec: Extract<DistributionSpec, { dist: K }>) => Distribution;

/** Distribution families by the name a scenario uses (`dist:`); values in seconds. */
export const distributionRegistry: { [K in DistributionKind]: Factory<K> } = {
  exponential: (s) => exponential(s.mean),
  deterministic: (s) => deterministic(s.value),
  uniform: (s) => uniform(s.min, s.max),
  lognormal: (s) => lognormal(s.mean, s.cv),
  gamma: (s) => gamma(s.mean, s.cv),
  empirical: (s) => empirical(s.values, s.weights),
};

/** The engine distribution a validated spec describes. */
export function makeDistribution(spec: DistributionSpec): Distribution {
  return (distributionRegistry[spec.dist] as Factory<DistributionKind>)(spec as never);
}
