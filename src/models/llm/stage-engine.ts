/**
 * What an LLM stage description (`LlmStageDescription`) becomes for its engines: the
 * step-time model (coefficients, a measured table, or a roofline over the model and GPU
 * catalogs) and the KV blocks of a replica (given, the profile's, or, for a roofline, what
 * the GPU memory leaves: `kvCapacity`). Also the closed forms theory reads from any step
 * model: a request alone, and a saturation estimate.
 */
import { InputError } from '../../config/errors.ts';
import type { LlmStageDescription } from '../../config/description.ts';
import { kvCapacity } from './roofline-capacity.ts';
import { rooflineDeployment, type RooflineDeployment } from './roofline-deployment.ts';
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
 * A request of `p` prompt and `o` output tokens alone on an idle replica
 * (docs/llm-scheduler.md, "Time"), from any step model: its prompt in chunks of the step
 * budget, then one decode step per token, each with its attention context; seconds.
 */
export function loneRequest(time: StepTimeModel, p: number, o: number, budget: number): { ttftS: number; e2eS: number } {
  let t = time.preQueueS(p);
  let c = 0;
  while (c < p) {
    const k = Math.min(budget, p - c);
    t += time.stepS(k, 0, { decodeContextTokens: 0, prefillContextTokens: c, prefillAttentionPairs: k * c + (k * (k + 1)) / 2 });
    c += k;
  }
  const a2 = time.perOutputTokenS;
  const ttftS = t + a2;
  for (let g = 1; g < o; g++) t += time.stepS(0, 1, { decodeContextTokens: p + g, prefillContextTokens: 0, prefillAttentionPairs: 0 });
  return { ttftS, e2eS: t + o * a2 };
}

/**
 * Saturation estimate of one replica, requests per second: busy all the time with `b`
 * sequences decoding, each step also prefilling b·P/O prompt tokens (the rate new prompts
 * arrive at in steady state), so X = b / (O · step(b·P/O, b)); with coefficients that is
 * 1 / (O·β0/b + β1·P + β2·O). Attention context: every sequence halfway through its answer.
 */
export function saturationRps(time: StepTimeModel, p: number, o: number, b: number): number {
  const prefill = (b * p) / o;
  const step = time.stepS(prefill, b, {
    decodeContextTokens: b * (p + o / 2),
    prefillContextTokens: 0,
    prefillAttentionPairs: (b / o) * ((p * (p + 1)) / 2),
  });
  return b / (o * step);
}
