import { InputError } from '../../config/errors.ts';
import { kvHeadsPerGpu, type RooflineDeployment } from './roofline-deployment.ts';
import { KV_BYTES, llmParameters, WEIGHT_BYTES, weightBytes } from './roofline-params.ts';
import type { StepContext, StepTimeModel } from './step-time.ts';

/** The factors that turn datasheet peaks into achieved rates, and the fixed costs. */
export interface RooflineEfficiency {
  /** Fraction of peak dense FLOP/s the step's matmuls and attention reach. */
  readonly compute: number;
  /** Fraction of peak memory bandwidth the step's reads reach. */
  readonly memory: number;
  /** Fraction of the link's per-direction bandwidth an all-reduce reaches. */
  readonly interconnect: number;
  /** Fixed cost of every step, µs (scheduling, kernel launches, sampling). */
  readonly overheadUs: number;
  /** Fixed cost of every all-reduce, µs. */
  readonly allReduceLatencyUs: number;
}

/**
 * Defaults: the values BLIS/inference-sim's own roofline mode ships for H100 and A100
 * (inference-sim `hardware_config.json`: `mfuPrefill` 0.65, `BwEffConstant` 0.72,
 * `TOverheadMicros` 500, `allReduceLatency` 20 µs), and Calculon's NVLink efficiency
 * 0.65 (calculon-ai/calculon `systems/a100_80g.json`). Rough: the fits to the published
 * coefficient profiles (docs/llm-roofline.md) differ by model and GPU; calibrate to your
 * own measurements where you can (`calibrateRoofline`).
 */
export const DEFAULT_ROOFLINE_EFFICIENCY: RooflineEfficiency = {
  compute: 0.65,
  memory: 0.72,
  interconnect: 0.65,
  overheadUs: 500,
  allReduceLatencyUs: 20,
};

/** What a step asks of each GPU, before any efficiency: the terms of the roofline. */
export interface RooflineWork {
  /** FLOPs per GPU. */
  readonly flops: number;
  /** Bytes read from or written to memory per GPU (weights read, KV read and written). */
  readonly bytes: number;
  /** Bytes each GPU sends per direction over the link, summed over the step's all-reduces (ring: 2(tp−1)/tp × message). */
  readonly linkBytes: number;
  /** All-reduces in the step (2 per layer when tp > 1, else 0). */
  readonly allReduces: number;
}

/** A step's time split into its terms, seconds. */
export interface RooflineBreakdown {
  /** FLOPs / (peak × compute efficiency). */
  readonly computeS: number;
  /** Bytes / (bandwidth × memory efficiency). */
  readonly memoryS: number;
  /** Link bytes / (link bandwidth × interconnect efficiency) + all-reduces × latency. */
  readonly allReduceS: number;
  /** The fixed overhead. */
  readonly overheadS: number;
  /** max(compute, memory) + all-reduce + overhead. */
  readonly totalS: number;
  /** Which of compute and memory is the larger. */
  readonly bound: 'compute' | 'memory';
}

/** A roofline step-time model: a `StepTimeModel` for the replica, with its terms exposed. */
export interface RooflineStepTime extends StepTimeModel {
  /** The deployment it models. */
  readonly deployment: RooflineDeployment;
  /** The efficiencies it uses. */
  readonly efficiency: RooflineEfficiency;
  /** The step's work per GPU (no efficiency applied). */
  work(prefillTokens: number, decodeTokens: number, context?: StepContext): RooflineWork;
  /** The step's time, term by term. */
  breakdown(prefillTokens: number, decodeTokens: number, context?: StepContext): RooflineBreakdown;
}

/** Options of `rooflineStepTime`. */
export interface RooflineOptions {
  /** Efficiencies (defaults: `DEFAULT_ROOFLINE_EFFICIENCY`). */
  readonly efficiency?: Partial<RooflineEfficiency>;
  /** Pre-queue overhead α0 + α1·input and α2 per output token, µs, as in the coefficient model (default 0). */
  readonly alpha?: readonly [number, number, number];
}

/** Bytes of one activation element in an all-reduce (16-bit activations). */
const ACTIVATION_BYTES = 2;

/**
 * The roofline step model (docs/llm-roofline.md): a step costs
 * max(compute, memory) + all-reduce + overhead, where, per GPU of a tp-way replica,
 * compute = [2 × (active parameters − embeddings) × tokens + 2 × vocab × hidden × decode tokens
 *            + 4 × layers × heads × head dim × attention pairs] / tp / (peak dense FLOP/s × compute efficiency)
 *           (the embedding lookup costs no FLOPs and the output head runs only for tokens that
 *           sample: decode tokens; the one row of a prompt that completes in the step is neglected),
 * memory  = [weight bytes read / tp + KV bytes per token per GPU × (decode context + prefill context read + prefill tokens)]
 *           / (memory bandwidth × memory efficiency),
 * all-reduce = 2 × layers × [2(tp−1)/tp × tokens × hidden × 2 bytes / (link × interconnect efficiency) + latency] (tp > 1).
 * The peak is FP8's when the weights are FP8 and the GPU has FP8 tensor cores, else BF16's
 * (int4 and, on GPUs without FP8, fp8 weights are weight-only formats computed in BF16).
 * A mixture of experts reads the experts its tokens select: expected fraction
 * 1 − (1 − k/E)^tokens of each layer's experts (uniform routing).
 * Without a `context`, a step is charged as one fresh prefill chunk and decodes with no past context.
 */
export function rooflineStepTime(d: RooflineDeployment, opts: RooflineOptions = {}): RooflineStepTime {
  const eff: RooflineEfficiency = { ...DEFAULT_ROOFLINE_EFFICIENCY, ...opts.efficiency };
  checkEfficiency(eff);
  const m = d.model;
  const params = llmParameters(m);
  const peak = (d.weights === 'fp8' && d.gpu.denseTflops.fp8 !== undefined ? d.gpu.denseTflops.fp8 : d.gpu.denseTflops.bf16) ?? NaN;
  if (!(peak > 0)) throw new InputError([`${d.gpuName}: no dense FLOP/s figure to compute with`]);
  const peakFlops = peak * 1e12;
  const memBps = d.gpu.memoryGBps * 1e9;
  const linkBps = (d.gpu.interconnect?.gbpsPerDirection ?? NaN) * 1e9;
  if (d.tp > 1 && !(linkBps > 0)) throw new InputError([`${d.gpuName}: tp ${d.tp} needs a GPU-to-GPU bandwidth`]);
  const attnFlopsPerPair = 4 * m.layers * m.attentionHeads * m.headDim;
  const matmulParams = params.active - params.embedding;
  const headParams = m.vocabSize * m.hiddenSize;
  const allWeightBytes = weightBytes(m, d.weights);
  const expertBytes = m.experts === undefined ? 0 : m.layers * m.experts.count * params.expertMlpPerLayer * WEIGHT_BYTES[d.weights];
  const expertMiss = m.experts === undefined ? 1 : 1 - m.experts.perToken / m.experts.count;
  const kvPerTokenPerGpu = 2 * m.layers * kvHeadsPerGpu(d) * m.headDim * KV_BYTES[d.kvCache];
  const ringFactor = d.tp > 1 ? (2 * (d.tp - 1)) / d.tp : 0;
  const allReduces = d.tp > 1 ? 2 * m.layers : 0;
  const [a0, a1, a2] = opts.alpha ?? [0, 0, 0];

  const work = (p: number, dec: number, ctx?: StepContext): RooflineWork => {
    const tokens = p + dec;
    const decodeContext = ctx?.decodeContextTokens ?? dec;
    const prefillContext = ctx?.prefillContextTokens ?? 0;
    const pairs = ctx?.prefillAttentionPairs ?? (p * (p + 1)) / 2;
    const flops = (2 * matmulParams * tokens + 2 * headParams * dec + attnFlopsPerPair * (decodeContext + pairs)) / d.tp;
    const untouchedExperts = expertBytes === 0 ? 0 : expertBytes * expertMiss ** tokens;
    const bytes = (allWeightBytes - untouchedExperts) / d.tp + kvPerTokenPerGpu * (decodeContext + prefillContext + p);
    const linkBytes = allReduces * ringFactor * tokens * m.hiddenSize * ACTIVATION_BYTES;
    return { flops, bytes, linkBytes, allReduces };
  };
  const breakdown = (p: number, dec: number, ctx?: StepContext): RooflineBreakdown => {
    const w = work(p, dec, ctx);
    const computeS = w.flops / (peakFlops * eff.compute);
    const memoryS = w.bytes / (memBps * eff.memory);
    const allReduceS = w.allReduces === 0 ? 0 : w.linkBytes / (linkBps * eff.interconnect) + w.allReduces * eff.allReduceLatencyUs * 1e-6;
    const overheadS = eff.overheadUs * 1e-6;
    return { computeS, memoryS, allReduceS, overheadS, totalS: Math.max(computeS, memoryS) + allReduceS + overheadS, bound: computeS >= memoryS ? 'compute' : 'memory' };
  };
  return {
    deployment: d,
    efficiency: eff,
    work,
    breakdown,
    stepS: (p, dec, ctx) => breakdown(p, dec, ctx).totalS,
    preQueueS: (input) => (a0 + a1 * input) * 1e-6,
    perOutputTokenS: a2 * 1e-6,
  };
}

function checkEfficiency(e: RooflineEfficiency): void {
  const problems: string[] = [];
  for (const k of ['compute', 'memory', 'interconnect'] as const) {
    if (!(e[k] > 0 && e[k] <= 1)) problems.push(`efficiency.${k} must be in (0, 1], got ${e[k]}`);
  }
  for (const k of ['overheadUs', 'allReduceLatencyUs'] as const) {
    if (!(e[k] >= 0 && Number.isFinite(e[k]))) problems.push(`efficiency.${k} must be finite and >= 0, got ${e[k]}`);
  }
  if (problems.length > 0) throw new InputError(problems);
}
