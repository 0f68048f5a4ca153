/**
 * The model load of an LLM replica (issue 15): a replica an autoscaler adds serves once
 * its weights are read into GPU memory, weight bytes ÷ load bandwidth. The weights are
 * the resolved model's in its format (`weightBytes`: the decoder's linear layers in the
 * weight format, embeddings and norms at 16 bits); a replica's TP GPUs read their shards
 * from one volume, so the whole checkpoint crosses one load path whatever the TP degree.
 * Engine start-up beyond the weights (process start, CUDA graph capture, torch.compile)
 * is not counted: give `autoscale.coldStart` to include it.
 */
import { LLM_MODELS, type LlmModelName } from '../catalog/llm-models.ts';
import { weightBytes } from '../models/llm/roofline-params.ts';
import type { DistributionSpec } from './description.ts';
import type { LlmStageSpec } from './llm-schema.ts';
import { ROOFLINE_DEFAULTS } from './resolve-llm.ts';

/**
 * Default load bandwidth, GB/s (10^9 bytes per second): 1,000 MiB/s = 1.048576 GB/s, the
 * most an AWS EBS gp3 volume could be provisioned for (EC2 API `CreateVolume`,
 * `Throughput`: "Valid Range: Minimum value of 125. Maximum value of 1000", MiB/s; later
 * raised to 2,000): a network volume, the usual home of a pod's model cache. It is the
 * storage's limit, reached by a concurrent loader: in the benchmark of NVIDIA's technical
 * blog "Reducing Cold Start Latency for LLM Inference with NVIDIA Run:ai Model Streamer"
 * (an A10G instance, figures as its published summaries report them), the Model Streamer
 * loaded Llama 3 8B from gp3 in 14.34 s at 16 threads, about this rate, where vLLM's
 * default safetensors loader took 47.99 s (a third of it). A local NVMe drive reads
 * several GB/s: set `llm.loadBandwidthGBps`.
 */
export const LLM_LOAD_DEFAULTS = { bandwidthGBps: 1.048576 } as const;

/**
 * The catalog architecture of a profile's model (the profile name's first part), where
 * the catalog has it; the profiles were fitted on 16-bit weights (vLLM's default dtype
 * for these checkpoints, bf16). Llama 3.3 70B has Llama 3.1 70B's architecture (same
 * layers, heads, hidden and MLP sizes and vocabulary in its config.json).
 */
const PROFILE_MODELS: Readonly<Record<string, LlmModelName>> = {
  'llama-3.1-8b': 'llama-3.1-8b',
  'llama-3.3-70b': 'llama-3.1-70b',
  'codellama-34b': 'codellama-34b',
  'qwen2.5-7b': 'qwen2.5-7b',
};

/** The weights one replica of an `llm:` block loads, and what they are; null when its model is not known (coefficients, a table, a profile of a model outside the catalog). */
export function llmWeights(spec: LlmStageSpec): { bytes: number; what: string } | null {
  const r = spec.roofline;
  if (r !== undefined) {
    const model = LLM_MODELS[r.model as LlmModelName];
    if (model === undefined) return null;
    const w = r.weights ?? ROOFLINE_DEFAULTS.weights;
    return { bytes: weightBytes(model, w), what: `${r.model} in ${w}` };
  }
  const name = spec.profile !== undefined ? PROFILE_MODELS[spec.profile.split('/')[0]!] : undefined;
  if (name === undefined) return null;
  return { bytes: weightBytes(LLM_MODELS[name], 'bf16'), what: `${name} in bf16 (profile ${spec.profile})` };
}

/** Seconds to load a replica's weights at `llm.loadBandwidthGBps` (or the default); null when the weights are not known. */
export function modelLoadS(spec: LlmStageSpec): number | null {
  const w = llmWeights(spec);
  if (w === null) return null;
  return w.bytes / ((spec.loadBandwidthGBps ?? LLM_LOAD_DEFAULTS.bandwidthGBps) * 1e9);
}

/** The cold start of an autoscaled `llm:` stage that gives none: its model load, deterministic. Throws if the weights are not known (validation refuses that). */
export function modelLoadColdStart(spec: LlmStageSpec): DistributionSpec {
  const s = modelLoadS(spec);
  if (s === null) throw new Error('no model load to derive a cold start from (validation should have refused it)');
  return { dist: 'deterministic', value: s };
}
