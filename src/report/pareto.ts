/**
 * The Pareto frontier of cost against p99 latency, where lower is better on both.
 */
import type { TradeoffPoint } from './model.ts';

/**
 * Which points are on the Pareto frontier: no other point is at least as cheap and at
 * least as fast while strictly better on one of the two. Identical points do not dominate
 * each other, so both stay. Points with a non-finite cost or p99 (no hardware named, no
 * completed request) are never on it and never dominate. O(n log n): sort by p99 then
 * cost, and a point is dominated exactly when an earlier, non-identical point costs no more.
 */
export function paretoFrontier(points: readonly TradeoffPoint[]): boolean[] {
  const onFrontier = points.map(() => false);
  const order = points
    .map((p, i) => ({ p99: p.p99Ms, cost: p.costPerHourUsd, i }))
    .filter((p) => Number.isFinite(p.p99) && Number.isFinite(p.cost))
    .sort((a, b) => a.p99 - b.p99 || a.cost - b.cost || a.i - b.i);
  // Invariant: minBefore is the lowest cost among points sorted before the current run of
  // identical points.
  let minBefore = Infinity;
  let k = 0;
  while (k < order.length) {
    const first = order[k]!;
    let end = k;
    while (end < order.length && order[end]!.p99 === first.p99 && order[end]!.cost === first.cost) end++;
    const keep = first.cost < minBefore;
    for (let j = k; j < end; j++) onFrontier[order[j]!.i] = keep;
    minBefore = Math.min(minBefore, first.cost);
    k = end;
  }
  return onFrontier;
}
