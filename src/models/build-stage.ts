import type { Simulation } from '../engine/index.ts';
import type { Scenario, StageSpec } from '../config/schema.ts';
import type { HardwareEntry, ModelEntry } from '../catalog/types.ts';
import { hardwareCatalog, modelCatalog } from '../config/catalog-refs.ts';
import { linearServiceTime, makeServiceTime, type ServiceTime } from './service-time.ts';
import { Stage } from './stage.ts';

/** A built stage with the catalog entries it names (for cost and quality). */
export interface BuiltStage {
  stage: Stage;
  spec: StageSpec;
  hardwareName: string | undefined;
  hardware: HardwareEntry | undefined;
  modelName: string | undefined;
  model: ModelEntry | undefined;
}

/**
 * The service time of a stage: its own `service` when given (taken as measured on
 * the stage's hardware, so no speed factor applies), else its catalog model's
 * latency profile for the hardware's device kind divided by the hardware's speed.
 */
function serviceTimeOf(spec: StageSpec, hw: HardwareEntry | undefined, model: ModelEntry | undefined, sim: Simulation): ServiceTime {
  const rng = sim.random.stream(`stage:${spec.name}:service`);
  if (spec.service !== undefined) return makeServiceTime(spec.service, rng);
  // Validation guarantees a model with a profile for the hardware's device kind here.
  const profile = model!.latency[hw!.device]!;
  return linearServiceTime(profile.baseMs / 1000 / hw!.speed, profile.perItemMs / 1000 / hw!.speed, undefined, rng);
}

/** Builds every stage of a validated scenario, in pipeline order. */
export function buildStages(scenario: Scenario, sim: Simulation): BuiltStage[] {
  const hwCat = hardwareCatalog(scenario.hardware);
  const modelCat = modelCatalog(scenario.models);
  return scenario.stages.map((spec) => {
    const hardware = spec.hardware !== undefined ? hwCat[spec.hardware] : undefined;
    const model = spec.model !== undefined ? modelCat[spec.model] : undefined;
    const stage = new Stage(sim, {
      name: spec.name,
      replicas: spec.replicas,
      concurrency: spec.concurrency ?? 1,
      queueCapacity: spec.queue?.capacity ?? Infinity,
      serviceTime: serviceTimeOf(spec, hardware, model, sim),
      maxBatch: spec.batching?.maxBatch ?? 1,
      maxWaitS: spec.batching?.maxWait ?? 0,
      routing: spec.routing?.policy ?? 'shared',
      deadlineS: spec.deadline ?? Infinity,
      systemDeadlineS: scenario.deadline ?? Infinity,
      quality: model?.quality.value ?? NaN,
    });
    return { stage, spec, hardwareName: spec.hardware, hardware, modelName: spec.model, model };
  });
}
