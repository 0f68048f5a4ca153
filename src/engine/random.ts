import { alea } from './alea.ts';

/** A uniform random source on [0, 1), the d3-random `source` contract. */
export type Rng = () => number;

/** A root seed: an integer or a string. */
export type Seed = number | string;

/**
 * The random streams of one run: a root seed and one independent, named sub-stream
 * per component (`arrivals`, `stage:model:service`, ...). A stream's draws depend
 * only on the root seed and its own name, so adding a component never shifts the
 * draws of another; this is what makes common random numbers across variants work.
 *
 * Each stream is an Alea generator (`alea.ts`, seedrandom's algorithm) seeded with
 * `"<root>/<name>"`, drawing 53-bit doubles so that no distribution's tail is cut at 2^-32.
 */
export class RandomStreams {
  private readonly used = new Set<string>();

  constructor(readonly rootSeed: Seed) {}

  /**
   * A new stream for `name`. Each name may be taken once per run: two components
   * sharing a stream by accident would draw correlated numbers.
   */
  stream(name: string): Rng {
    if (this.used.has(name)) throw new Error(`random stream "${name}" is already in use in this run`);
    this.used.add(name);
    return RandomStreams.independent(this.rootSeed, name);
  }

  /** A stream for `name` under `rootSeed`, outside any run (tests, derived seeds). */
  static independent(rootSeed: Seed, name: string): Rng {
    return alea(`${String(rootSeed)}/${name}`);
  }
}
