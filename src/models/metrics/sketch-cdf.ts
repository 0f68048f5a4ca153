/** A latency distribution as [ms, share] pairs read off a sketch, for charts (the LLM section's TTFT/TPOT CDFs, each class's latency CDF). */
import type { QuantileSketch } from '../../engine/index.ts';

/** Shares at which the CDFs are read (the report's latency CDF reads the same). */
const CDF_SHARES = [0.001, 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.97, 0.98, 0.99, 0.995, 0.999];

/** [ms, share] pairs of a sketch of seconds, increasing in ms (a repeated quantile is kept once); empty for an empty sketch. */
export function cdfOf(s: QuantileSketch): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  if (s.count === 0) return out;
  for (const q of CDF_SHARES) {
    const ms = s.quantile(q) * 1000;
    if (Number.isFinite(ms) && (out.length === 0 || ms > out[out.length - 1]![0])) out.push([ms, q]);
  }
  return out;
}
