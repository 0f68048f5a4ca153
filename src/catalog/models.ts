import type { ModelEntry } from './types.ts';

// Latency profiles are illustrative orders of magnitude, not measurements: one
// call on a batch of b requests takes baseMs + perItemMs × b on the reference
// machine of its device kind (c7i.xlarge for cpu, g5.xlarge for gpu; see
// hardware.ts). A "request" is one ranking call: score one user's candidate list.
// GPUs pay a larger fixed cost (kernel launches, host-to-device copies) but a much
// smaller cost per item, so batching pays on a GPU and barely helps on a CPU.
//
// Quality figures for the rankers are test AUCs on Criteo_x1 from the BARS open
// benchmark (Zhu et al., "Open Benchmarking for Click-Through Rate Prediction",
// CIKM 2021; "BARS: Towards Open Benchmarking for Recommender Systems", SIGIR
// 2022), read from github.com/reczoo/BARS at commit 1ffaf736. The same split and
// library (FuxiCTR) for every model, so those AUCs compare with each other.

/**
 * The built-in teaching models, by the name a scenario writes (`model: deep-ranker`).
 * Illustrative defaults: latencies are orders of magnitude, quality figures are cited
 * per entry; a scenario's `models:` key or a stage's `service:` overrides them.
 */
export const DEFAULT_MODELS = {
  'logistic-regression': {
    description: 'Logistic regression over hashed sparse features: the cheap baseline ranker.',
    latency: {
      cpu: { baseMs: 0.8, perItemMs: 0.2 },
      // On a GPU the fixed cost alone exceeds the whole CPU call: not worth it.
      gpu: { baseMs: 2, perItemMs: 0.005 },
    },
    quality: { metric: 'AUC', value: 0.7886 },
    source:
      'Quality: BARS benchmark, LR on Criteo_x1, test AUC 0.788625 (reczoo/BARS ranking/ctr/LR/LR_criteo_x1, ' +
      'FuxiCTR v1.1.0). Latency: illustrative (~1 ms per request on CPU).',
  },
  gbdt: {
    description: 'Gradient-boosted tree ensemble (a few hundred trees, XGBoost/LightGBM style).',
    latency: {
      cpu: { baseMs: 1, perItemMs: 2 },
      // e.g. a forest inference library on GPU: fixed launch cost, cheap per item.
      gpu: { baseMs: 3, perItemMs: 0.1 },
    },
    quality: { metric: 'AUC', value: 0.8 },
    source:
      'Quality: illustrative, placed on the BARS Criteo_x1 AUC scale between LR (0.7886) and DCN (0.8138); ' +
      'BARS has no GBDT entry and no GBDT figure on that split was verified. Whether trees beat deep ' +
      'rankers on CTR data is contested (Yi & Chang, arXiv:2104.07553, report they do on their splits). ' +
      'Latency: illustrative.',
  },
  'two-tower': {
    description:
      'Two-tower retrieval (YouTube-DNN style): a user-tower forward pass plus a nearest-neighbour lookup over item embeddings.',
    latency: {
      cpu: { baseMs: 2, perItemMs: 3 },
      gpu: { baseMs: 3, perItemMs: 0.2 },
    },
    quality: { metric: 'Recall@20', value: 0.1754 },
    source:
      'Quality: BARS candidate-matching benchmark, YoutubeDNN on Gowalla (LightGCN split), Recall@20 0.175436 ' +
      '(reczoo/BARS matching/two_tower/YoutubeDNN/YoutubeDNN_gowalla_m1). A retrieval metric: not comparable ' +
      'with the rankers\' AUC. Latency: illustrative.',
  },
  'deep-ranker': {
    description: 'Deep ranking model (DCN: embeddings, cross network and MLP; DLRM-like cost).',
    latency: {
      cpu: { baseMs: 3, perItemMs: 17 },
      gpu: { baseMs: 5, perItemMs: 0.5 },
    },
    quality: { metric: 'AUC', value: 0.8138 },
    source:
      'Quality: BARS benchmark, DCN on Criteo_x1, test AUC 0.813767 (mean of 5 runs; reczoo/BARS ' +
      'ranking/ctr/DCN/DCN_criteo_x1, FuxiCTR v1.1.0). Latency: illustrative (~20 ms per request on CPU, ' +
      'the realtime-ranker scenario\'s mean).',
  },
  'transformer-ranker': {
    description:
      'Transformer ranker: stacked multi-head self-attention over features and behaviour sequence (AutoInt+/BST style).',
    latency: {
      cpu: { baseMs: 10, perItemMs: 290 },
      gpu: { baseMs: 15, perItemMs: 3 },
    },
    quality: { metric: 'AUC', value: 0.8139 },
    source:
      'Quality: BARS benchmark, AutoInt+ (self-attention CTR model) on Criteo_x1, test AUC 0.813939 ' +
      '(reczoo/BARS ranking/ctr/AutoInt/AutoInt+_criteo_x1, FuxiCTR v1.2.2); barely above DCN on this ' +
      'benchmark. Latency: illustrative for a heavier Transformer ranker (hundreds of ms on CPU, tens on GPU).',
  },
} as const satisfies Record<string, ModelEntry>;

/** Name of a built-in model. */
export type ModelName = keyof typeof DEFAULT_MODELS;
