import type { Rng } from '../engine/index.ts';

/** Who sends requests: a population with a popularity law, and users no batch run has seen. */
export interface UsersConfig {
  /** Known users, keys 0..count−1. */
  count: number;
  /** Zipf exponent s (P(rank k) ∝ k^−s), or 0 for uniform popularity. */
  zipf: number;
  /** Share of requests from brand-new users: each gets a fresh key, unknown to any batch run and to caches. */
  newUserShare: number;
}

/**
 * Draws the user (entity key) of each request: with probability `newUserShare` a
 * new user (keys count, count+1, ...), else a known user by Zipf or uniform
 * popularity. Zipf is sampled exactly by inversion over the cumulative weights
 * (binary search on a table of `count` doubles: 8 MB per million users).
 */
export function makeUserSampler(cfg: UsersConfig, rng: Rng): () => number {
  let nextNew = cfg.count;
  let known: () => number;
  if (cfg.zipf === 0) {
    known = () => Math.floor(rng() * cfg.count);
  } else {
    const cum = zipfCumulative(cfg.count, cfg.zipf);
    const total = cum[cfg.count - 1]!;
    known = () => {
      const u = rng() * total;
      let lo = 0;
      let hi = cfg.count - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cum[mid]! > u) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    };
  }
  if (cfg.newUserShare === 0) return known;
  return () => (rng() < cfg.newUserShare ? nextNew++ : known());
}

/** Cumulative Zipf weights Σ_{j≤k} (j+1)^−s for k = 0..n−1 (key k has rank k+1). */
export function zipfCumulative(n: number, s: number): Float64Array {
  const cum = new Float64Array(n);
  let acc = 0;
  for (let k = 0; k < n; k++) {
    acc += (k + 1) ** -s;
    cum[k] = acc;
  }
  return cum;
}

/** Zipf probabilities of keys 0..n−1 (for theory in tests and reports). */
export function zipfPmf(n: number, s: number): Float64Array {
  const cum = zipfCumulative(n, s);
  const total = cum[n - 1]!;
  const p = new Float64Array(n);
  for (let k = 0; k < n; k++) p[k] = (k + 1) ** -s / total;
  return p;
}

/**
 * Keys of class k's own users start at (k + 1) × this, so no two classes (nor the
 * scenario's users, new ones included) share a key: 2^40 is far above any population
 * (at most 2 × 10^7) plus new users (one per arrival), and (classes + 1) × 2^40 stays
 * an exact integer in a double.
 */
export const CLASS_KEY_SPAN = 2 ** 40;

/** Draws the keys of class `classIndex`'s own users (`classes[].users`): `makeUserSampler`'s, offset to the class's own range. */
export function classKeySampler(classIndex: number, cfg: UsersConfig, rng: Rng): () => number {
  const draw = makeUserSampler(cfg, rng);
  const offset = (classIndex + 1) * CLASS_KEY_SPAN;
  return () => offset + draw();
}
