import type { Autoscaler } from './autoscaler.ts';
import type { Station } from './stations/station.ts';

/**
 * Highest rate a stage can complete, requests per second: every slot running full
 * batches back to back, replicas × concurrency × maxBatch / (mean time of a full
 * batch). A fan-out stage serves every request once on each shard, and each shard has
 * `replicas` replicas: its capacity is one shard's, compared with the parent rate.
 */
export function stageCapacityRps(st: Station, replicas = st.theory.replicas): number {
  return st.capacityRps(replicas);
}

/** What reaches one stage and what it can complete: the one reading of the pipeline that the load check and theory share. */
export interface StageLoad {
  /**
   * Long-run rate of requests reaching the stage, per second (each shard of a fan-out
   * sees every request, so this is also one shard's rate, before hedges): the arrival
   * rate, capped by the capacity of every overloaded stage before (it completes at most
   * its capacity, whatever it does with the excess). NaN when the arrival rate is unknown.
   */
  rateRps: number;
  /** `stageCapacityRps` at the configured replicas. */
  capacityRps: number;
  /** `stageCapacityRps` at the most replicas an autoscaler may reach (= `capacityRps` when not autoscaled). */
  maxCapacityRps: number;
  /**
   * `rateRps` is only an upper bound, the run alone tells the real rate: a cache,
   * fallback or prediction store at this stage takes an unknown share, or one before it
   * was offered more than its model completes (its hits then pass more than that).
   */
  boundOnly: boolean;
}

/**
 * The rate reaching each stage of `stages` (the main path, in order) and its capacity.
 * `shielded` names the stages behind a cache, fallback or prediction store; what they
 * let through unserved still goes on to the next stage.
 */
export function stageLoads(
  arrivalRateRps: number,
  stages: readonly Station[],
  autoscalers: ReadonlyMap<string, Autoscaler> = new Map(),
  shielded: ReadonlySet<string> = new Set(),
): StageLoad[] {
  let rate = arrivalRateRps;
  let unsure = false; // what reaches the stage is an upper bound from here on
  return stages.map((st) => {
    const capacityRps = stageCapacityRps(st);
    const maxCapacityRps = stageCapacityRps(st, autoscalers.get(st.name)?.maxReplicas ?? st.theory.replicas);
    const load: StageLoad = { rateRps: rate, capacityRps, maxCapacityRps, boundOnly: unsure || shielded.has(st.name) };
    if (rate > maxCapacityRps) {
      rate = maxCapacityRps;
      if (shielded.has(st.name)) unsure = true;
    }
    return load;
  });
}

/**
 * Plain-words warnings for stages whose offered load reaches their capacity with an
 * unbounded queue and no deadline. Such a queue grows for as long as arrivals last,
 * so waiting times grow with run length and describe the run, not the system. The
 * rate reaching a stage is read by `stageLoads`.
 */
export function overloadWarnings(
  arrivalRateRps: number,
  stages: readonly Station[],
  autoscalers: ReadonlyMap<string, Autoscaler> = new Map(),
  /** Stages behind a cache, fallback or prediction store: not all traffic reaches them, and a fallback bounds the queue. */
  shielded: ReadonlySet<string> = new Set(),
): string[] {
  const warnings: string[] = [];
  if (!Number.isFinite(arrivalRateRps)) return warnings; // traces: no long-run rate is known up front
  stageLoads(arrivalRateRps, stages, autoscalers, shielded).forEach((load, i) => {
    const st = stages[i]!;
    // An autoscaled stage can grow to its maximum.
    const { rateRps: rate, maxCapacityRps: capacityRps } = load;
    const rho = rate / capacityRps;
    if (rho >= 1 && unboundedQueue(st, shielded)) {
      warnings.push(
        `stage "${st.name}" is overloaded: ${fmt(rate)} req/s arrive but its server(s) complete at most ` +
          `${fmt(capacityRps)} req/s (utilization ${fmt(rho * 100)}%), and its queue is unbounded. The queue grows for as ` +
          `long as the run lasts, so the latency figures depend on the run length, not on the system. ` +
          // An LLM stage has no queue bound to offer (its capacity is a saturation estimate: LlmStation.capacityRps).
          (st.kind === 'llm' ? 'Add replicas or lower the load.' : 'Add replicas, lower the load, or bound the queue (queue: { capacity: N }) to see drops instead.'),
      );
    }
  });
  return warnings;
}

/** No queue bound, no deadline and nothing in front: the excess of an overload stays. */
function unboundedQueue(st: Station, shielded: ReadonlySet<string>): boolean {
  const t = st.theory;
  return t.queueCapacity === Infinity && t.deadlineS === Infinity && t.systemDeadlineS === Infinity && !shielded.has(st.name);
}

/** A stage whose unbounded queue grows for as long as arrivals last. */
export interface QueueGrowth {
  /** Index of the stage in `stages`. */
  index: number;
  /** Rate reaching the stage and its capacity, requests per second. */
  rateRps: number;
  capacityRps: number;
  /** Requests (sub-requests of a fan-out each) added to the stage per second of arrivals. */
  heldPerS: number;
}

/**
 * The stages whose unbounded queue (no capacity, no deadline, nothing in front)
 * receives more than they can complete, and how fast each fills: the same reading of
 * the pipeline as `overloadWarnings`. A queue grows at (rate − capacity) by the law of
 * large numbers, so over a long run this predicts what the run will hold.
 */
export function unboundedGrowth(
  arrivalRateRps: number,
  stages: readonly Station[],
  autoscalers: ReadonlyMap<string, Autoscaler> = new Map(),
  shielded: ReadonlySet<string> = new Set(),
): QueueGrowth[] {
  const out: QueueGrowth[] = [];
  if (!Number.isFinite(arrivalRateRps)) return out;
  stageLoads(arrivalRateRps, stages, autoscalers, shielded).forEach(({ rateRps, maxCapacityRps }, index) => {
    const st = stages[index]!;
    if (rateRps > maxCapacityRps && unboundedQueue(st, shielded)) {
      out.push({ index, rateRps, capacityRps: maxCapacityRps, heldPerS: (rateRps - maxCapacityRps) * st.theory.shards });
    }
  });
  return out;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(3);
}
