/**
 * The cost-versus-p99 Pareto frontier, against hand-worked cases and a brute-force check of
 * the definition.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TradeoffPoint } from '../../src/report/model.ts';
import { paretoFrontier } from '../../src/report/pareto.ts';

const pt = (costPerHourUsd: number, p99Ms: number): TradeoffPoint => ({ label: '', costPerHourUsd, p99Ms, meetsSlo: null });

/** The definition, O(n²): on the frontier unless another point is no worse on both and better on one. */
function bruteForce(points: TradeoffPoint[]): boolean[] {
  const ok = (p: TradeoffPoint) => Number.isFinite(p.costPerHourUsd) && Number.isFinite(p.p99Ms);
  return points.map(
    (p) =>
      ok(p) &&
      !points.some(
        (q) =>
          ok(q) &&
          q.costPerHourUsd <= p.costPerHourUsd &&
          q.p99Ms <= p.p99Ms &&
          (q.costPerHourUsd < p.costPerHourUsd || q.p99Ms < p.p99Ms),
      ),
  );
}

describe('paretoFrontier', () => {
  it('keeps the cheap-and-slow and fast-and-dear ends and drops dominated points', () => {
    // (cost, p99): (1, 100) and (4, 20) are ends; (2, 50) is between; (3, 60) loses to (2, 50).
    expect(paretoFrontier([pt(3, 60), pt(1, 100), pt(2, 50), pt(4, 20)])).toEqual([false, true, true, true]);
  });

  it('keeps identical points together and drops a tie beaten on the other axis', () => {
    expect(paretoFrontier([pt(2, 50), pt(2, 50), pt(2, 60), pt(3, 50)])).toEqual([true, true, false, false]);
  });

  it('never keeps a point without a cost or p99, and lets it dominate nothing', () => {
    expect(paretoFrontier([pt(Number.NaN, 1), pt(5, 100), pt(1, Number.POSITIVE_INFINITY)])).toEqual([false, true, false]);
    expect(paretoFrontier([])).toEqual([]);
  });

  it('agrees with the definition on random point sets', () => {
    // Small integer grids make ties and duplicates common, where a sweep is most likely wrong.
    const point = fc.record({
      cost: fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constant(Number.NaN)),
      p99: fc.integer({ min: 1, max: 6 }),
    });
    fc.assert(
      fc.property(fc.array(point, { maxLength: 25 }), (raw) => {
        const points = raw.map((r) => pt(r.cost, r.p99));
        expect(paretoFrontier(points)).toEqual(bruteForce(points));
      }),
      { seed: 20240611, numRuns: 500 },
    );
  });
});
