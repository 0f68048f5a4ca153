import { deterministic, empirical, exponential, gamma, lognormal, uniform, type Distribution } from '../engine/index.ts';
import type { DistributionKind, DistributionSpec } from '../config/description.ts';
import { PLUGIN_DISTRIBUTIONS } from '../config/plugins.ts';
import { InputError } from '../config/errors.ts';

type Factory<K extends DistributionKind> = (spec: Extract<DistributionSpec, { dist: K }>) => Distribution;

/** Distribution families by the name a scenario uses (`dist:`); values in seconds. */
export const distributionRegistry: { [K in DistributionKind]: Factory<K> } = {
  exponential: (s) => exponential(s.mean),
  deterministic: (s) => deterministic(s.value),
  uniform: (s) => uniform(s.min, s.max),
  lognormal: (s) => lognormal(s.mean, s.cv),
  gamma: (s) => gamma(s.mean, s.cv),
  empirical: (s) => empirical(s.values, s.weights),
  plugin: (s) => checkedDraws(s.name, PLUGIN_DISTRIBUTIONS.get(s.name)!(s.params)),
};

/**
 * A plug-in's distribution whose draws are checked: a draw that is not a finite
 * number of seconds ≥ 0 stops the run with an input error naming the plug-in, instead
 * of an event scheduled in the past or a NaN spreading through every figure.
 */
function checkedDraws(name: string, d: Distribution): Distribution {
  return {
    kind: d.kind,
    mean: d.mean,
    variance: d.variance,
    source(rng) {
      const draw = d.source(rng);
      return () => {
        const x = draw();
        if (!(x >= 0 && x < Infinity)) throw new InputError([`distribution plug-in ${JSON.stringify(name)} drew ${String(x)}: a duration is a finite number of seconds, 0 or more`]);
        return x;
      };
    },
  };
}

/** The engine distribution a validated spec describes. */
export function makeDistribution(spec: DistributionSpec): Distribution {
  return (distributionRegistry[spec.dist] as Factory<DistributionKind>)(spec as never);
}
