import type { RouterFactory } from './router.ts';

/**
 * Power of two choices (Mitzenmacher 2001): sample two distinct replicas at random
 * and join the one with fewer outstanding requests (the first on a tie). Nearly
 * the tail of join-the-shortest-queue at the cost of two probes.
 */
export const powerOfTwo: RouterFactory = (view, rng) => () => {
  const n = view.count();
  if (n === 1) return 0;
  const a = Math.floor(rng() * n);
  let b = Math.floor(rng() * (n - 1));
  if (b >= a) b++;
  return view.outstanding(b) < view.outstanding(a) ? b : a;
};
