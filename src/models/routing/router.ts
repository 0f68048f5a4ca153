import type { Rng } from '../../engine/index.ts';

/**
 * Picks the replica (0..n−1) a new request joins. `outstanding(i)` is replica i's
 * queued plus in-service requests, what a load balancer can observe.
 */
export type Router = () => number;

/** Builds a router for `n` replicas; random policies draw from `rng` (the stage's routing stream). */
export type RouterFactory = (n: number, rng: Rng, outstanding: (i: number) => number) => Router;
