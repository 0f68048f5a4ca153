import { classTableOf } from './classes.ts';
import type { Sampler, Simulation } from '../engine/index.ts';
import type { StageDescription, SystemDescription } from '../config/description.ts';
import { InputError } from '../config/errors.ts';
import { makeDistribution } from './service-distribution.ts';
import { makeServiceTime, type ServiceTime } from './service-time.ts';
import type { Station } from './stations/station.ts';
import { stationRegistry } from './stations/registry.ts';
import { StageMetrics } from './metrics/stage-metrics.ts';
import { stageCollectors } from './metrics/stage-collectors.ts';

/** A built stage with the description it was built from. */
export interface BuiltStage {
  stage: Station;
  desc: StageDescription;
  /** Cold-start sampler of an autoscaled stage (its own stream). */
  coldStart: Sampler | undefined;
}

/**
 * The service time of a stage, drawing from its own stream. Attributes a linear time
 * reads must be carried by the requests (a trace's columns, or `candidates`).
 */
function serviceTimeOf(d: StageDescription, sim: Simulation, attributes: readonly string[]): ServiceTime {
  const rng = sim.random.stream(`stage:${d.name}:service`);
  const per = d.service.dist === 'linear' ? Object.keys(d.service.per ?? {}) : [];
  const missing = per.filter((a) => a !== 'candidates' && !attributes.includes(a));
  if (missing.length > 0) {
    throw new InputError(
      missing.map(
        (a) =>
          `stages[${d.index}].service.per.${a}: the requests carry no attribute "${a}" (${attributes.length > 0 ? `they have: ${attributes.join(', ')}, and candidates` : 'they have: candidates; trace arrivals add their columns'})`,
      ),
    );
  }
  return makeServiceTime(d.service, rng, new Map(attributes.map((a, i) => [a, i])));
}

/** Builds every stage's station of a system, in pipeline order, from `stationRegistry`. */
export function buildStages(system: SystemDescription, sim: Simulation, attributes: readonly string[] = []): BuiltStage[] {
  const classes = classTableOf(system);
  return system.stages.map((d) => {
    const metrics = new StageMetrics(d, stageCollectors, system);
    const stage = stationRegistry[d.kind](d, { sim, serviceTime: serviceTimeOf(d, sim, attributes), metrics, attributes, classes });
    const coldStart = d.autoscale ? makeDistribution(d.autoscale.coldStart).source(sim.random.stream(`stage:${d.name}:cold-start`)) : undefined;
    return { stage, desc: d, coldStart };
  });
}
