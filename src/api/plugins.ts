import { InputError } from '../config/errors.ts';
import { PLUGIN_ROUTING_POLICIES, ROUTING_POLICIES } from '../config/schema.ts';
import { routerRegistry, type RouterFactory } from '../models/routing/index.ts';

export type { Router, RouterFactory } from '../models/routing/index.ts';
export type { RoutingView } from '../models/routing/router.ts';

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
