import type { Aggregate } from './aggregate.ts';
import { estimateAt } from './aggregate.ts';

/** One point of a sweep: the varied value and what replications of it gave. */
export interface SweepPoint {
  x: number | string;
  aggregate: Aggregate;
}

/** A sweep's reading: the knee of the latency curve and the highest load within the SLO. */
export interface SweepAnalysis {
  /** The point where p99 turns upward (Kneedle: furthest below the chord, after normalising both axes). */
  kneeX: number | string | undefined;
  /** The highest x whose SLO was met (attainment ≥ the objective), when the scenario has one. */
  maxXMeetingSlo: number | string | undefined;
  sloTarget: string | undefined;
}

/**
 * Reads a sweep ordered by x. The knee follows Kneedle (Satopää et al., 2011): with x
 * and p99 scaled to [0, 1], the knee of an increasing convex curve is the point
 * farthest below the straight line from the first point to the last (none when the
 * p99 does not rise by half over the range: a near-straight line has no knee). The highest load within the SLO is the
 * highest point whose SLO was met.
 */
export function analyseSweep(points: readonly SweepPoint[]): SweepAnalysis {
  const numeric = points.every((p) => typeof p.x === 'number');
  let kneeX: number | string | undefined;
  const p99s = points.map((p) => estimateAt(p.aggregate.figures, 'latencyMs.p99')?.mean ?? NaN);
  // A knee only makes sense on a curve that rises: a p99 that stays flat or falls has none.
  const rises = p99s.length >= 3 && p99s[p99s.length - 1]! > 1.5 * Math.min(...p99s);
  if (numeric && rises) {
    const xs = points.map((p) => p.x as number);
    const ys = p99s;
    const [x0, x1] = [xs[0]!, xs[xs.length - 1]!];
    const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
    let best = -Infinity;
    xs.forEach((x, i) => {
      const xn = (x - x0) / (x1 - x0 || 1);
      const yn = (ys[i]! - y0) / (y1 - y0 || 1);
      const gap = xn - yn;
      if (gap > best) {
        best = gap;
        kneeX = x;
      }
    });
  }
  // The highest value whose SLO is met (points in increasing order of x).
  let maxX: number | string | undefined;
  let target: string | undefined;
  for (const p of points) {
    const slo = p.aggregate.first.slo;
    if (slo === null) break;
    target = slo.target;
    const att = estimateAt(p.aggregate.figures, 'slo.attainment')?.mean ?? NaN;
    if (att >= sloFraction(slo.target)) maxX = p.x;
  }
  return { kneeX, maxXMeetingSlo: maxX, sloTarget: target };
}

/** The share an SLO target asks for, from its normalised text "p99.9 < 100ms". */
export function sloFraction(target: string): number {
  const m = /^p([0-9.]+)/.exec(target);
  return m ? Number(m[1]) / 100 : NaN;
}
