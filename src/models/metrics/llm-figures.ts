/** How every figure of a run's `llm` section is named and written: descriptors only, so a page can show them without the LLM station's code. */
import type { FigureDescriptor } from './figure.ts';

const run = (path: string, label: string, format: FigureDescriptor['format'], higherIsBetter: boolean | null, short?: string): FigureDescriptor => ({
  path,
  scope: 'run',
  label,
  ...(short !== undefined ? { short } : {}),
  format,
  higherIsBetter,
});

/** How every figure of the `llm` section is named and written. */
export const llmFigures: readonly FigureDescriptor[] = [
  ...(['ttft', 'tpot', 'itl', 'e2e'] as const).flatMap((k) => {
    const name = { ttft: 'TTFT', tpot: 'TPOT', itl: 'inter-token latency', e2e: 'E2E latency' }[k];
    return (['mean', 'p50', 'p90', 'p99'] as const).map((q) => run(`llm.${k}Ms.${q}`, `${q} ${name}`, 'ms', false, q));
  }),
  run('llm.inputTokensPerS', 'input tokens per second', 'rate', true, 'in tok/s'),
  run('llm.outputTokensPerS', 'output tokens per second', 'rate', true, 'out tok/s'),
  run('llm.kvUtilization.mean', 'mean KV cache utilization', 'pct', null, 'KV mean'),
  run('llm.kvUtilization.max', 'peak KV cache utilization', 'pct', null, 'KV max'),
  run('llm.preemptions', 'preemptions', 'count', false),
  run('llm.prefixHitRatio', 'prefix-cache hit ratio', 'pct', true, 'prefix hits'),
  run('llm.batch.seqs.mean', 'mean sequences per step', 'num', null, 'seqs/step'),
  run('llm.batch.seqs.p99', 'p99 sequences per step', 'num', null, 'seqs p99'),
  run('llm.batch.tokens.mean', 'mean tokens per step', 'num', null, 'tokens/step'),
  run('llm.batch.tokens.p99', 'p99 tokens per step', 'num', null, 'tokens p99'),
  run('llm.rejected', 'requests that never fit', 'count', false, 'rejected'),
  run('llm.slo.attainment', 'share meeting TTFT and TPOT objectives', 'pct', true, 'SLO both'),
  run('llm.slo.goodputRps', 'goodput (requests/s meeting TTFT and TPOT)', 'rate', true, 'goodput'),
  run('llm.cost.perMillionOutputTokensUsd', 'cost per million output tokens', 'usd', false, '$/M out'),
  run('llm.cost.perMillionInputTokensUsd', 'cost per million input tokens', 'usd', false, '$/M in'),
];
