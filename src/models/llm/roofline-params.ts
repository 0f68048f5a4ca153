import type { LlmModelSpec } from '../../catalog/llm-models.ts';

/** Weight formats: 16-bit, FP8 (weights and activations, W8A8), 4-bit integer (weight-only, W4A16). */
export type WeightDtype = 'bf16' | 'fp16' | 'fp8' | 'int4';
/** KV-cache formats. */
export type KvDtype = 'bf16' | 'fp16' | 'fp8';

/**
 * Bytes per weight of a quantized linear layer. int4 carries one 16-bit scale per group
 * of 128 weights (the common GPTQ/AWQ group size): 0.5 + 2/128 bytes. Zero points (AWQ)
 * would add 4 bits per group; they are not counted.
 */
export const WEIGHT_BYTES: Readonly<Record<WeightDtype, number>> = { bf16: 2, fp16: 2, fp8: 1, int4: 0.5 + 2 / 128 };
/** Bytes per KV-cache element (scales of an FP8 cache are per tensor, negligible). */
export const KV_BYTES: Readonly<Record<KvDtype, number>> = { bf16: 2, fp16: 2, fp8: 1 };

/** Parameter counts derived from an architecture (see `llmParameters`). */
export interface LlmParameterCounts {
  /** All parameters. */
  readonly total: number;
  /** Parameters used per token (`total` minus the unused experts of a mixture of experts). */
  readonly active: number;
  /** Input embedding plus output head (one matrix if tied): kept at 16 bits when the model is quantized. */
  readonly embedding: number;
  /** Parameters of the decoder layers (attention, MLP or experts, router, norms). */
  readonly layers: number;
  /** Parameters of ONE expert's MLP in one layer (0 for a dense model). */
  readonly expertMlpPerLayer: number;
}

/**
 * Parameter counts of a Llama/Qwen/Mistral-style decoder from its config: embedding V·H
 * (twice if untied), per layer q and o projections H·(heads·d) each, k and v H·(kv·d)
 * each (+ biases heads·d + 2·kv·d for Qwen2), a gated MLP 3·H·I per expert, a router
 * H·E for a mixture of experts, two norms 2·H; a final norm H. Exact for these
 * architectures (e.g. 8,030,261,248 for Llama 3.1 8B; 46.70B total / 12.88B active for
 * Mixtral 8x7B, which its announcement rounds to 46.7B / 12.9B).
 */
export function llmParameters(m: LlmModelSpec): LlmParameterCounts {
  const h = m.hiddenSize;
  const q = m.attentionHeads * m.headDim;
  const kv = m.kvHeads * m.headDim;
  const attention = 2 * h * q + 2 * h * kv + (m.qkvBias ? q + 2 * kv : 0);
  const mlp = 3 * h * m.intermediateSize;
  const experts = m.experts?.count ?? 1;
  const router = m.experts === undefined ? 0 : h * experts;
  const perLayer = attention + experts * mlp + router + 2 * h;
  const embedding = m.vocabSize * h * (m.tiedEmbeddings ? 1 : 2);
  const layers = m.layers * perLayer;
  const total = embedding + layers + h;
  const unused = m.experts === undefined ? 0 : m.layers * (m.experts.count - m.experts.perToken) * mlp;
  return { total, active: total - unused, embedding, layers, expertMlpPerLayer: m.experts === undefined ? 0 : mlp };
}

/**
 * Bytes of all weights: the decoder layers' linear weights in `dtype`, embeddings, norms
 * and biases at 16 bits (quantized checkpoints quantize only the linear layers inside the
 * transformer blocks, e.g. the Neural Magic FP8 model cards). Norms and biases are
 * counted at 16 bits with the layers (a few MB; the simplification is < 0.01%).
 */
export function weightBytes(m: LlmModelSpec, dtype: WeightDtype): number {
  const p = llmParameters(m);
  return (p.total - p.layers) * 2 + p.layers * WEIGHT_BYTES[dtype];
}

/** KV-cache bytes per token of context for the whole model: 2 (K and V) × layers × KV heads × head dim × bytes. */
export function kvBytesPerToken(m: LlmModelSpec, dtype: KvDtype): number {
  return 2 * m.layers * m.kvHeads * m.headDim * KV_BYTES[dtype];
}
