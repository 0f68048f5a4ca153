import Table from 'cli-table3';
import type { RunResult } from '../models/result.ts';
import type { Scenario } from '../config/schema.ts';
import { shownField, shownText } from '../config/shown.ts';
import { fmtCount, fmtNum, fmtPct, fmtUsd } from '../report/numbers.ts';
import { measuredText, sloText } from '../report/run-text.ts';
import { stageTable } from '../report/stage-table.ts';
import { llmLatencyRows, llmSummaryLines } from '../report/llm-text.ts';

/**
 * A user's string (scenario, stage, model or hardware name, description) for one
 * terminal line: control characters, ANSI escapes included, replaced by U+FFFD.
 */
export function term(text: string): string {
  return shownField(text, Infinity);
}

// The terminal's numbers are everyone's (report, playground): one set of formatters.
export { fmtCount, fmtNum, fmtPct, fmtUsd, group } from '../report/numbers.ts';

const plain = {
  chars: {
    top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
    bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
    left: '  ', 'left-mid': '', mid: '', 'mid-mid': '',
    right: '', 'right-mid': '', middle: '  ',
  },
  style: { head: [] as string[], border: [] as string[], 'padding-left': 0, 'padding-right': 0 },
};

/** A borderless table; the first `alignLeft` columns align left, the rest right. */
function table(head: string[], rows: string[][], alignLeft = 1): string {
  const t = new Table({ ...plain, head, colAligns: head.map((_, i) => (i < alignLeft ? 'left' : 'right')) });
  for (const r of rows) t.push(r);
  return t.toString();
}

/** The human report of one run: what a newcomer reads in seconds. */
export function formatRun(s: Scenario, r: RunResult): string {
  const lines: string[] = [];
  lines.push(`servesim · ${term(r.scenario)}${s.description ? ` — ${term(s.description)}` : ''}`);
  lines.push(measuredText(r, s.warmup));
  lines.push('');
  lines.push('End-to-end latency (ms)');
  const l = r.latencyMs;
  lines.push(table(['mean', 'p50', 'p90', 'p99', 'p99.9', 'max'], [[l.mean, l.p50, l.p90, l.p99, l.p999, l.max].map(fmtNum)], 0));
  lines.push('');
  const timedOut = r.requests.timedOut > 0 ? ` · timed out ${fmtCount(r.requests.timedOut)} of them` : '';
  lines.push(
    `Throughput ${fmtNum(r.throughputRps)} req/s · completed ${fmtCount(r.requests.completed)} · dropped ${fmtCount(r.requests.dropped)} (${fmtPct(r.dropRate)})${timedOut}`,
  );
  if (r.slo) {
    lines.push(`${sloText(r.slo).line} (drops count as misses) · goodput ${fmtNum(r.slo.goodputRps)} req/s`);
  }
  if (r.cost.perHour > 0) {
    lines.push(
      `Cost ${fmtUsd(r.cost.perHour)}/hour at this capacity · ${fmtUsd(r.cost.perMillionRequests)} per million requests · paid capacity ${fmtPct(r.cost.paidUtilization)} busy` +
        (r.cost.unpricedStages.length > 0 ? ` (no hardware named for: ${r.cost.unpricedStages.map(term).join(', ')})` : ''),
    );
  }
  if (r.retries) {
    const rt = r.retries;
    lines.push(
      `Retries: clients sent ${fmtNum(rt.attemptRatePerRequest)} attempts per request (${fmtCount(rt.retries)} retries, ${fmtCount(rt.budgetDenied)} refused by the budget, ${fmtCount(rt.wastedAnswers)} answers thrown away after a timeout)`,
    );
  }
  for (const [name, st] of Object.entries(r.stages)) {
    if (st.scalingDecisions !== undefined) {
      lines.push(`Autoscaling "${term(name)}": ${fmtNum(st.meanReplicas)} replicas on average, at most ${st.maxReplicas}, ${st.scalingDecisions} scaling decisions`);
    }
    if (st.ackMs !== undefined) {
      lines.push(`Buffer "${term(name)}": producers acknowledged in ${fmtNum(st.ackMs.mean)} ms on average (p99 ${fmtNum(st.ackMs.p99)} ms); ${fmtCount(st.lostOldest ?? 0)} messages lost to retention`);
    }
  }
  if (r.freshness !== null) {
    const h = (x: number) => `${fmtNum(x / 3600)} h`;
    lines.push(`Freshness: predictions served were ${h(r.freshness.meanS)} old on average (p50 ${h(r.freshness.p50S)}, p99 ${h(r.freshness.p99S)})`);
  }
  if (r.coverage !== null) lines.push(`Coverage: ${fmtPct(r.coverage)} of lookups found a precomputed prediction; the rest took the fallback`);
  if (r.degradedShare > 0) lines.push(`Degraded: ${fmtPct(r.degradedShare)} of requests were sent to a lighter model or a heuristic by a fallback rule`);
  if (r.hedgeExtraLoad !== null && r.hedgeExtraLoad > 0) lines.push(`Hedging sent ${fmtPct(r.hedgeExtraLoad)} extra sub-requests`);
  if (r.quality !== null) {
    const metric = r.qualityMetric && r.qualityMetric !== 'quality' ? `${term(r.qualityMetric)} ` : '';
    lines.push(`Quality ${metric}${r.quality.toFixed(4)} (request-weighted, of the model that served each request)`);
  }
  lines.push('');
  const waitMs = Object.values(r.stages).reduce((a, st) => a + st.queueWaitMs.mean * (st.completed / Math.max(1, r.requests.completed)), 0);
  if (r.requests.completed > 0 && l.mean > 0) {
    lines.push(
      `Of the mean latency of ${fmtNum(l.mean)} ms, ${fmtNum(waitMs)} ms (${fmtPct(waitMs / l.mean)}) is spent waiting in queues for a free replica; the rest is service.`,
    );
    lines.push('');
  }
  lines.push('Stages');
  const t = stageTable(r);
  const rows = t.rows.map((row) => row.cells.map((c) => term(c.text)));
  lines.push(table(t.columns.map((c) => c.label), rows, t.columns.filter((c) => c.align === 'left').length));
  if (r.llm !== undefined) {
    // LLM stages (issue 14): token-level figures (src/report/llm-text.ts).
    const lt = llmLatencyRows(r.llm);
    lines.push('', 'LLM serving', table(lt.head, lt.rows), ...llmSummaryLines(r.llm));
  }
  for (const w of r.warnings) {
    lines.push('');
    lines.push(`warning: ${shownText(w)}`);
  }
  return lines.join('\n');
}
