/**
 * Closed-form theory beside the token-level LLM replica (issue 14): what one request alone
 * costs, what a saturated replica delivers, Little's law on the running set, and where
 * each of these stops holding. Pure functions of the settings and the step-time
 * coefficients; no simulation. Derivations: docs/llm-scheduler.md, "Theory".
 */
import type { RunningSetSnapshot } from './running-set-meter.ts';
import type { StepCoefficients, StepContext, StepTimeModel } from './step-time.ts';
import type { LlmRejectReason, LlmSchedulerConfig } from './types.ts';

/** The replica's rejection rule (docs/llm-scheduler.md, "Submission and rejection") for plain integer token counts. */
function rejectReason(config: LlmSchedulerConfig, p: number, o: number): LlmRejectReason | undefined {
  if (!(Number.isInteger(p) && p >= 1 && Number.isInteger(o) && o >= 1)) return 'invalid';
  const maxTokens = p + o - 1; // the last output token is emitted, never computed
  if (Math.ceil(maxTokens / config.blockSize) > config.kvBlocks) return 'kv-capacity';
  if (!config.chunkedPrefill && maxTokens > config.maxBatchedTokens) return 'token-budget';
  return undefined;
}

/** Times of one request alone on an idle replica, in microseconds from its arrival. */
export interface AloneTimes {
  /** Steps its prompt takes: 1 when P ≤ maxBatchedTokens, else ceil(P / maxBatchedTokens) (chunked prefill). */
  readonly prefillSteps: number;
  /** Arrival to first token: α0 + α1·P + m·β0 + β1·P + α2 with m = `prefillSteps`. */
  readonly ttftUs: number;
  /** Arrival to last token: TTFT + (O − 1)(β0 + β2 + α2). */
  readonly e2eUs: number;
}

/**
 * A request of `inputTokens` P and `outputTokens` O alone on an idle replica with the
 * coefficient step model (µs): the prompt runs in m = ceil(P / maxBatchedTokens) steps
 * (the first m − 1 take the whole budget), each costing β0 plus β1 per token, so the
 * prefill costs m·β0 + β1·P; then O − 1 decode steps of β0 + β2. Token g is reported
 * g·α2 after its step ends (cumulative output processing), so TTFT carries one α2 and
 * each later token one more. Throws if the replica would reject the request.
 */
export function aloneOnIdleReplica(coefficients: StepCoefficients, config: LlmSchedulerConfig, inputTokens: number, outputTokens: number): AloneTimes {
  const reason = rejectReason(config, inputTokens, outputTokens);
  if (reason !== undefined) throw new RangeError(`llm theory: the replica rejects P=${inputTokens}, O=${outputTokens} (${reason})`);
  const [a0, a1, a2] = coefficients.alpha;
  const [b0, b1, b2] = coefficients.beta;
  const p = inputTokens;
  // Without chunked prefill the rejection rule guarantees P ≤ P + O − 1 ≤ budget: one step.
  const m = Math.ceil(p / config.maxBatchedTokens);
  const ttftUs = a0 + a1 * p + m * b0 + b1 * p + a2;
  return { prefillSteps: m, ttftUs, e2eUs: ttftUs + (outputTokens - 1) * (b0 + b2 + a2) };
}

/** Times of one request alone on an idle replica under any deterministic step model, in seconds from its arrival. */
export interface AloneTimesS {
  /** Steps its prompt takes, ceil(P / maxBatchedTokens). */
  readonly prefillSteps: number;
  /** Arrival to first token. */
  readonly ttftS: number;
  /** Arrival to last token. */
  readonly e2eS: number;
}

/**
 * `aloneOnIdleReplica` for any deterministic `StepTimeModel` (a table, the roofline model):
 * the same steps, summed one by one with each step's attention context (prefill chunk k
 * after c computed tokens: Σc = c, pairs k·c + k(k + 1)/2; decode of token g + 1:
 * context P + g), as docs/llm-scheduler.md defines `StepContext`. O(P / budget + O)
 * steps. Not for `noisyStepTime` (each call draws). Throws if the replica would reject.
 */
export function aloneOnIdleReplicaS(model: StepTimeModel, config: LlmSchedulerConfig, inputTokens: number, outputTokens: number): AloneTimesS {
  const reason = rejectReason(config, inputTokens, outputTokens);
  if (reason !== undefined) throw new RangeError(`llm theory: the replica rejects P=${inputTokens}, O=${outputTokens} (${reason})`);
  const p = inputTokens;
  const ctx: StepContext = { decodeContextTokens: 0, prefillContextTokens: 0, prefillAttentionPairs: 0 };
  let t = model.preQueueS(p);
  let c = 0;
  let m = 0;
  while (c < p) {
    const k = Math.min(p - c, config.maxBatchedTokens);
    ctx.prefillContextTokens = c;
    ctx.prefillAttentionPairs = k * c + (k * (k + 1)) / 2;
    t += model.stepS(k, 0, ctx);
    c += k;
    m++;
  }
  const a2 = model.perOutputTokenS;
  const ttftS = t + a2;
  ctx.prefillContextTokens = 0;
  ctx.prefillAttentionPairs = 0;
  for (let g = 1; g < outputTokens; g++) {
    ctx.decodeContextTokens = p + g;
    t += model.stepS(0, 1, ctx);
  }
  return { prefillSteps: m, ttftS, e2eS: t + outputTokens * a2 };
}

/** Which limit sets the batch of a saturated replica. */
export type SaturationBound = 'maxNumSeqs' | 'kv-cache' | 'token-budget';

/** Optional corrections to the saturation formula. */
export interface SaturationOptions {
  /**
   * Prompt tokens recomputed per finished request after preemptions (0 by default: the
   * formula is then an upper bound when the KV cache binds, see `theoryLimits`). A run's
   * counters give it, over a window and without prefix caching, as
   * `Δ prefillTokensComputed · (O − 1) / Δ decodeTokens − P` (the work done in the window,
   * rather than that of the requests that happen to finish in it).
   */
  readonly recomputedTokensPerRequest?: number;
}

/** The steady state of a replica that always has waiting work (see `saturationThroughput`). */
export interface Saturation {
  /**
   * B = min of the three bounds: tokens emitted per step, which is the mean sequences per
   * step when every prompt is prefilled in one step (under the token budget a prompt split
   * across two steps adds a sequence-step that emits nothing).
   */
  readonly batch: number;
  /** The bound that sets it (the smallest; ties go to the first in the order maxNumSeqs, kv-cache, token-budget). */
  readonly bound: SaturationBound;
  /** Each bound on B: maxNumSeqs; kvBlocks / blocksPerSequence; maxBatchedTokens·O / (P + O − 1). */
  readonly bounds: Readonly<Record<SaturationBound, number>>;
  /** KV blocks a running sequence holds, averaged over the O steps of its life: (1/O) Σ_{j<O} ceil((P + j) / blockSize). */
  readonly blocksPerSequence: number;
  /** Prefill tokens per step, B·(P + R)/O with R the recomputed tokens per request (each of the B/O requests finished per step brought P + R). */
  readonly prefillTokensPerStep: number;
  /** Decode tokens per step, B·(O − 1)/O. */
  readonly decodeTokensPerStep: number;
  /** Step time, β0 + β1·B·(P + R)/O + β2·B·(O − 1)/O, in µs. */
  readonly stepUs: number;
  /** Requests finished per second, B / (O · step). */
  readonly requestsPerS: number;
  /** Output tokens per second, B / step (every sequence in a step emits one token, on average). */
  readonly outputTokensPerS: number;
  /** Prompt tokens of finished requests per second, P · requestsPerS (recomputation not counted). */
  readonly inputTokensPerS: number;
}

/** Mean over the O steps of a sequence's life of the KV blocks it holds while a step is planned. */
function blocksPerSequence(p: number, o: number, blockSize: number): number {
  if (Number.isInteger(p) && Number.isInteger(o)) {
    // Step j of its life (j = 0: the prefill; j = g ≥ 1: decode of token g + 1) holds
    // ceil((P + j) / blockSize) blocks: the prompt plus the token being computed.
    let sum = 0;
    for (let j = 0; j < o; j++) sum += Math.ceil((p + j) / blockSize);
    return sum / o;
  }
  // Means that are not integers: the continuous form, a block being on average half empty.
  return (p + (o - 1) / 2) / blockSize + (blockSize - 1) / (2 * blockSize);
}

/** The three bounds on the saturated batch and the one that binds. */
function saturationBounds(config: LlmSchedulerConfig, p: number, o: number): { bounds: Record<SaturationBound, number>; bound: SaturationBound; blocks: number } {
  const blocks = blocksPerSequence(p, o, config.blockSize);
  const bounds: Record<SaturationBound, number> = {
    maxNumSeqs: config.maxNumSeqs,
    'kv-cache': config.kvBlocks / blocks,
    'token-budget': (config.maxBatchedTokens * o) / (p + o - 1),
  };
  let bound: SaturationBound = 'maxNumSeqs';
  for (const k of ['kv-cache', 'token-budget'] as const) if (bounds[k] < bounds[bound]) bound = k;
  return { bounds, bound, blocks };
}

/**
 * The saturation throughput of one replica under a steady workload of P prompt and O
 * output tokens per request (exact for equal requests; for varied ones, the means).
 * Each request spends O steps in the running set (one prefill step, O − 1 decode steps)
 * and, in steady state, every step holds B sequences at uniformly spread ages, so a step
 * carries B·P/O prefill and B·(O − 1)/O decode tokens and emits B tokens. B is the
 * smallest of: maxNumSeqs; the KV cache, kvBlocks over the mean blocks per sequence; the
 * token budget, B·(P + O − 1)/O ≤ maxBatchedTokens. Tokens recomputed after preemptions
 * (`options`) add prefill work. See `theoryLimits` for where it holds.
 */
export function saturationThroughput(
  coefficients: StepCoefficients,
  config: LlmSchedulerConfig,
  meanInputTokens: number,
  meanOutputTokens: number,
  options: SaturationOptions = {},
): Saturation {
  const p = meanInputTokens;
  const o = meanOutputTokens;
  const recomputed = options.recomputedTokensPerRequest ?? 0;
  if (!(p >= 1 && o >= 1 && Number.isFinite(p) && Number.isFinite(o))) throw new RangeError(`llm theory: mean token counts must be >= 1, got P=${p}, O=${o}`);
  if (!(recomputed >= 0 && Number.isFinite(recomputed))) throw new RangeError(`llm theory: recomputed tokens per request must be >= 0, got ${recomputed}`);
  const [b0, b1, b2] = coefficients.beta;
  const { bounds, bound, blocks } = saturationBounds(config, p, o);
  const batch = bounds[bound];
  // A recomputation step holds the blocks and emits the token that the step it replaces
  // would have: preemption changes neither the blocks per sequence-step nor the O steps
  // per request, only the prefill work.
  const prefill = (batch * (p + recomputed)) / o;
  const decode = (batch * (o - 1)) / o;
  const stepUs = b0 + b1 * prefill + b2 * decode;
  const stepS = stepUs * 1e-6;
  const requestsPerS = batch / (o * stepS);
  return {
    batch,
    bound,
    bounds,
    blocksPerSequence: blocks,
    prefillTokensPerStep: prefill,
    decodeTokensPerStep: decode,
    stepUs,
    requestsPerS,
    outputTokensPerS: batch / stepS,
    inputTokensPerS: p * requestsPerS,
  };
}

/** Little's law on a replica's running set over a window: L = λ·W, both sides measured. */
export interface LittleCheck {
  /** L: mean sequences in the running set over the window (time average). */
  readonly meanRunning: number;
  /** λ: requests finished per second in the window. */
  readonly finishedPerS: number;
  /** W: mean time in the running set of the requests finished in the window, in seconds. */
  readonly meanRunningTimeS: number;
  /** λ·W / L − 1 (0 when the law holds; the window's edges alone make it non-zero). */
  readonly relativeGap: number;
}

/**
 * Little's law L = λ·W on the running set, from two snapshots of a `RunningSetMeter`
 * (the window between them). Over a window that starts and ends with an idle replica it
 * holds exactly; otherwise requests straddling its edges make a gap of at most
 * (sequences running at either edge) × (longest time in the running set) / (L × window).
 */
export function littlesLaw(from: RunningSetSnapshot, to: RunningSetSnapshot): LittleCheck {
  const spanS = to.timeS - from.timeS;
  const finished = to.finished - from.finished;
  if (!(spanS > 0 && finished > 0)) throw new RangeError(`llm theory: Little's law needs a window with time and finished requests (${spanS} s, ${finished} finished)`);
  const meanRunning = (to.runningIntegralS - from.runningIntegralS) / spanS;
  const finishedPerS = finished / spanS;
  const meanRunningTimeS = (to.runningTimeSumS - from.runningTimeSumS) / finished;
  return { meanRunning, finishedPerS, meanRunningTimeS, relativeGap: (finishedPerS * meanRunningTimeS) / meanRunning - 1 };
}

/** The closed forms of this module. */
export type TheoryFormula = 'alone' | 'saturation' | 'little';

/** How far a formula can be trusted for a given replica and workload. */
export type TheoryVerdict =
  /** Equal to the simulation (to the nanosecond, or in the long run for averages). */
  | 'exact'
  /** The simulation does at most this well; the text says by how much less. */
  | 'upper-bound'
  /** Close, with the departure named in the text. */
  | 'approximate'
  /** Does not apply (the request is rejected, say). */
  | 'no';

/** Where one formula stands for a replica and a workload, in plain words. */
export interface TheoryScope {
  readonly formula: TheoryFormula;
  readonly verdict: TheoryVerdict;
  /** One sentence: why this verdict for this replica and workload. */
  readonly why: string;
  /** The conditions the formula always needs, whatever the settings. */
  readonly needs: readonly string[];
}

/** The workload as the limits need it: mean token counts, and what varies. */
export interface TheoryWorkload {
  readonly meanInputTokens: number;
  readonly meanOutputTokens: number;
  /** Longest prompt (for the Little meter's "every running sequence is in every step"); the mean when absent. */
  readonly maxInputTokens?: number;
  /** Token counts differ between requests (the saturation formula then uses means). */
  readonly tokensVary?: boolean;
  /** Requests share prefix groups and prefix caching is on (cache hits skip prefill). */
  readonly prefixHits?: boolean;
}

const ALONE_NEEDS = [
  'the replica is idle when the request becomes schedulable and no other request arrives before it finishes (any company changes every step time)',
  'the coefficient step model, without noise (a table or roofline model needs the same sum of step(p, d) with its own step times)',
  'no prefix-cache hit on its prompt (prefix caching off, no prefix group, or its group\'s blocks already reused)',
  'the replica accepts the request: ceil((P + O − 1) / blockSize) ≤ kvBlocks, and without chunked prefill P + O − 1 ≤ maxBatchedTokens',
];
const SATURATION_NEEDS = [
  'the replica always has waiting work (overload), measured in the long run after the first wave has finished',
  'equal requests are exact; with varied token counts the means stand in, and the KV bound is then approximate (long outputs hold more blocks for longer than the mean context says)',
  'no prefix-cache hits (they cut the prefill tokens per request below P)',
  'KV-bound: the scheduler admits on the prompt\'s blocks alone and preempts when the cache overfills; the formula is an upper bound unless the recomputed tokens per request are given',
];
const LITTLE_NEEDS = [
  'over a window that starts and ends with an idle replica it is exact; otherwise requests straddling the edges make a gap of at most (running at either edge) × (longest E2E) / (L × window)',
  'the RunningSetMeter sees the running list only when no sequence is preempted (else W counts the time a preempted request waits)',
  'and when every running sequence is in every step: guaranteed when maxNumSeqs + the longest prompt ≤ maxBatchedTokens (a continuing prompt chunk can otherwise take the whole budget)',
];

/**
 * Where each closed form of this module holds for `config` and `workload`: a verdict
 * with its reason, and the conditions the formula always needs. The measured departures
 * quoted are those of test/llm/theory-*.test.ts (CodeLlama-34B/H100 coefficients).
 */
export function theoryLimits(config: LlmSchedulerConfig, workload: TheoryWorkload): readonly TheoryScope[] {
  const p = workload.meanInputTokens;
  const o = workload.meanOutputTokens;
  const pInt = Math.round(p);
  const oInt = Math.round(o);
  const reason = rejectReason(config, pInt, oInt);
  const alone: TheoryScope = {
    formula: 'alone',
    needs: ALONE_NEEDS,
    ...(reason !== undefined
      ? { verdict: 'no', why: `the replica rejects a request of P = ${pInt}, O = ${oInt} (${reason})` }
      : workload.prefixHits === true
        ? { verdict: 'upper-bound', why: 'prefix-cache hits skip prefill: TTFT is at most the formula\'s' }
        : { verdict: 'exact', why: `alone on an idle replica: ${Math.ceil(pInt / config.maxBatchedTokens)} prefill step(s), then ${oInt - 1} decode steps (checked to the nanosecond)` }),
  };

  const { bounds, bound } = saturationBounds(config, p, o);
  let saturation: Pick<TheoryScope, 'verdict' | 'why'>;
  if (workload.prefixHits === true) {
    saturation = { verdict: 'approximate', why: 'prefix-cache hits cut the prefill per request; the formula counts every prompt token' };
  } else if (bound === 'kv-cache') {
    saturation = {
      verdict: 'upper-bound',
      why: `KV-bound (B = ${bounds['kv-cache'].toFixed(1)} < maxNumSeqs ${config.maxNumSeqs}): greedy admission overfills the cache and preemptions recompute prompts (measured 8-11% below); with the recomputed tokens from the counters, within ~1% (the blocks left free when admission stops)`,
    };
  } else if (bound === 'token-budget' && !config.chunkedPrefill) {
    saturation = { verdict: 'upper-bound', why: `token-budget-bound without chunked prefill: a whole prompt must fit the budget left, so up to P − 1 of ${config.maxBatchedTokens} tokens go unused per step (measured 2% below)` };
  } else {
    saturation = {
      verdict: workload.tokensVary === true ? 'approximate' : 'exact',
      why: `${bound}-bound (B = ${bounds[bound].toFixed(1)}; KV would allow ${bounds['kv-cache'].toFixed(1)}): every step holds B sequences, one token each (measured within 0.12%)${workload.tokensVary === true ? '; token counts vary, so the means stand in' : ''}`,
    };
  }

  const longest = workload.maxInputTokens ?? pInt;
  const allScheduled = config.maxNumSeqs + longest <= config.maxBatchedTokens;
  const preempts = bound === 'kv-cache' || config.kvBlocks < config.maxNumSeqs * blocksPerSequence(p, o, config.blockSize);
  const little: Pick<TheoryScope, 'verdict' | 'why'> = preempts
    ? { verdict: 'approximate', why: 'the KV cache can overfill: a preempted request\'s wait counts as running time, so λ·W exceeds L' }
    : !allScheduled
      ? { verdict: 'approximate', why: `maxNumSeqs + the longest prompt (${config.maxNumSeqs + longest}) exceeds the budget ${config.maxBatchedTokens}: a running sequence can miss a step and go unseen` }
      : { verdict: 'exact', why: 'no preemption and every running sequence is in every step: exact over an idle-to-idle window, within the edge bound otherwise' };

  return [alone, { formula: 'saturation', needs: SATURATION_NEEDS, ...saturation }, { formula: 'little', needs: LITTLE_NEEDS, ...little }];
}
