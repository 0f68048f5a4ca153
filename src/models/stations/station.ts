import type { Simulation, TimeWeighted } from '../../engine/index.ts';
import type { RoutingPolicyName, StageDescription, StationKind } from '../../config/description.ts';
import type { Request } from '../request.ts';
import type { ServiceTime } from '../service-time.ts';
import type { StageMetrics } from '../metrics/stage-metrics.ts';
import type { ScalableCapacity } from './capacity.ts';
import type { ClassTable } from '../disciplines/waiting-line.ts';

/**
 * A place requests are served: the pool of replicas, a fan-out over shards, and what
 * later kinds need (an LLM engine whose work is a sequence of iterations). Like SimPy's
 * resources, every kind takes requests the same way (`accept`) and hands them on
 * through the same typed links (`connect`); what differs is how it serves them.
 * Kinds are built from `stationRegistry` (`./registry.ts`) by `StageDescription.kind`.
 */
export interface Station {
  readonly kind: StationKind;
  readonly name: string;
  /** Quality figure of the model served here; NaN for none. */
  readonly quality: number;
  /** Replicas at the start (per shard for a fan-out). */
  readonly replicas: number;
  /** Execution slots at the start, every shard's. */
  readonly servers: number;
  /** A request arrives at this station. */
  accept(req: Request): void;
  /** Gives the station its links; called once, before the run. */
  connect(links: StationLinks): void;
  /** Counters over time (the time series, the autoscaler and the result read them). */
  readonly counters: StationCounters;
  /** Requests waiting now (all queues). */
  readonly waiting: number;
  /** Requests in service now. */
  readonly inService: number;
  /** Replicas ready to serve now. */
  readonly readyCount: number;
  /** Batches one replica runs at once. */
  readonly concurrency: number;
  /** What queueing theory and the load check read: the station's configuration. */
  readonly theory: StationTheory;
  /**
   * Highest rate the station can complete, requests per second, with `replicas`
   * replicas (default: the configured count): every slot running full batches back to
   * back. A fan-out's capacity is one shard's (every request visits every shard).
   */
  capacityRps(replicas?: number): number;
  /** The stage's collectors (`src/models/metrics/stage-collectors.ts`), told of every request event. */
  readonly metrics: StageMetrics;
  /** Restarts the time averages at `nowS` (end of warm-up) and starts the collectors measuring. */
  resetStats(nowS: number): void;
  /**
   * The cache in front of this station answered `req` (the station never sees it): an LLM
   * station gives it its token counts and counts them as served from cache. Optional.
   */
  answeredByCache?(req: Request): void;
}

/** Time-weighted counters a station keeps (lifetime and since warm-up). */
export interface StationCounters {
  /** Busy execution slots. */
  readonly busy: TimeWeighted;
  /** Waiting requests (all queues). */
  readonly queueLength: TimeWeighted;
  /** Requests in service (differs from busy slots when batching). */
  readonly inServiceCount: TimeWeighted;
  /** Execution slots of serving replicas (ready, or removed and finishing work). */
  readonly slots: TimeWeighted;
  /** Replicas ready to serve. */
  readonly readyReplicas: TimeWeighted;
  /** Replicas paid for: ready, provisioning, or draining. */
  readonly billedReplicas: TimeWeighted;
}

/** Restarts every time average of `c` at `nowS` (the end of warm-up): what each station's `resetStats` begins with. */
export function resetCounters(c: StationCounters, nowS: number): void {
  c.busy.reset(nowS);
  c.queueLength.reset(nowS);
  c.inServiceCount.reset(nowS);
  c.slots.reset(nowS);
  c.readyReplicas.reset(nowS);
  c.billedReplicas.reset(nowS);
}

/** What queueing theory and the load check know of a station before it runs. */
export interface StationTheory {
  /** Replicas at the start (per shard for a fan-out). */
  readonly replicas: number;
  readonly concurrency: number;
  /** Servers of one queueing station: replicas × concurrency (one shard's for a fan-out). */
  readonly servers: number;
  /** Shards every request visits (1 unless fan-out). */
  readonly shards: number;
  readonly fanout: boolean;
  /** A fan-out sends backup copies of slow sub-requests. */
  readonly hedged: boolean;
  readonly maxBatch: number;
  readonly routing: RoutingPolicyName;
  /** Waiting room of each queue; Infinity = unbounded. */
  readonly queueCapacity: number;
  /** Stage and system deadlines; Infinity for none. */
  readonly deadlineS: number;
  readonly systemDeadlineS: number;
  /** Mean of one unbatched call, at the candidates a request carries here (seconds). */
  readonly meanS: number;
  /** Mean of a full batch (`maxBatch` requests) at those candidates (seconds). */
  readonly fullBatchMeanS: number;
  /** Squared coefficient of variation of one unbatched call; undefined when it depends on request attributes. */
  readonly scv: number | undefined;
  /** An LLM stage's closed forms (`LlmTheory`); absent for every other kind. */
  readonly llm?: LlmTheory;
}

/**
 * What theory can say of an LLM stage (docs/llm-scheduler.md, "Time"), at the token
 * distributions' nominal means; NaN where the means or the coefficients are unknown
 * (token counts from a trace, a step-time table).
 */
export interface LlmTheory {
  meanInputTokens: number;
  meanOutputTokens: number;
  /** A request alone on an idle replica: α0 + α1·P + β0 + β1·P + α2 (P within the step budget), seconds. */
  ttftAloneS: number;
  /** Its E2E: TTFT + (O − 1)(β0 + β2 + α2), seconds. */
  e2eAloneS: number;
  /** The saturated batch of a replica (the smallest of maxNumSeqs, the KV cache's and the token budget's bounds). */
  kvBatch: number;
  /** Saturation estimate of the stage, requests per second (`LlmStation.capacityRps`). */
  capacityRps: number;
}

/** Where a station hands a request it has finished. */
export interface DoneTarget {
  stationDone(req: Request): void;
}

/** Where a station hands a request it turns away; `timedOut` tells a deadline from a full queue. */
export interface DropTarget {
  stationDropped(req: Request, timedOut: boolean): void;
}

/** Told before any time-weighted counter changes (the time series closes finished windows). */
export interface ChangeListener {
  advance(nowS: number): void;
}

/** A station's links, given once by `connect`. */
export interface StationLinks {
  done: DoneTarget;
  drop: DropTarget;
  changes: ChangeListener;
}

/** Links of a station not yet connected: using them is a wiring bug. */
export const UNCONNECTED: StationLinks = {
  done: {
    stationDone() {
      throw new Error('station used before connect()');
    },
  },
  drop: {
    stationDropped() {
      throw new Error('station used before connect()');
    },
  },
  changes: { advance() {} },
};

/** What building a station takes besides its description. */
export interface StationContext {
  sim: Simulation;
  /** The stage's service time (its own stream). */
  serviceTime: ServiceTime;
  /** The stage's collectors, which the station reports its requests' events to. */
  metrics: StageMetrics;
  /** Names of the numeric attributes requests carry (a trace's columns, then the classes'). */
  attributes: readonly string[];
  /** The run's request classes, as disciplines read them (one default class without `classes`). */
  classes: ClassTable;
}

/** Builds one kind of station. */
export type StationFactory = (desc: StageDescription, ctx: StationContext) => Station;

/** A station whose capacity an autoscaler may change (`ScalableCapacity`). */
export function isScalable(st: Station): st is Station & ScalableCapacity {
  const s = st as Partial<ScalableCapacity>;
  return typeof s.replicaRequested === 'function' && typeof s.replicaReady === 'function' && typeof s.removeReplica === 'function';
}
