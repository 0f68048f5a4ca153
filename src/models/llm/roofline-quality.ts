import type { LlmModelSpec, LlmQualityFigure } from '../../catalog/llm-models.ts';
import type { WeightDtype } from './roofline-params.ts';

/**
 * The published quality figure of `model` quantized to `weights` (its benchmark, the
 * baseline and quantized scores and the card they come from), or undefined for 16-bit
 * weights or when none is published in the catalog.
 */
export function quantizationQuality(model: LlmModelSpec, weights: WeightDtype): LlmQualityFigure | undefined {
  if (weights === 'bf16' || weights === 'fp16') return undefined;
  return model.quality.find((q) => q.weights === weights);
}
