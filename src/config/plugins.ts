import * as z from 'zod';
import type { Distribution, Rng } from '../engine/index.ts';
import { RandomStreams } from '../engine/index.ts';
import { show } from './fields.ts';

/**
 * Service-time distributions and arrival processes a library user brings
 * (`registerDistribution`, `registerArrivals` in src/api/plugins.ts), and the scenario
 * forms that name them:
 *
 *   service:  { dist: plugin, name: pareto, params: { alpha: 2.5, scaleS: 0.01 } }
 *   arrivals: { process: plugin, name: mmpp3, params: { ... } }
 *
 * The factory is called once at validation, so a parameter it refuses is reported with
 * the file's other problems (at `params`, exit 2) and a scenario that names a plug-in
 * nobody registered is refused by name. Plug-ins serve the thread that registers them
 * (the CLI then keeps its simulations in that thread). Routing plug-ins are names of
 * `routing.policy` (src/config/schema.ts).
 */

/** A plug-in's parameters as written in the scenario (YAML/JSON values: numbers, strings, lists, objects). */
export type PluginParams = Readonly<Record<string, unknown>>;

/** Builds a service-time distribution (values in seconds, its own mean and variance) from its parameters; throws to refuse them. */
export type DistributionFactory = (params: PluginParams) => Distribution;

/** Arrivals a plug-in produces: their long-run rate (for the load check and theory) and the next arrival time. */
export interface PluginArrivals {
  /** Long-run mean arrival rate, per second (finite, above 0). */
  readonly meanRateRps: number;
  /** Squared coefficient of variation of the gaps, when known (Allen–Cunneen uses it); undefined otherwise. */
  readonly interarrivalScv?: number | undefined;
  /** Time of the next arrival after one at `nowS` (at least `nowS`), or Infinity when none is left. */
  next(nowS: number): number;
}

/** Builds an arrival process from its parameters and the run's `arrivals` random stream; throws to refuse them. */
export type ArrivalsFactory = (params: PluginParams, rng: Rng) => PluginArrivals;

/** Registered service-time distributions, by name. */
export const PLUGIN_DISTRIBUTIONS = new Map<string, DistributionFactory>();
/** Registered arrival processes, by name. */
export const PLUGIN_ARRIVALS = new Map<string, ArrivalsFactory>();

/** The message of whatever a plug-in threw. */
const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err));

const nameField = (what: string, registry: ReadonlyMap<string, unknown>) =>
  z.string({ error: (iss) => `expected the name of a registered ${what}, got ${show(iss.input)}` }).superRefine((name, ctx) => {
    if (registry.has(name)) return;
    const known = [...registry.keys()].map((k) => JSON.stringify(k)).join(', ');
    ctx.addIssue({
      code: 'custom',
      message: known === '' ? `no ${what} named ${show(name)} is registered (a .ts scenario or the library registers one first)` : `expected one of the registered ${what}s ${known}, got ${show(name)}`,
    });
  });

const paramsField = z.record(z.string(), z.unknown(), { error: (iss) => `expected an object of parameters, got ${show(iss.input)}` }).optional();

/** A service-time distribution a plug-in provides. */
export const pluginDistributionSpec = z
  .strictObject({ dist: z.literal('plugin'), name: nameField('distribution', PLUGIN_DISTRIBUTIONS), params: paramsField })
  .transform((s, ctx) => {
    const params: PluginParams = s.params ?? {};
    const factory = PLUGIN_DISTRIBUTIONS.get(s.name);
    if (factory !== undefined) {
      let d: Distribution | undefined;
      try {
        d = factory(params);
      } catch (err) {
        ctx.addIssue({ code: 'custom', path: ['params'], message: `distribution ${show(s.name)} refused its parameters: ${reason(err)}` });
        return z.NEVER;
      }
      const mean = d?.mean;
      const variance = d?.variance;
      if (typeof d?.source !== 'function' || typeof mean !== 'number' || !(mean >= 0 && mean < Infinity) || typeof variance !== 'number' || !(variance >= 0 && variance < Infinity)) {
        ctx.addIssue({
          code: 'custom',
          path: ['params'],
          message: `distribution ${show(s.name)} must return { mean, variance, source(rng) } with a finite mean and variance of 0 or more, got mean ${show(mean)}, variance ${show(variance)}`,
        });
        return z.NEVER;
      }
    }
    return { dist: s.dist, name: s.name, params };
  });

/** An arrival process a plug-in provides; validation adds the rate it reports (for the run limits and the load check). */
export const pluginArrivalsSpec = z
  .strictObject({ process: z.literal('plugin'), name: nameField('arrival process', PLUGIN_ARRIVALS), params: paramsField })
  .transform((s, ctx) => {
    const params: PluginParams = s.params ?? {};
    const factory = PLUGIN_ARRIVALS.get(s.name);
    let meanRateRps = NaN;
    if (factory !== undefined) {
      let a: PluginArrivals | undefined;
      try {
        // A stream of its own: building the process here must not touch any run's streams.
        a = factory(params, RandomStreams.independent('plugin-check', s.name));
      } catch (err) {
        ctx.addIssue({ code: 'custom', path: ['params'], message: `arrival process ${show(s.name)} refused its parameters: ${reason(err)}` });
        return z.NEVER;
      }
      meanRateRps = a?.meanRateRps ?? NaN;
      if (typeof a?.next !== 'function' || typeof meanRateRps !== 'number' || !(meanRateRps > 0 && meanRateRps < Infinity)) {
        ctx.addIssue({ code: 'custom', path: ['params'], message: `arrival process ${show(s.name)} must return { meanRateRps, next(nowS) } with a finite rate above 0, got meanRateRps ${show(meanRateRps)}` });
        return z.NEVER;
      }
    }
    return { process: s.process, name: s.name, params, meanRateRps };
  });
