import type { StepTimeModel } from './step-time.ts';

/** Measured step times on a grid, in microseconds: `stepUs[i][j]` at (`prefillTokens[i]`, `decodeTokens[j]`). */
export interface StepTimeTable {
  /** Prefill-token grid points, strictly increasing, starting at 0. */
  readonly prefillTokens: readonly number[];
  /** Decode-token grid points, strictly increasing, starting at 0. */
  readonly decodeTokens: readonly number[];
  /** Step time in µs per grid point, non-decreasing along each axis. */
  readonly stepUs: readonly (readonly number[])[];
  /** Pre-queue overhead α0 + α1·input and α2 per output token, µs (default all 0). */
  readonly alpha?: readonly [number, number, number];
}

function checkAxis(name: string, axis: readonly number[]): void {
  if (axis.length === 0 || axis[0] !== 0) throw new RangeError(`step-time table: ${name} must start at 0`);
  for (let i = 1; i < axis.length; i++) {
    if (!(axis[i]! > axis[i - 1]!)) throw new RangeError(`step-time table: ${name} must be strictly increasing (at index ${i})`);
  }
}

/** Index of the segment [axis[i], axis[i+1]] used for `x` (the last segment beyond the grid, for extrapolation). */
function segment(axis: readonly number[], x: number): number {
  if (axis.length === 1) return 0;
  let lo = 0;
  let hi = axis.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (axis[mid]! <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Linear weight of the upper point of segment `i` at `x` (0 on a one-point axis; above 1 when extrapolating). */
function weight(axis: readonly number[], i: number, x: number): number {
  if (axis.length === 1) return 0;
  return (x - axis[i]!) / (axis[i + 1]! - axis[i]!);
}

/**
 * Step times read from a measured table (as Vidur profiles them): bilinear interpolation
 * between grid points, linear extrapolation from the last segment beyond the grid. The
 * table must be non-decreasing along both axes, so extrapolation never goes below the
 * last measured value (no clipping is needed, none is done).
 */
export function tableStepTime(t: StepTimeTable): StepTimeModel {
  checkAxis('prefillTokens', t.prefillTokens);
  checkAxis('decodeTokens', t.decodeTokens);
  const np = t.prefillTokens.length;
  const nd = t.decodeTokens.length;
  if (t.stepUs.length !== np) throw new RangeError(`step-time table: ${np} prefill rows expected, got ${t.stepUs.length}`);
  for (let i = 0; i < np; i++) {
    const row = t.stepUs[i]!;
    if (row.length !== nd) throw new RangeError(`step-time table: row ${i} must have ${nd} values, got ${row.length}`);
    for (let j = 0; j < nd; j++) {
      const v = row[j]!;
      if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`step-time table: value at [${i}][${j}] must be finite and > 0, got ${v}`);
      if (i > 0 && v < t.stepUs[i - 1]![j]!) throw new RangeError(`step-time table: not non-decreasing in prefill tokens at [${i}][${j}]`);
      if (j > 0 && v < row[j - 1]!) throw new RangeError(`step-time table: not non-decreasing in decode tokens at [${i}][${j}]`);
    }
  }
  const [a0, a1, a2] = t.alpha ?? [0, 0, 0];
  const at = (i: number, j: number): number => t.stepUs[Math.min(i, np - 1)]![Math.min(j, nd - 1)]!;
  return {
    stepS(p, d) {
      const i = segment(t.prefillTokens, p);
      const j = segment(t.decodeTokens, d);
      const u = weight(t.prefillTokens, i, p);
      const v = weight(t.decodeTokens, j, d);
      const low = at(i, j) + (at(i + 1, j) - at(i, j)) * u;
      const high = at(i, j + 1) + (at(i + 1, j + 1) - at(i, j + 1)) * u;
      return (low + (high - low) * v) * 1e-6;
    },
    preQueueS: (input) => (a0 + a1 * input) * 1e-6,
    perOutputTokenS: a2 * 1e-6,
  };
}
