/**
 * The time series puts an event at time t in window ⌊t / window⌋, computed by the
 * division. The recorder skips the division while time stays strictly inside the last
 * window it used (a PERF fast path, `time-series.ts`); these check that the two agree
 * for times at, just before and just after window boundaries, where the division's
 * rounding decides, for windows that are not exact in binary (0.1 s) and that are.
 */
import { describe, expect, it } from 'vitest';
import { TimeWeighted } from '../../src/engine/index.ts';
import { TimeSeriesRecorder } from '../../src/models/time-series.ts';

/** Times around each boundary k·w: the doubles next to it both ways, and the product itself. */
function boundaryTimes(windowS: number, windows: number): number[] {
  const scratch = new Float64Array(1);
  const bits = new BigInt64Array(scratch.buffer);
  const step = (x: number, d: bigint): number => {
    scratch[0] = x;
    bits[0] = bits[0]! + d;
    return scratch[0]!;
  };
  const times: number[] = [];
  for (let k = 1; k < windows; k++) {
    const b = k * windowS;
    for (let d = -3n; d <= 3n; d++) times.push(step(b, d));
    times.push(b * (1 - 1e-12), b * (1 + 1e-12), (k + 0.5) * windowS);
  }
  return times;
}

function recorder(windowS: number): TimeSeriesRecorder {
  const tw = new TimeWeighted();
  return new TimeSeriesRecorder(windowS, [{ name: 's', queueLength: tw, busy: tw, slots: tw, readyReplicas: tw, billedReplicas: tw, usdPerHour: 0 }]);
}

describe('time-series windows', () => {
  for (const windowS of [0.1, 0.3, 1, 60, 1 / 3]) {
    it(`counts arrivals, completions and drops in window floor(t / ${windowS}) at every boundary`, () => {
      const times = boundaryTimes(windowS, 200);
      const rec = recorder(windowS);
      const want = new Map<number, number>();
      for (const t of times) {
        rec.advance(t);
        rec.arrival(t);
        rec.completion(t, 0.001);
        rec.drop(t);
        const k = Math.floor(t / windowS);
        want.set(k, (want.get(k) ?? 0) + 1);
      }
      const end = times[times.length - 1]! + windowS;
      const s = rec.result(end, 0);
      const expected = s.startS.map((_, k) => want.get(k) ?? 0);
      expect(s.arrivals).toEqual(expected);
      expect(s.completions).toEqual(expected);
      expect(s.drops).toEqual(expected);
      // Each window's latencies went to that window's quantiles: a window with completions has them.
      s.p50Ms.forEach((p, k) => expect(p === null).toBe(expected[k] === 0));
    });
  }
});
