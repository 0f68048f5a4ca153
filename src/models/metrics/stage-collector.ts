/**
 * The shape of a stage-level collector. A station tells its stage's `StageMetrics`
 * what happens to requests (`StageEvents`); the hub applies the warm-up rule once and
 * passes measured events on to the collectors that listen to them. Each collector owns
 * a group of figures of one stage's `StageResult`: it contributes their typed fragment
 * at the end, and their `FigureDescriptor`s say how every renderer names and writes them.
 *
 * Adding a stage figure: a `stage-*.ts` file here exporting a `StageCollectorKind`, its
 * line in `stageCollectors` (`stage-collectors.ts`), and its key in `StageResult`
 * (`../result.ts`).
 */
import type { StageDescription, SystemDescription } from '../../config/description.ts';
import type { QuantileSketch } from '../../engine/index.ts';
import type { Request } from '../request.ts';
import type { StageResult } from '../result.ts';
import type { FigureDescriptor } from './figure.ts';
import type { MeasuredSpan } from './run-collector.ts';
import type { Station } from '../stations/station.ts';
import type { ScalingDecision } from '../autoscaler.ts';
import type { FaultInjector } from '../faults.ts';

/**
 * The station itself at the end of the run, for the figures its own time-weighted
 * counters hold (utilization, queue length, replicas, the bill): no event carries them.
 */
export interface StationReading {
  readonly station: Station;
  /** The stage's autoscaler's decisions, when it has one. */
  readonly scaling: readonly ScalingDecision[] | undefined;
  /** The stage's fault injector, when it has faults. */
  readonly faults?: FaultInjector | undefined;
}

/**
 * Why a station turned a request away: a full queue, its deadline, pushed out of a full
 * buffer by a newer one, (an LLM engine) a request that can never fit its KV cache or token budget,
 * or lost with the replica that was serving it (`failure`, faults: src/models/faults.ts).
 */
export type DropReason = 'full' | 'deadline' | 'oldest' | 'never-fits' | 'failure';

/** What a station reports of the requests it handles (every request, warm-up ones included). */
export interface StageEvents {
  /** A producer handed `req` over and was acknowledged `ackS` later (buffers). */
  acked(req: Request, ackS: number): void;
  /** `req` left the queue for service after waiting `waitS` (0 when it started at once). */
  waited(req: Request, waitS: number): void;
  /** A batch of `size` requests started service. */
  batchStarted(size: number): void;
  /** `req` leaves the station, served. */
  finished(req: Request): void;
  /** `req` was turned away for good. */
  dropped(req: Request, reason: DropReason): void;
  /** A fan-out sent one sub-request of `parent` to a shard. */
  subRequestSent(parent: Request): void;
  /** A fan-out sent a backup copy of the slow sub-request `req`. */
  hedgeSent(req: Request): void;
  /** The stage's node looked `req` up in its prediction store and found a prediction (`found`) or not. */
  predictionLookup(req: Request, found: boolean): void;
  /** The stage's node looked `req` up in its cache. */
  cacheLookup(req: Request, hit: boolean): void;
  /** The stage's fallback rule sent `req` to a lighter model or a heuristic. */
  diverted(req: Request): void;
  /** `req` left the stage's node `inStageS` after reaching it (waited and served, a cache hit, or a diverted path). */
  nodeLeft(req: Request, inStageS: number): void;
}

/**
 * One stage collector of a run. The event methods are optional: a collector is put on
 * an event's list only when it has the method, so a figure costs a station's hot path
 * only the events it hears. Events reach it for measured requests only (and batches
 * started after warm-up).
 */
export type StageCollector = Partial<StageEvents> & {
  /**
   * This collector's keys of the stage's result, in the contract's order. `stage` finds
   * the stage's other collectors, for a figure derived from what another one keeps.
   */
  result(stage: StageCollectorReader, span: MeasuredSpan, at: StationReading): Partial<StageResult>;
  /**
   * Told when the stage is the whole main path, entered on arrival, with no retrying
   * client: every `nodeLeft` time is then exactly a measured request's end-to-end
   * latency, recorded in `latency` in the same order. A collector that keeps only those
   * times may adopt the sketch and return true; it then hears no more `nodeLeft`.
   */
  adoptEndToEnd?(latency: QuantileSketch): boolean;
};

/** Finds a stage's collector of a kind (undefined when the kind does not apply to the stage). */
export interface StageCollectorReader {
  of<C extends StageCollector>(kind: StageCollectorKind<C>): C | undefined;
}

/**
 * Where a collector's keys sit in a stage's JSON object (key order is part of the
 * contract: goldens compare bytes). `station`: first (replicas, load, queue length);
 * `queue`: after those; then the stage's own `model` and `hardware`; `bill`: after them;
 * then `quality`; `replicas`: after it (replicas over time, scaling); `kind`: after those;
 * `node`: after those (time in stage, cache, precompute: what the stage's node measures);
 * `end`: last.
 */
export type StagePlacement = 'station' | 'queue' | 'bill' | 'replicas' | 'kind' | 'node' | 'end';

/** A kind of stage collector, as the registry lists it. */
export interface StageCollectorKind<C extends StageCollector = StageCollector> {
  /** The `StageResult` keys it contributes, in order. */
  readonly keys: ReadonlyArray<keyof StageResult>;
  readonly placement: StagePlacement;
  /** How its figures are named and written. */
  readonly figures: readonly FigureDescriptor[];
  /** Whether a stage has these figures at all (a buffer's ack latency, a fan-out's hedging; `system`: the run's, e.g. its objectives). */
  appliesTo(d: StageDescription, system: SystemDescription): boolean;
  /** A collector for one stage of one run (`system`: the whole run's description). */
  create(d: StageDescription, system: SystemDescription): C;
}

/** A figure descriptor of scope 'stage' (keeps collector files short). */
export function stageFigure(path: string, label: string, format: FigureDescriptor['format'], higherIsBetter: boolean | null, short?: string): FigureDescriptor {
  return { path, scope: 'stage', label, ...(short !== undefined ? { short } : {}), format, higherIsBetter };
}

/** Mean, p50 and p99 of a sketch in milliseconds. */
export function msSummary(s: { mean: number; quantile(q: number): number }): { mean: number; p50: number; p99: number } {
  return { mean: s.mean * 1000, p50: s.quantile(0.5) * 1000, p99: s.quantile(0.99) * 1000 };
}
