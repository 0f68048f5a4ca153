/**
 * Nelder–Mead simplex minimisation (Nelder & Mead 1965; the standard coefficients:
 * reflection 1, expansion 2, contraction 1/2, shrink 1/2), deterministic: the start
 * simplex is `x0` plus `step` along each axis. Stops when the spread of the simplex's
 * values falls below `tolerance` (absolute) or after `maxIterations`.
 */
export function nelderMead(
  f: (x: readonly number[]) => number,
  x0: readonly number[],
  opts: { step?: number; tolerance?: number; maxIterations?: number } = {},
): { x: number[]; value: number; iterations: number } {
  const n = x0.length;
  const step = opts.step ?? 0.1;
  const tol = opts.tolerance ?? 1e-14;
  const maxIt = opts.maxIterations ?? 5000;
  let simplex: { x: number[]; v: number }[] = [];
  for (let i = 0; i <= n; i++) {
    const x = [...x0];
    if (i > 0) x[i - 1]! += step;
    simplex.push({ x, v: f(x) });
  }
  const at = (a: readonly number[], b: readonly number[], t: number): number[] => a.map((ai, j) => ai + t * (b[j]! - ai));
  let it = 0;
  for (; it < maxIt; it++) {
    simplex.sort((a, b) => a.v - b.v);
    const best = simplex[0]!;
    const worst = simplex[n]!;
    if (worst.v - best.v <= tol) break;
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j]! += simplex[i]!.x[j]! / n;
    const xr = at(centroid, worst.x, -1);
    const vr = f(xr);
    if (vr < best.v) {
      const xe = at(centroid, worst.x, -2);
      const ve = f(xe);
      simplex[n] = ve < vr ? { x: xe, v: ve } : { x: xr, v: vr };
    } else if (vr < simplex[n - 1]!.v) {
      simplex[n] = { x: xr, v: vr };
    } else {
      const outside = vr < worst.v;
      const xc = outside ? at(centroid, xr, 0.5) : at(centroid, worst.x, 0.5);
      const vc = f(xc);
      if (vc < (outside ? vr : worst.v)) {
        simplex[n] = { x: xc, v: vc };
      } else {
        simplex = simplex.map((s, i) => {
          if (i === 0) return s;
          const x = at(best.x, s.x, 0.5);
          return { x, v: f(x) };
        });
      }
    }
  }
  simplex.sort((a, b) => a.v - b.v);
  return { x: simplex[0]!.x, value: simplex[0]!.v, iterations: it };
}
