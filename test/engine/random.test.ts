/**
 * Random streams: one root seed per run and one named sub-stream per component,
 * so a stream's draws depend only on (root seed, name) (STYLE.md, shape rule 4).
 */
import { describe, expect, it } from 'vitest';
import { RandomStreams, Simulation, type Rng } from '../../src/engine/index.ts';

function take(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng());
}

describe('RandomStreams', () => {
  it('same root seed and name give identical sequences, in or out of a run', () => {
    const a = take(new RandomStreams(42).stream('arrivals'), 1000);
    const b = take(new RandomStreams(42).stream('arrivals'), 1000);
    const c = take(RandomStreams.independent(42, 'arrivals'), 1000);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    // String and number seeds name the same root when they print the same.
    expect(take(RandomStreams.independent('42', 'arrivals'), 1000)).toEqual(a);
  });

  it('different names or different root seeds give different sequences', () => {
    const base = take(RandomStreams.independent(42, 'arrivals'), 100);
    expect(take(RandomStreams.independent(42, 'stage:model:service'), 100)).not.toEqual(base);
    expect(take(RandomStreams.independent(43, 'arrivals'), 100)).not.toEqual(base);
    // Not merely shifted copies of each other either: no common value at all in the
    // first 100 draws (53-bit doubles collide by chance with probability ~10⁻¹²).
    const other = new Set(take(RandomStreams.independent(42, 'stage:model:service'), 100));
    expect(base.filter((x) => other.has(x))).toEqual([]);
  });

  it('draws are uniform doubles in [0, 1) with more than 32 bits', () => {
    // The 53-bit double() is used so no tail is cut at 2⁻³²: some draws must have
    // bits below 2⁻³², i.e. not be multiples of 2⁻³².
    const xs = take(RandomStreams.independent(1, 'bits'), 1000);
    for (const x of xs) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
    expect(xs.some((x) => x * 2 ** 32 !== Math.floor(x * 2 ** 32))).toBe(true);
  });

  it('taking the same stream name twice in one run throws', () => {
    const streams = new RandomStreams(7);
    streams.stream('arrivals');
    expect(() => streams.stream('arrivals')).toThrow(/already in use/);
    // ... but another run (another RandomStreams, another Simulation) may take it.
    expect(() => new RandomStreams(7).stream('arrivals')).not.toThrow();
    const sim = new Simulation({ seed: 7 });
    sim.random.stream('stage:a:service');
    expect(() => sim.random.stream('stage:a:service')).toThrow(/already in use/);
    expect(() => new Simulation({ seed: 7 }).random.stream('stage:a:service')).not.toThrow();
  });

  it('adding a stream, or drawing from another, does not shift a stream’s draws', () => {
    // Run 1: only "arrivals". Run 2: two other streams are created first and drawn
    // from, interleaved with "arrivals". The arrivals sequence must not change.
    const alone = take(new RandomStreams(9).stream('arrivals'), 500);
    const streams = new RandomStreams(9);
    const s1 = streams.stream('stage:a:service');
    take(s1, 37);
    const arrivals = streams.stream('arrivals');
    const s2 = streams.stream('stage:b:service');
    const interleaved: number[] = [];
    for (let i = 0; i < 500; i++) {
      interleaved.push(arrivals());
      s1();
      if (i % 3 === 0) s2();
    }
    expect(interleaved).toEqual(alone);
  });

  it('the root seed is kept on the instance', () => {
    expect(new RandomStreams('abc').rootSeed).toBe('abc');
    expect(new Simulation({ seed: 3 }).random.rootSeed).toBe(3);
  });
});
