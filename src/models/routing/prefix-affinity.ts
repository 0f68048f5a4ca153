import type { RouterFactory } from './router.ts';
import { fewestTokens, tokenView } from './token-view.ts';

/**
 * The load bound of prefix affinity: the preferred replica takes the request only if its
 * outstanding tokens with it stay within `PREFIX_AFFINITY_LOAD_BOUND` × the mean over the
 * replicas (1 + ε with ε = 0.25, as Mirrokni, Thorup and Zadimoghaddam's consistent
 * hashing with bounded loads, SODA 2018, and its Vimeo deployment use).
 */
export const PREFIX_AFFINITY_LOAD_BOUND = 1.25;

/**
 * LLM stages: a request of a prefix group goes to the replica holding the longest run of
 * its group's prefix blocks in its KV cache (ties: fewer outstanding tokens), unless that
 * replica's outstanding tokens, this request's included, would exceed
 * `PREFIX_AFFINITY_LOAD_BOUND` × the mean over the replicas (this request included):
 * then, like a request without a group or of a group no replica holds, it goes to the
 * replica with the fewest outstanding tokens (`least-outstanding-tokens`). A group's
 * requests so gather where its prefix is cached, and the bound keeps a popular group
 * from piling onto one replica (consistent hashing with bounded loads, Mirrokni et al.
 * 2018, with the cache's real contents for the hash ring).
 */
export const prefixAffinity: RouterFactory = (view) => {
  const t = tokenView(view, 'prefix-affinity');
  return (req) => {
    const group = req?.prefixGroup;
    if (group === undefined) return fewestTokens(view, t);
    const n = view.count();
    let best = -1;
    let bestBlocks = 0;
    let bestTokens = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const tokens = t.outstandingTokens(i);
      total += tokens;
      const blocks = t.cachedPrefixBlocks(i, group);
      if (blocks === 0 || blocks < bestBlocks || (blocks === bestBlocks && tokens >= bestTokens)) continue;
      best = i;
      bestBlocks = blocks;
      bestTokens = tokens;
    }
    if (best < 0) return fewestTokens(view, t);
    const own = req!.inputTokens + req!.outputTokens;
    if (bestTokens + own <= (PREFIX_AFFINITY_LOAD_BOUND * (total + own)) / n) return best;
    return fewestTokens(view, t);
  };
};
