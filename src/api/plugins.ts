import { InputError } from '../config/errors.ts';
import { PLUGIN_ROUTING_POLICIES, ROUTING_POLICIES } from '../config/schema.ts';
import { routerRegistry, type RouterFactory } from '../models/routing/index.ts';
import { PLUGIN_ARRIVALS, PLUGIN_DISTRIBUTIONS, type ArrivalsFactory, type DistributionFactory } from '../config/plugins.ts';

export type { Router, RouterFactory } from '../models/routing/index.ts';
export type { RoutedRequest, RoutingView, TokenRoutingView } from '../models/routing/router.ts';
export type { ArrivalsFactory, DistributionFactory, PluginArrivals, PluginParams } from '../config/plugins.ts';

const NAME = /^[a-z][a-z0-9-]*$/;

/**
 * Adds a routing policy a scenario can name (`routing: { policy: name }`): a factory
 * that, given a view of a stage's replicas and the stage's routing random stream, returns
 * the function picking the replica each request joins. It serves this process (scenarios
 * run in it, and `.ts` scenarios it loads, which may register their own); worker threads
 * would not see it, so once one is registered the CLI runs its simulations in this thread.
 * Throws on a name that is malformed or taken.
 */
export function registerRouter(name: string, factory: RouterFactory): void {
  if (!NAME.test(name)) throw new InputError([`registerRouter: a policy name is lower-case letters, digits and "-", starting with a letter, got ${JSON.stringify(name)}`]);
  if ((ROUTING_POLICIES as readonly string[]).includes(name) || PLUGIN_ROUTING_POLICIES.has(name)) throw new InputError([`registerRouter: the routing policy "${name}" already exists`]);
  if (typeof factory !== 'function') throw new InputError([`registerRouter: the factory of "${name}" must be a function (view, rng) => () => replica`]);
  (routerRegistry as Record<string, RouterFactory>)[name] = factory;
  PLUGIN_ROUTING_POLICIES.add(name);
}

/** Routing policies a scenario may name: the built-in ones, then those registered. */
export function routingPolicies(): string[] {
  return [...ROUTING_POLICIES, ...PLUGIN_ROUTING_POLICIES];
}

/** Removes a routing policy `registerRouter` added (built-in ones stay); returns whether there was one. */
export function unregisterRouter(name: string): boolean {
  if (!PLUGIN_ROUTING_POLICIES.delete(name)) return false;
  delete (routerRegistry as Record<string, RouterFactory>)[name];
  return true;
}

/** Checks a plug-in's name and factory before it is added to `registry`. */
function checkNew(fn: string, what: string, name: string, factory: unknown, registry: ReadonlyMap<string, unknown>, shape: string): void {
  if (!NAME.test(name)) throw new InputError([`${fn}: a name is lower-case letters, digits and "-", starting with a letter, got ${JSON.stringify(name)}`]);
  if (registry.has(name)) throw new InputError([`${fn}: the ${what} "${name}" already exists`]);
  if (typeof factory !== 'function') throw new InputError([`${fn}: the factory of "${name}" must be a function ${shape}`]);
}

/**
 * Adds a service-time distribution a scenario names as
 * `{ dist: plugin, name, params: {...} }` (also usable wherever a scenario takes a
 * distribution: cold starts, acks, cache hits). The factory gets the `params` object
 * as written (YAML/JSON values; durations are the plug-in's to read) and returns a
 * `Distribution` in seconds that knows its mean and variance, which the theory and the
 * load check use; it is called once at validation, where whatever it throws is
 * reported at `params`. Draws that are not finite seconds ≥ 0 stop the run with an
 * input error. Serves this thread only, like `registerRouter`.
 */
export function registerDistribution(name: string, factory: DistributionFactory): void {
  checkNew('registerDistribution', 'distribution', name, factory, PLUGIN_DISTRIBUTIONS, '(params) => Distribution');
  PLUGIN_DISTRIBUTIONS.set(name, factory);
}

/** Removes a distribution `registerDistribution` added; returns whether there was one. */
export function unregisterDistribution(name: string): boolean {
  return PLUGIN_DISTRIBUTIONS.delete(name);
}

/**
 * Adds an arrival process a scenario names as `arrivals: { process: plugin, name,
 * params: {...} }`. The factory gets the `params` object and the run's `arrivals`
 * random stream (so replications differ and a seed repeats them) and returns
 * `{ meanRateRps, interarrivalScv?, next(nowS) }`: the long-run rate (the run limits,
 * the load check and the theory read it) and the time of each next arrival. It is
 * called once at validation too (with a stream of its own), where whatever it throws is
 * reported at `params`. Serves this thread only, like `registerRouter`.
 */
export function registerArrivals(name: string, factory: ArrivalsFactory): void {
  checkNew('registerArrivals', 'arrival process', name, factory, PLUGIN_ARRIVALS, '(params, rng) => { meanRateRps, next(nowS) }');
  PLUGIN_ARRIVALS.set(name, factory);
}

/** Removes an arrival process `registerArrivals` added; returns whether there was one. */
export function unregisterArrivals(name: string): boolean {
  return PLUGIN_ARRIVALS.delete(name);
}

/** Whether any plug-in of any kind is registered in this thread (worker threads would not have it). */
export function pluginsRegistered(): boolean {
  return PLUGIN_ROUTING_POLICIES.size > 0 || PLUGIN_DISTRIBUTIONS.size > 0 || PLUGIN_ARRIVALS.size > 0;
}
