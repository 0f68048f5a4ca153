/**
 * The one stage table (src/report/stage-table.ts) and the one set of number formatters
 * (src/report/figures.ts) that the terminal, the reports and the playground render.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/models/result.ts';
import { fmtCount, fmtNum, fmtNumShort, fmtPct, fmtUsd } from '../../src/report/figures.ts';
import { sloText } from '../../src/report/run-text.ts';
import { stageTable } from '../../src/report/stage-table.ts';

/** cold-start's golden run: a ranker with a cache and a standby fallback never taken. */
const coldStart = (): RunResult => JSON.parse(readFileSync('test/golden/cold-start.json', 'utf8')) as RunResult;

describe('number formatters', () => {
  it('never rounds a share just under 1 up to 100%', () => {
    // Reference: an SLO met by 99.95 % of requests is not met by all of them.
    expect(fmtPct(0.9995)).toBe('99.95%');
    expect(fmtPct(0.99999)).toBe('99.99%');
    expect(fmtPct(1)).toBe('100.0%');
    expect(fmtPct(0.875)).toBe('87.5%');
    expect(fmtPct(0.0004)).toBe('0.040%');
  });

  it('writes figures with about three significant digits, grouped', () => {
    expect([fmtNum(1234.5), fmtNum(12.34), fmtNum(1.2), fmtNum(0.3), fmtNum(Infinity)]).toEqual(['1,235', '12.3', '1.20', '0.300', '∞']);
    // The reports drop trailing zeros below 1 and show nothing for a figure not finite.
    expect([fmtNumShort(0.3), fmtNumShort(1.2), fmtNumShort(Infinity)]).toEqual(['0.3', '1.20', '–']);
    expect([fmtCount(1234567.4), fmtUsd(1234), fmtUsd(12.345), fmtUsd(0.01234)]).toEqual(['1,234,567', '$1,234', '$12.35', '$0.0123']);
  });
});

describe('stageTable', () => {
  it('has the CLI columns, only those some stage fills', () => {
    const t = stageTable(coldStart());
    expect(t.columns.map((c) => c.label)).toEqual([
      'stage', 'runs', 'replicas', 'utilization', 'time in stage ms', 'time p99', 'wait mean ms', 'wait p50', 'wait p99', 'cache hits', 'avg queue', 'dropped',
    ]);
    expect(t.columns.filter((c) => c.align === 'left').map((c) => c.key)).toEqual(['stage', 'runs']);
    // The fallback never ran: "standby" for its time, and no cache of its own.
    const lite = t.rows.find((r) => r.stage === 'lite')!;
    const cell = (key: string) => lite.cells[t.columns.findIndex((c) => c.key === key)]!;
    expect(cell('timeMean')).toEqual({ text: 'standby', value: null });
    expect(cell('cacheHits')).toEqual({ text: '', value: null });
    expect(cell('utilization').value).toBe(coldStart().stages.lite!.utilization);
  });

  it('drops optional columns no stage fills, and marks an autoscaled count as an average', () => {
    const r = coldStart();
    const ranker = r.stages.ranker!;
    const one: RunResult = { ...r, stages: { ranker: { ...ranker, model: null, hardware: null, hitRatio: undefined, scalingDecisions: 4, meanReplicas: 2.5 } } };
    const t = stageTable(one);
    expect(t.columns.map((c) => c.key)).toEqual(['stage', 'replicas', 'utilization', 'waitMean', 'waitP50', 'waitP99', 'avgQueue', 'dropped']);
    expect(t.rows[0]!.cells[1]).toEqual({ text: '2.50 avg', value: 2.5 });
  });
});

describe('sloText', () => {
  it('reads as the CLI line', () => {
    expect(sloText({ target: 'p99 < 100ms', attainment: 0.875, goodputRps: 1, met: false }).line).toBe('SLO p99 < 100ms: MISSED · 87.5% of requests within target');
    expect(sloText({ target: 'p99 < 100ms', attainment: 0.9995, goodputRps: 1, met: true }).line).toBe('SLO p99 < 100ms: MET · 99.95% of requests within target');
  });
});
