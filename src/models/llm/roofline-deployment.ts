import { closest } from 'fastest-levenshtein';
import { GPUS, type GpuSpec } from '../../catalog/gpus.ts';
import { LLM_MODELS, type LlmModelSpec } from '../../catalog/llm-models.ts';
import { InputError } from '../../config/errors.ts';
import type { KvDtype, WeightDtype } from './roofline-params.ts';

/** One replica's hardware and model: which model, on which GPU, split over how many GPUs, in which formats. */
export interface RooflineDeployment {
  /** Name shown in messages (a catalog key, or the user's own). */
  readonly modelName: string;
  /** The architecture. */
  readonly model: LlmModelSpec;
  /** Name shown in messages. */
  readonly gpuName: string;
  /** The GPU's figures. */
  readonly gpu: GpuSpec;
  /** Tensor-parallel degree: GPUs per replica, each holding 1/tp of every layer. */
  readonly tp: number;
  /** Weight format. */
  readonly weights: WeightDtype;
  /** KV-cache format. */
  readonly kvCache: KvDtype;
}

/** What a caller names: catalog keys, or its own specs. */
export interface RooflineDeploymentInput {
  /** A key of `LLM_MODELS`, or a spec. */
  readonly model: string | LlmModelSpec;
  /** A key of `GPUS`, or a spec. */
  readonly gpu: string | GpuSpec;
  /** Tensor-parallel degree (default 1). */
  readonly tp?: number;
  /** Weight format (default bf16). */
  readonly weights?: WeightDtype;
  /** KV-cache format (default: bf16, or fp16 when the weights are fp16). */
  readonly kvCache?: KvDtype;
}

function lookup<T>(kind: string, name: string, table: Readonly<Record<string, T>>): T {
  const hit = table[name];
  if (hit !== undefined) return hit;
  const names = Object.keys(table);
  // A name the input begins (`h100` → `h100-sxm`) beats the nearest by edit distance (`h200`).
  const near = names.find((n) => n.startsWith(name.toLowerCase())) ?? closest(name, names);
  throw new InputError([`unknown ${kind} "${name}" (did you mean "${near}"?); known: ${names.join(', ')}`]);
}

/**
 * Resolves names against the catalogs and checks the split: `tp` must be a positive
 * integer dividing the attention heads (each GPU computes whole heads), and the KV heads
 * must either divide evenly over the GPUs or be replicated whole (tp a multiple of the
 * KV heads, as vLLM does); a GPU without a sourced link is refused for tp > 1. Throws an
 * `InputError` naming the numbers.
 */
export function rooflineDeployment(input: RooflineDeploymentInput): RooflineDeployment {
  const modelName = typeof input.model === 'string' ? input.model : input.model.id;
  const model = typeof input.model === 'string' ? lookup<LlmModelSpec>('model', input.model, LLM_MODELS) : input.model;
  const gpuName = typeof input.gpu === 'string' ? input.gpu : input.gpu.name;
  const gpu = typeof input.gpu === 'string' ? lookup<GpuSpec>('GPU', input.gpu, GPUS) : input.gpu;
  const tp = input.tp ?? 1;
  const weights = input.weights ?? 'bf16';
  const kvCache = input.kvCache ?? (weights === 'fp16' ? 'fp16' : 'bf16');
  if (!(Number.isInteger(tp) && tp >= 1)) throw new InputError([`tp must be an integer >= 1, got ${tp}`]);
  const problems: string[] = [];
  if (model.attentionHeads % tp !== 0) {
    const ok = divisors(model.attentionHeads).filter((d) => d <= 16);
    problems.push(`tp ${tp} does not divide the ${model.attentionHeads} attention heads of ${modelName} (tp can be ${ok.join(', ')})`);
  } else if (model.kvHeads % tp !== 0 && tp % model.kvHeads !== 0) {
    problems.push(`tp ${tp} neither divides nor is a multiple of the ${model.kvHeads} KV heads of ${modelName}`);
  }
  if (tp > 1 && gpu.interconnect === null) {
    problems.push(`${gpuName} has no sourced GPU-to-GPU bandwidth in the catalog: tp ${tp} needs one (give a GpuSpec with an interconnect)`);
  }
  if (gpu.denseTflops.bf16 === null) {
    problems.push(`${gpuName} has no sourced dense BF16 FLOP/s in the catalog (give a GpuSpec with denseTflops.bf16)`);
  }
  if (problems.length > 0) throw new InputError(problems);
  return { modelName, model, gpuName, gpu, tp, weights, kvCache };
}

/** KV heads each GPU holds: its share, or one replicated head when there are more GPUs than KV heads. */
export function kvHeadsPerGpu(d: RooflineDeployment): number {
  return Math.max(1, d.model.kvHeads / d.tp);
}

function divisors(n: number): number[] {
  const out: number[] = [];
  for (let i = 1; i <= n; i++) if (n % i === 0) out.push(i);
  return out;
}
