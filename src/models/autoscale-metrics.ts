/**
 * The metrics an autoscaler may follow, by the name a scenario gives `autoscale.metric`
 * (the schema's names are read from here, `src/config/elastic.ts`): adding one is its
 * entry below. Each reads the station's counters and gives the metric's average over
 * the last sync period, the value Kubernetes' HPA formula divides by the target:
 * desired = ceil(ready × metric / target).
 *
 * A resource metric (`share`: a busy or used share of capacity, target at most 1) is a
 * mean over the serving replicas; a per-pod metric is a total over the stage divided by
 * the time-average ready replicas (HPA's `AverageValue` of a pods metric).
 */
import type { LlmLoad, ScalableCapacity } from './stations/capacity.ts';

/** Gives the metric averaged since its previous call (the first call: since `startS`). */
export type MetricReader = (nowS: number) => number;

/** One metric: what it needs, how its target reads, how it is measured. */
export interface AutoscaleMetric {
  /** Reads an LLM engine's own load (`ScalableCapacity.llmLoad`): only on an `llm:` stage. */
  readonly llmOnly: boolean;
  /** A share of capacity (0 to 1]: a target above 1 is refused. */
  readonly share: boolean;
  /** What the target is, for messages and docs. */
  readonly meaning: string;
  /** A reader of `stage`'s counters from `startS` on. */
  reader(stage: ScalableCapacity, startS: number): MetricReader;
}

/** The LLM engines' load of `stage`; an LLM metric on any other stage is refused by validation. */
function llmLoadOf(stage: ScalableCapacity, metric: string): LlmLoad {
  if (stage.llmLoad === undefined) throw new Error(`stage "${stage.name}": autoscale metric "${metric}" needs an LLM stage (validation should have refused it)`);
  return stage.llmLoad;
}

/**
 * A per-ready-replica metric: the growth of `total` (a time integral, or a count) over
 * the period divided by the period's ready replica-seconds; 0 for an empty period or
 * no ready replica.
 */
function perReady(total: (stage: ScalableCapacity, nowS: number) => number): AutoscaleMetric['reader'] {
  return (stage, startS) => {
    const ready = stage.counters.readyReplicas;
    let lastT = startS;
    let lastTotal = total(stage, startS);
    let lastReady = ready.lifetimeIntegral(startS);
    return (now) => {
      const t = total(stage, now);
      const r = ready.lifetimeIntegral(now);
      const readyTime = r - lastReady;
      const m = now - lastT > 0 && readyTime > 0 ? (t - lastTotal) / readyTime : 0;
      lastT = now;
      lastTotal = t;
      lastReady = r;
      return m;
    };
  };
}

/** A mean share over the serving replicas: the growth of `used` over the period's serving (slot) time; 0 without one. */
function shareOfSlots(used: (stage: ScalableCapacity, nowS: number) => number): AutoscaleMetric['reader'] {
  return (stage, startS) => {
    const slots = stage.counters.slots;
    let lastUsed = used(stage, startS);
    let lastSlots = slots.lifetimeIntegral(startS);
    return (now) => {
      const u = used(stage, now);
      const s = slots.lifetimeIntegral(now);
      const slotTime = s - lastSlots;
      const m = slotTime > 0 ? (u - lastUsed) / slotTime : 0;
      lastUsed = u;
      lastSlots = s;
      return m;
    };
  };
}

/** The registry. */
export const autoscaleMetrics = {
  /** Busy share of the execution slots of serving replicas (Kubernetes' CPU utilization). */
  utilization: { llmOnly: false, share: true, meaning: 'busy share of the serving slots', reader: shareOfSlots((s, t) => s.counters.busy.lifetimeIntegral(t)) },
  /** Requests held (waiting and in service) per ready replica. */
  inflight: {
    llmOnly: false,
    share: false,
    meaning: 'requests held (waiting and in service) per ready replica',
    // Written as (Δ queue) + Δ in service, the arithmetic of the autoscaler before the registry (goldens unchanged).
    reader: (stage, startS) => {
      const st = stage.counters;
      let lastT = startS;
      let lastQueue = st.queueLength.lifetimeIntegral(startS);
      let lastInService = st.inServiceCount.lifetimeIntegral(startS);
      let lastReady = st.readyReplicas.lifetimeIntegral(startS);
      return (now) => {
        const q = st.queueLength.lifetimeIntegral(now);
        const s = st.inServiceCount.lifetimeIntegral(now);
        const r = st.readyReplicas.lifetimeIntegral(now);
        const readyTime = r - lastReady;
        const total = q - lastQueue + s - lastInService;
        const m = now - lastT > 0 && readyTime > 0 ? total / readyTime : 0;
        lastT = now;
        lastQueue = q;
        lastInService = s;
        lastReady = r;
        return m;
      };
    },
  },
  /** Requests waiting for service per ready replica. */
  queue: { llmOnly: false, share: false, meaning: 'requests waiting per ready replica', reader: perReady((s, t) => s.counters.queueLength.lifetimeIntegral(t)) },
  /** LLM: KV cache utilization, the mean over serving replicas of blocks held ÷ blocks (vLLM's `kv_cache_usage_perc`). */
  'kv-utilization': {
    llmOnly: true,
    share: true,
    meaning: 'KV cache utilization, mean over the serving replicas',
    reader: shareOfSlots((s, t) => llmLoadOf(s, 'kv-utilization').kvShare.lifetimeIntegral(t)),
  },
  /** LLM: requests in the engines' waiting queues per ready replica (vLLM's `num_requests_waiting`). */
  waiting: {
    llmOnly: true,
    share: false,
    meaning: "requests in the engines' waiting queues per ready replica",
    reader: perReady((s, t) => llmLoadOf(s, 'waiting').engineWaiting.lifetimeIntegral(t)),
  },
  /** LLM: output tokens generated per second per ready replica. */
  'tokens-per-second': {
    llmOnly: true,
    share: false,
    meaning: 'output tokens generated per second per ready replica',
    reader: perReady((s) => llmLoadOf(s, 'tokens-per-second').generatedTokens),
  },
} as const satisfies Record<string, AutoscaleMetric>;

/** A metric's name. */
export type AutoscaleMetricName = keyof typeof autoscaleMetrics;

/** The names, in registry order. */
export const AUTOSCALE_METRIC_NAMES = Object.keys(autoscaleMetrics) as [AutoscaleMetricName, ...AutoscaleMetricName[]];
