import type { StepCoefficients } from '../models/llm/step-time.ts';

/**
 * Where every profile below comes from: BLIS / inference-sim's `defaults.yaml`, read from
 * a stored copy of the repository at that commit (values copied digit for digit, none
 * derived or invented). Licence of the source: Apache License 2.0.
 */
export const LLM_PROFILE_SOURCE =
  'inference-sim/inference-sim (BLIS), defaults.yaml at commit 3d79c654c2037299de0d656d57bbbf693edde7df, ' +
  'Apache License 2.0: coefficients fitted on real vLLM runs (vllm/vllm-openai image named per entry)';

/**
 * A published step-time profile of one model on one GPU at one tensor-parallel degree:
 * BLIS's coefficients (µs; see `coefficientStepTime`) and the KV blocks of that setup.
 */
export interface LlmProfile extends StepCoefficients {
  /** The model's id in the source (a Hugging Face id, lower-cased). */
  readonly model: string;
  /** GPU as the source names it (`H100`, `A100-80`). */
  readonly gpu: string;
  /** Tensor-parallel degree (GPUs per replica). */
  readonly tp: number;
  /** KV blocks of the replica (`total_kv_blocks`, 16 tokens each in vLLM's default). */
  readonly kvBlocks: number;
  /** The vLLM image the fit was made on. */
  readonly vllm: string;
  /** The fit's loss as published (`best_loss`), for comparing profiles' quality. */
  readonly bestLoss: number;
}

/**
 * Published BLIS coefficient sets, by the name a scenario writes
 * (`<model>/<gpu>/tp<n>`). A selection of `defaults.yaml`'s `models:` list (see
 * `LLM_PROFILE_SOURCE`); more entries are added by copying them from the same file.
 */
export const LLM_PROFILES = {
  'codellama-34b/h100/tp1': {
    model: 'codellama/codellama-34b-instruct-hf',
    gpu: 'H100',
    tp: 1,
    alpha: [13450.510995636703, 0.041813767451373045, 0.0],
    beta: [26595.2781995357, 96.28441960829817, 56.58626882402723],
    kvBlocks: 2537,
    vllm: 'vllm/vllm-openai:v0.8.4',
    bestLoss: 250.012,
  },
  'granite-3.1-8b/a100-80/tp1': {
    model: 'ibm-granite/granite-3.1-8b-instruct',
    gpu: 'A100-80',
    tp: 1,
    alpha: [5948.910386094121, 5.688978831542181, 16738.26113236831],
    beta: [4599.735684704053, 115.734784868264, 6.180744132016841],
    kvBlocks: 23257,
    vllm: 'vllm/vllm-openai:v0.8.4',
    bestLoss: 440.3159114711698,
  },
  'granite-3.1-8b/h100/tp1': {
    model: 'ibm-granite/granite-3.1-8b-instruct',
    gpu: 'H100',
    tp: 1,
    alpha: [2247.789307383601, 4.366709277206167, 2026.846223138372],
    beta: [8721.044757226877, 4.483158878859319, 0.5577916481502001],
    kvBlocks: 23257,
    vllm: 'vllm/vllm-openai:v0.8.4',
    bestLoss: 477.84339070499686,
  },
  'llama-3.1-8b/a100-80/tp1': {
    model: 'meta-llama/llama-3.1-8b-instruct',
    gpu: 'A100-80',
    tp: 1,
    alpha: [7739.7334212001515, 2.308926798943791, 6276.246189076296],
    beta: [16441.531547147923, 47.837412108198656, 18.20560632171683],
    kvBlocks: 29205,
    vllm: 'vllm/vllm-openai:v0.8.4',
    bestLoss: 335.98105991131,
  },
  'llama-3.1-8b/h100/tp1': {
    model: 'meta-llama/llama-3.1-8b-instruct',
    gpu: 'H100',
    tp: 1,
    alpha: [232.46191091038054, 1.752360364195244, 3357.4400353290152],
    beta: [5752.705191348184, 17.25086436834028, 5.999143920128404],
    kvBlocks: 29205,
    vllm: 'vllm/vllm-openai:v0.8.4',
    bestLoss: 379.0472762050282,
  },
  'llama-3.1-8b/h100/tp2': {
    model: 'meta-llama/llama-3.1-8b-instruct',
    gpu: 'H100',
    tp: 2,
    alpha: [1601.350510688092, 3.512476196805965, 1805.5430360826988],
    beta: [6910.420479880494, 17.67057489844186, 2.8377471109943855],
    kvBlocks: 132139,
    vllm: 'vllm/vllm-openai:v0.8.4',
    bestLoss: 424.54516713463454,
  },
  'llama-3.3-70b/h100/tp4': {
    model: 'meta-llama/llama-3.3-70b-instruct',
    gpu: 'H100',
    tp: 4,
    alpha: [2597.3171308592136, 9.950912552989394, 11511.44254521247],
    beta: [12601.271149123822, 76.42284100369776, 66.84396200500741],
    kvBlocks: 128273,
    vllm: 'vllm/vllm-openai:v0.8.4',
    bestLoss: 295.605845726634,
  },
  'llama-3.3-70b/h100/tp8': {
    model: 'meta-llama/llama-3.3-70b-instruct',
    gpu: 'H100',
    tp: 8,
    alpha: [27262.037667007146, 12.483736088204523, 112.29324980868637],
    beta: [14140.825207623911, 10.025593497696502, 19.401640879612657],
    kvBlocks: 728405,
    vllm: 'vllm/vllm-openai:v0.8.4',
    bestLoss: 221.029873173539,
  },
  'phi-4/a100-80/tp1': {
    model: 'microsoft/phi-4',
    gpu: 'A100-80',
    tp: 1,
    alpha: [4267.302283143799, 16.660033242658532, 16319.921860002582],
    beta: [18180.028288213853, 82.4050731266856, 53.80449568341092],
    kvBlocks: 14645,
    vllm: 'vllm/vllm-openai:v0.8.4',
    bestLoss: 297.4340999301876,
  },
  'phi-4/h100/tp1': {
    model: 'microsoft/phi-4',
    gpu: 'H100',
    tp: 1,
    alpha: [3697.6155227263353, 7.50794554937522, 9062.1336063128],
    beta: [4406.28708175561, 47.40944867621954, 23.356685272854975],
    kvBlocks: 14645,
    vllm: 'vllm/vllm-openai:v0.8.4',
    bestLoss: 212.96081578761303,
  },
  'mistral-small-24b/h100/tp1': {
    model: 'mistralai/mistral-small-24b-instruct-2501',
    gpu: 'H100',
    tp: 1,
    alpha: [3091.6374207646295, 0.8375016060017124, 16179.301838499438],
    beta: [25535.044611072637, 163.18432608228954, 36.9679102942264],
    kvBlocks: 11506,
    vllm: 'vllm/vllm-openai:v0.8.4',
    bestLoss: 1608.4981261257376,
  },
  'qwen2.5-7b/a100-80/tp1': {
    model: 'qwen/qwen2.5-7b-instruct',
    gpu: 'A100-80',
    tp: 1,
    alpha: [8970.33939991319, 2.308213163493539, 19547.350153998857],
    beta: [10041.674273463475, 81.12095792183437, 59.98624422876753],
    kvBlocks: 67659,
    vllm: 'vllm/vllm-openai:v0.8.4',
    bestLoss: 841.3731827421983,
  },
  'qwen2.5-7b/h100/tp1': {
    model: 'qwen/qwen2.5-7b-instruct',
    gpu: 'H100',
    tp: 1,
    alpha: [5223.7601312008765, 2.4114266267351026, 5368.0632635001375],
    beta: [1602.214225165806, 19.870256563814962, 452.93689651035174],
    kvBlocks: 67659,
    vllm: 'vllm/vllm-openai:v0.8.4',
    bestLoss: 489.86573167272115,
  },
  'gpt-oss-20b/h100/tp1': {
    model: 'openai/gpt-oss-20b',
    gpu: 'H100',
    tp: 1,
    alpha: [2575.297973825855, 1.6942915710418411, 19152.051890144965],
    beta: [7344.860029214045, 60.64650677940525, 3.679647756509839],
    kvBlocks: 302690,
    vllm: 'vllm/vllm-openai:v0.10.1.1',
    bestLoss: 2726.6213770690483,
  },
  'gpt-oss-120b/h100/tp1': {
    model: 'openai/gpt-oss-120b',
    gpu: 'H100',
    tp: 1,
    alpha: [31444.718314479487, 1.7995264019905064, 4849.900447286201],
    beta: [1063.065924802559, 82.92021273475513, 23.671998666682363],
    kvBlocks: 32414,
    vllm: 'vllm/vllm-openai:v0.10.1.1',
    bestLoss: 678.0394370931962,
  },
} as const satisfies Record<string, LlmProfile>;

/** A built-in profile's name. */
export type LlmProfileName = keyof typeof LLM_PROFILES;
