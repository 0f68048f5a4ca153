import type { RouterFactory } from './router.ts';
import { fewestTokens, tokenView } from './token-view.ts';

/**
 * LLM stages: the replica with the fewest outstanding tokens, the prompt plus the output
 * still to generate of every request it holds (queued or running); ties go to fewer
 * outstanding requests, then the lowest index. A request count treats a 50-token prompt
 * like an 8,000-token one; the token count weighs the work each replica has left.
 */
export const leastOutstandingTokens: RouterFactory = (view) => {
  const t = tokenView(view, 'least-outstanding-tokens');
  return () => fewestTokens(view, t);
};
