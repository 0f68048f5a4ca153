/**
 * The one formatter (src/report/figures.ts) writes a figure from its descriptor, and the
 * two rules every renderer relies on hold through it: a share is never rounded up to
 * 100.0 %, and an interval at rounding level prints as "± 0".
 */
import { describe, expect, it } from 'vitest';
import { runCollectorFigures } from '../../src/models/metrics/run-collectors.ts';
import { COST } from '../../src/models/metrics/run-cost.ts';
import { LATENCY } from '../../src/models/metrics/run-latency.ts';
import { QUALITY } from '../../src/models/metrics/run-quality.ts';
import { SLO } from '../../src/models/metrics/run-slo.ts';
import { THROUGHPUT } from '../../src/models/metrics/run-throughput.ts';
import { stageCollectorFigures } from '../../src/models/metrics/stage-collectors.ts';
import { WAIT } from '../../src/models/metrics/stage-wait.ts';
import { columnHeader, figureAt, fmtEstimate, formatCell, formatFigure } from '../../src/report/figures.ts';

describe('formatFigure', () => {
  it('writes each format with its unit in a sentence, without it in a cell', () => {
    expect(formatFigure(LATENCY.p99, 1234.5)).toBe('1,235 ms');
    expect(formatCell(LATENCY.p99, 1234.5)).toBe('1,235');
    expect(formatFigure(THROUGHPUT.throughputRps, 3.2)).toBe('3.20 req/s');
    expect(formatFigure(COST.perMillionRequests, 12.345)).toBe('$12.35');
    expect(formatFigure(QUALITY.quality, 0.81234)).toBe('0.8123');
    expect([formatFigure(SLO.attainment, null), formatCell(WAIT.p99, undefined)]).toEqual(['–', '–']);
  });

  it('never rounds a share just under 1 up to 100%', () => {
    // Reference: an SLO met by 99.95 % of requests is not met by all of them.
    expect(formatFigure(SLO.attainment, 0.9995)).toBe('99.95%');
    expect(formatCell(SLO.attainment, 0.99999)).toBe('99.99%');
    expect(formatFigure(SLO.attainment, 1)).toBe('100.0%');
  });

  it('writes an interval at rounding level as ± 0', () => {
    // 4.8e-16 around 2.14 is summation-order noise (the Markdown report once printed it).
    expect(fmtEstimate(2.14, 4.8e-16)).toBe('2.14 ± 0');
    expect(fmtEstimate(2.14, 0.3)).toBe('2.14 ± 0.3');
  });

  it('heads a column with the short name, and the unit its cells leave out', () => {
    expect([columnHeader(LATENCY.p999), columnHeader(LATENCY.p999, true), columnHeader(THROUGHPUT.throughputRps, true)]).toEqual(['p99.9', 'p99.9 ms', 'throughput /s']);
  });

  it('finds a figure by its path, in a run or a stage', () => {
    expect(figureAt({ latencyMs: { p99: 7 }, slo: null }, LATENCY.p99)).toBe(7);
    expect(figureAt({ slo: null }, SLO.attainment)).toBeUndefined();
    expect(figureAt({ queueWaitMs: { mean: 1, p50: 0, p99: 3 } }, WAIT.p99)).toBe(3);
  });

  it('every descriptor has a known format and a unique path in its scope', () => {
    for (const figures of [runCollectorFigures, stageCollectorFigures]) {
      const paths = figures.map((d) => d.path);
      expect(new Set(paths).size).toBe(paths.length);
      for (const d of figures) expect(formatCell(d, 1)).not.toBe('');
    }
  });
});
