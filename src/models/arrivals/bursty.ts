import { randomExponential } from '../../engine/index.ts';
import type { ArrivalFactory } from './arrival-process.ts';

/** The `bursty` arrivals spec, durations in seconds (see src/config/schema.ts). */
export interface BurstySpec {
  process: 'bursty';
  /** Rate in the normal state, requests per second. */
  qps: number;
  /** Rate in the burst state, requests per second (0 models outages). */
  burstQps: number;
  /** Mean sojourn in the normal state (exponential). */
  meanNormal: number;
  /** Mean sojourn in the burst state (exponential). */
  meanBurst: number;
}

/**
 * Long-run rate of the MMPP-2: the state rates weighted by the time shares of the
 * states, (qps·meanNormal + burstQps·meanBurst) / (meanNormal + meanBurst).
 */
export function burstyMeanRateRps(spec: BurstySpec): number {
  return (spec.qps * spec.meanNormal + spec.burstQps * spec.meanBurst) / (spec.meanNormal + spec.meanBurst);
}

/**
 * Expected rate at `tS` from a start in the normal state: λ̄ + (qps − burstQps)·π_b·e^{−σt},
 * with σ = 1/meanNormal + 1/meanBurst and π_b = meanBurst/(meanNormal + meanBurst) the
 * burst state's long-run share (the two-state chain relaxes at rate σ).
 */
export function burstyExpectedRateRps(spec: BurstySpec, tS: number): number {
  const sigma = 1 / spec.meanNormal + 1 / spec.meanBurst;
  const piBurst = spec.meanBurst / (spec.meanNormal + spec.meanBurst);
  return burstyMeanRateRps(spec) + (spec.qps - spec.burstQps) * piBurst * Math.exp(-sigma * tS);
}

/**
 * ∫ of `burstyExpectedRateRps` over [fromS, toS]: the expected number of arrivals in
 * that window from a start in the normal state,
 * λ̄·(b − a) + (qps − burstQps)·π_b·(e^{−σa} − e^{−σb})/σ.
 */
export function burstyExpectedCount(spec: BurstySpec, fromS: number, toS: number): number {
  const sigma = 1 / spec.meanNormal + 1 / spec.meanBurst;
  const piBurst = spec.meanBurst / (spec.meanNormal + spec.meanBurst);
  return burstyMeanRateRps(spec) * (toS - fromS) + ((spec.qps - spec.burstQps) * piBurst * (Math.exp(-sigma * fromS) - Math.exp(-sigma * toS))) / sigma;
}

/**
 * Variance of the number of arrivals in a window of length `tS` of the stationary
 * MMPP-2, a doubly stochastic Poisson process whose rate is a two-state Markov chain:
 * λ̄t + 2·r₁r₂(λ₁ − λ₂)²·(σt − 1 + e^{−σt})/σ⁴, r₁ = 1/meanNormal, r₂ = 1/meanBurst,
 * σ = r₁ + r₂: Var N = E∫λ + Var∫λ for a doubly stochastic Poisson process (Cox 1955),
 * the rate's autocovariance being π_nπ_b(λ₁ − λ₂)²e^{−σ|τ|} (as in Heffes & Lucantoni
 * 1986, IEEE JSAC 4(6):856).
 */
export function burstyCountVariance(spec: BurstySpec, tS: number): number {
  const r1 = 1 / spec.meanNormal;
  const r2 = 1 / spec.meanBurst;
  const sigma = r1 + r2;
  const d = spec.qps - spec.burstQps;
  return burstyMeanRateRps(spec) * tS + (2 * r1 * r2 * d * d * (sigma * tS - 1 + Math.exp(-sigma * tS))) / sigma ** 4;
}

/**
 * Squared coefficient of variation of the stationary inter-arrival gap of the
 * MMPP-2. As a Markovian arrival process (D₀ = Q − Λ, D₁ = Λ) its gap is
 * phase-type with initial vector φ = πΛ/(πλ) (π the stationary law of the state chain)
 * and E[Xᵏ] = k!·φ(−D₀)⁻ᵏ𝟙 (Fischer & Meier-Hellstern 1993, "The Markov-modulated
 * Poisson process (MMPP) cookbook", Perform. Eval. 18:149, §3). The 2×2 inverse is
 * written out. Gaps are correlated (the process is not renewal); this is their
 * marginal SCV, which is 1 when the two rates are equal.
 */
export function burstyInterarrivalScv(spec: BurstySpec): number {
  const l1 = spec.qps;
  const l2 = spec.burstQps;
  const r1 = 1 / spec.meanNormal;
  const r2 = 1 / spec.meanBurst;
  // −D₀ = [[r₁ + λ₁, −r₁], [−r₂, r₂ + λ₂]]; det = λ₁λ₂ + λ₁r₂ + λ₂r₁; its inverse is
  // [[r₂ + λ₂, r₁], [r₂, r₁ + λ₁]] / det.
  const det = l1 * l2 + l1 * r2 + l2 * r1;
  const inv = (x: number, y: number): [number, number] => [((r2 + l2) * x + r1 * y) / det, (r2 * x + (r1 + l1) * y) / det];
  const s = l1 * r2 + l2 * r1; // ∝ πλ; φ = (λ₁r₂, λ₂r₁)/s
  const [v1, v2] = inv(1, 1);
  const [w1, w2] = inv(v1, v2);
  const m1 = (l1 * r2 * v1 + l2 * r1 * v2) / s; // = (r₁ + r₂)/s = 1/λ̄
  const m2 = (2 * (l1 * r2 * w1 + l2 * r1 * w2)) / s;
  return m2 / (m1 * m1) - 1;
}

/**
 * Bursty arrivals: a two-state Markov-modulated Poisson process (MMPP-2; Fischer &
 * Meier-Hellstern 1993). Arrivals are Poisson at `qps` in the normal state and at
 * `burstQps` in the burst state; sojourns are exponential with means `meanNormal` and
 * `meanBurst`. It starts in the normal state. Simulated exactly: a gap that would
 * cross a state switch is discarded at the switch and redrawn at the new rate
 * (memoryless). Gaps come from the `arrivals` stream, sojourns from
 * `arrivals:state`, so changing a rate leaves the state path alone.
 */
export const makeBursty: ArrivalFactory<BurstySpec> = (spec, sim) => {
  if (!(spec.qps >= 0 && spec.burstQps >= 0 && spec.qps + spec.burstQps > 0 && spec.meanNormal > 0 && spec.meanBurst > 0)) {
    throw new RangeError(`bursty arrivals need rates >= 0 (not both 0) and mean sojourns > 0, got ${JSON.stringify(spec)}`);
  }
  const gap = randomExponential.source(sim.random.stream('arrivals'))(1);
  const sojourn = randomExponential.source(sim.random.stream('arrivals:state'))(1);
  let burst = false;
  /** Time of the next state switch; the chain is known up to it. */
  let switchAtS = sojourn() * spec.meanNormal;
  let clockS = 0;
  const flip = () => {
    burst = !burst;
    switchAtS += sojourn() * (burst ? spec.meanBurst : spec.meanNormal);
  };
  return {
    meanRateRps: burstyMeanRateRps(spec),
    meanRate: (fromS = 0, toS = Infinity) => (toS === Infinity ? burstyMeanRateRps(spec) : burstyExpectedCount(spec, fromS, toS) / (toS - fromS)),
    interarrivalScv: burstyInterarrivalScv(spec),
    next: (nowS) => {
      if (nowS < clockS) throw new RangeError(`bursty arrivals cannot go back in time (asked for after ${nowS} s, already at ${clockS} s)`);
      let t = nowS;
      while (switchAtS <= t) flip();
      for (;;) {
        const rate = burst ? spec.burstQps : spec.qps;
        const c = rate > 0 ? t + gap() / rate : Infinity;
        if (c < switchAtS) {
          clockS = c;
          return c;
        }
        t = switchAtS;
        flip();
      }
    },
  };
};
