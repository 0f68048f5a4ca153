import Table from 'cli-table3';
import type { RunResult } from '../models/result.ts';
import type { Scenario } from '../config/schema.ts';
import { shownField, shownText } from '../config/shown.ts';
import { COST } from '../models/metrics/run-cost.ts';
import { BUFFER } from '../models/metrics/stage-buffer.ts';
import { FAULTS } from '../models/metrics/stage-faults.ts';
import { CACHE_PARTITION } from '../models/metrics/stage-cache-partitions.ts';
import { COVERAGE } from '../models/metrics/run-coverage.ts';
import { DEGRADED } from '../models/metrics/run-degraded.ts';
import { DROPS } from '../models/metrics/run-drops.ts';
import { HEDGING } from '../models/metrics/run-hedging.ts';
import { LATENCY } from '../models/metrics/run-latency.ts';
import { QUALITY } from '../models/metrics/run-quality.ts';
import { SLO } from '../models/metrics/run-slo.ts';
import { WAIT_SLO } from '../models/metrics/run-wait-slo.ts';
import { WAITED_SHARE } from '../models/metrics/stage-waited-share.ts';
import { WAIT_WITHIN } from '../models/metrics/stage-wait-within.ts';
import { THROUGHPUT } from '../models/metrics/run-throughput.ts';
import { columnHeader, figureAt, fmtCount, fmtNum, fmtPct, formatCell, formatFigure } from '../report/figures.ts';
import { measuredText, sloText } from '../report/run-text.ts';
import { stageTable } from '../report/stage-table.ts';
import { llmLatencyRows, llmSummaryLines } from '../report/llm-text.ts';
import { classTable, shedLines } from '../report/class-table.ts';

/**
 * A user's string (scenario, stage, model or hardware name, description) for one
 * terminal line: control characters, ANSI escapes included, replaced by U+FFFD.
 */
export function term(text: string): string {
  return shownField(text, Infinity);
}

// The terminal's numbers are everyone's (report, playground): one set of formatters.
export { fmtCount, fmtNum, fmtPct, fmtUsd, group } from '../report/figures.ts';

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
  const latency = [LATENCY.mean, LATENCY.p50, LATENCY.p90, LATENCY.p99, LATENCY.p999, LATENCY.max];
  lines.push(table(latency.map((d) => columnHeader(d)), [latency.map((d) => formatCell(d, figureAt(r, d)))], 0));
  lines.push('');
  const timedOut = r.requests.timedOut > 0 ? ` · timed out ${fmtCount(r.requests.timedOut)} of them` : '';
  lines.push(
    `Throughput ${formatFigure(THROUGHPUT.throughputRps, r.throughputRps)} · completed ${fmtCount(r.requests.completed)} · dropped ${fmtCount(r.requests.dropped)} (${formatFigure(DROPS.dropRate, r.dropRate)})${timedOut}`,
  );
  if (r.slo) {
    lines.push(`${sloText(r.slo).line} (drops count as misses) · goodput ${formatFigure(SLO.goodputRps, r.slo.goodputRps)}`);
  }
  if (r.waitSlo) lines.push(...waitSloLines(r));
  if (r.cost.perHour > 0) {
    lines.push(
      `Cost ${formatFigure(COST.perHour, r.cost.perHour)}/hour at this capacity · ${formatFigure(COST.perMillionRequests, r.cost.perMillionRequests)} per million requests · paid capacity ${formatFigure(COST.paidUtilization, r.cost.paidUtilization)} busy` +
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
    if (st.faults !== undefined) {
      const f = st.faults;
      lines.push(
        `Faults "${term(name)}": availability ${formatFigure(FAULTS.availability, f.availability)}, ${formatFigure(FAULTS.lostToFailures, f.lostToFailures)} requests lost to failures, ${formatFigure(FAULTS.timeInIncidentS, f.timeInIncidentS)} ${f.slowShare > 0 || f.ejectedShare > 0 ? 'in incident (a replica down, slow or out of rotation)' : 'with a replica down'} (${formatFigure(FAULTS.failures, f.failures)} failures, ${formatFigure(FAULTS.outages, f.outages)} outages)`,
      );
      lines.push(...faultDetailLines(f));
    }
    if (st.cachePartitions !== undefined) {
      const parts = Object.entries(st.cachePartitions).map(
        ([cls, p]) => `${term(cls)} ${formatFigure(CACHE_PARTITION.capacity, p.capacity)} entries, ${p.hitRatio === null ? 'no lookup' : `${formatFigure(CACHE_PARTITION.hitRatio, p.hitRatio)} hits`}`,
      );
      lines.push(`Cache partitions "${term(name)}": ${parts.join('; ')}`);
    }
    if (st.ackMs !== undefined) {
      lines.push(
        `Buffer "${term(name)}": producers acknowledged in ${formatFigure(BUFFER.ackMean, st.ackMs.mean)} on average (p99 ${formatFigure(BUFFER.ackP99, st.ackMs.p99)}); ${formatFigure(BUFFER.lostOldest, st.lostOldest ?? 0)} messages lost to retention`,
      );
    }
  }
  if (r.freshness !== null) {
    const h = (x: number) => `${fmtNum(x / 3600)} h`;
    lines.push(`Freshness: predictions served were ${h(r.freshness.meanS)} old on average (p50 ${h(r.freshness.p50S)}, p99 ${h(r.freshness.p99S)})`);
  }
  if (r.coverage !== null) lines.push(`Coverage: ${formatFigure(COVERAGE.coverage, r.coverage)} of lookups found a precomputed prediction; the rest took the fallback`);
  if (r.degradedShare > 0) lines.push(`Degraded: ${formatFigure(DEGRADED.degradedShare, r.degradedShare)} of requests were sent to a lighter model or a heuristic by a fallback rule`);
  if (r.hedgeExtraLoad !== null && r.hedgeExtraLoad > 0) {
    // Second copies of tied requests count as extra sub-requests too; say which sent them.
    const tied = s.stages.some((st) => st.fanout?.tied !== undefined);
    const hedged = s.stages.some((st) => st.fanout?.hedgeAfter !== undefined);
    const who = tied && hedged ? 'Hedging and tied requests' : tied ? 'Tied requests' : 'Hedging';
    lines.push(`${who} sent ${formatFigure(HEDGING.hedgeExtraLoad, r.hedgeExtraLoad)} extra sub-requests${tied ? ' (second copies that started service)' : ''}`);
  }
  if (r.quality !== null) {
    const metric = r.qualityMetric && r.qualityMetric !== 'quality' ? `${term(r.qualityMetric)} ` : '';
    lines.push(`Quality ${metric}${formatFigure(QUALITY.quality, r.quality)} (request-weighted, of the model that served each request)`);
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
  const ct = classTable(r);
  if (ct !== null) {
    // Request classes (issue 16): each class's latency, drops and objective (src/report/class-table.ts).
    lines.push('', 'Classes', table(ct.head, ct.rows.map((row) => row.map(term))), ...shedLines(r).map(term));
  }
  for (const w of r.warnings) {
    lines.push('');
    lines.push(`warning: ${shownText(w)}`);
  }
  return lines.join('\n');
}

/**
 * The waiting-time objective's lines: end to end (queue waits summed over a request's
 * stages), then each stage's P(wait > 0) and P(wait ≤ t).
 */
function waitSloLines(r: RunResult): string[] {
  const w = r.waitSlo!;
  const bound = /^wait < (\S+)/.exec(w.target)?.[1] ?? '';
  const lines = [
    `SLO ${w.target}: ${w.met ? 'MET' : 'MISSED'} · ${formatFigure(WAIT_SLO.attainment, w.attainment)} of requests waited at most ${bound} in queues (drops count as misses) · ${formatFigure(WAIT_SLO.waitedShare, w.waitedShare)} waited at all`,
  ];
  for (const [name, st] of Object.entries(r.stages)) {
    if (st.waitWithinShare === undefined) continue;
    lines.push(`  ${term(name)}: P(wait > 0) ${formatFigure(WAITED_SHARE.waitedShare, st.waitedShare ?? null)} · P(wait ≤ ${bound}) ${formatFigure(WAIT_WITHIN.waitWithinShare, st.waitWithinShare)}`);
  }
  return lines;
}

/** The faults figures beyond availability (issue 17): gray failures, ejections, attainment during and outside incidents, recovery. */
function faultDetailLines(f: NonNullable<RunResult['stages'][string]['faults']>): string[] {
  const out: string[] = [];
  if (f.slowSpells > 0 || f.slowShare > 0) {
    out.push(`  gray failures: ${formatFigure(FAULTS.slowShare, f.slowShare)} of replicas slow on average (${formatFigure(FAULTS.slowSpells, f.slowSpells)} slow spells), ${formatFigure(FAULTS.servedSlow, f.servedSlow)} requests served by a slow replica`);
  }
  if (f.ejections > 0 || f.ejectedShare > 0) {
    const eject = f.meanTimeToEjectS === null ? '' : `, ejected ${formatFigure(FAULTS.meanTimeToEjectS, f.meanTimeToEjectS)} after the fault on average`;
    out.push(`  health check: ${formatFigure(FAULTS.ejections, f.ejections)} ejections, ${formatFigure(FAULTS.ejectedShare, f.ejectedShare)} of replicas out of rotation on average${eject}`);
  }
  const slo = (v: number | null, d: (typeof FAULTS)['sloDuringIncidents']) => (v === null ? 'n/a' : formatFigure(d, v));
  out.push(
    `  during incidents: ${formatFigure(FAULTS.requestsDuringIncidents, f.requestsDuringIncidents)} requests, SLO attainment ${slo(f.sloDuringIncidents, FAULTS.sloDuringIncidents)}; outside: ${formatFigure(FAULTS.requestsOutsideIncidents, f.requestsOutsideIncidents)} requests, ${slo(f.sloOutsideIncidents, FAULTS.sloOutsideIncidents)}`,
  );
  if (f.meanTimeToRecoverS !== null && f.maxTimeToRecoverS !== null) {
    out.push(`  recovery: queue back to its pre-incident length ${formatFigure(FAULTS.meanTimeToRecoverS, f.meanTimeToRecoverS)} after an incident on average, at most ${formatFigure(FAULTS.maxTimeToRecoverS, f.maxTimeToRecoverS)} (${formatFigure(FAULTS.recoveries, f.recoveries)} incidents)`);
  }
  return out;
}
