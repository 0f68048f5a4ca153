/**
 * The LLM columns of `servesim sweep`'s table (issue 14): p99 TTFT and TPOT, the share of
 * requests meeting both objectives (with `slo: { ttft, tpot }`) and the cost per million
 * output tokens, read from each point's aggregate. No columns for a scenario without an
 * LLM stage, so other sweeps print as before.
 */
import { estimateAt, type Aggregate } from '../experiments/aggregate.ts';
import { fmtEstimate } from '../report/figures.ts';
import { fmtNum, fmtPct, fmtUsd } from './format.ts';

/** The columns' headers, and a point's cells; `kvUtilization` adds the mean share of KV blocks in use (a grid sweep's). */
export function llmSweepColumns(points: readonly Aggregate[], opts: { kvUtilization?: boolean } = {}): { columns: string[]; cells: (a: Aggregate) => string[] } {
  const has = (path: string) => points.some((a) => estimateAt(a.figures, path) !== undefined);
  if (!has('llm.ttftMs.p99')) return { columns: [], cells: () => [] };
  const withSlo = has('llm.slo.attainment');
  const withCost = has('llm.cost.perMillionOutputTokensUsd');
  const num = (a: Aggregate, path: string, f: (x: number) => string = fmtNum): string => {
    const e = estimateAt(a.figures, path);
    if (e === undefined || !Number.isFinite(e.mean)) return '–';
    return fmtEstimate(e.mean, e.ci95, f);
  };
  return {
    columns: ['TTFT p99 ms', 'TPOT p99 ms', ...(withSlo ? ['both SLOs'] : []), ...(withCost ? ['$/M out tokens'] : []), ...(opts.kvUtilization ? ['KV used'] : [])],
    cells: (a) => [
      num(a, 'llm.ttftMs.p99'),
      num(a, 'llm.tpotMs.p99'),
      ...(withSlo ? [num(a, 'llm.slo.attainment', fmtPct)] : []),
      ...(withCost ? [num(a, 'llm.cost.perMillionOutputTokensUsd', fmtUsd)] : []),
      ...(opts.kvUtilization ? [num(a, 'llm.kvUtilization.mean', fmtPct)] : []),
    ],
  };
}
