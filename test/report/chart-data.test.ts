/**
 * The rows the charts draw: what is left out (and why) and how stage times are split.
 */
import { describe, expect, it } from 'vitest';
import { decimateSeries, MAX_SERIES_POINTS } from '../../src/report/build.ts';
import { cdfRows, distinctLabels, logAxis, stageRows, tradeoffRows } from '../../src/report/charts.ts';
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

describe('labels and series the charts draw', () => {
  it('cuts long names to distinct labels, never two to one text', () => {
    // Reference: Vega's own cut (120 px) read both of these as "stages.ranker.hard…".
    const plan = ['stages.ranker.hardware=c7i.xlarge, stages.ranker.replicas=46', 'stages.ranker.hardware=c7i.xlarge, stages.ranker.replicas=45'];
    const short = distinctLabels(plan);
    expect(short).toEqual(['replicas=46', 'replicas=45']);
    // When every part differs, a label too long keeps both ends.
    const both = distinctLabels(['stages.ranker.hardware=c7i.xlarge, stages.ranker.replicas=46', 'stages.ranker.hardware=c7i.2xlarge, stages.ranker.replicas=45']);
    expect(both).toEqual(['hardware=c7…eplicas=46', 'hardware=c7…eplicas=45']);
    for (const s of both) expect([...s].length).toBeLessThanOrEqual(22);
    expect(distinctLabels(['arrivals.qps=1.289', 'arrivals.qps=3.6'])).toEqual(['qps=1.289', 'qps=3.6']);
    // Names alike at both ends get their place number; equal names stay equal; short ones stay whole.
    const alike = ['a-very-long-variant-name-one-middle-end', 'a-very-long-variant-name-two-middle-end'];
    expect(new Set(distinctLabels(alike)).size).toBe(2);
    expect(distinctLabels(['base', 'base', 'x.y=1'])).toEqual(['base', 'base', 'y=1']);
    // Paths keep their prefix when dropping it would merge two names.
    expect(distinctLabels(['a.n=1', 'b.n=1'])).toEqual(['a.n=1', 'b.n=1']);
  });

  it('cuts a long series to at most MAX_SERIES_POINTS, keeping spikes and completed requests', () => {
    const n = 1000;
    const series = {
      startS: Array.from({ length: n }, (_, i) => i * 10),
      p99Ms: Array.from({ length: n }, (_, i) => (i === 501 ? 900 : i % 7 === 0 ? null : 100)),
      throughputRps: Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 4 : 6)),
      stages: [{ name: 'm', replicas: Array.from({ length: n }, (_, i) => (i === 998 ? 9 : 4)), queueLength: Array.from({ length: n }, () => 1.5) }],
    };
    const d = decimateSeries(series);
    // Reference: k = ceil(1000 / 250) = 4 windows per point, 250 points.
    expect(d.startS).toHaveLength(MAX_SERIES_POINTS);
    expect(d.startS.slice(0, 3)).toEqual([0, 40, 80]);
    expect(Math.max(...d.p99Ms.map((x) => x ?? 0))).toBe(900);
    expect(d.p99Ms[125]).toBe(900);
    expect(d.throughputRps.every((x) => x === 5)).toBe(true);
    expect(d.stages[0]!.replicas[249]).toBe(9);
    expect(d.stages[0]!.queueLength[0]).toBe(1.5);
    // A series that fits is left as it is.
    expect(decimateSeries(series, 1000)).toBe(series);
  });

  it("puts a plan's chosen point first, always labelled", () => {
    const report = fixtureReport();
    report.tradeoff = report.tradeoff.map((t, i) => ({ ...t, chosen: i === 5 }));
    const rows = tradeoffRows(report);
    expect(rows.filter((r) => r.chosen)).toHaveLength(1);
  });
});
