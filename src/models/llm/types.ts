/**
 * The scheduler settings of one LLM engine replica (vLLM V1 names in brackets).
 * The exact semantics are written down in `docs/llm-scheduler.md`.
 */
export interface LlmSchedulerConfig {
  /** Token budget of one step [`max_num_batched_tokens`]. */
  readonly maxBatchedTokens: number;
  /** Most sequences running at once [`max_num_seqs`]. */
  readonly maxNumSeqs: number;
  /** Prompts may be split across steps [`enable_chunked_prefill`]. */
  readonly chunkedPrefill: boolean;
  /** Full KV blocks are reused by content identity [`enable_prefix_caching`]. */
  readonly prefixCaching: boolean;
  /** Tokens per KV block [`block_size`]. */
  readonly blockSize: number;
  /** KV blocks of the replica [`num_gpu_blocks`]. */
  readonly kvBlocks: number;
}

/** What the engine needs to know of one request. */
export interface LlmRequestSpec {
  /** Prompt length in tokens (≥ 1). */
  readonly inputTokens: number;
  /** Tokens to generate (≥ 1); the request finishes with the last one. */
  readonly outputTokens: number;
  /**
   * Shared prefix group (a system prompt, a RAG context): requests of one group have
   * identical first `prefixTokens` prompt tokens. A non-negative integer.
   */
  readonly prefixGroup?: number;
  /** Length of the shared prefix in tokens (≤ `inputTokens`); 0 without a group. */
  readonly prefixTokens?: number;
  /**
   * Leading tokens whose KV cache arrives with the request, computed elsewhere (the decode
   * side of prefill/decode disaggregation: the prompt's KV from a prefill replica). The
   * request skips the pre-queue overhead, and its first admission needs blocks for all its
   * known tokens and computes only the rest. 0 or absent otherwise; below `inputTokens`,
   * without a prefix group.
   */
  readonly transferredTokens?: number;
}

/** Why a request was refused at submission, never to be served. */
export type LlmRejectReason =
  /** ceil((input + output − 1) / blockSize) exceeds the replica's KV blocks. */
  | 'kv-capacity'
  /** Without chunked prefill, input + output − 1 exceeds `maxBatchedTokens`. */
  | 'token-budget'
  /** Malformed token counts (not positive integers, prefix longer than the prompt). */
  | 'invalid';

/** What a replica tells its owner about each request; times in seconds of simulated time. */
export interface LlmListener<R extends LlmRequestSpec> {
  /** The first output token was emitted at `timeS` (once per request, never again after a preemption). */
  firstToken(req: R, timeS: number): void;
  /** The last output token was emitted at `timeS`; the request left the replica. */
  finish(req: R, timeS: number): void;
  /** The request was refused at submission (see `LlmRejectReason`). */
  reject(req: R, reason: LlmRejectReason): void;
}
