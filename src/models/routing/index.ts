import { leastKvUtilization } from './least-kv-utilization.ts';
import { leastOutstanding } from './least-outstanding.ts';
import { leastOutstandingTokens } from './least-outstanding-tokens.ts';
import { powerOfTwo } from './power-of-two.ts';
import { prefixAffinity } from './prefix-affinity.ts';
import { randomChoice } from './random.ts';
import { roundRobin } from './round-robin.ts';
import type { RouterFactory } from './router.ts';

export type { RoutedRequest, Router, RouterFactory, RoutingView, TokenRoutingView } from './router.ts';
export { PREFIX_AFFINITY_LOAD_BOUND } from './prefix-affinity.ts';

/**
 * Per-replica-queue policies by name: the names a scenario may give `routing.policy`
 * come from here (`ROUTING_POLICIES` in src/config/schema.ts), so adding a policy is its
 * file and its line below. `shared` is absent on purpose: it is not a router but one
 * queue for every replica (the M/M/c station).
 */
export const routerRegistry = {
  'round-robin': roundRobin,
  random: randomChoice,
  'least-outstanding': leastOutstanding,
  'power-of-two': powerOfTwo,
  'least-outstanding-tokens': leastOutstandingTokens,
  'least-kv-utilization': leastKvUtilization,
  'prefix-affinity': prefixAffinity,
} satisfies Record<string, RouterFactory>;

/** The built-in per-replica policies' names. */
export type RouterName = keyof typeof routerRegistry;

/** Policies that read an LLM stage's token view (`RoutingView.tokens`): refused on any other stage. */
export const TOKEN_ROUTERS: ReadonlySet<string> = new Set<RouterName>(['least-outstanding-tokens', 'least-kv-utilization', 'prefix-affinity']);
