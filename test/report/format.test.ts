/**
 * The one formatter of "value ± half-width" and of paired differences, shared by the
 * terminal, the HTML and Markdown reports and the playground: an interval at rounding
 * level is "± 0", and a difference at rounding level is "identical", never "significant".
 */
import { describe, expect, it } from 'vitest';
import { differenceVerdict, fmtDifference, fmtEstimate, fmtFigure } from '../../src/report/figures.ts';
import { fmtNum as cliNum } from '../../src/cli/format.ts';

describe('fmtEstimate', () => {
  it('prints a rounding-level half-width as ± 0 in every digit style', () => {
    // Reference: the Markdown report printed "2.14 ± 4.8e-16" for a deterministic figure.
    expect(fmtFigure({ value: 2.14, ci95: 4.8e-16 })).toBe('2.14 ± 0');
    expect(fmtEstimate(2.14, 4.8e-16, cliNum)).toBe('2.14 ± 0');
    expect(fmtEstimate(1346, 24.1, cliNum)).toBe('1,346 ± 24.1');
    // 1e-9 of the value is the line: just above it is shown.
    expect(fmtEstimate(1000, 2e-6)).toBe('1,000 ± 0.000002');
  });

  it('shows the value alone without an interval', () => {
    expect(fmtFigure({ value: 12.3 })).toBe('12.3');
    expect(fmtEstimate(12.3, NaN)).toBe('12.3');
    expect(fmtEstimate(NaN, 1)).toBe('–');
  });
});

describe('paired differences', () => {
  const d = (difference: number, ci95: number, baseline = 10, variant = baseline + difference) => ({ difference, ci95, baseline, variant });

  it('calls a difference at rounding level identical, whatever its interval', () => {
    expect(fmtDifference(d(3e-15, 4.8e-16))).toEqual({ text: '+0 ± 0', verdict: 'identical' });
    expect(fmtDifference(d(-3e-15, 0.5))).toEqual({ text: '+0 ± 0', verdict: 'identical' });
    expect(differenceVerdict(d(0, 0))).toBe('identical');
  });

  it('calls a real difference with a rounding-level interval significant, shown ± 0', () => {
    // A deterministic figure that changed (a price): no spread, a real difference.
    expect(fmtDifference(d(2.14, 4.8e-16))).toEqual({ text: '+2.14 ± 0', verdict: 'significant' });
  });

  it('judges the rest by whether the interval excludes 0', () => {
    expect(fmtDifference(d(-578, 52), cliNum)).toEqual({ text: '-578 ± 52.0', verdict: 'significant' });
    expect(fmtDifference(d(0.0000698, 0.000217), cliNum)).toEqual({ text: '+0.0000698 ± 0.000217', verdict: 'not significant' });
    expect(fmtDifference(d(1.5, NaN))).toEqual({ text: '+1.50 ± –', verdict: 'no interval with one replication' });
  });
});
