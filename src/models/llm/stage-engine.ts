/**
 * What an LLM stage description (`LlmStageDescription`) becomes for its engines: the
 * step-time model (coefficients, a measured table, or a roofline over the model and GPU
 * catalogs) and the KV blocks of a replica (given, the profile's, or, for a roofline, what
 * the GPU memory leaves: `kvCapacity`). Also a saturation estimate for step models
 * without coefficients (`theory.ts`'s `saturationThroughput` takes coefficients).
 */
import { LLM_MODELS, type LlmModelName } from '../../catalog/llm-models.ts';
import { InputError } from '../../config/errors.ts';
import type { LlmStageDescription } from '../../config/description.ts';
import { kvCapacity } from './roofline-capacity.ts';
import { rooflineDeployment, type RooflineDeployment } from './roofline-deployment.ts';
import { kvBytesPerToken } from './roofline-params.ts';
import { rooflineStepTime } from './roofline.ts';
import { tableStepTime } from './step-time-table.ts';
import { coefficientStepTime, type StepTimeModel } from './step-time.ts';

/** `f()`, with an input problem prefixed by where the stage's `llm:` block is. */
function at<T>(where: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof InputError) throw new InputError(e.problems.map((p) => `${where}: ${p}`));
    throw e;
  }
}

function deployment(d: LlmStageDescription, where: string): RooflineDeployment | undefined {
  const s = d.step;
  if (s.kind !== 'roofline') return undefined;
  return at(`${where}.roofline`, () => rooflineDeployment({ model: s.model, gpu: s.gpu, tp: s.tp, weights: s.weights, kvCache: s.kvCache }));
}

/** The stage's step-time model without noise; `where` locates the block in messages (`stages[0].llm`). */
export function baseStepTime(d: LlmStageDescription, where: string): StepTimeModel {
  const s = d.step;
  switch (s.kind) {
    case 'coefficients':
      return coefficientStepTime({ alpha: s.alpha, beta: s.beta });
    case 'table':
      return at(`${where}.table`, () => tableStepTime({ prefillTokens: s.prefillTokens, decodeTokens: s.decodeTokens, stepUs: s.stepUs, alpha: s.alpha }));
    case 'roofline':
      return rooflineStepTime(deployment(d, where)!);
  }
}

/** KV blocks of one replica: given, or what a roofline's GPU memory leaves at its utilization. */
export function kvBlocksOf(d: LlmStageDescription, where: string): number {
  if (d.kvBlocks !== null) return d.kvBlocks;
  const dep = deployment(d, where);
  if (dep === undefined) throw new Error(`${where}: no kvBlocks and no roofline to derive them from (validation should have refused it)`);
  const s = d.step as { memoryUtilization: number };
  return at(`${where}.roofline`, () => kvCapacity(dep, { utilization: s.memoryUtilization, blockSize: d.blockSize }).blocks);
}

/**
 * Saturation estimate of one replica for any step model, requests per second: the steady
 * state of `saturationThroughput` (src/models/llm/theory.ts: every step holds `b`
 * sequences at uniformly spread ages, carrying b·P/O prefill and b·(O − 1)/O decode tokens,
 * and emits b tokens, so X = b / (O · step)), with the step's attention context: decoding
 * sequences halfway through their answers, the prefills whole prompts.
 */
export function saturationRps(time: StepTimeModel, p: number, o: number, b: number): number {
  const step = time.stepS((b * p) / o, (b * (o - 1)) / o, {
    decodeContextTokens: ((b * (o - 1)) / o) * (p + o / 2),
    prefillContextTokens: 0,
    prefillAttentionPairs: (b / o) * ((p * (p + 1)) / 2),
  });
  return b / (o * step);
}

/**
 * The description of one pool of a disaggregated stage: the stage's roofline with the
 * pool's GPU and TP, its KV blocks derived from that GPU's memory (`kvBlocksOf`).
 */
export function poolDescription(d: LlmStageDescription, pool: 'prefill' | 'decode'): LlmStageDescription {
  const s = d.step;
  const p = d.disaggregated?.[pool];
  if (s.kind !== 'roofline' || p === undefined) throw new Error('a disaggregated pool needs a roofline stage (validation should have refused it)');
  return { ...d, step: { ...s, gpu: p.gpu, tp: p.tp }, kvBlocks: null, disaggregated: null };
}

/**
 * KV-cache bytes one token of the stage's model takes, over all its layers and KV heads
 * (2 × layers × KV heads × head dim × bytes per value, `kvBytesPerToken`): what a prompt's
 * KV cache weighs when it moves between a prefill and a decode replica.
 */
export function kvBytesPerTokenOf(d: LlmStageDescription): number {
  const s = d.step;
  if (s.kind !== 'roofline') throw new Error('the KV bytes per token need a roofline stage (validation should have refused it)');
  return kvBytesPerToken(LLM_MODELS[s.model as LlmModelName], s.kvCache);
}
