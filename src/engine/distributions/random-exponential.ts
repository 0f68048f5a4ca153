import type { Rng } from '../random.ts';

/**
 * Exponential draws by the ziggurat method (Marsaglia & Tsang, "The Ziggurat Method
 * for Generating Random Variables", J. Stat. Software 5(8), 2000; the form with
 * independent layer and position bits is Doornik's, 2005, as in NumPy and Rust's
 * rand_distr). The density e^−x is covered by 256 layers of equal area V: 255
 * rectangles stacked on a base strip that holds the rectangle [0, R] × [0, e^−R] and
 * the tail beyond R. One uniform picks a layer (its top 8 bits) and a position across it
 * (its other 45): inside the part of the layer that lies under the density, which is
 * 97.8 % of draws, the position is the draw. Otherwise a wedge draw is accepted against
 * e^−x with a second uniform, or a draw in the tail is R plus a fresh Exp(1) (the
 * exponential forgets), by inversion. The result is exactly exponential, up to the 45
 * bits of position (a grid of at most 2.5e−13 of the mean).
 *
 * PERF: the exponential is the simulator's commonest draw (every Poisson gap, every
 * exponential service time). Inversion, −log1p(−u), costs a call to fdlibm's log1p, a
 * chain of two divisions and a degree-14 polynomial: about 19 ns a draw where this costs
 * about 2 (bench/README.md, issue 13), 8 % of an M/M/4 run.
 */

/** Where the tail starts, and each layer's area, for 256 layers (Marsaglia & Tsang's constants). */
const R = 7.69711747013105;
const V = 0.003949659822581557;
const LAYERS = 256;

/**
 * Right edges of the layers, decreasing: X[0] = V / e^−R, the base strip's width as a
 * rectangle of area V; X[1] = R; X[i + 1] = the x where the density is V / X[i] above
 * its value at X[i], so that every layer has area V; X[256] = 0 (the computed value is
 * −3e−15, rounding). F[i] = e^−X[i], the density at each edge, increasing.
 */
const X = new Float64Array(LAYERS + 1);
const F = new Float64Array(LAYERS + 1);
X[0] = V * Math.exp(R);
X[1] = R;
for (let i = 1; i < LAYERS; i++) X[i + 1] = -Math.log(V / X[i]! + Math.exp(-X[i]!));
X[LAYERS] = 0;
for (let i = 0; i <= LAYERS; i++) F[i] = Math.exp(-X[i]!);

/** The d3-random shape: `randomExponential.source(rng)(lambda)` draws Exp(rate λ) from `rng`. */
export interface RandomExponential {
  (lambda: number): () => number;
  source(source: Rng): RandomExponential;
}

function sourceRandomExponential(source: Rng): RandomExponential {
  const random = (lambda: number): (() => number) => {
    const mean = 1 / lambda;
    return () => {
      for (;;) {
        const u = source() * LAYERS; // exact: the layer is the integer part, the position the rest
        const i = u | 0;
        const x = (u - i) * X[i]!;
        if (x < X[i + 1]!) return x * mean;
        if (i === 0) return (R - Math.log1p(-source())) * mean;
        if (F[i + 1]! + (F[i]! - F[i + 1]!) * source() < Math.exp(-x)) return x * mean;
      }
    };
  };
  random.source = sourceRandomExponential;
  return random;
}

/**
 * Exponential samplers in d3-random's style: `randomExponential.source(rng)(λ)` returns a
 * function drawing Exp(rate λ), mean 1/λ, from the uniform source `rng`. Every built-in
 * exponential draws through it (the `exponential` service time, Poisson and
 * trace-rate gaps, the bursty source's sojourns); a plug-in that wants the same draws
 * from the same stream uses it too.
 */
export const randomExponential: RandomExponential = sourceRandomExponential(() => {
  throw new Error('randomExponential needs a seeded source: randomExponential.source(rng)(lambda)');
});
