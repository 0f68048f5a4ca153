import type { Sampler, Simulation } from '../engine/index.ts';
import type { Scenario, StageSpec } from '../config/schema.ts';
import type { HardwareEntry, ModelEntry } from '../catalog/types.ts';
import { hardwareCatalog, modelCatalog } from '../config/catalog-refs.ts';
import { InputError } from '../config/errors.ts';
import { makeDistribution } from './service-distribution.ts';
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
  /** Cold-start sampler of an autoscaled stage (its own stream). */
  coldStart: Sampler | undefined;
}

/**
 * The service time of a stage: its own `service` when given (taken as measured on
 * the stage's hardware, so no speed factor applies), else its catalog model's
 * latency profile for the hardware's device kind divided by the hardware's speed.
 */
function serviceTimeOf(spec: StageSpec, index: number, hw: HardwareEntry | undefined, model: ModelEntry | undefined, sim: Simulation, attributes: readonly string[]): ServiceTime {
  const rng = sim.random.stream(`stage:${spec.name}:service`);
  if (spec.service !== undefined) {
    const per = spec.service.dist === 'linear' ? Object.keys(spec.service.per ?? {}) : [];
    const missing = per.filter((a) => a !== 'candidates' && !attributes.includes(a));
    if (missing.length > 0) {
      throw new InputError(
        missing.map(
          (a) =>
            `stages[${index}].service.per.${a}: the requests carry no attribute "${a}" (${attributes.length > 0 ? `they have: ${attributes.join(', ')}, and candidates` : 'they have: candidates; trace arrivals add their columns'})`,
        ),
      );
    }
    return makeServiceTime(spec.service, rng, new Map(attributes.map((a, i) => [a, i])));
  }
  // Validation guarantees a model with a profile for the hardware's device kind here.
  const profile = model!.latency[hw!.device]!;
  return linearServiceTime(profile.baseMs / 1000 / hw!.speed, profile.perItemMs / 1000 / hw!.speed, undefined, rng);
}

/** Builds every stage of a validated scenario, in pipeline order. */
export function buildStages(scenario: Scenario, sim: Simulation, attributes: readonly string[] = []): BuiltStage[] {
  const hwCat = hardwareCatalog(scenario.hardware);
  const modelCat = modelCatalog(scenario.models);
  return scenario.stages.map((spec, index) => {
    const hardware = spec.hardware !== undefined ? hwCat[spec.hardware] : undefined;
    const model = spec.model !== undefined ? modelCat[spec.model] : undefined;
    const buffer = spec.buffer;
    const stage = new Stage(sim, {
      name: spec.name,
      replicas: spec.replicas,
      concurrency: spec.concurrency ?? 1,
      queueCapacity: buffer?.retention ?? spec.queue?.capacity ?? Infinity,
      overflow: buffer ? 'oldest' : 'newest',
      ack: buffer ? makeDistribution(buffer.ack).source(sim.random.stream(`stage:${spec.name}:ack`)) : undefined,
      serviceTime: serviceTimeOf(spec, index, hardware, model, sim, attributes),
      maxBatch: spec.batching?.maxBatch ?? 1,
      maxWaitS: spec.batching?.maxWait ?? 0,
      routing: spec.routing?.policy ?? 'shared',
      deadlineS: spec.deadline ?? Infinity,
      systemDeadlineS: scenario.deadline ?? Infinity,
      quality: model?.quality.value ?? NaN,
      fanout: spec.fanout
        ? { shards: spec.fanout.shards, quorum: spec.fanout.quorum ?? spec.fanout.shards, hedgeAfterS: spec.fanout.hedgeAfter ?? Infinity }
        : undefined,
    });
    const coldStart = spec.autoscale ? makeDistribution(spec.autoscale.coldStart).source(sim.random.stream(`stage:${spec.name}:cold-start`)) : undefined;
    return { stage, spec, hardwareName: spec.hardware, hardware, modelName: spec.model, model, coldStart };
  });
}
