import type { Autoscaler } from './autoscaler.ts';
import type { Stage } from './stage.ts';

/**
 * Highest rate a stage can complete, requests per second: every slot running full
 * batches back to back.
 */
export function stageCapacityRps(st: Stage, replicas = st.replicas): number {
  // A fan-out stage serves every request once on each shard: its capacity is one shard's.
  return (replicas * st.concurrency * st.maxBatch) / st.serviceTime.meanS(st.maxBatch, st.typicalCandidates);
}

/**
 * Plain-words warnings for stages whose offered load reaches their capacity with an
 * unbounded queue and no deadline. Such a queue grows for as long as arrivals last,
 * so waiting times grow with run length and describe the run, not the system. The
 * rate reaching a stage is the arrival rate, capped by the capacity of any
 * overloaded stage before it that sheds the excess (bounded queue or deadline).
 */
export function overloadWarnings(
  arrivalRateRps: number,
  stages: readonly Stage[],
  autoscalers: ReadonlyMap<string, Autoscaler> = new Map(),
  /** Stages behind a cache, fallback or prediction store: not all traffic reaches them, and a fallback bounds the queue. */
  shielded: ReadonlySet<string> = new Set(),
): string[] {
  const warnings: string[] = [];
  let rate = arrivalRateRps;
  if (!Number.isFinite(rate)) return warnings; // traces: no long-run rate is known up front
  for (const st of stages) {
    // An autoscaled stage can grow to its maximum.
    const capacityRps = stageCapacityRps(st, autoscalers.get(st.name)?.maxReplicas ?? st.replicas);
    const rho = rate / capacityRps;
    const unbounded = st.queueCapacity === Infinity && st.deadlineS === Infinity && st.systemDeadlineS === Infinity && !shielded.has(st.name);
    if (rho >= 1 && unbounded) {
      warnings.push(
        `stage "${st.name}" is overloaded: ${fmt(rate)} req/s arrive but its server(s) complete at most ` +
          `${fmt(capacityRps)} req/s (utilization ${fmt(rho * 100)}%), and its queue is unbounded. The queue grows for as ` +
          `long as the run lasts, so the latency figures depend on the run length, not on the system. Add replicas, ` +
          `lower the load, or bound the queue (queue: { capacity: N }) to see drops instead.`,
      );
    }
    if (rho > 1) rate = capacityRps;
  }
  return warnings;
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
  stages: readonly Stage[],
  autoscalers: ReadonlyMap<string, Autoscaler> = new Map(),
  shielded: ReadonlySet<string> = new Set(),
): QueueGrowth[] {
  const out: QueueGrowth[] = [];
  let rate = arrivalRateRps;
  if (!Number.isFinite(rate)) return out;
  stages.forEach((st, index) => {
    const capacityRps = stageCapacityRps(st, autoscalers.get(st.name)?.maxReplicas ?? st.replicas);
    const unbounded = st.queueCapacity === Infinity && st.deadlineS === Infinity && st.systemDeadlineS === Infinity && !shielded.has(st.name);
    if (rate > capacityRps && unbounded) out.push({ index, rateRps: rate, capacityRps, heldPerS: (rate - capacityRps) * (st.fanout?.shards ?? 1) });
    if (rate > capacityRps) rate = capacityRps;
  });
  return out;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(3);
}
