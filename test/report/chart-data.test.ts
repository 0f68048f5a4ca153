/**
 * The rows the charts draw: what is left out (and why) and how stage times are split.
 */
import { describe, expect, it } from 'vitest';
import { cdfRows, logAxis, stageRows, tradeoffRows } from '../../src/report/charts.ts';
import { fixtureReport } from './fixture.ts';

describe('chart rows', () => {
  it('leaves zero latencies out of the log-scale CDF', () => {
    const report = fixtureReport();
    report.variants[0]!.cdf = [[0, 0.1], [5, 0.5], [9, 1]];
    const rows = cdfRows(report).filter((r) => r.variant === report.variants[0]!.name);
    expect(rows).toEqual([
      { variant: report.variants[0]!.name, latencyMs: 5, share: 0.5 },
      { variant: report.variants[0]!.name, latencyMs: 9, share: 1 },
    ]);
  });

  it('splits each stage into waiting and service that add up to its time', () => {
    const report = fixtureReport();
    const v = report.variants[0]!;
    const rows = stageRows(report).filter((r) => r.variant === v.name);
    expect(rows).toHaveLength(2 * v.stages.length);
    for (const s of v.stages) {
      const parts = rows.filter((r) => r.stage === s.name);
      expect(parts.map((p) => p.part)).toEqual(['waiting', 'in service']);
      expect(parts[0]!.timeMs + parts[1]!.timeMs).toBeCloseTo(s.timeMs, 12);
    }
  });

  it('drops unpriced tradeoff points and marks the frontier', () => {
    const rows = tradeoffRows(fixtureReport());
    // Reference: the fixture has 12 points, one of them unpriced (NaN cost).
    expect(rows).toHaveLength(11);
    expect(rows.some((r) => r.label === 'unpriced')).toBe(false);
    expect(rows.filter((r) => r.frontier).map((r) => r.label).sort()).toEqual(
      ['batched ×1', 'batched ×2', 'cascade ×2+2', 'cpu only'].sort(),
    );
  });

  it('puts log-axis ticks on the 1-2-5 series inside the range', () => {
    expect(logAxis(3, 2600).ticks).toEqual([5, 10, 20, 50, 100, 200, 500, 1000, 2000]);
    expect(logAxis(0.15, 0.6).ticks).toEqual([0.2, 0.5]);
  });
});
