import type { RoutingPolicyName } from '../../config/description.ts';
import { leastOutstanding } from './least-outstanding.ts';
import { powerOfTwo } from './power-of-two.ts';
import { randomChoice } from './random.ts';
import { roundRobin } from './round-robin.ts';
import type { RouterFactory } from './router.ts';

export type { Router, RouterFactory } from './router.ts';

/**
 * Per-replica-queue policies by name. `shared` is absent on purpose: it is not a
 * router but one queue for every replica (the M/M/c station).
 */
export const routerRegistry: { [K in Exclude<RoutingPolicyName, 'shared'>]: RouterFactory } = {
  'round-robin': roundRobin,
  random: randomChoice,
  'least-outstanding': leastOutstanding,
  'power-of-two': powerOfTwo,
};
