import type { RouterFactory } from './router.ts';

/**
 * Join the shortest queue: the replica with the fewest outstanding requests
 * (queued + in service); ties go to the lowest index. Needs global knowledge,
 * which a single load balancer has.
 */
export const leastOutstanding: RouterFactory = (view) => () => {
  const n = view.count();
  let best = 0;
  let bestLoad = view.outstanding(0);
  for (let i = 1; i < n && bestLoad > 0; i++) {
    const load = view.outstanding(i);
    if (load < bestLoad) {
      best = i;
      bestLoad = load;
    }
  }
  return best;
};
