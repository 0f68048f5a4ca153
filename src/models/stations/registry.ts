import type { StageDescription, StationKind } from '../../config/description.ts';
import { makeDistribution } from '../service-distribution.ts';
import { FanoutStation } from './fanout.ts';
import { LlmStation } from './llm.ts';
import { PoolStation, type PoolConfig } from './pool.ts';
import { PreemptivePoolStation } from './preemptive-pool.ts';
import type { StationContext, StationFactory } from './station.ts';
import { disciplineRegistry } from '../disciplines/index.ts';
import { InputError } from '../../config/errors.ts';

/**
 * The pool's configuration from a stage description. A stage with an acknowledgement
 * (`buffer:`) loses its oldest waiting message when full and draws its ack latency from
 * its own stream.
 */
export function poolConfigOf(d: StageDescription, ctx: StationContext): PoolConfig {
  return {
    name: d.name,
    replicas: d.replicas,
    concurrency: d.concurrency,
    queueCapacity: d.queueCapacity,
    overflow: d.ack !== null ? 'oldest' : 'newest',
    ack: d.ack !== null ? makeDistribution(d.ack).source(ctx.sim.random.stream(`stage:${d.name}:ack`)) : undefined,
    serviceTime: ctx.serviceTime,
    maxBatch: d.maxBatch,
    maxWaitS: d.maxWaitS,
    routing: d.routing,
    deadlineS: d.deadlineS,
    systemDeadlineS: d.systemDeadlineS,
    quality: d.quality,
    candidatesIn: d.candidatesIn,
    ...lineOf(d, ctx),
  };
}

/**
 * The waiting line a stage's discipline builds for each queue group; nothing for FIFO,
 * so a FIFO pool keeps its ring queue and its fast path.
 */
function lineOf(d: StageDescription, ctx: StationContext): Pick<PoolConfig, 'line'> {
  const { policy, by } = d.discipline;
  if (policy === 'fifo') return {};
  const attributeIndex = by === null ? -1 : ctx.attributes.indexOf(by);
  if (by !== null && attributeIndex < 0) {
    throw new InputError([`stages[${d.index}].discipline.by: the requests carry no attribute "${by}" (${ctx.attributes.length > 0 ? `they have: ${ctx.attributes.join(', ')}` : 'they carry none'})`]);
  }
  const factory = disciplineRegistry[policy];
  const dctx = { classes: ctx.classes, attributeIndex };
  return { line: () => factory(dctx) };
}

/**
 * Stations by kind (`StageDescription.kind`, chosen in `src/config/resolve.ts`): adding
 * a kind is a file in this folder and a line here. A buffer is a pool whose eviction
 * policy drops the oldest message (`poolConfigOf`).
 */
export const stationRegistry: { [K in StationKind]: StationFactory } = {
  pool: (d, ctx) => new PoolStation(ctx.sim, poolConfigOf(d, ctx), ctx.metrics),
  buffer: (d, ctx) => new PoolStation(ctx.sim, poolConfigOf(d, ctx), ctx.metrics),
  fanout: (d, ctx) => new FanoutStation(ctx.sim, poolConfigOf(d, ctx), ctx.metrics, d.fanout!),
  llm: (d, ctx) => new LlmStation(ctx.sim, d, ctx.metrics, ctx.attributes, d.llm!.slo),
  'preemptive-pool': (d, ctx) => new PreemptivePoolStation(ctx.sim, d, ctx.serviceTime, ctx.metrics, ctx.classes),
};
