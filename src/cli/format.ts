import Table from 'cli-table3';
import type { RunResult } from '../models/result.ts';
import type { Scenario } from '../config/schema.ts';
import { formatDuration } from '../config/duration.ts';
import { shownField, shownText } from '../config/shown.ts';

/**
 * A user's string (scenario, stage, model or hardware name, description) for one
 * terminal line: control characters, ANSI escapes included, replaced by U+FFFD.
 */
export function term(text: string): string {
  return shownField(text, Infinity);
}

/** Groups thousands with commas, independent of the machine's locale. */
export function group(intText: string): string {
  return intText.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A count: 1,234,567. */
export function fmtCount(n: number): string {
  return group(String(Math.round(n)));
}

/** A figure with about three significant digits, grouped: 0.123, 12.3, 1,234. */
export function fmtNum(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? '∞' : x < 0 ? '-∞' : '–';
  const a = Math.abs(x);
  if (a === 0) return '0';
  if (a >= 100) return group(x.toFixed(0));
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}

/** Dollars: $1,234, $12.3, $0.0123. */
export function fmtUsd(x: number): string {
  if (!Number.isFinite(x)) return '–';
  if (x >= 100) return `$${group(x.toFixed(0))}`;
  if (x >= 1) return `$${x.toFixed(2)}`;
  return `$${x.toPrecision(3)}`;
}

/** A share as a percentage: 80.0%. */
export function fmtPct(x: number): string {
  if (!Number.isFinite(x)) return '–';
  if (x > 0 && x < 0.001) return `${(x * 100).toPrecision(2)}%`;
  // Near 100 % the tenths hide what an SLO is about (99.95 % is not 100.0 %).
  if (x > 0.9 && x < 1) return `${(Math.floor(x * 10000) / 100).toFixed(2)}%`;
  return `${(x * 100).toFixed(1)}%`;
}

const plain = {
  chars: {
    top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
    bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
    left: '  ', 'left-mid': '', mid: '', 'mid-mid': '',
    right: '', 'right-mid': '', middle: '  ',
  },
  style: { head: [] as string[], border: [] as string[], 'padding-left': 0, 'padding-right': 0 },
};

function table(head: string[], rows: string[][], alignLeft = 1): string {
  const t = new Table({ ...plain, head, colAligns: head.map((_, i) => (i < alignLeft ? 'left' : 'right')) });
  for (const r of rows) t.push(r);
  return t.toString();
}

function warmupText(s: Scenario): string {
  if (s.warmup?.requests) return `after ${fmtCount(s.warmup.requests)} warm-up requests`;
  if (s.warmup?.duration) return `after a ${formatDuration(s.warmup.duration)} warm-up`;
  return 'no warm-up';
}

/** The human report of one run: what a newcomer reads in seconds. */
export function formatRun(s: Scenario, r: RunResult): string {
  const lines: string[] = [];
  lines.push(`servesim · ${term(r.scenario)}${s.description ? ` — ${term(s.description)}` : ''}`);
  lines.push(
    `seed ${r.seed} · ${fmtCount(r.requests.arrived)} requests measured over ${fmtNum(r.measuredS)} s of simulated time (${warmupText(s)})`,
  );
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
    lines.push(
      `SLO ${r.slo.target}: ${r.slo.met ? 'MET' : 'MISSED'} · ${fmtPct(r.slo.attainment)} of requests within target (drops count as misses) · goodput ${fmtNum(r.slo.goodputRps)} req/s`,
    );
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
  const entries = Object.entries(r.stages);
  const showRunsOn = entries.some(([, st]) => st.model !== null || st.hardware !== null);
  const showBatch = entries.some(([, st]) => st.batchSize.p99 > 1);
  const showTime = entries.length > 1;
  const showHits = entries.some(([, st]) => st.hitRatio !== undefined);
  const head = [
    'stage',
    ...(showRunsOn ? ['runs'] : []),
    'replicas',
    'utilization',
    ...(showTime ? ['time in stage ms', 'time p99'] : []),
    'wait mean ms',
    'wait p50',
    'wait p99',
    ...(showBatch ? ['batch mean', 'batch p99'] : []),
    ...(showHits ? ['cache hits'] : []),
    'avg queue',
    'dropped',
  ];
  const rows = entries.map(([name, st]) => [
    term(name),
    ...(showRunsOn ? [[st.model, st.hardware].filter((x) => x !== null).map(term).join(' on ')] : []),
    st.scalingDecisions !== undefined ? `${fmtNum(st.meanReplicas)} avg` : `${st.replicas}`,
    fmtPct(st.utilization),
    ...(showTime ? (st.timeInStageMs ? [fmtNum(st.timeInStageMs.mean), fmtNum(st.timeInStageMs.p99)] : ['standby', '']) : []),
    fmtNum(st.queueWaitMs.mean),
    fmtNum(st.queueWaitMs.p50),
    fmtNum(st.queueWaitMs.p99),
    ...(showBatch ? (st.batchSize.p99 > 1 ? [fmtNum(st.batchSize.mean), fmtNum(st.batchSize.p99)] : ['–', '–']) : []),
    ...(showHits ? [st.hitRatio === undefined || st.hitRatio === null ? '' : fmtPct(st.hitRatio)] : []),
    fmtNum(st.meanQueueLength),
    fmtCount(st.dropped),
  ]);
  lines.push(table(head, rows, showRunsOn ? 2 : 1));
  for (const w of r.warnings) {
    lines.push('');
    lines.push(`warning: ${shownText(w)}`);
  }
  return lines.join('\n');
}
