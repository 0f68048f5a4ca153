/**
 * How long an engine step takes, and the per-request overheads around it.
 * Implementations: `coefficientStepTime` (BLIS/inference-sim's linear fit),
 * `tableStepTime` (measured step times, interpolated), `noisyStepTime` (a multiplicative
 * noise around either).
 */
export interface StepTimeModel {
  /**
   * Duration in seconds of a step computing `prefillTokens` uncached prompt tokens and
   * `decodeTokens` decode tokens. `context` (the attention context of the step) is given
   * by the replica for every step; models that do not need it ignore it.
   */
  stepS(prefillTokens: number, decodeTokens: number, context?: StepContext): number;
  /** Delay in seconds between a request's arrival and its entry into the waiting queue (it does not occupy the GPU). */
  preQueueS(inputTokens: number): number;
  /** Output processing added to the time of every emitted token, cumulatively (it does not delay steps). */
  readonly perOutputTokenS: number;
}

/**
 * The attention context of one step, summed over its sequences, for step-time models
 * whose cost depends on it (the roofline model reads KV bytes and attention FLOPs from
 * it). With `c` the tokens a sequence has computed before the step and `k` its tokens in
 * the step (docs/llm-scheduler.md):
 */
export interface StepContext {
  /** Σ over decoding sequences of `c + 1`: the tokens whose keys and values each one attends to. */
  decodeContextTokens: number;
  /** Σ over prefill chunks of `c`: tokens computed earlier (previous chunks, prefix-cache hits) whose KV the chunk reads. */
  prefillContextTokens: number;
  /** Σ over prefill chunks of the causal (query, key) pairs `k·c + k(k + 1)/2`. */
  prefillAttentionPairs: number;
}

/** The coefficient form of BLIS/inference-sim, all in microseconds. */
export interface StepCoefficients {
  /** α = [α0, α1, α2]: pre-queue α0 + α1·input; α2 per output token. */
  readonly alpha: readonly [number, number, number];
  /** β = [β0, β1, β2]: step = β0 + β1·(uncached prefill tokens) + β2·(decode tokens). */
  readonly beta: readonly [number, number, number];
}

const US = 1e-6;

/**
 * BLIS/inference-sim's step-time model (inference-sim `sim/simulator.go`, Apache-2.0):
 * step = β0 + β1·p + β2·d, pre-queue = α0 + α1·input, α2 per output token; µs in, s out.
 */
export function coefficientStepTime(c: StepCoefficients): StepTimeModel {
  const [a0, a1, a2] = c.alpha;
  const [b0, b1, b2] = c.beta;
  for (const v of [a0, a1, a2, b0, b1, b2]) {
    if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(`step-time coefficients must be finite and >= 0, got ${JSON.stringify(c)}`);
  }
  return {
    stepS: (p, d) => (b0 + b1 * p + b2 * d) * US,
    preQueueS: (input) => (a0 + a1 * input) * US,
    perOutputTokenS: a2 * US,
  };
}
