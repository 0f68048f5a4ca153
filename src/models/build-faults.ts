import type { SystemDescription } from '../config/description.ts';
import type { Rng, Simulation } from '../engine/index.ts';
import type { BuiltStage } from './build-stage.ts';
import { FaultInjector, type FaultsConfig } from './faults.ts';
import { makeDistribution } from './service-distribution.ts';
import type { FailableCapacity } from './stations/failable.ts';
import type { Station } from './stations/station.ts';

function isFailable(st: Station): st is Station & FailableCapacity {
  return 'enableFaults' in st && 'replicaFailed' in st;
}

/** The run's latency objective in seconds (Infinity for none): what attainment during and outside incidents is measured against. */
function sloOf(system: SystemDescription | undefined): number {
  return system?.slo?.latencyS ?? Infinity;
}

/**
 * A fault injector per stage with `faults`, keyed by stage name. Both of a stage's
 * failure distributions draw from its one stream `stage:<name>:faults`; its gray
 * failures from `stage:<name>:gray` (so adding them shifts no failure draw).
 */
export function buildFaults(built: readonly BuiltStage[], sim: Simulation, active: () => boolean, system?: SystemDescription): Map<string, FaultInjector> {
  const out = new Map<string, FaultInjector>();
  for (const b of built) {
    const f = b.desc.faults;
    if (f === null) continue;
    const st = b.stage;
    if (!isFailable(st)) throw new Error(`stage "${st.name}": a ${st.kind} station cannot fail`);
    const rng = sim.random.stream(`stage:${st.name}:faults`);
    out.set(
      st.name,
      new FaultInjector(
        sim,
        st,
        {
          between: f.between !== null ? makeDistribution(f.between).source(rng) : null,
          repair: f.repair !== null ? makeDistribution(f.repair).source(rng) : null,
          crew: f.crew,
          outages: f.outages,
          inFlight: f.inFlight,
          gray: f.gray === null ? null : grayOf(f.gray, sim.random.stream(`stage:${st.name}:gray`)),
          healthCheck: f.healthCheck,
          sloS: sloOf(system),
        },
        active,
      ),
    );
  }
  return out;
}

/** Gray-failure samplers on their own stream. */
function grayOf(g: NonNullable<BuiltStage['desc']['faults']>['gray'] & object, rng: Rng): NonNullable<FaultsConfig['gray']> {
  return { between: makeDistribution(g.between).source(rng), duration: makeDistribution(g.duration).source(rng), slowdown: g.slowdown, scope: g.scope };
}
