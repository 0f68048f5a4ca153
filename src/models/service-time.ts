import { gamma, lognormal, type Distribution, type Rng } from '../engine/index.ts';
import type { NoiseSpec, ServiceKind, ServiceSpec } from '../config/schema.ts';
import { makeDistribution } from './service-distribution.ts';

/**
 * The time one inference call takes on a batch of `batch` requests. Per-request
 * distributions describe unbatched stages (batch is then always 1).
 */
export interface ServiceTime {
  /** Draws the duration (seconds) of a call on `batch` requests. */
  sample(batch: number): number;
  /** Expected duration (seconds) of a call on `batch` requests. */
  meanS(batch: number): number;
  /** Squared coefficient of variation of an unbatched call (for Pollaczek–Khinchine), when known. */
  readonly scv: number | undefined;
}

type Builder<K extends ServiceKind> = (spec: Extract<ServiceSpec, { dist: K }>, rng: Rng) => ServiceTime;

const NOISE: Record<NoiseSpec['dist'], (cv: number) => Distribution> = {
  lognormal: (cv) => lognormal(1, cv),
  gamma: (cv) => gamma(1, cv),
};

/** A sampler of multiplicative noise of mean 1, or undefined for none. */
function noiseOf(spec: NoiseSpec | undefined, rng: Rng): { draw: () => number; scv: number } | undefined {
  if (spec === undefined) return undefined;
  const d = NOISE[spec.dist](spec.cv);
  return { draw: d.source(rng), scv: d.variance };
}

/** A per-request distribution: one draw per call, whatever the batch. */
function fromDistribution(spec: ServiceSpec, rng: Rng): ServiceTime {
  const d = makeDistribution(spec as Parameters<typeof makeDistribution>[0]);
  const draw = d.source(rng);
  return { sample: () => draw(), meanS: () => d.mean, scv: d.variance / (d.mean * d.mean) };
}

/** `(base + perItem × batch) × noise`. */
export function linearServiceTime(baseS: number, perItemS: number, noise: NoiseSpec | undefined, rng: Rng): ServiceTime {
  const n = noiseOf(noise, rng);
  const mean = (b: number) => baseS + perItemS * b;
  return {
    sample: n === undefined ? mean : (b) => mean(b) * n.draw(),
    meanS: mean,
    scv: n?.scv ?? 0,
  };
}

/** Linear interpolation between measured `[batch, seconds]` points (which start at batch 1). */
export function tableServiceTime(points: ReadonlyArray<readonly [number, number]>, noise: NoiseSpec | undefined, rng: Rng): ServiceTime {
  const n = noiseOf(noise, rng);
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const last = xs.length - 1;
  const mean = (b: number): number => {
    if (b <= xs[0]!) return ys[0]!;
    // Batches beyond the table are refused at validation; the last point holds otherwise.
    if (b >= xs[last]!) return ys[last]!;
    let i = 1;
    while (xs[i]! < b) i++;
    const x0 = xs[i - 1]!;
    const x1 = xs[i]!;
    return ys[i - 1]! + ((ys[i]! - ys[i - 1]!) * (b - x0)) / (x1 - x0);
  };
  return {
    sample: n === undefined ? mean : (b) => mean(b) * n.draw(),
    meanS: mean,
    scv: n?.scv ?? 0,
  };
}

/** Service-time kinds by the name a scenario uses for `dist`. */
export const serviceTimeRegistry: { [K in ServiceKind]: Builder<K> } = {
  exponential: fromDistribution,
  deterministic: fromDistribution,
  uniform: fromDistribution,
  lognormal: fromDistribution,
  gamma: fromDistribution,
  empirical: fromDistribution,
  linear: (s, rng) => linearServiceTime(s.base, s.perItem, s.noise, rng),
  table: (s, rng) => tableServiceTime(s.points, s.noise, rng),
};

/** The service time a validated spec describes, drawing from `rng`. */
export function makeServiceTime(spec: ServiceSpec, rng: Rng): ServiceTime {
  return (serviceTimeRegistry[spec.dist] as Builder<ServiceKind>)(spec as never, rng);
}
