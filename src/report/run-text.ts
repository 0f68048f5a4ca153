/**
 * Lines of a run's report that the terminal and the playground both show, in the same
 * words: what was measured, and how the SLO fared ("SLO p99 < 100ms: MISSED · 87.5% of
 * requests within target"). No Node import: the playground runs it in the browser.
 */
import { formatDuration } from '../config/duration.ts';
import type { Scenario } from '../config/schema.ts';
import type { RunResult, SloResult } from '../models/result.ts';
import { REQUESTS } from '../models/metrics/run-requests.ts';
import { SLO } from '../models/metrics/run-slo.ts';
import { fmtCount, fmtNum, formatFigure } from './figures.ts';

/** What was discarded before measuring: "after 40,000 warm-up requests", "after a 5m warm-up", "no warm-up". */
export function warmupText(warmup: Scenario['warmup']): string {
  if (warmup?.requests) return `after ${fmtCount(warmup.requests)} warm-up requests`;
  if (warmup?.duration) return `after a ${formatDuration(warmup.duration)} warm-up`;
  return 'no warm-up';
}

/** "seed 7 · 360,000 requests measured over 112,265 s of simulated time (after 40,000 warm-up requests)". */
export function measuredText(r: RunResult, warmup: Scenario['warmup']): string {
  return `seed ${r.seed} · ${formatFigure(REQUESTS.arrived, r.requests.arrived)} requests measured over ${fmtNum(r.measuredS)} s of simulated time (${warmupText(warmup)})`;
}

/** The parts of the SLO line: the objective, the verdict, and the attainment sentence. */
export interface SloText {
  /** "SLO p99 < 100ms". */
  title: string;
  verdict: 'MET' | 'MISSED';
  /** "87.5% of requests within target", with fmtPct's rule (99.95 % never reads 100.0 %). */
  attainment: string;
  /** The whole line: "SLO p99 < 100ms: MISSED · 87.5% of requests within target". */
  line: string;
}

/** The SLO verdict and attainment as the CLI prints them. */
export function sloText(slo: SloResult): SloText {
  const title = `SLO ${slo.target}`;
  const verdict = slo.met ? 'MET' : 'MISSED';
  const attainment = `${formatFigure(SLO.attainment, slo.attainment)} of requests within target`;
  return { title, verdict, attainment, line: `${title}: ${verdict} · ${attainment}` };
}
