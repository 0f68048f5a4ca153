/**
 * Open LLM architectures for the roofline step model (`src/models/llm/roofline.ts`), each
 * read from the model's `config.json` on Hugging Face (the URL in `source`). The stored
 * web is not Hugging Face itself: every value below was read from a verbatim copy of the
 * config, or from a repository that reproduces its values and names that URL (named in
 * `source`), and agrees across the copies read. Nothing is estimated; what could not be
 * read is absent, and `notes` says so.
 *
 * Parameter counts are not stored: `llmParameters` (src/models/llm/roofline-params.ts)
 * derives them from the architecture, and the tests compare the result with the counts
 * the model cards publish (`publishedParams`).
 */

/** A published quality figure of a quantized variant beside its unquantized baseline. */
export interface LlmQualityFigure {
  /** Weight format of the quantized variant (`fp8`: weights and activations in FP8). */
  readonly weights: 'fp8' | 'int4';
  /** What was measured. */
  readonly benchmark: string;
  /** Score of the unquantized model, as published. */
  readonly baseline: number;
  /** Score of the quantized variant, as published. */
  readonly quantized: number;
  /** The quantized model's card (URL) where both scores are published. */
  readonly source: string;
}

/** A decoder-only transformer as its `config.json` describes it (names of the config keys in brackets). */
export interface LlmModelSpec {
  /** Hugging Face id of the model whose config was read. */
  readonly id: string;
  /** Decoder layers [`num_hidden_layers`]. */
  readonly layers: number;
  /** Model width [`hidden_size`]. */
  readonly hiddenSize: number;
  /** MLP width (of each expert, for a mixture of experts) [`intermediate_size`]; the MLP is gated (SwiGLU: 3 matrices). */
  readonly intermediateSize: number;
  /** Query heads [`num_attention_heads`]. */
  readonly attentionHeads: number;
  /** Key/value heads (grouped-query attention) [`num_key_value_heads`]. */
  readonly kvHeads: number;
  /** Width of one head [`head_dim`, or `hidden_size / num_attention_heads` when the config has no such key]. */
  readonly headDim: number;
  /** Vocabulary [`vocab_size`]. */
  readonly vocabSize: number;
  /** Input embedding and output head share one matrix [`tie_word_embeddings`]. */
  readonly tiedEmbeddings: boolean;
  /** The q, k, v projections have biases (Qwen2) [`attention_bias` / architecture]. */
  readonly qkvBias: boolean;
  /** Longest context the config allows [`max_position_embeddings`]. */
  readonly contextLength: number;
  /** Mixture of experts: experts per layer [`num_local_experts`] and experts per token [`num_experts_per_tok`]. */
  readonly experts?: { readonly count: number; readonly perToken: number };
  /** Sliding-window attention span [`sliding_window`], when the model uses it (not modelled by the roofline: see notes). */
  readonly slidingWindow?: number;
  /** Parameter counts as the model's card or announcement publishes them (rounded as published). */
  readonly publishedParams?: { readonly total: number; readonly active?: number; readonly source: string };
  /** Published quality of quantized variants (empty where none was found). */
  readonly quality: readonly LlmQualityFigure[];
  /** The config.json (URL) and where its values were read. */
  readonly source: string;
  /** Caveats. */
  readonly notes?: string;
}

const HF = 'https://huggingface.co/';

/** Catalogued models, by the name a scenario writes (`model: llama-3.1-8b`). */
export const LLM_MODELS = {
  'llama-3.1-8b': {
    id: 'meta-llama/Llama-3.1-8B',
    layers: 32,
    hiddenSize: 4096,
    intermediateSize: 14336,
    attentionHeads: 32,
    kvHeads: 8,
    headDim: 128,
    vocabSize: 128256,
    tiedEmbeddings: false,
    qkvBias: false,
    contextLength: 131072,
    quality: [
      {
        weights: 'fp8',
        benchmark: 'OpenLLM v1 average (Instruct model)',
        baseline: 73.79,
        quantized: 73.44,
        source: `${HF}neuralmagic/Meta-Llama-3.1-8B-Instruct-FP8 (card, read from its copy ${HF}yejingfu/nmagic-Meta-Llama-3.1-8B-Instruct-FP8)`,
      },
    ],
    source:
      `${HF}meta-llama/Llama-3.1-8B/blob/main/config.json, read from a verbatim copy in ` +
      'github.com/citsjtu2020/LLM-Prof sglang/Model_Config.md (commit 8434c8d1)',
    notes: 'head_dim = hidden_size / num_attention_heads (the config has no head_dim key).',
  },
  'llama-3.1-70b': {
    id: 'meta-llama/Llama-3.1-70B',
    layers: 80,
    hiddenSize: 8192,
    intermediateSize: 28672,
    attentionHeads: 64,
    kvHeads: 8,
    headDim: 128,
    vocabSize: 128256,
    tiedEmbeddings: false,
    qkvBias: false,
    contextLength: 131072,
    quality: [
      {
        weights: 'fp8',
        benchmark: 'OpenLLM v1 average (Instruct model)',
        baseline: 84.4,
        quantized: 84.29,
        source: `${HF}RedHatAI/Meta-Llama-3.1-70B-Instruct-FP8 (card)`,
      },
    ],
    source:
      `${HF}meta-llama/Llama-3.1-70B/blob/main/config.json, values read from repositories that reproduce it: ` +
      'github.com/vulkomilev/oumi configs/recipes/llama3_1/README.md (vocab 128,256, hidden 8192, MLP 28,672, ' +
      '80 layers, 64 heads, 8 KV heads, no weight tying, max length 131,072) and Lightning-AI litgpt config.py (same)',
    notes: 'head_dim = hidden_size / num_attention_heads.',
  },
  'qwen2.5-7b': {
    id: 'Qwen/Qwen2.5-7B',
    layers: 28,
    hiddenSize: 3584,
    intermediateSize: 18944,
    attentionHeads: 28,
    kvHeads: 4,
    headDim: 128,
    vocabSize: 152064,
    tiedEmbeddings: false,
    qkvBias: true,
    contextLength: 131072,
    quality: [],
    source:
      `${HF}Qwen/Qwen2.5-7B/blob/main/config.json, read from a verbatim copy in ` +
      'github.com/citsjtu2020/LLM-Prof sglang/Model_Config.md (commit 8434c8d1)',
    notes:
      'head_dim = 3584 / 28 = 128. 28 attention heads: TP 8 does not divide them. ' +
      'The card publishes 7.61B parameters (not read from a stored copy here, so not recorded).',
  },
  'qwen2.5-32b': {
    id: 'Qwen/Qwen2.5-32B',
    layers: 64,
    hiddenSize: 5120,
    intermediateSize: 27648,
    attentionHeads: 40,
    kvHeads: 8,
    headDim: 128,
    vocabSize: 152064,
    tiedEmbeddings: false,
    qkvBias: true,
    contextLength: 131072,
    publishedParams: {
      total: 32.5e9,
      source: `${HF}Qwen/Qwen2.5-32B (card: "Number of Parameters: 32.5B", read from its copy in github.com/ZHUI/paddlenlp_model_readme Qwen/Qwen2.5-32B/index.md)`,
    },
    quality: [],
    source:
      `${HF}Qwen/Qwen2.5-32B/blob/main/config.json, read from a verbatim copy in ` +
      'github.com/citsjtu2020/LLM-Prof sglang/Model_Config.md (commit 8434c8d1)',
    notes:
      'head_dim = 5120 / 40 = 128. The count derived from the config (32.76B) is 0.8% above the card\'s rounded 32.5B.',
  },
  'mistral-7b': {
    id: 'mistralai/Mistral-7B-v0.1',
    layers: 32,
    hiddenSize: 4096,
    intermediateSize: 14336,
    attentionHeads: 32,
    kvHeads: 8,
    headDim: 128,
    vocabSize: 32000,
    tiedEmbeddings: false,
    qkvBias: false,
    contextLength: 32768,
    slidingWindow: 4096,
    quality: [],
    source:
      `${HF}mistralai/Mistral-7B-v0.1/blob/main/config.json, values read from repositories that reproduce it ` +
      '(a Megatron conversion script: 32 layers, hidden 4096, 32 heads, 8 KV heads, FFN 14336, vocab 32000, untied ' +
      'output; a launcher script: max_position_embeddings 32768; a note quoting the config: sliding_window 4096)',
    notes:
      'Sliding-window attention (4096) caps what a token attends to; the roofline model charges the full context ' +
      '(an overestimate of KV reads beyond 4096 tokens of context).',
  },
  'codellama-34b': {
    id: 'codellama/CodeLlama-34b-hf',
    layers: 48,
    hiddenSize: 8192,
    intermediateSize: 22016,
    attentionHeads: 64,
    kvHeads: 8,
    headDim: 128,
    vocabSize: 32000,
    tiedEmbeddings: false,
    qkvBias: false,
    contextLength: 16384,
    quality: [],
    source:
      `${HF}codellama/CodeLlama-34b-hf/blob/main/config.json, values read from Lightning-AI litgpt config.py ` +
      '(block_size 16384, vocab 32000, 48 layers, 64 heads, n_embd 8192, 8 query groups, MLP 22016) and two other copies',
    notes: 'Untied embeddings as in the Llama 2 architecture (not read from the copies; the derived 33.7B agrees with the 34B name).',
  },
  'mixtral-8x7b': {
    id: 'mistralai/Mixtral-8x7B-v0.1',
    layers: 32,
    hiddenSize: 4096,
    intermediateSize: 14336,
    attentionHeads: 32,
    kvHeads: 8,
    headDim: 128,
    vocabSize: 32000,
    tiedEmbeddings: false,
    qkvBias: false,
    contextLength: 32768,
    experts: { count: 8, perToken: 2 },
    publishedParams: {
      total: 46.7e9,
      active: 12.9e9,
      source: 'https://mistral.ai/news/mixtral-of-experts/ (46.7B total, 12.9B used per token; quoted with that URL in a stored page)',
    },
    quality: [],
    source:
      `${HF}mistralai/Mixtral-8x7B-v0.1/blob/main/config.json, values read from repositories that reproduce it ` +
      '(microsoft/superbench: hidden 4096, 32 layers, 32 heads, MLP 14336, 8 KV heads, max_position_embeddings 32768; ' +
      'litgpt and others: 8 local experts, 2 per token, vocab 32000)',
  },
} as const satisfies Record<string, LlmModelSpec>;

/** Name of a catalogued model. */
export type LlmModelName = keyof typeof LLM_MODELS;
