import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { alea } from '../../src/engine/alea.ts';

// servesim's own Alea must draw exactly what seedrandom's `alea(seed).double()` drew
// (the generator every stream used before), so that no output changes: compared bit
// for bit over many draws and seeds of the shapes the runs use ("<root>/<name>").
describe('alea', () => {
  it('draws the same doubles as seedrandom.alea(seed).double, bit for bit', () => {
    for (const seed of ['7/arrivals', '1/stage:model:service', '42/stage:llm:tokens', '', 'é/ü', '0']) {
      const ours = alea(seed);
      const theirs = seedrandom.alea(seed).double;
      for (let i = 0; i < 200_000; i++) {
        const a = ours();
        const b = theirs();
        if (a !== b) expect.fail(`seed ${JSON.stringify(seed)}, draw ${i}: ${a} != ${b}`);
      }
    }
  });

  it('draws in [0, 1) with the low bits used (a 53-bit double, not a 32-bit one)', () => {
    const u = alea('bits');
    let lowBits = 0;
    for (let i = 0; i < 10_000; i++) {
      const x = u();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      // A 32-bit draw times 2^32 is an integer; a 53-bit one almost never is.
      if (!Number.isInteger(x * 2 ** 32)) lowBits++;
    }
    expect(lowBits).toBeGreaterThan(9_990);
  });
});
