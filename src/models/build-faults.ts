import type { Simulation } from '../engine/index.ts';
import type { BuiltStage } from './build-stage.ts';
import { FaultInjector } from './faults.ts';
import { makeDistribution } from './service-distribution.ts';
import type { FailableCapacity } from './stations/failable.ts';
import type { Station } from './stations/station.ts';

function isFailable(st: Station): st is Station & FailableCapacity {
  return 'enableFaults' in st && 'replicaFailed' in st;
}

/**
 * What the injector fails: the station itself, whose `replicas` are all it has, except
 * a fan-out's, counted per shard: there it sees shards × replicas (numbered by the
 * station, `FanoutStation.faultSite`).
 */
function failTarget(st: Station & FailableCapacity): FailableCapacity {
  const shards = st.theory.shards;
  if (shards <= 1) return st;
  return {
    name: st.name,
    replicas: st.replicas * shards,
    counters: st.counters,
    enableFaults: (inFlight) => st.enableFaults(inFlight),
    replicaFailed: (i) => st.replicaFailed(i),
    replicaRepaired: (i) => st.replicaRepaired(i),
  };
}

/**
 * A fault injector per stage with `faults`, keyed by stage name. Both of a stage's
 * fault distributions draw from its one stream `stage:<name>:faults`.
 */
export function buildFaults(built: readonly BuiltStage[], sim: Simulation, active: () => boolean): Map<string, FaultInjector> {
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
        failTarget(st),
        {
          between: f.between !== null ? makeDistribution(f.between).source(rng) : null,
          repair: f.repair !== null ? makeDistribution(f.repair).source(rng) : null,
          crew: f.crew,
          outages: f.outages,
          inFlight: f.inFlight,
        },
        active,
      ),
    );
  }
  return out;
}
