/**
 * The table of a plan over listed values (issue 15: GPU type, TP degree, weight format
 * and replica count of an LLM fleet): one row per combination with its fewest replicas
 * meeting the objective, TTFT/TPOT p99, KV utilization, $/hour, $/M output tokens and
 * the verdict, the cheapest marked `*`. Rows come from `planConfigurations`, the same
 * rows `plan --json` carries as `configurations`.
 */
import { planConfigurations, type PlanResult } from '../experiments/plan.ts';
import { shortNames, type DoesNotFit } from '../experiments/llm-grid.ts';
import { fmtNum, fmtPct, fmtUsd } from './format.ts';

/** What a skipped configuration's verdict says: the memory it needs per GPU, or why its TP cannot split the model. */
export function doesNotFitText(d: DoesNotFit): string {
  if (d.kind === 'memory') return `does not fit: needs ${d.needGiBPerGpu!.toFixed(1)} GiB per GPU, ${d.usableGiBPerGpu!.toFixed(1)} usable${d.fitsAtTp !== undefined ? ` (tp ${d.fitsAtTp} fits)` : ''}`;
  if (d.kind === 'split') return `cannot split: ${d.message}`;
  return 'no price in the catalog';
}

/** True when a plan's choices are best read as the table: it lists values and its scenario has an LLM stage. */
export function wantsPlanTable(r: PlanResult): boolean {
  return r.lists.length > 0 && (r.perCombination.some((c) => c.doesNotFit !== undefined) || r.evaluated.some((p) => p.aggregate?.first.llm !== undefined));
}

/** The table's lines, or none when the plan lists no values. */
export function planTableLines(r: PlanResult): string[] {
  if (r.lists.length === 0) return [];
  const rows = planConfigurations(r);
  const llm = rows.some((x) => x.ttftP99Ms !== null || x.doesNotFit !== undefined);
  const paths = r.lists.map((l) => l.path);
  const cost = (x: number | null) => (x === null ? '–' : r.costIsReplicas ? String(x) : fmtUsd(x));
  const cols = ['', ...shortNames(paths), r.count.path.split('.').pop()!, ...(llm ? ['TTFT p99 ms', 'TPOT p99 ms', 'KV used'] : ['p99 ms']), r.costIsReplicas ? 'replicas' : '$/hour', ...(llm ? ['$/M out tokens'] : []), 'verdict'];
  const cells = rows.map((x) => [
    x.verdict === 'cheapest' ? '*' : '',
    ...paths.map((p) => String(x.assignment[p])),
    x.count === null ? '–' : x.meets ? String(x.count) : `>${x.count}`,
    ...(llm ? [x.ttftP99Ms === null ? '–' : fmtNum(x.ttftP99Ms), x.tpotP99Ms === null ? '–' : fmtNum(x.tpotP99Ms), x.kvUtilization === null ? '–' : fmtPct(x.kvUtilization)] : [x.p99Ms === null ? '–' : fmtNum(x.p99Ms)]),
    x.doesNotFit ? '–' : cost(x.costPerHourUsd),
    ...(llm ? [x.perMillionOutputTokensUsd === null ? '–' : fmtUsd(x.perMillionOutputTokensUsd)] : []),
    x.doesNotFit ? doesNotFitText(x.doesNotFit) : x.verdict,
  ]);
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (row: readonly string[]) => row.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [line(cols), ...cells.map(line)];
  const misses = rows.filter((x) => !x.meets && x.doesNotFit === undefined);
  const notes: string[] = [];
  if (rows.some((x) => x.verdict === 'cheapest')) notes.push('* the cheapest meeting the objective');
  if (misses.length > 0) notes.push(`>${r.count.hi}: no ${r.count.path.split('.').pop()} up to ${r.count.hi} meets it (figures at ${r.count.hi})`);
  return [...out, ...(notes.length > 0 ? [`(${notes.join('; ')})`] : [])];
}
