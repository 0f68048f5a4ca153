import { InputError } from '../../config/errors.ts';
import { PLUGIN_ARRIVALS, type PluginParams } from '../../config/plugins.ts';
import type { ArrivalFactory } from './arrival-process.ts';

/**
 * Arrivals from a registered plug-in (`registerArrivals`, src/api/plugins.ts), drawing
 * from the run's `arrivals` stream like the built-in processes, so replications vary
 * them and a seed repeats them. A next time before the current one, or not a number,
 * stops the run with an input error naming the plug-in (time never goes back).
 */
export const makePluginArrivals: ArrivalFactory<{ process: 'plugin'; name: string; params: PluginParams; meanRateRps: number }> = (spec, sim) => {
  const p = PLUGIN_ARRIVALS.get(spec.name)!(spec.params, sim.random.stream('arrivals'));
  const rate = p.meanRateRps;
  return {
    meanRateRps: rate,
    meanRate: () => rate,
    interarrivalScv: p.interarrivalScv,
    next(nowS) {
      const t = p.next(nowS);
      if (!(t >= nowS)) throw new InputError([`arrival process plug-in ${JSON.stringify(spec.name)} returned ${String(t)} as the next arrival after ${nowS} s: it must be a time at or after the current one (or Infinity when none is left)`]);
      return t;
    },
  };
};
