/**
 * Resolution of a stage's `llm:` block (part of `resolveScenario`, src/config/resolve.ts):
 * the step-time model from the profile catalog or the block, vLLM's defaults for the
 * scheduler settings left out (`LLM_DEFAULTS`), the profile's KV blocks, and the GPU
 * price a replica is billed at (the profile's GPU in `GPUS`, times its TP degree).
 */
import { GPUS, type GpuName } from '../catalog/gpus.ts';
import { LLM_PROFILES, type LlmProfileName } from '../catalog/llm-profiles.ts';
import { LLM_MODELS, type LlmModelName } from '../catalog/llm-models.ts';
import type { HardwareEntry } from '../catalog/types.ts';
import type { LlmStageDescription, ServiceSpec, Slo } from './description.ts';
import { LLM_DEFAULTS, type LlmStageSpec, type TokensSpec } from './llm-schema.ts';

/**
 * An LLM stage has no request-level service time; its description carries this neutral
 * one (never sampled: the LLM station times its steps itself).
 */
export const LLM_NO_SERVICE: ServiceSpec = { dist: 'deterministic', value: 0 };

/** Roofline defaults: vLLM's `gpu_memory_utilization`, weights bf16 (the KV cache follows the weights' 16-bit format). */
export const ROOFLINE_DEFAULTS = { memoryUtilization: 0.9, tp: 1, weights: 'bf16' } as const;

/** The catalog GPU a profile's `gpu` names (BLIS writes `H100`, `A100-80`). */
const PROFILE_GPU: Record<string, GpuName> = { H100: 'h100-sxm', 'A100-80': 'a100-80gb' };

/** The profile an `llm:` block names, if any (validation checked the name). */
function profileOf(spec: LlmStageSpec) {
  return spec.profile !== undefined ? LLM_PROFILES[spec.profile as LlmProfileName] : undefined;
}

/**
 * What one replica of an LLM stage is billed as: the profile's GPU at its on-demand price
 * per GPU-hour times the TP degree; null without a profile or without a sourced price.
 */
export function resolveLlmHardware(spec: LlmStageSpec, replicas: number): { name: string; entry: HardwareEntry } | null {
  const p = profileOf(spec);
  const r = spec.roofline;
  if (r !== undefined && spec.disaggregated !== undefined) return disaggregatedHardware(r, spec.disaggregated, replicas);
  const gpuName = p !== undefined ? PROFILE_GPU[p.gpu] : r !== undefined ? (r.gpu as GpuName) : undefined;
  const tp = p?.tp ?? r?.tp ?? 1;
  if (gpuName === undefined) return null;
  const gpu = GPUS[gpuName];
  if (gpu.price === null) return null;
  return {
    name: tp === 1 ? gpuName : `${tp}x ${gpuName}`,
    entry: {
      device: 'gpu',
      usdPerHour: gpu.price.usdPerGpuHour * tp,
      speed: 1,
      description: `${tp}× ${gpu.name}`,
      source: gpu.price.source,
    },
  };
}

/**
 * A disaggregated stage's bill as one price per replica: both pools' GPUs at their
 * on-demand prices (× TP), averaged over the stage's replicas, so replicas × price is the
 * pools' hourly bill exactly. Null when either GPU has no sourced price.
 */
function disaggregatedHardware(r: NonNullable<LlmStageSpec['roofline']>, d: NonNullable<LlmStageSpec['disaggregated']>, replicas: number): { name: string; entry: HardwareEntry } | null {
  const pools = [d.prefill, d.decode].map((pool) => {
    const gpuName = (pool.gpu ?? r.gpu) as GpuName;
    return { gpuName, gpu: GPUS[gpuName], tp: pool.tp ?? r.tp ?? 1, replicas: pool.replicas ?? replicas - d.prefill.replicas };
  });
  if (pools.some((x) => x.gpu.price === null)) return null;
  const usd = pools.reduce((a, x) => a + x.replicas * x.tp * x.gpu.price!.usdPerGpuHour, 0);
  const shown = (x: (typeof pools)[number]) => (x.tp === 1 ? x.gpuName : `${x.tp}x ${x.gpuName}`);
  const [pre, dec] = pools as [(typeof pools)[number], (typeof pools)[number]];
  return {
    name: shown(pre) === shown(dec) ? shown(pre) : `${shown(pre)}/${shown(dec)}`,
    entry: {
      device: 'gpu',
      usdPerHour: usd / replicas,
      speed: 1,
      description: `prefill ${pre.replicas}× ${pre.tp}× ${pre.gpu.name}, decode ${dec.replicas}× ${dec.tp}× ${dec.gpu.name} (price per replica: the pools' bill over ${replicas} replicas)`,
      source: pre.gpu.price!.source === dec.gpu.price!.source ? pre.gpu.price!.source : `${pre.gpu.price!.source}; ${dec.gpu.price!.source}`,
    },
  };
}

/**
 * The published quality of a roofline stage's model at its weight format (catalog
 * `LlmModelSpec.quality`): the quantized score for fp8/int4 weights, the unquantized
 * baseline of the same benchmark for 16-bit weights; null for a profile, coefficients or
 * table (no model named), or a model and format with no published figure.
 */
export function llmQualityOf(step: LlmStageDescription['step']): LlmStageDescription['quality'] {
  if (step.kind !== 'roofline') return null;
  const figures = LLM_MODELS[step.model as LlmModelName]?.quality ?? [];
  const sixteen = step.weights === 'bf16' || step.weights === 'fp16';
  const q = sixteen ? figures[0] : figures.find((f) => f.weights === step.weights);
  if (q === undefined) return null;
  return { benchmark: q.benchmark, value: sixteen ? q.baseline : q.quantized, source: q.source };
}

/**
 * The LLM stage description of a validated `llm:` block, with the scenario's `tokens:`;
 * `replicas` (the stage's) gives a disaggregated stage's decode pool what the prefill
 * pool leaves when `decode.replicas` is not given.
 */
export function resolveLlmStage(spec: LlmStageSpec, tokens: TokensSpec, slo: { ttft: Slo | null; tpot: Slo | null } | null, replicas = 1): LlmStageDescription {
  const p = profileOf(spec);
  const zero = [0, 0, 0] as const;
  const r = spec.roofline;
  const step: LlmStageDescription['step'] =
    r !== undefined
      ? {
          kind: 'roofline',
          model: r.model,
          gpu: r.gpu,
          tp: r.tp ?? 1,
          weights: r.weights ?? 'bf16',
          kvCache: r.kvCache ?? (r.weights === 'fp16' ? 'fp16' : 'bf16'),
          memoryUtilization: r.memoryUtilization ?? ROOFLINE_DEFAULTS.memoryUtilization,
        }
      : spec.table !== undefined
      ? { kind: 'table', prefillTokens: spec.table.prefillTokens, decodeTokens: spec.table.decodeTokens, stepUs: spec.table.stepUs, alpha: spec.table.alpha ?? zero }
      : spec.coefficients !== undefined
        ? { kind: 'coefficients', alpha: spec.coefficients.alpha, beta: spec.coefficients.beta }
        : { kind: 'coefficients', alpha: p!.alpha, beta: p!.beta };
  return {
    profile: spec.profile ?? null,
    step,
    noiseCv: spec.noise?.cv ?? 0,
    maxNumSeqs: spec.maxNumSeqs ?? LLM_DEFAULTS.maxNumSeqs,
    maxBatchedTokens: spec.maxBatchedTokens ?? LLM_DEFAULTS.maxBatchedTokens,
    chunkedPrefill: spec.chunkedPrefill ?? LLM_DEFAULTS.chunkedPrefill,
    prefixCaching: spec.prefixCaching ?? LLM_DEFAULTS.prefixCaching,
    blockSize: spec.blockSize ?? LLM_DEFAULTS.blockSize,
    // Validation requires kvBlocks without a profile or a roofline; a roofline's are derived at build.
    kvBlocks: spec.kvBlocks ?? p?.kvBlocks ?? null,
    gpusPerReplica: p?.tp ?? r?.tp ?? 1,
    tokens: { input: tokens.input, output: tokens.output, prefix: tokens.prefix ?? null },
    slo: { ttftS: slo?.ttft?.latencyS ?? Infinity, tpotS: slo?.tpot?.latencyS ?? Infinity },
    disaggregated:
      r !== undefined && spec.disaggregated !== undefined
        ? {
            prefill: { replicas: spec.disaggregated.prefill.replicas, gpu: spec.disaggregated.prefill.gpu ?? r.gpu, tp: spec.disaggregated.prefill.tp ?? r.tp ?? 1 },
            decode: { replicas: spec.disaggregated.decode.replicas ?? replicas - spec.disaggregated.prefill.replicas, gpu: spec.disaggregated.decode.gpu ?? r.gpu, tp: spec.disaggregated.decode.tp ?? r.tp ?? 1 },
            linkBytesPerS: spec.disaggregated.link.bandwidthGBps * 1e9,
            linkLatencyS: spec.disaggregated.link.latency,
          }
        : null,
    quality: llmQualityOf(step),
  };
}
