import { describe, expect, it } from 'vitest';
import { expNonPositive, log1p } from '../../src/engine/distributions/fdlibm.ts';
import { RandomStreams } from '../../src/engine/index.ts';

/**
 * The fdlibm ports (src/engine/distributions/fdlibm.ts) against this engine's own
 * functions. Node 20's V8 implements Math.exp and Math.log1p with the same fdlibm code,
 * so they must agree bit for bit: a mistyped branch bound or constant shows as a
 * difference somewhere in these ranges (two transposed digits in exp's P3 or log1p's LP4
 * do); a change below a high-order coefficient's last digit changes no result at all.
 * (In Chromium, whose Math.exp differs, the playground test checks that a run gives the
 * command line's numbers.)
 */
const u = RandomStreams.independent(1, 'fdlibm');
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
/** A double with high word `hi` and a random low word: every branch bound of the ports is a high word. */
const near = (hi: number): number => {
  words[HI] = hi;
  words[1 - HI] = Math.floor(u() * 2 ** 32);
  return bits[0]!;
};

describe('fdlibm ports', () => {
  it('exp: the same bits as Math.exp on (−708, 0], at every branch bound and across the range', () => {
    const xs: number[] = [0, -0, -1e-300, -(2 ** -29), -0.5, -1, -Math.LN2 / 2, -1.5 * Math.LN2, -7.69711747013105, -8.697117470131053, -708];
    for (let i = 0; i < 300_000; i++) xs.push(-u() * 9, -u() * 1e-6, -u() * 708);
    for (const hi of [0x3fd62e41, 0x3fd62e42, 0x3fd62e43, 0x3ff0a2b1, 0x3ff0a2b2, 0x3ff0a2b3, 0x3e2fffff, 0x3e300000]) {
      for (let i = 0; i < 10_000; i++) xs.push(near((hi | 0x80000000) >>> 0));
    }
    const off = xs.filter((x) => !Object.is(expNonPositive(x), Math.exp(x)));
    expect(off).toEqual([]);
    expect(() => expNonPositive(0.5)).toThrow(RangeError);
    expect(() => expNonPositive(Number.NaN)).toThrow(RangeError);
  });

  it('log1p: the same bits as Math.log1p, at every branch bound, across (−1, 1] and beyond', () => {
    const xs: number[] = [0, -0, -1, 1, -1 + 2 ** -53, 2 ** -1074, -(2 ** -1074), -0.5, 0.41421356237309503, 1e300, Infinity, -2, Number.NaN];
    for (let i = 0; i < 300_000; i++) xs.push(-u(), u() * 4 - 1, -u() * 2 ** -Math.floor(u() * 1000));
    for (const hi of [0xbfd2bec3, 0xbfd2bec4, 0xbfd2bec5, 0x3fda8279, 0x3fda827a, 0x3fda827b, 0x3e1fffff, 0x3e200000, 0x3c8fffff, 0x3c900000, 0x4033ffff, 0x43400000]) {
      for (let i = 0; i < 10_000; i++) xs.push(near(hi));
    }
    const off = xs.filter((x) => !Object.is(log1p(x), Math.log1p(x)));
    expect(off).toEqual([]);
  });
});
