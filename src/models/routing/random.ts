import type { RouterFactory } from './router.ts';

/** Uniform random choice: each replica an independent M/G/1 under Poisson arrivals (splitting). */
export const randomChoice: RouterFactory = (view, rng) => () => Math.floor(rng() * view.count());
