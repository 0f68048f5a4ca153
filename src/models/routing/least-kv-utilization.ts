import type { RouterFactory } from './router.ts';
import { tokenView } from './token-view.ts';

/**
 * LLM stages: the replica whose KV cache is least used (blocks held by running
 * sequences over its blocks); ties go to fewer outstanding requests, then the lowest
 * index. The reading is blind to requests routed but not yet admitted (their blocks are
 * taken at admission), so a burst between two admissions goes to one replica: a stale
 * signal, as any router polling engine metrics has.
 */
export const leastKvUtilization: RouterFactory = (view) => {
  const t = tokenView(view, 'least-kv-utilization');
  return () => {
    const n = view.count();
    let best = 0;
    let bestKv = t.kvUtilization(0);
    let bestReqs = view.outstanding(0);
    for (let i = 1; i < n; i++) {
      const kv = t.kvUtilization(i);
      if (kv > bestKv) continue;
      const reqs = view.outstanding(i);
      if (kv < bestKv || reqs < bestReqs) {
        best = i;
        bestKv = kv;
        bestReqs = reqs;
      }
    }
    return best;
  };
};
