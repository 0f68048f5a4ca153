/** Step-time models: BLIS coefficients, a measured table (bilinear), multiplicative noise. */
import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/engine/index.ts';
import { coefficientStepTime, noisyStepTime, tableStepTime } from '../../src/models/llm/index.ts';

describe('coefficientStepTime', () => {
  it('is β0 + β1·p + β2·d and α0 + α1·P in µs, returned in seconds', () => {
    const m = coefficientStepTime({ alpha: [13450.51, 0.041814, 7], beta: [26595.28, 96.284, 56.586] });
    // Reference: 26595.28 + 96.284 × 1000 + 56.586 × 10 = 123445.14 µs.
    expect(m.stepS(1000, 10)).toBeCloseTo(0.12344514, 12);
    // 13450.51 + 0.041814 × 3000 = 13575.952 µs.
    expect(m.preQueueS(3000)).toBeCloseTo(0.013575952, 12);
    expect(m.perOutputTokenS).toBeCloseTo(7e-6, 15);
  });
  it('refuses negative or non-finite coefficients', () => {
    expect(() => coefficientStepTime({ alpha: [0, 0, 0], beta: [-1, 0, 0] })).toThrow(/>= 0/);
    expect(() => coefficientStepTime({ alpha: [0, NaN, 0], beta: [1, 0, 0] })).toThrow(/finite/);
  });
});

describe('tableStepTime', () => {
  const table = { prefillTokens: [0, 1000], decodeTokens: [0, 100], stepUs: [[10_000, 20_000], [30_000, 50_000]] };
  it('returns the grid points exactly and interpolates bilinearly between them', () => {
    const m = tableStepTime(table);
    expect(m.stepS(0, 0)).toBeCloseTo(0.01, 12);
    expect(m.stepS(1000, 100)).toBeCloseTo(0.05, 12);
    // Centre: mean of the four corners = 27,500 µs.
    expect(m.stepS(500, 50)).toBeCloseTo(0.0275, 12);
  });
  it('extrapolates linearly beyond the grid from the last segment', () => {
    // p = 2000, d = 0: 10,000 + 2 × 20,000 = 50,000 µs.
    expect(tableStepTime(table).stepS(2000, 0)).toBeCloseTo(0.05, 12);
  });
  it('refuses axes not starting at 0, not increasing, or values decreasing along an axis', () => {
    expect(() => tableStepTime({ ...table, prefillTokens: [1, 1000] })).toThrow(/start at 0/);
    expect(() => tableStepTime({ ...table, decodeTokens: [0, 0] })).toThrow(/strictly increasing/);
    expect(() => tableStepTime({ ...table, stepUs: [[10_000, 5_000], [30_000, 50_000]] })).toThrow(/non-decreasing/);
  });
});

describe('noisyStepTime', () => {
  it('multiplies steps by a lognormal factor of mean 1 and the given cv; overheads unchanged', () => {
    const base = coefficientStepTime({ alpha: [100, 1, 0], beta: [1000, 0, 0] });
    const m = noisyStepTime(base, 0.2, RandomStreams.independent(7, 'step-noise'));
    const n = 200_000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const f = m.stepS(0, 0) / 1e-3;
      sum += f;
      sq += f * f;
    }
    const mean = sum / n;
    const sd = Math.sqrt(sq / n - mean * mean);
    // Standard error of the mean: 0.2 / sqrt(200,000) ≈ 4.5e-4; 5 of them as the tolerance.
    expect(Math.abs(mean - 1)).toBeLessThan(2.3e-3);
    // The sample sd of 200,000 draws is within a few percent of 0.2.
    expect(Math.abs(sd - 0.2)).toBeLessThan(0.01);
    expect(m.preQueueS(100)).toBe(base.preQueueS(100));
  });
});
