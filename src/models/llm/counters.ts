import { TimeWeighted } from '../../engine/index.ts';

/**
 * Running totals of one LLM replica, for the metric collectors: cheap to keep (a few
 * additions per step), read at the end of a run or per window by differences.
 */
export class LlmCounters {
  /** Requests submitted, rejected at submission, and finished. */
  submitted = 0;
  rejected = 0;
  finished = 0;
  /** Prompt and output tokens of finished requests. */
  inputTokens = 0;
  outputTokens = 0;
  /** Steps run; sums and maxima of sequences and tokens per step. */
  steps = 0;
  batchSeqsSum = 0;
  batchSeqsMax = 0;
  batchTokensSum = 0;
  batchTokensMax = 0;
  /** Prompt tokens computed (not served from the cache, recomputation included) and decode tokens. */
  prefillTokensComputed = 0;
  decodeTokens = 0;
  /** Sequences preempted (each preemption counts once). */
  preemptions = 0;
  /** Tokens looked up in the prefix cache at each admission, and those found. */
  prefixQueryTokens = 0;
  prefixHitTokens = 0;
  /** Fraction of KV blocks held by running sequences, over time (cached free blocks count as free). */
  readonly kvUtilization: TimeWeighted;

  constructor(startS: number) {
    this.kvUtilization = new TimeWeighted(startS, 0);
  }

  /** Share of looked-up prompt tokens found in the prefix cache (0 when nothing was looked up). */
  get prefixHitRatio(): number {
    return this.prefixQueryTokens > 0 ? this.prefixHitTokens / this.prefixQueryTokens : 0;
  }
}
