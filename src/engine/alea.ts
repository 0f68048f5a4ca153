/**
 * Fast stepping of seedrandom's Alea generator (Johannes Baagøe's algorithm). seedrandom
 * seeds it and hands over its state (`{ state: true }`); the draws then run here, with
 * the same arithmetic as seedrandom's `double()` (two 32-bit steps, 53 random bits), so
 * every stream draws exactly the numbers seedrandom would (`test/engine/alea.test.ts`
 * checks it bit for bit).
 */
import seedrandom from 'seedrandom';

/** A uniform source on [0, 1) with 53 random bits: seedrandom's `alea(seed).double`. */
export function alea(seed: string): () => number {
  const { c, s0, s1, s2 } = seedrandom.alea(seed, { state: true }).state() as unknown as AleaState;
  // PERF: the state lives in a Float64Array and one call makes both steps. seedrandom's
  // double() calls its one-step closure twice and keeps the state as object properties;
  // closure variables would be worse still (a double in a closure is boxed anew on
  // every write). About 10 % of an M/M/4 run's time (bench/README.md, issue 13).
  const st = new Float64Array([s0, s1, s2, c]);
  return () => {
    const t = 2091639 * st[0]! + st[3]! * 2.3283064365386963e-10; // 2^-32
    const c1 = t | 0;
    const a = t - c1;
    const u = 2091639 * st[1]! + c1 * 2.3283064365386963e-10;
    const c2 = u | 0;
    const b = u - c2;
    st[0] = st[2]!;
    st[1] = a;
    st[2] = b;
    st[3] = c2;
    return a + ((b * 0x200000) | 0) * 1.1102230246251565e-16; // 2^-53
  };
}

/** seedrandom's Alea state (its typings call it a plain object). */
interface AleaState {
  c: number;
  s0: number;
  s1: number;
  s2: number;
}
