/**
 * Bailey's bulk-service queue (N. T. J. Bailey, "On queueing processes with bulk
 * service", J. R. Stat. Soc. B 16, 1954): Poisson arrivals at rate λ, one server that,
 * whenever it is free and someone waits, takes up to b waiting requests at once and
 * serves the batch in a fixed time T whatever its size (a batching pool with
 * `maxWait: 0`, one slot, deterministic service independent of the batch). An
 * arrival to an idle server starts at once, alone.
 *
 * The queue left at service ends is a Markov chain X' = (X − b)⁺ + A, A ~ Poisson(λT),
 * whose generating function is
 *   P(z) = K(z) Σ_{k<b} π_k (z^b − z^k) / (z^b − K(z)),   K(z) = e^{λT(z−1)}.
 * For λT < b, z^b = K(z) has b roots in the closed unit disc (Rouché): 1 and z_1..z_{b−1}
 * inside it. The numerator must vanish at each, which fixes it up to a constant, and
 * P(1) = 1 fixes the constant:
 *   P(z) = K(z) (b − λT) (z − 1) Π_j (z − z_j)/(1 − z_j) / (z^b − K(z)).
 * Hence π_0 = P(0) and E[X] = P′(1) = λT − (b(b−1) − (λT)²)/(2(b − λT)) + Σ_j 1/(1 − z_j).
 *
 * From the chain, by renewal over service cycles (a service, plus the idle time 1/λ
 * when none waited, which happens with probability π_0):
 *   mean batch      E[B] = λT + π_0          (throughput: λ·E[cycle] = E[B])
 *   waiting at a service start  E[R] = E[X] − λT
 *   mean number waiting  L_q = (T·E[R] + λT²/2) / (T + π_0/λ)   (R at the start, plus arrivals during the service)
 *   mean wait       W_q = L_q / λ            (Little)
 * With b = 1 this is M/D/1: W_q = ρT / (2(1 − ρ)).
 */

/** Bailey's exact figures for one stage. */
export interface BaileyResult {
  /** Mean wait from arrival to the start of its batch (s). */
  meanWaitS: number;
  /** Mean number of requests per batch. */
  meanBatch: number;
  /** Probability that a service ends with nobody waiting (the server then idles). */
  idleAtEnd: number;
  /** The b − 1 roots of z^b = e^{λT(z−1)} inside the unit circle, as [re, im]. */
  roots: Array<[number, number]>;
}

/**
 * Roots of z^b = e^{λT(z−1)} with |z| < 1 other than 1: for k = 1..b−1, the fixed point
 * of z = ω_k e^{λT(z−1)/b}, ω_k = e^{2πik/b} (a b-th root of both sides). The map is a
 * contraction on the unit disc (its derivative has modulus |z|·λT/b < 1), so iteration
 * from 0 converges to its unique root there, geometrically at rate λT/b.
 */
export function baileyRoots(lambdaT: number, b: number): Array<[number, number]> {
  const a = lambdaT / b;
  const roots: Array<[number, number]> = [];
  for (let k = 1; k < b; k++) {
    const wr = Math.cos((2 * Math.PI * k) / b);
    const wi = Math.sin((2 * Math.PI * k) / b);
    let re = 0;
    let im = 0;
    for (let it = 0; it < 1_000_000; it++) {
      // ω · e^{a(z−1)} = ω · e^{a(re−1)} (cos(a·im) + i sin(a·im))
      const m = Math.exp(a * (re - 1));
      const er = m * Math.cos(a * im);
      const ei = m * Math.sin(a * im);
      const nr = wr * er - wi * ei;
      const ni = wr * ei + wi * er;
      const moved = Math.abs(nr - re) + Math.abs(ni - im);
      re = nr;
      im = ni;
      if (moved < 1e-15) break;
    }
    roots.push([re, im]);
  }
  return roots;
}

/**
 * Mean wait and mean batch of Bailey's queue with arrival rate `lambda` (per s), batch
 * service time `serviceS` and batches of up to `maxBatch`; NaN figures when λT ≥ b (no
 * steady state).
 */
export function baileyBulkService(lambda: number, serviceS: number, maxBatch: number): BaileyResult {
  const b = maxBatch;
  const lt = lambda * serviceS;
  if (!(lambda > 0) || !(serviceS > 0) || !(lt < b)) return { meanWaitS: lt >= b ? Infinity : 0, meanBatch: NaN, idleAtEnd: NaN, roots: [] };
  const roots = baileyRoots(lt, b);
  // Σ 1/(1 − z_j) and π_0 = P(0) = e^{−λT} (b − λT) Π_j z_j/(1 − z_j) · (−1)^b·(−1)/(−1)^b … written out:
  // P(0) = K(0)(b − λT)(0 − 1) Π(−z_j)/(1 − z_j) / (0 − K(0)) = (b − λT) Π (−z_j)/(1 − z_j).
  let sumRe = 0;
  let prodRe = 1;
  let prodIm = 0;
  for (const [re, im] of roots) {
    // 1/(1 − z) = (1 − z̄)/|1 − z|²
    const dr = 1 - re;
    const di = -im;
    const d2 = dr * dr + di * di;
    sumRe += dr / d2;
    // (−z)/(1 − z) = (−z)(1 − z̄)/|1 − z|²
    const qr = (-re * dr - im * -di) / d2; // Re[(−z)·conj(1−z)]/|1−z|²
    const qi = (-im * dr + re * -di) / d2;
    const pr = prodRe * qr - prodIm * qi;
    const pi = prodRe * qi + prodIm * qr;
    prodRe = pr;
    prodIm = pi;
  }
  const idleAtEnd = (b - lt) * prodRe;
  const meanX = lt - (b * (b - 1) - lt * lt) / (2 * (b - lt)) + sumRe;
  const meanR = meanX - lt;
  const lq = (serviceS * meanR + (lambda * serviceS * serviceS) / 2) / (serviceS + idleAtEnd / lambda);
  return { meanWaitS: lq / lambda, meanBatch: lt + idleAtEnd, idleAtEnd, roots };
}
