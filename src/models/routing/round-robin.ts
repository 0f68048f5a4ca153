import type { RouterFactory } from './router.ts';

/** Round-robin: replicas in turn, blind to their load. */
export const roundRobin: RouterFactory = (view) => {
  let next = 0;
  return () => {
    const n = view.count();
    if (next >= n) next = 0;
    const i = next;
    next = next + 1 === n ? 0 : next + 1;
    return i;
  };
};
