import { gamma, lognormal, type Distribution, type Rng } from '../engine/index.ts';
import type { NoiseSpec, ServiceKind, ServiceSpec } from '../config/description.ts';
import type { Request } from './request.ts';
import { makeDistribution } from './service-distribution.ts';

/**
 * The time one inference call takes on a batch of `batch` requests. Per-request
 * distributions describe unbatched stages (batch is then always 1).
 */
export interface ServiceTime {
  /**
   * Draws the duration (seconds) of a call on `batch` requests: `one` when the batch
   * is a single request, else `many` (attribute-driven times read the requests).
   */
  sample(batch: number, one: Request | null, many: readonly Request[] | null): number;
  /**
   * Expected duration (seconds) of a call on `batch` requests that carry `candidates`
   * candidates each (default 1). Attribute-driven parts other than candidates are not
   * known before the run and are left out.
   */
  meanS(batch: number, candidates?: number): number;
  /** Squared coefficient of variation of an unbatched call (for Pollaczek–Khinchine), when known. */
  readonly scv: number | undefined;
}

/**
 * Where a service time finds request attributes: index of each attribute name in
 * `Request.attrs`. The name `candidates` is built in: the request's candidate count.
 */
export type AttributeIndex = ReadonlyMap<string, number>;

type Builder<K extends ServiceKind> = (spec: Extract<ServiceSpec, { dist: K }>, rng: Rng, attributes: AttributeIndex) => ServiceTime;

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
  return { sample: () => draw(), meanS: () => d.mean, scv: d.mean > 0 ? d.variance / (d.mean * d.mean) : 0 };
}

/**
 * `(base + Σ over the batch's requests of (perItem + Σₖ perₖ × attributeₖ)) × noise`:
 * a fixed cost per call plus a cost per request that may depend on the request's
 * attributes (e.g. 50 ms + 0.02 ms per context token + 2 ms per generated token).
 * `per` maps attribute indices in `Request.attrs` to seconds per unit.
 */
export function linearServiceTime(
  baseS: number,
  perItemS: number,
  noise: NoiseSpec | undefined,
  rng: Rng,
  per: ReadonlyArray<readonly [number, number]> = [],
): ServiceTime {
  const n = noiseOf(noise, rng);
  const mean = (b: number) => baseS + perItemS * b;
  if (per.length === 0) {
    return {
      sample: n === undefined ? (b) => mean(b) : (b) => mean(b) * n.draw(),
      meanS: mean,
      scv: n?.scv ?? 0,
    };
  }
  const perCandidate = per.filter(([idx]) => idx < 0).reduce((a, [, sec]) => a + sec, 0);
  const onlyCandidates = per.every(([idx]) => idx < 0);
  const meanWith = (b: number, candidates = 1) => baseS + b * (perItemS + perCandidate * candidates);
  const itemS = (r: Request): number => {
    const a = r.attrs;
    let t = perItemS;
    for (let k = 0; k < per.length; k++) {
      const idx = per[k]![0];
      // Index −1 is the built-in attribute `candidates` (cascades).
      t += per[k]![1] * (idx < 0 ? r.candidates : a![idx]!);
    }
    return t;
  };
  const exact = (one: Request | null, many: readonly Request[] | null): number => {
    if (one !== null) return baseS + itemS(one);
    let t = baseS;
    for (const r of many!) t += itemS(r);
    return t;
  };
  return {
    sample: n === undefined ? (_b, one, many) => exact(one, many) : (_b, one, many) => exact(one, many) * n.draw(),
    // The mean over trace attributes is not known before the run; candidates are.
    meanS: meanWith,
    scv: onlyCandidates ? (n?.scv ?? 0) : undefined,
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
  plugin: fromDistribution,
  linear: (s, rng, attributes) =>
    linearServiceTime(
      s.base,
      s.perItem ?? 0,
      s.noise,
      rng,
      Object.entries(s.per ?? {}).map(([name, perS]) => [name === 'candidates' ? -1 : attributes.get(name)!, perS] as const),
    ),
  table: (s, rng) => tableServiceTime(s.points, s.noise, rng),
};

/**
 * The service time a validated spec describes, drawing from `rng`. Attribute names
 * it reads must be in `attributes` (the caller checks, to report them as input errors).
 */
export function makeServiceTime(spec: ServiceSpec, rng: Rng, attributes: AttributeIndex = new Map()): ServiceTime {
  return (serviceTimeRegistry[spec.dist] as Builder<ServiceKind>)(spec as never, rng, attributes);
}
