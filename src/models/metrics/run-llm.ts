/** The token-level section of the LLM stages (issue 14, `llm-result.ts`); absent when the scenario has none. */
import type { RunResult } from '../result.ts';
import { llmFigures, llmRunResult } from './llm-result.ts';
import type { RunCollectorKind, RunContext } from './run-collector.ts';

/** Reads the LLM stations' counters and sketches at the end (they apply the warm-up rule themselves, through their StageMetrics). */
export class LlmRunCollector {
  result(run: RunContext): Partial<Pick<RunResult, 'llm'>> {
    const llm = llmRunResult(run.stations, run.stages as Record<string, RunResult['stages'][string]>, run.system, run.spanS, run.endS);
    return llm !== null ? { llm } : {};
  }
}

/** The registry entry. */
export const llmCollector: RunCollectorKind<LlmRunCollector> = {
  keys: ['llm'],
  figures: llmFigures,
  create: () => new LlmRunCollector(),
};
