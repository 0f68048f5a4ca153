/**
 * Mean quality figure of what served each measured completed request (the last catalog
 * model on its path or LLM engine with a published quality, a precomputed prediction, a cache hit's model or a heuristic),
 * request-weighted; null when nothing served one.
 */
import type { SystemDescription } from '../../config/description.ts';
import type { RunResult } from '../result.ts';
import { runFigure, type RunCollectorKind, type RunContext } from './run-collector.ts';

/** The figure. */
export const QUALITY = {
  quality: runFigure('quality', 'quality', 'score', true, 'quality'),
} as const;

/** Sum and count of the quality figures of measured completions that carried one. */
export class QualityCollector {
  sum = 0;
  count = 0;
  completed(_latencyS: number, quality: number): void {
    if (quality !== quality) return; // NaN: nothing gave one
    this.sum += quality;
    this.count++;
  }
  result(run: RunContext): Pick<RunResult, 'quality' | 'qualityMetric'> {
    if (this.count === 0) return { quality: null, qualityMetric: null };
    const last = [...run.built].reverse().find((b) => (b.desc.model && Number.isFinite(b.desc.model.entry.quality.value)) || b.desc.llm?.quality);
    const metric = last?.desc.model?.entry.quality.metric ?? last?.desc.llm?.quality?.benchmark;
    return { quality: this.sum / this.count, qualityMetric: metric ?? 'quality' };
  }
}

/** A run where nothing can give a request a quality hears nothing. */
class NoQuality {
  result(): Pick<RunResult, 'quality' | 'qualityMetric'> {
    return { quality: null, qualityMetric: null };
  }
}

/** Whether anything in the system can give a request a quality: a model's, a prediction's, a heuristic's. */
function givesQuality(s: SystemDescription): boolean {
  return s.stages.some((st) => st.quality === st.quality || st.precompute !== null || st.fallback !== null);
}

/** The registry entry. */
export const qualityCollector: RunCollectorKind<QualityCollector | NoQuality> = {
  keys: ['quality', 'qualityMetric'],
  figures: Object.values(QUALITY),
  create: (s) => (givesQuality(s) ? new QualityCollector() : new NoQuality()),
};
