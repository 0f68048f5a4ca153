/**
 * e^x and ln(1 + x) in plain arithmetic, ported from fdlibm (Sun Microsystems, 1993,
 * freely redistributable with its notice; the e_exp.c and s_log1p.c that V8's
 * src/base/ieee754.cc carries, with FreeBSD's 0xBFD2BEC4 bound in log1p). They give
 * the same bits on every JavaScript engine: `Math.exp` and `Math.log1p` are each
 * engine's own, and Chromium 156 already differs from Node 20 in the last bits of
 * `Math.exp` for some arguments, which would make a scenario's numbers in the
 * playground differ from the command line's. On Node 20 both return exactly what
 * `Math.exp` and `Math.log1p` return (`test/engine/fdlibm.test.ts` checks millions of
 * arguments), so moving a draw to them changes no output there.
 *
 * PERF: not for hot paths; the ziggurat calls them only off its fast path.
 */

import { HI_WORD } from '../float-words.ts';

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const HI = HI_WORD;
const LO = 1 - HI;

/** The high word of `x` as a signed 32-bit integer. */
function highWord(x: number): number {
  F64[0] = x;
  return U32[HI]! | 0;
}

/** The double with high word `hi` and low word `lo`. */
function fromWords(hi: number, lo: number): number {
  U32[HI] = hi;
  U32[LO] = lo;
  return F64[0]!;
}

const LN2_HI = 0.6931471803691238; // 3FE62E42 FEE00000
const LN2_LO = 1.9082149292705877e-10; // 3DEA39EF 35793C76
const INV_LN2 = Math.LOG2E; // 1/ln 2
const P1 = 0.16666666666666602;
const P2 = -0.0027777777777015593;
const P3 = 6.613756321437934e-5;
const P4 = -1.6533902205465252e-6;
const P5 = 4.1381367970572385e-8;

/** e^x for −708 ≤ x ≤ 0 (what the ziggurat needs: the density at a point of a layer), within 1 ulp. */
export function expNonPositive(x: number): number {
  if (!(x <= 0 && x >= -708)) throw new RangeError(`expNonPositive takes −708 ≤ x ≤ 0, got ${x}`);
  const hx = highWord(x) & 0x7fffffff;
  let hi = 0;
  let lo = 0;
  let k = 0;
  if (hx > 0x3fd62e42) {
    // |x| > ln2 / 2: x = k·ln2 + r with |r| ≤ ln2 / 2, k·ln2 split in two so hi is exact.
    if (hx < 0x3ff0a2b2) {
      hi = x + LN2_HI;
      lo = -LN2_LO;
      k = -1;
    } else {
      k = Math.trunc(INV_LN2 * x - 0.5);
      hi = x - k * LN2_HI;
      lo = k * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    return 1 + x; // |x| < 2^−28
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - (lo - (x * c) / (2 - c) - hi);
  return y * fromWords(0x3ff00000 + (k << 20), 0); // × 2^k, exact
}

const TWO54 = 1.8014398509481984e16;
const LP1 = 0.6666666666666735;
const LP2 = 0.3999999999940942;
const LP3 = 0.2857142874366239;
const LP4 = 0.22222198432149784;
const LP5 = 0.1818357216161805;
const LP6 = 0.15313837699209373;
const LP7 = 0.14798198605116586;

/** ln(1 + x), within 1 ulp; NaN below −1, −Infinity at −1. */
export function log1p(x: number): number {
  const hx = highWord(x);
  const ax = hx & 0x7fffffff;
  let k = 1;
  let f = 0;
  let hu = 0;
  let c = 0;
  if (hx < 0x3fda827a) {
    // 1 + x < √2
    if (ax >= 0x3ff00000) return x === -1 ? -Infinity : Number.NaN; // x ≤ −1
    if (ax < 0x3e200000) {
      // |x| < 2^−29
      if (TWO54 + x > 0 && ax < 0x3c900000) return x; // |x| < 2^−54
      return x - x * x * 0.5;
    }
    if (hx > 0 || hx <= (0xbfd2bec4 | 0)) {
      // √2/2 ≤ 1 + x < √2: no reduction
      k = 0;
      f = x;
      hu = 1;
    }
  }
  if (hx >= 0x7ff00000) return x + x; // Infinity or NaN
  if (k !== 0) {
    let u: number;
    if (hx < 0x43400000) {
      u = 1 + x;
      hu = highWord(u);
      k = (hu >> 20) - 1023;
      c = k > 0 ? 1 - (u - x) : x - (u - 1); // the rounding of 1 + x
      c /= u;
    } else {
      u = x;
      hu = highWord(u);
      k = (hu >> 20) - 1023;
      c = 0;
    }
    hu &= 0x000fffff;
    F64[0] = u;
    if (hu < 0x6a09e) {
      U32[HI] = hu | 0x3ff00000; // u normalized to [1, √2)
    } else {
      k += 1;
      U32[HI] = hu | 0x3fe00000; // u / 2
      hu = (0x00100000 - hu) >> 2;
    }
    f = F64[0]! - 1;
  }
  const hfsq = 0.5 * f * f;
  if (hu === 0) {
    // |f| < 2^−20
    if (f === 0) return k === 0 ? 0 : k * LN2_HI + (c + k * LN2_LO);
    const r = hfsq * (1 - 0.6666666666666666 * f);
    return k === 0 ? f - r : k * LN2_HI - (r - (k * LN2_LO + c) - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  const r = z * (LP1 + z * (LP2 + z * (LP3 + z * (LP4 + z * (LP5 + z * (LP6 + z * LP7))))));
  return k === 0 ? f - (hfsq - s * (hfsq + r)) : k * LN2_HI - (hfsq - (s * (hfsq + r) + (k * LN2_LO + c)) - f);
}
