import { describe, expect, it } from 'vitest';
import { TimeWeighted } from '../../src/engine/index.ts';

describe('TimeWeighted', () => {
  it('averages a piecewise-constant value over time', () => {
    const tw = new TimeWeighted(0, 2);
    tw.set(1, 4); // 2 on [0,1)
    tw.set(3, 0); // 4 on [1,3)
    // Reference: ∫ = 2·1 + 4·2 + 0·1 = 10 over 4 s.
    expect(tw.integral(4)).toBe(10);
    expect(tw.mean(4)).toBe(2.5);
    expect(tw.max).toBe(4);
  });

  it('reset restarts the average but never the lifetime integral', () => {
    const tw = new TimeWeighted(0, 3);
    tw.set(2, 5); // 3 on [0,2): 6
    tw.reset(4); // 5 on [2,4): 10, forgotten by the average only
    expect(tw.integral(6)).toBe(10); // 5 on [4,6)
    expect(tw.mean(6)).toBe(5);
    // Reference: lifetime ∫ = 6 + 10 + 10 = 26 (a reset used to drop the [2,4) piece).
    expect(tw.lifetimeIntegral(6)).toBe(26);
  });
});
