/**
 * The run's plain-words warnings about what its figures mean (`RunResult.warnings`):
 * the one place their English is written. Overload warnings come from the load check
 * (`load-check.ts`); the rest are about the measured span.
 */
import type { MeasuredSpan } from './metrics/run-collector.ts';
import type { SystemDescription } from '../config/description.ts';
import type { Autoscaler } from './autoscaler.ts';
import { overloadWarnings } from './load-check.ts';
import type { Station } from './stations/station.ts';
import { llmWarnings } from './metrics/llm-result.ts';
import { classWarnings } from './classes.ts';

/** What the warnings read of a run. */
export interface WarningInputs {
  system: SystemDescription;
  /** The arrival process's mean rate (requests/s). */
  arrivalRateRps: number;
  /** The main path's stations, in order. */
  mainPath: readonly Station[];
  autoscalers: ReadonlyMap<string, Autoscaler>;
  /** Stages behind a cache, fallback or prediction store. */
  shielded: ReadonlySet<string>;
  span: MeasuredSpan;
  /** Every stage's station, in the scenario's order. */
  stations: readonly Station[];
}

/** Every warning of a run, in the order the result lists them: overload first, then the measured span's, then the LLM stages' (`metrics/llm-result.ts`). */
export function runWarnings(w: WarningInputs): string[] {
  return [
    ...overloadWarnings(w.arrivalRateRps, w.mainPath, w.autoscalers, w.shielded),
    ...spanWarnings(
      w.system,
      w.mainPath.map((s) => s.name),
      w.span,
    ),
    ...llmWarnings(w.system, w.stations),
    ...classWarnings(w.system),
  ];
}

/** A span in the units a scenario would write: "200s", "45m", "24h". */
export function fmtSpan(s: number): string {
  if (s >= 3600 && Number.isInteger(s / 3600)) return `${s / 3600}h`;
  if (s >= 3600) return `${(s / 3600).toFixed(1)}h`;
  if (s >= 60) return `${Math.round(s / 60)}m`;
  return `${Math.round(s)}s`;
}

/**
 * Warnings about the measured span, for the main path's stages (`mainPath`: their
 * names, in order): a prediction store whose batch job's cycle is longer than the span
 * has figures for that stretch only.
 */
export function spanWarnings(system: SystemDescription, mainPath: readonly string[], span: MeasuredSpan): string[] {
  const out: string[] = [];
  for (const name of mainPath) {
    const pre = system.stages.find((s) => s.name === name)?.precompute ?? null;
    if (pre === null || span.spanS >= pre.everyS) continue;
    out.push(
      `stage "${name}": the run measures ${fmtSpan(span.spanS)} of the batch job's ${fmtSpan(pre.everyS)} cycle, so freshness, coverage and the job's bill describe that stretch, not an average day; run a whole cycle (stop: { duration: "${fmtSpan(pre.everyS)}" }) for daily figures`,
    );
  }
  return out;
}
