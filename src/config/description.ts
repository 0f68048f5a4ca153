/**
 * The system a scenario describes, with every default applied and every catalog name
 * looked up: what the models are built from (`src/config/resolve.ts` makes it from a
 * validated `Scenario`). Plain data: no zod, no optional keys standing for a default
 * (an absent feature is `null`, an absent bound is `Infinity`), durations in seconds.
 *
 * Leaf value shapes (a distribution, a service time, an arrival process, a routing
 * policy's name) are the validated file's own; they carry no defaults a model reads
 * differently, and their builders (`makeDistribution`, `makeServiceTime`,
 * `arrivalRegistry`) document what each field means.
 */
import type { HardwareEntry, ModelEntry } from '../catalog/types.ts';
import type { Seed } from '../engine/index.ts';
import type { CachePolicyName } from '../models/cache-policies.ts';
import type { AutoscaleMetricName } from '../models/autoscale-metrics.ts';
import type { ArrivalKind, ArrivalsSpec, DistributionKind, DistributionSpec, NoiseSpec, RoutingPolicyName, ServiceKind, ServiceSpec } from './schema.ts';
import type { TokenDistributionSpec } from './llm-schema.ts';
import type { Slo, WaitSlo } from './slo.ts';
import type { AttributeSpec } from './classes.ts';
import type { DisciplineName } from '../models/disciplines/index.ts';

export type { AttributeSpec, DisciplineName };
export type { ArrivalKind, ArrivalsSpec, DistributionKind, DistributionSpec, NoiseSpec, RoutingPolicyName, ServiceKind, ServiceSpec, TokenDistributionSpec, Slo };

/** A whole run: arrivals, stages in pipeline order, and how long and what to measure. */
export interface SystemDescription {
  /** The scenario's name ("scenario" when it has none). */
  name: string;
  seed: Seed;
  arrivals: ArrivalsSpec;
  /** Arrivals after which they stop (warm-up included); Infinity when the run stops on time. */
  stopRequests: number;
  /** Time at which arrivals stop; Infinity when the run stops on a count. */
  stopS: number;
  /** The field that sets the run's length, for messages. */
  stopField: 'stop.duration' | 'stop.requests' | 'stop';
  /** Warm-up: arrivals and time before measurement starts (0 for none). */
  warmupRequests: number;
  warmupS: number;
  /** The latency objective; null when the scenario has none. */
  slo: { target: string; latencyS: number; fraction: number } | null;
  /** The waiting-time objective (`slo: "wait < 20s for 80%"`); null when the scenario has none. */
  waitSlo: WaitSlo | null;
  /** LLM objectives on TTFT and TPOT (`slo: { ttft, tpot }`); null when the scenario has neither. */
  llmSlo: { ttft: Slo | null; tpot: Slo | null } | null;
  /** Most requests held at once before the run is refused. */
  maxInFlight: number;
  /** Who sends requests; null when requests carry no user. */
  users: UsersDescription | null;
  /** Time-series window; null for the default (1 s, widened for long runs). */
  timeSeriesWindowS: number | null;
  /** Retrying clients; null when clients do not retry. */
  retry: RetryDescription | null;
  stages: StageDescription[];
  /** Request classes (issue 16), in the scenario's order; null when the scenario declares none (one class). */
  classes: ClassDescription[] | null;
}

/** One class of requests (`classes:`): what it is, how much of the traffic, and how it is served. */
export interface ClassDescription {
  name: string;
  /** Share of the arrivals, in (0, 1] (the classes' shares sum to 1); null when the class has its own arrivals. */
  share: number | null;
  /** The class's own arrival process (`arrivals: { process: classes }`); null when it has a share. */
  arrivals: ArrivalsSpec | null;
  /** Smaller is served first by a `priority` discipline; 0 when not given. */
  priority: number;
  /** Priority was written in the file (a discipline that ignores it warns once). */
  priorityGiven: boolean;
  /** Weight under `weighted-fair`; 1 when not given. */
  weight: number;
  /** The class's latency objective; null when none. */
  slo: { target: string; latencyS: number; fraction: number } | null;
  /** Deadline from arrival at the system (seconds): what `earliest-deadline-first` orders by; Infinity for none. */
  deadlineS: number;
  /** Attributes its requests carry, by name. */
  attributes: Record<string, AttributeSpec>;
  /** Token bucket at the door (requests a second, and the most banked); null for none. */
  rateLimit: { rps: number; burst: number } | null;
  /** Shed before a stage whose queue holds this many or more; Infinity for never. */
  shedAtQueueLength: number;
  /** Shed before a stage whose estimated wait is this long or longer (seconds); Infinity for never. */
  shedAtEstimatedWaitS: number;
  /** Most requests of the class in the system at once (more are shed at the door); Infinity for no limit. */
  maxInFlight: number;
  /** The class's own users (keys no other class shares); null: it draws from the scenario's `users`. */
  users: UsersDescription | null;
}

/** `count` known users with Zipf (`zipf: s`) or uniform (0) popularity; a share of requests from new users. */
export interface UsersDescription {
  count: number;
  zipf: number;
  newUserShare: number;
}

/** Clients that time out and retry with exponential backoff (seconds). */
export interface RetryDescription {
  timeoutS: number;
  maxAttempts: number;
  backoffBaseS: number;
  backoffMaxS: number;
  jitter: 'full' | 'none';
  /** Retry budget; null for none. */
  budget: { ratio: number; minPerSecond: number } | null;
}

/**
 * The kinds of station a stage can be: the key of `stationRegistry`
 * (`src/models/stations/registry.ts`).
 */
export type StationKind = 'pool' | 'buffer' | 'fanout' | 'llm' | 'preemptive-pool';

/** One stage: its station and what stands in front of it. */
export interface StageDescription {
  name: string;
  /** Position in the scenario's `stages` (for messages). */
  index: number;
  kind: StationKind;
  /** Replicas at the start (per shard for a fan-out). */
  replicas: number;
  /** Batches one replica runs at once. */
  concurrency: number;
  /** Waiting room of each queue (the shared one, or each replica's or shard's); Infinity = unbounded. */
  queueCapacity: number;
  /** Largest batch (1 = no batching) and longest wait for one to fill. */
  maxBatch: number;
  maxWaitS: number;
  routing: RoutingPolicyName;
  /** Deadline from arrival at this stage, and from arrival at the system; Infinity for none. */
  deadlineS: number;
  systemDeadlineS: number;
  /**
   * Service time of one call. A stage served by a catalog model on catalog hardware
   * gets the model's linear profile for the device kind, divided by the hardware's speed.
   */
  service: ServiceSpec;
  /** Buffer stages: acknowledgement latency a producer sees; null otherwise. */
  ack: DistributionSpec | null;
  /** Scatter-gather; null for other stages. */
  fanout: FanoutDescription | null;
  /** A token-level LLM engine per replica (`kind: 'llm'`); null for other stages. */
  llm: LlmStageDescription | null;
  /** Catalog model and hardware named by the stage; null when none. */
  model: { name: string; entry: ModelEntry } | null;
  hardware: { name: string; entry: HardwareEntry } | null;
  /** Quality figure of the model served here; NaN for none. */
  quality: number;
  autoscale: AutoscaleDescription | null;
  /** Replica failures and scheduled outages (pool stages with a shared queue); null for none. */
  faults: FaultsDescription | null;
  cache: CacheDescription | null;
  fallback: FallbackDescription | null;
  /** A cascade: the share of answered requests that go on to the next main-path stage (the others leave the path); null: all go on. */
  escalate: { share: number } | null;
  precompute: PrecomputeDescription | null;
  /** Candidates a request carries after this stage, and the most it keeps; undefined when unchanged. */
  candidates: number | undefined;
  keep: number | undefined;
  /**
   * Candidates a request carries when it reaches this stage (set by the retrieval and
   * filter stages before it on the main path; 1 for a standby stage): what its mean
   * service time and capacity are read at.
   */
  candidatesIn: number;
  /** Named as a fallback or miss target: off the main path, it serves only what is diverted to it. */
  standby: boolean;
  /** A cache, fallback or prediction store stands in front, or a cascade escalates to it: not all traffic reaches the station. */
  shielded: boolean;
  /** Indices of the classes this stage serves (the others skip it); null when it serves every class. */
  classes: number[] | null;
  /** The queue discipline of a pool stage (`fifo` unless given); `by`: the attribute `shortest-first` orders by, else null. */
  discipline: { policy: DisciplineName; by: string | null };
}

/** Each request splits into one sub-request per shard and leaves when `quorum` have answered; hedging after `hedgeAfterS`. */
export interface FanoutDescription {
  shards: number;
  quorum: number;
  /**
   * Keys a request touches, each on a server (shard) drawn uniformly per request; one
   * sub-request per distinct server touched, all awaited (`quorum` is then unused).
   * null: one sub-request per shard.
   */
  keys: number | null;
  /** Infinity for no hedging. */
  hedgeAfterS: number;
  /** Most hedges per sub-request sent, counted over the run so far (a share in (0, 1]); Infinity for no cap. */
  hedgeBudget: number;
  /**
   * Tied requests: each sub-request goes to two replicas of its shard, the loser cancelled
   * at `cancel` (with `hedgeAfterS` finite, the second copy leaves that long after the
   * first); null for none.
   */
  tied: { cancel: 'onStart' | 'onFinish' } | null;
}

/** Kubernetes HPA settings (seconds). */
export interface AutoscaleDescription {
  /** A metric of `autoscaleMetrics` (src/models/autoscale-metrics.ts). */
  metric: AutoscaleMetricName;
  target: number;
  min: number;
  max: number;
  syncS: number;
  scaleUpWindowS: number;
  scaleDownWindowS: number;
  tolerance: number;
  /** Given, or (an `llm:` stage without one) the model load, deterministic (src/config/llm-load.ts). */
  coldStart: DistributionSpec;
  /** Kubernetes' scaling-rate policies (`behavior`), defaults applied; null: no rate limit (servesim before issue 17). */
  behavior: ScalingBehaviorDescription | null;
}

/** One HPA scaling policy: at most `value` pods, or `value` percent, of change per `periodS`. */
export interface ScalingPolicyDescription {
  type: 'Pods' | 'Percent';
  value: number;
  periodS: number;
}

/** The policies of one direction and how one is chosen (Max: the largest change, Min: the smallest, Disabled: none). */
export interface ScalingRulesDescription {
  selectPolicy: 'Max' | 'Min' | 'Disabled';
  policies: ScalingPolicyDescription[];
}

/** HPA `behavior`: scale-up and scale-down rules (stabilization windows are `scaleUpWindowS`/`scaleDownWindowS`). */
export interface ScalingBehaviorDescription {
  scaleUp: ScalingRulesDescription;
  scaleDown: ScalingRulesDescription;
}

/**
 * Faults of a stage (seconds): each replica fails `between` after it came up and is down
 * for `repair` (both null without random failures); scheduled outages take a share of
 * the replicas down together. `inFlight`: what becomes of the work a failed replica ran.
 */
export interface FaultsDescription {
  between: DistributionSpec | null;
  repair: DistributionSpec | null;
  /** Replicas repaired at once (Infinity: each failed replica has its own repairman). */
  crew: number;
  outages: ReadonlyArray<{ atS: number; durationS: number; share: number }>;
  inFlight: 'lost' | 'retry';
  /**
   * Gray failures: each replica (`scope: 'replica'`) or each shard's replicas together
   * (`'shard'`; a pool is one shard) turn slow `between` after they were last healthy,
   * for `duration`, serving `slowdown` times slower; null for none.
   */
  gray: { between: DistributionSpec; duration: DistributionSpec; slowdown: number; scope: 'replica' | 'shard' } | null;
  /**
   * The load balancer's health check, probing every `intervalS`: ejects a replica after
   * `failureThreshold` failed probes in a row, returns it after `successThreshold` passed
   * ones; `ejectSlow`: a slow replica fails the probe too. Null: a down replica leaves
   * rotation at once and comes back at once (an ideal dispatcher).
   */
  healthCheck: { intervalS: number; failureThreshold: number; successThreshold: number; ejectSlow: boolean } | null;
}

/** A cache over user keys in front of a stage. */
export interface CacheDescription {
  capacity: number;
  /** Eviction policy (`cachePolicyRegistry`). */
  policy: CachePolicyName;
  /** Infinity for no expiry. */
  ttlS: number;
  /** A hit restarts the entry's time-to-live. */
  ttlResetOnHit: boolean;
  hit: DistributionSpec;
  /** One cache per class, each its share of `capacity` (whole entries summing to it); null for one shared cache. */
  partitions: CachePartitionDescription[] | null;
}

/** One class's partition of a stage's cache. */
export interface CachePartitionDescription {
  className: string;
  classIndex: number;
  /** Its share of the capacity, as given. */
  share: number;
  /** Entries it holds (`splitCapacity`). */
  capacity: number;
}

/** Where a diverted request goes: another stage, or a heuristic answer. */
export type DivertDescription = { to: string } | { heuristic: { latency: DistributionSpec; quality: number } };

/** Divert when this many wait, or the estimated wait exceeds this (Infinity: never on that rule). */
export interface FallbackDescription {
  queueLength: number;
  estimatedWaitS: number;
  /** An LLM stage's trigger on its estimated time to first token (Infinity: never). */
  estimatedTtftS: number;
  target: DivertDescription;
}

/** A periodic batch job scoring the whole population, looked up online. */
export interface PrecomputeDescription {
  everyS: number;
  workers: number;
  batch: number;
  baseS: number;
  perItemS: number;
  /** A job finished before the run began (`start: warm`, the default). */
  warmStart: boolean;
  /** Quality of its predictions; NaN when unknown. */
  quality: number;
  /** Hardware the job's workers run on; null when not priced. */
  hardware: HardwareEntry | null;
  miss: DivertDescription;
}

/**
 * A stage of LLM engine replicas (docs/llm-scheduler.md), every default applied: the
 * step-time model, the scheduler's settings (vLLM's names), and the per-request token
 * counts its requests are given.
 */
export interface LlmStageDescription {
  /** The catalog profile named (`LLM_PROFILES`), or null for given coefficients or a table. */
  profile: string | null;
  /** Step time: BLIS coefficients (µs) or a measured table (µs); see src/models/llm/step-time*.ts. */
  step:
    | { kind: 'coefficients'; alpha: readonly [number, number, number]; beta: readonly [number, number, number] }
    | { kind: 'table'; prefillTokens: number[]; decodeTokens: number[]; stepUs: number[][]; alpha: readonly [number, number, number] }
    | {
        /** docs/llm-roofline.md: catalog model on catalog GPU, default efficiencies. */
        kind: 'roofline';
        model: string;
        gpu: string;
        tp: number;
        weights: 'bf16' | 'fp16' | 'fp8' | 'int4';
        kvCache: 'bf16' | 'fp16' | 'fp8';
        /** Share of GPU memory the engine may use (vLLM's gpu_memory_utilization). */
        memoryUtilization: number;
      };
  /** Coefficient of variation of a mean-1 lognormal factor on every step; 0 for none. */
  noiseCv: number;
  maxNumSeqs: number;
  maxBatchedTokens: number;
  chunkedPrefill: boolean;
  prefixCaching: boolean;
  blockSize: number;
  /** KV blocks per replica; null: derived from the roofline's memory account when the stage is built (`kvCapacity`). */
  kvBlocks: number | null;
  /** GPUs per replica (the profile's or roofline's tensor-parallel degree; 1 otherwise). */
  gpusPerReplica: number;
  tokens: TokensDescription;
  /** Per-request objectives a request meets when its TTFT and its TPOT are below them (seconds; Infinity when not set). */
  slo: { ttftS: number; tpotS: number };
  /** Separate prefill and decode pools (a roofline stage only); null for one pool of co-located replicas. */
  disaggregated: DisaggregatedDescription | null;
  /**
   * The catalog's published quality of the roofline's model at its weight format (the
   * quantized score, or the unquantized baseline for 16-bit weights); null where none is published.
   */
  quality: { benchmark: string; value: number; source: string } | null;
}

/** One pool of a disaggregated LLM stage: replicas, and the GPU and TP of each (the roofline's where not given). */
export interface LlmPoolDescription {
  replicas: number;
  gpu: string;
  tp: number;
}

/** Prefill/decode disaggregation: the two pools and the link a request's KV cache crosses between them. */
export interface DisaggregatedDescription {
  prefill: LlmPoolDescription;
  decode: LlmPoolDescription;
  /** Bytes per second of one prefill replica's link (transfers from one replica go one at a time). */
  linkBytesPerS: number;
  /** Fixed latency of one transfer, seconds. */
  linkLatencyS: number;
}

/** Per-request token counts: drawn from distributions, or read from trace columns. */
export interface TokensDescription {
  input: TokenDistributionSpec;
  output: TokenDistributionSpec;
  /** `groups` prefix groups sharing their first `tokens` prompt tokens; null for none. */
  prefix: { groups: number; tokens: number } | null;
}
