import { TimeWeighted } from '../../engine/index.ts';

/**
 * Running totals of one LLM replica, for the metric collectors: cheap to keep (a few
 * additions per step), read at the end of a run or per window by differences.
 */
export class LlmCounters {
  /** Requests submitted (in flight = submitted − rejected − finished). */
  submitted = 0;
  /** Requests refused at submission (they can never be served). */
  rejected = 0;
  /** Requests that emitted their last token. */
  finished = 0;
  /** Prompt tokens of finished requests. */
  inputTokens = 0;
  /** Output tokens of finished requests. */
  outputTokens = 0;
  /** Output tokens emitted, each as it is emitted (a request's so far included). */
  generatedTokens = 0;
  /** Steps run. */
  steps = 0;
  /** Sum over steps of the sequences in the step (mean batch = batchSeqsSum / steps). */
  batchSeqsSum = 0;
  /** Most sequences in one step. */
  batchSeqsMax = 0;
  /** Sum over steps of the tokens computed in the step. */
  batchTokensSum = 0;
  /** Most tokens in one step. */
  batchTokensMax = 0;
  /** Prompt tokens computed (not served from the cache; recomputation after preemption included). */
  prefillTokensComputed = 0;
  /** Decode tokens computed. */
  decodeTokens = 0;
  /** Sequences preempted (each preemption counts once). */
  preemptions = 0;
  /** Tokens looked up in the prefix cache, summed over admissions (only with prefix caching). */
  prefixQueryTokens = 0;
  /** Of those, tokens found in the cache and skipped. */
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
