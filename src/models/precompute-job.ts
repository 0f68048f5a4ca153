import type { PrecomputeDescription } from '../config/description.ts';

/**
 * Duration of one batch precompute job scoring `population` users: ceil(ceil(N / batch)
 * / workers) rounds, each taking base + perItem × batch (every worker runs one batch
 * per round).
 */
export function precomputeDurationS(p: Pick<PrecomputeDescription, 'batch' | 'workers' | 'baseS' | 'perItemS'>, population: number): number {
  const batches = Math.ceil(population / p.batch);
  const rounds = Math.ceil(batches / p.workers);
  return rounds * (p.baseS + p.perItemS * p.batch);
}
