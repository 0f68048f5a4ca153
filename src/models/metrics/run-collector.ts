/**
 * The shape of a run-level collector. `ServingSystem` tells its `RunMetrics` what
 * happens to whole requests (`RunEvents`: arrived, completed, dropped with its reason);
 * the hub applies the warm-up rule once and passes measured events on to the collectors
 * that listen to them. Each collector owns a group of the run's figures: it contributes
 * their typed fragment of `RunResult` at the end, and their `FigureDescriptor`s say how
 * every renderer names and writes them.
 *
 * Adding a run figure: a `run-*.ts` file here exporting a `RunCollectorKind`, its line
 * in `runCollectors` (`run-collectors.ts`), and its key in `RunResult` and
 * `RUN_RESULT_KEYS` (`../result.ts`).
 */
import type { SystemDescription } from '../../config/description.ts';
import type { BuiltStage } from '../build-stage.ts';
import type { RunResult, StageResult } from '../result.ts';
import type { StageNode } from '../stage-node.ts';
import type { Station } from '../stations/station.ts';
import type { FigureDescriptor } from './figure.ts';

/** Why a request failed for good: turned away by a station (queue full, buffer eviction) or out of time. */
export type RunDropReason = 'rejected' | 'timedOut';

/** What the run reports of whole requests (client calls, with retries), after the warm-up rule. */
export interface RunEvents {
  /** A measured request arrived. */
  arrived(): void;
  /**
   * Any request (warm-up ones included) completed after measurement started, `latencyS`
   * after it arrived: rates over the measured span count every departure in it.
   */
  departed(latencyS: number): void;
  /**
   * A measured request completed; `quality` and `freshnessS` are NaN when nothing gave one.
   * `waitedS`: its queue waits summed over its stages, kept only with a waiting-time objective (0 otherwise).
   */
  completed(latencyS: number, quality: number, freshnessS: number, waitedS: number): void;
  /** A measured request failed for good. */
  dropped(reason: RunDropReason): void;
  /** Retrying clients: an attempt of a measured request was sent (the first one included). */
  attemptSent(): void;
  /** Retrying clients: a measured request's retry was scheduled, or refused by the retry budget (`allowed` false). */
  retry(allowed: boolean): void;
  /** Retrying clients: an answer came back after the client had given up on that attempt. */
  answerWasted(): void;
  /** Retrying clients: a measured request ended (answered or failed) after `attempts` attempts. */
  callEnded(attempts: number): void;
}

/** The measured span: from the end of warm-up (`startS`) to the run's last event (`endS`). */
export interface MeasuredSpan {
  startS: number;
  endS: number;
  spanS: number;
}

/**
 * What a run collector may read at the end besides what it heard: the span, the system
 * and its built parts, the stages' assembled results, and its sibling collectors.
 */
export interface RunContext extends MeasuredSpan {
  readonly system: SystemDescription;
  readonly built: readonly BuiltStage[];
  /** The main path's nodes, in order. */
  readonly nodes: readonly StageNode[];
  /** Every stage's station, in the scenario's order. */
  readonly stations: readonly Station[];
  /** Every stage's result, already assembled. */
  readonly stages: Readonly<Record<string, StageResult>>;
  /** The run's collector of a kind (undefined when the kind does not apply to the run). */
  of<C extends RunCollector>(kind: RunCollectorKind<C>): C | undefined;
}

/**
 * One run collector. The event methods are optional: a collector is put on an event's
 * list only when it has the method, so a figure costs the completion path only the
 * events it hears.
 */
export type RunCollector = Partial<RunEvents> & {
  /** This collector's keys of the run's result. */
  result(run: RunContext): Partial<RunResult>;
};

/** A kind of run collector, as the registry lists it. */
export interface RunCollectorKind<C extends RunCollector = RunCollector> {
  /** The `RunResult` keys it contributes (their place in the output is `RUN_RESULT_KEYS`'). */
  readonly keys: ReadonlyArray<keyof RunResult>;
  /** How its figures are named and written. */
  readonly figures: readonly FigureDescriptor[];
  /** A collector for one run. */
  create(system: SystemDescription): C;
}

/** A figure descriptor of scope 'run' (keeps collector files short). */
export function runFigure(path: string, label: string, format: FigureDescriptor['format'], higherIsBetter: boolean | null, short?: string): FigureDescriptor {
  return { path, scope: 'run', label, ...(short !== undefined ? { short } : {}), format, higherIsBetter };
}
