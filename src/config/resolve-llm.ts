/**
 * Resolution of a stage's `llm:` block (part of `resolveScenario`, src/config/resolve.ts):
 * the step-time model from the profile catalog or the block, vLLM's defaults for the
 * scheduler settings left out (`LLM_DEFAULTS`), the profile's KV blocks, and the GPU
 * price a replica is billed at (the profile's GPU in `GPUS`, times its TP degree).
 */
import { GPUS, type GpuName } from '../catalog/gpus.ts';
import { LLM_PROFILES, type LlmProfileName } from '../catalog/llm-profiles.ts';
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
export function resolveLlmHardware(spec: LlmStageSpec): { name: string; entry: HardwareEntry } | null {
  const p = profileOf(spec);
  const r = spec.roofline;
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

/** The LLM stage description of a validated `llm:` block, with the scenario's `tokens:`. */
export function resolveLlmStage(spec: LlmStageSpec, tokens: TokensSpec, slo: { ttft: Slo | null; tpot: Slo | null } | null): LlmStageDescription {
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
  };
}
