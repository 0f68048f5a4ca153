import { InputError } from '../../config/errors.ts';
import { nelderMead } from './calibrate-nelder-mead.ts';
import { DEFAULT_ROOFLINE_EFFICIENCY, rooflineStepTime, type RooflineEfficiency } from './roofline.ts';
import type { RooflineDeployment } from './roofline-deployment.ts';
import type { StepCoefficients, StepContext } from './step-time.ts';

/** One step whose duration is known: from a measured run, or generated from a published profile. */
export interface StepObservation {
  /** Prefill tokens computed in the step. */
  readonly prefillTokens: number;
  /** Decode tokens in the step. */
  readonly decodeTokens: number;
  /** The step's attention context, if known (see `StepContext`; without it, as `rooflineStepTime` says). */
  readonly context?: StepContext;
  /** Its duration, seconds. */
  readonly stepS: number;
}

/** What `calibrateRoofline` found. */
export interface RooflineCalibration {
  /** The fitted efficiencies and overhead (interconnect efficiency and all-reduce latency are kept as given). */
  readonly efficiency: RooflineEfficiency;
  /** Root mean square of the relative errors (predicted − observed) / observed over the observations. */
  readonly rmsRelError: number;
  /** Largest |relative error|. */
  readonly maxRelError: number;
  /** Observations fitted. */
  readonly points: number;
  /** Fitted efficiencies that ended at a bound of [0.01, 1] (the roofline cannot reach the data inside it). */
  readonly atBound: readonly ('compute' | 'memory')[];
}

const LO = 0.01;
const HI = 1;

/**
 * Least-squares fit of the compute and memory efficiencies and the per-step overhead of
 * a roofline model to observed step times, minimising Σ ((predicted − observed) /
 * observed)² (relative errors, so short decode steps weigh as much as long prefills).
 * For given efficiencies the best overhead is closed-form (a weighted mean residual,
 * floored at 0); the two efficiencies are searched on a 25 × 25 log grid over [0.01, 1],
 * then refined by Nelder–Mead in log space. Deterministic.
 */
export function calibrateRoofline(
  d: RooflineDeployment,
  observations: readonly StepObservation[],
  base: Partial<RooflineEfficiency> = {},
): RooflineCalibration {
  if (observations.length < 3) throw new InputError([`calibration needs at least 3 step observations, got ${observations.length}`]);
  for (const [i, o] of observations.entries()) {
    if (!(o.stepS > 0 && Number.isFinite(o.stepS))) throw new InputError([`observation ${i}: stepS must be finite and > 0, got ${o.stepS}`]);
  }
  const fixed = { ...DEFAULT_ROOFLINE_EFFICIENCY, ...base };
  // Terms at efficiency 1: the fit only rescales them.
  const unit = rooflineStepTime(d, { efficiency: { ...fixed, compute: 1, memory: 1, overheadUs: 0 } });
  const terms = observations.map((o) => {
    const b = unit.breakdown(o.prefillTokens, o.decodeTokens, o.context);
    return { c: b.computeS, m: b.memoryS, a: b.allReduceS, y: o.stepS, w: 1 / (o.stepS * o.stepS) };
  });
  const sumW = terms.reduce((s, t) => s + t.w, 0);
  const clamp = (x: number): number => Math.min(HI, Math.max(LO, x));
  const overheadFor = (ec: number, em: number): number => {
    let s = 0;
    for (const t of terms) s += (t.y - Math.max(t.c / ec, t.m / em) - t.a) * t.w;
    return Math.max(0, s / sumW);
  };
  const loss = (ec: number, em: number): number => {
    const o = overheadFor(ec, em);
    let s = 0;
    for (const t of terms) {
      const r = (Math.max(t.c / ec, t.m / em) + t.a + o - t.y) / t.y;
      s += r * r;
    }
    return s;
  };
  let bestU = 0;
  let bestV = 0;
  let bestL = Infinity;
  for (let i = 0; i < 25; i++) {
    for (let j = 0; j < 25; j++) {
      const u = Math.log(LO) * (1 - i / 24);
      const v = Math.log(LO) * (1 - j / 24);
      const l = loss(Math.exp(u), Math.exp(v));
      if (l < bestL) [bestU, bestV, bestL] = [u, v, l];
    }
  }
  const fit = nelderMead((x) => loss(clamp(Math.exp(x[0]!)), clamp(Math.exp(x[1]!))), [bestU, bestV], { step: 0.05, tolerance: 1e-20 });
  const ec = clamp(Math.exp(fit.x[0]!));
  const em = clamp(Math.exp(fit.x[1]!));
  const o = overheadFor(ec, em);
  let maxRel = 0;
  let sq = 0;
  for (const t of terms) {
    const r = (Math.max(t.c / ec, t.m / em) + t.a + o - t.y) / t.y;
    sq += r * r;
    maxRel = Math.max(maxRel, Math.abs(r));
  }
  const atBound: ('compute' | 'memory')[] = [];
  if (ec <= LO * 1.001 || ec >= HI * 0.999) atBound.push('compute');
  if (em <= LO * 1.001 || em >= HI * 0.999) atBound.push('memory');
  return {
    efficiency: { ...fixed, compute: ec, memory: em, overheadUs: o * 1e6 },
    rmsRelError: Math.sqrt(sq / terms.length),
    maxRelError: maxRel,
    points: terms.length,
    atBound,
  };
}

/** Where to sample a coefficient profile (see `profileObservations`). */
export interface ProfileGrid {
  /** Prefill tokens per step (one chunk from an empty context). Default 0, 256, 512, 1024, 2048, 4096. */
  readonly prefillTokens?: readonly number[];
  /** Decoding sequences per step. Default 0, 1, 16, 64, 128, 256. */
  readonly decodeTokens?: readonly number[];
  /** Context each decoding sequence attends to (c + 1), tokens. Default 1024. */
  readonly decodeContext?: number;
}

/**
 * Step observations generated from a published coefficient profile over a grid of
 * (prefill, decode) mixes: step = β0 + β1·p + β2·d µs. The coefficients carry no
 * context, so one is assumed: each decoding sequence attends to `decodeContext` tokens,
 * and the prefill tokens are one chunk of a fresh prompt (causal pairs p(p+1)/2).
 */
export function profileObservations(profile: StepCoefficients, grid: ProfileGrid = {}): StepObservation[] {
  const ps = grid.prefillTokens ?? [0, 256, 512, 1024, 2048, 4096];
  const ds = grid.decodeTokens ?? [0, 1, 16, 64, 128, 256];
  const ctx = grid.decodeContext ?? 1024;
  const [b0, b1, b2] = profile.beta;
  const out: StepObservation[] = [];
  for (const p of ps) {
    for (const dec of ds) {
      if (p + dec === 0) continue;
      out.push({
        prefillTokens: p,
        decodeTokens: dec,
        context: { decodeContextTokens: dec * ctx, prefillContextTokens: 0, prefillAttentionPairs: (p * (p + 1)) / 2 },
        stepS: (b0 + b1 * p + b2 * dec) * 1e-6,
      });
    }
  }
  return out;
}

/** Fits a roofline to a published coefficient profile (`profileObservations` then `calibrateRoofline`). */
export function calibrateToProfile(
  d: RooflineDeployment,
  profile: StepCoefficients,
  grid: ProfileGrid = {},
  base: Partial<RooflineEfficiency> = {},
): RooflineCalibration {
  return calibrateRoofline(d, profileObservations(profile, grid), base);
}
