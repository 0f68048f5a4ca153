import { leastOutstanding } from './least-outstanding.ts';
import { powerOfTwo } from './power-of-two.ts';
import { randomChoice } from './random.ts';
import { roundRobin } from './round-robin.ts';
import type { RouterFactory } from './router.ts';

export type { Router, RouterFactory } from './router.ts';

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
} satisfies Record<string, RouterFactory>;

/** The built-in per-replica policies' names. */
export type RouterName = keyof typeof routerRegistry;
