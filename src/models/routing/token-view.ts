import type { RoutingView, TokenRoutingView } from './router.ts';

/** The token-level view of an LLM stage, for a policy that needs it (validation keeps these policies to LLM stages). */
export function tokenView(view: RoutingView, policy: string): TokenRoutingView {
  if (view.tokens === undefined) throw new Error(`routing policy "${policy}" needs an LLM stage's token view (validation should have refused it)`);
  return view.tokens;
}

/**
 * The replica with the fewest outstanding tokens (prompt + output still to generate);
 * ties go to fewer outstanding requests, then the lowest index.
 */
export function fewestTokens(view: RoutingView, t: TokenRoutingView): number {
  const n = view.count();
  let best = 0;
  let bestTokens = t.outstandingTokens(0);
  let bestReqs = view.outstanding(0);
  for (let i = 1; i < n && bestReqs > 0; i++) {
    const tokens = t.outstandingTokens(i);
    if (tokens > bestTokens) continue;
    const reqs = view.outstanding(i);
    if (tokens < bestTokens || reqs < bestReqs) {
      best = i;
      bestTokens = tokens;
      bestReqs = reqs;
    }
  }
  return best;
}
