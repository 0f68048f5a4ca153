import { lognormal, type Rng } from '../../engine/index.ts';
import type { StepTimeModel } from './step-time.ts';

/**
 * `base` with every step time multiplied by an independent lognormal factor of mean 1
 * and coefficient of variation `cv`, drawn from `rng` (give it a named stream of the
 * run, e.g. `stage:llm:replica-0:step-noise`). Overheads stay deterministic.
 */
export function noisyStepTime(base: StepTimeModel, cv: number, rng: Rng): StepTimeModel {
  const factor = lognormal(1, cv).source(rng);
  return {
    stepS: (p, d, context) => base.stepS(p, d, context) * factor(),
    preQueueS: (input) => base.preQueueS(input),
    perOutputTokenS: base.perOutputTokenS,
  };
}
