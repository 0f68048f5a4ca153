/**
 * Figures per request class (issue 16): each class's counts, latency, drop rate,
 * objective and goodput, under the run's warm-up rule (the same one `RunMetrics`
 * applies: per-request figures for measured requests, goodput for every completion
 * once measurement has started, like `slo.goodputRps`). It hears no `RunEvents` (they
 * carry no class): `ServingSystem` tells it the class of each arrival, completion and
 * drop, and only when the scenario declares `classes`; without them the run gets a
 * collector that hears nothing and the result has no `classes` key.
 */
import { QuantileSketch } from '../../engine/index.ts';
import type { ClassDescription } from '../../config/description.ts';
import type { ShedReason } from '../classes.ts';
import type { LatencySummaryMs, RunResult, SloResult } from '../result.ts';
import { cdfOf } from './sketch-cdf.ts';
import { latencySummaryMs } from './run-latency.ts';
import { runFigure, type RunCollectorKind, type RunContext } from './run-collector.ts';

/** One class's figures in `--json` (`classes.<name>`). */
export interface ClassResult {
  /** Measured requests of the class: arrived = completed + dropped + inFlight. */
  requests: { arrived: number; completed: number; dropped: number; timedOut: number; inFlight: number };
  latencyMs: LatencySummaryMs;
  /** dropped / arrived; 0 with no arrival. */
  dropRate: number;
  /** The class's objective (`classes[].slo`); null when it has none. */
  slo: SloResult | null;
  /** Completions within the class's objective per second of the measured span; its throughput without one. */
  goodputRps: number;
  /** Completions per second of the measured span. */
  throughputRps: number;
  /** Measured requests admission control shed (part of `dropped`), by reason: the class's rate limit, a stage's queue at the class's threshold, the class's in-flight limit (`maxInFlight`), a stage's estimated wait at the class's threshold. */
  shed: { rateLimit: number; queueLength: number; concurrency: number; estimatedWait: number };
  /** The class's latency distribution, [ms, share] pairs increasing in ms (the reports' per-class CDF); empty with no completion. */
  cdfMs: Array<[number, number]>;
}

/** How the text output shows a class's figures (keys relative to `classes.<name>`). */
export const CLASS_FIGURES = {
  arrived: runFigure('requests.arrived', 'requests measured', 'count', null, 'arrived'),
  p50: runFigure('latencyMs.p50', 'p50 latency', 'ms', false, 'p50'),
  p99: runFigure('latencyMs.p99', 'p99 latency', 'ms', false, 'p99'),
  mean: runFigure('latencyMs.mean', 'mean latency', 'ms', false, 'mean'),
  dropRate: runFigure('dropRate', 'drop rate', 'pct', false, 'drop rate'),
  goodputRps: runFigure('goodputRps', 'goodput', 'rate', true, 'goodput'),
} as const;

/** One class's tallies. */
class ClassTally {
  arrived = 0;
  completed = 0;
  dropped = 0;
  timedOut = 0;
  shedRate = 0;
  shedQueue = 0;
  shedWait = 0;
  shedConcurrency = 0;
  withinSlo = 0;
  departures = 0;
  departuresWithinSlo = 0;
  readonly latency = new QuantileSketch();
  constructor(readonly desc: ClassDescription) {}
}

/** Every class's tallies, fed by `ServingSystem` (its methods are not `RunEvents` names, so `RunMetrics` never calls them). */
export class ClassMetrics {
  private readonly tallies: ClassTally[];
  private readonly targetsS: number[];

  constructor(classes: readonly ClassDescription[]) {
    this.tallies = classes.map((c) => new ClassTally(c));
    this.targetsS = classes.map((c) => c.slo?.latencyS ?? Infinity);
  }

  /** A measured arrival of class `k`. */
  classArrived(k: number): void {
    this.tallies[k]!.arrived++;
  }

  /** A completion of class `k`, `latencyS` after it arrived; `measuring`: measurement has started. */
  classCompleted(k: number, measured: boolean, measuring: boolean, latencyS: number): void {
    if (!measuring) return;
    const t = this.tallies[k]!;
    const within = latencyS < this.targetsS[k]!;
    t.departures++;
    if (within) t.departuresWithinSlo++;
    if (!measured) return;
    t.completed++;
    if (within) t.withinSlo++;
    t.latency.record(latencyS);
  }

  /** A measured drop of class `k`. */
  classDropped(k: number, measured: boolean, timedOut: boolean): void {
    if (!measured) return;
    const t = this.tallies[k]!;
    t.dropped++;
    if (timedOut) t.timedOut++;
  }

  /** A measured request of class `k` shed by admission control (`reason`); it counts as dropped. */
  classShed(k: number, measured: boolean, reason: ShedReason): void {
    if (!measured) return;
    const t = this.tallies[k]!;
    t.dropped++;
    if (reason === 'rateLimit') t.shedRate++;
    else if (reason === 'concurrency') t.shedConcurrency++;
    else if (reason === 'queueLength') t.shedQueue++;
    else t.shedWait++;
  }

  /** Every class's figures, in the scenario's order, over the measured span. */
  result(run: RunContext): Pick<RunResult, 'classes'> {
    return { classes: this.figures(run.spanS) };
  }

  /** Every class's figures over a measured span of `spanS` seconds. */
  figures(spanS: number): Record<string, ClassResult> {
    const out: Record<string, ClassResult> = {};
    for (const t of this.tallies) {
      const l = t.latency;
      const slo = t.desc.slo;
      const rate = (n: number) => (spanS > 0 ? n / spanS : 0);
      out[t.desc.name] = {
        requests: { arrived: t.arrived, completed: t.completed, dropped: t.dropped, timedOut: t.timedOut, inFlight: t.arrived - t.completed - t.dropped },
        latencyMs: latencySummaryMs(l),
        dropRate: t.arrived > 0 ? t.dropped / t.arrived : 0,
        slo:
          slo === null
            ? null
            : {
                target: slo.target,
                attainment: t.arrived > 0 ? t.withinSlo / t.arrived : NaN,
                goodputRps: rate(t.departuresWithinSlo),
                met: t.arrived > 0 && t.withinSlo / t.arrived >= slo.fraction,
              },
        goodputRps: rate(t.departuresWithinSlo),
        throughputRps: rate(t.departures),
        shed: { rateLimit: t.shedRate, queueLength: t.shedQueue, concurrency: t.shedConcurrency, estimatedWait: t.shedWait },
        cdfMs: cdfOf(l),
      };
    }
    return out;
  }
}

/** Without `classes` the collector hears nothing and adds no key. */
class NoClasses {
  result(): Partial<RunResult> {
    return {};
  }
}

/**
 * The registry entry. Its descriptors (`CLASS_FIGURES`, relative to `classes.<name>`)
 * are not listed as run figures: their paths hold a class name.
 */
export const classesCollector: RunCollectorKind<ClassMetrics | NoClasses> = {
  keys: ['classes'],
  figures: [],
  create: (s) => (s.classes === null ? new NoClasses() : new ClassMetrics(s.classes)),
};
