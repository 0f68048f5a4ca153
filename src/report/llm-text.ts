/**
 * The LLM section of a run in text (issue 14): the `llm` figures of `RunResult`, read
 * through their descriptors' formats (src/models/metrics/llm-result.ts). Empty for a run
 * without an LLM stage, so other runs print exactly as before.
 */
import type { LlmLatencyMs, LlmObjectiveResult, LlmResult, LlmStageFigures } from '../models/metrics/llm-result.ts';
import { fmtCount, fmtNum, fmtPct, fmtUsd } from './figures.ts';

const row = (name: string, l: LlmLatencyMs): string[] => [name, ...[l.mean, l.p50, l.p90, l.p99].map((x) => (Number.isNaN(x) ? '–' : fmtNum(x)))];

/** The latency table's header and rows (ms), for the caller's table renderer. */
export function llmLatencyRows(r: LlmResult): { head: string[]; rows: string[][] } {
  return {
    head: ['per request (ms)', 'mean', 'p50', 'p90', 'p99'],
    rows: [row('TTFT', r.ttftMs), row('TPOT', r.tpotMs), row('inter-token', r.itlMs), row('E2E', r.e2eMs)],
  };
}

function objective(name: string, o: LlmObjectiveResult | null): string | null {
  if (o === null) return null;
  return `${name} ${o.target} ${o.met ? 'MET' : 'MISSED'} (${fmtPct(o.attainment)} of requests within)`;
}

/** The lines under the table: throughput, KV cache, batches, objectives, cost. */
export function llmSummaryLines(r: LlmResult): string[] {
  const lines = [
    `Tokens ${fmtNum(r.inputTokensPerS)} in/s · ${fmtNum(r.outputTokensPerS)} out/s · batch per step ${fmtNum(r.batch.seqs.mean)} sequences (p99 ${fmtNum(r.batch.seqs.p99)}), ${fmtNum(r.batch.tokens.mean)} tokens (p99 ${fmtNum(r.batch.tokens.p99)})`,
    `KV cache ${fmtPct(r.kvUtilization.mean)} used on average, ${fmtPct(r.kvUtilization.max)} at peak · ${fmtCount(r.preemptions)} preemptions · prefix-cache hits ${fmtPct(r.prefixHitRatio)} of prompt tokens` +
      (r.rejected > 0 ? ` · ${fmtCount(r.rejected)} requests refused (they can never fit)` : ''),
  ];
  if (r.slo !== null) {
    const parts = [objective('TTFT', r.slo.ttft), objective('TPOT', r.slo.tpot)].filter((x): x is string => x !== null);
    lines.push(`${parts.join(' · ')} · both met by ${fmtPct(r.slo.attainment)} · goodput ${fmtNum(r.slo.goodputRps)} req/s`);
  }
  if (r.cost !== null) lines.push(`Cost ${fmtUsd(r.cost.perMillionOutputTokensUsd)} per million output tokens · ${fmtUsd(r.cost.perMillionInputTokensUsd)} per million input tokens`);
  if (r.stages !== undefined) {
    lines.push('Per stage (what each engine served; a cache in front answers apart):');
    for (const [name, st] of Object.entries(r.stages)) lines.push(`  ${name}: ${stageLine(st)}`);
  }
  return lines;
}

const ms = (x: number): string => (Number.isNaN(x) ? '–' : `${fmtNum(x)} ms`);

/** One LLM stage's figures on a line: requests, TTFT and TPOT p50/p99, tokens, cost, quality, and what its cache answered. */
function stageLine(st: LlmStageFigures): string {
  const parts = [
    `${fmtCount(st.requests)} requests`,
    `TTFT p50 ${ms(st.ttftMs.p50)}, p99 ${ms(st.ttftMs.p99)}`,
    `TPOT p50 ${ms(st.tpotMs.p50)}, p99 ${ms(st.tpotMs.p99)}`,
    `${fmtNum(st.outputTokensPerS)} out tok/s`,
  ];
  if (st.cost !== null) parts.push(`${fmtUsd(st.cost.perMillionOutputTokensUsd)}/M out`);
  if (st.quality !== null) parts.push(`quality ${st.quality.value} (${st.quality.benchmark})`);
  if (st.cache !== null) parts.push(`cache answered ${fmtCount(st.cache.requests)} (${fmtNum(st.cache.inputTokensPerS)} in, ${fmtNum(st.cache.outputTokensPerS)} out tok/s)`);
  return parts.join(' · ');
}
