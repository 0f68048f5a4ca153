import type { Simulation } from '../../engine/index.ts';
import type { ArrivalsSpec } from '../../config/description.ts';
import type { ArrivalContext, ArrivalFactory, ArrivalProcess } from './arrival-process.ts';

/** A class's own arrival process, as `arrivals: { process: classes }` is given them. */
export interface ClassArrivalSpec {
  name: string;
  arrivals: ArrivalsSpec;
}

/** The superposition of the classes' processes, telling which class the latest arrival is of. */
export interface PerClassArrivals extends ArrivalProcess {
  /** Class index of the arrival most recently returned by `next`. */
  readonly lastClass: number;
}

/**
 * A view of the simulation whose named random streams are the class's own
 * (`class:<name>:arrivals`), so that two classes with the same process never share
 * draws. Arrival factories read nothing of the simulation but its streams.
 */
function classView(sim: Simulation, name: string): Simulation {
  const random = { stream: (s: string) => sim.random.stream(`class:${name}:${s}`) };
  return Object.create(sim, { random: { value: random } }) as Simulation;
}

/**
 * Each request class arriving by its own process (`classes[].arrivals`), merged in time
 * order: the next arrival is the earliest of the classes' next ones (ties to the class
 * listed first). Its rate is the sum of theirs; a superposition of Poisson processes is
 * Poisson (scv 1), of others it is unknown here.
 */
export const makePerClassArrivals: ArrivalFactory<{ process: 'classes' }> = (_spec, sim, context: ArrivalContext = {}) => {
  const specs = context.classArrivals ?? [];
  if (specs.length === 0) throw new Error('arrivals: { process: classes } needs the classes’ own arrivals');
  // Built here, not through the registry's index (it imports this file).
  const build = context.buildArrivals!;
  const procs = specs.map((c) => build(c.arrivals, classView(sim, c.name), context));
  const times = new Array<number>(procs.length).fill(NaN);
  let last = -1;
  const pick = (): number => {
    let k = 0;
    for (let i = 1; i < times.length; i++) if (times[i]! < times[k]!) k = i;
    last = k;
    return times[k]!;
  };
  return {
    meanRateRps: procs.reduce((a, p) => a + p.meanRateRps, 0),
    meanRate: (fromS, toS) => procs.reduce((a, p) => a + p.meanRate(fromS, toS), 0),
    interarrivalScv: procs.every((p, i) => p.interarrivalScv === 1 && specs[i]!.arrivals.process === 'poisson') ? 1 : undefined,
    get lastClass() {
      return last;
    },
    next: (nowS) => {
      if (last < 0) for (let i = 0; i < procs.length; i++) times[i] = procs[i]!.next(nowS);
      else times[last] = procs[last]!.next(nowS);
      return pick();
    },
  } satisfies PerClassArrivals;
};
