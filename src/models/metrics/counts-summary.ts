/** Exact mean and quantiles (rank ⌊q·(n−1)⌋) of small integers from their counts (`counts[b]`: how many were b). */
export function countsSummary(counts: Float64Array): { mean: number; p50: number; p99: number; max: number } {
  let n = 0;
  let sum = 0;
  let max = NaN;
  for (let b = 1; b < counts.length; b++) {
    n += counts[b]!;
    sum += b * counts[b]!;
    if (counts[b]! > 0) max = b;
  }
  if (n === 0) return { mean: NaN, p50: NaN, p99: NaN, max: NaN };
  const at = (q: number): number => {
    const rank = Math.floor(q * (n - 1));
    let cum = 0;
    for (let b = 1; b < counts.length; b++) {
      cum += counts[b]!;
      if (cum > rank) return b;
    }
    return counts.length - 1;
  };
  return { mean: sum / n, p50: at(0.5), p99: at(0.99), max };
}
