/**
 * Per-class time series (issue 16, `timeSeries.classes`): on the run's own windows, each
 * window's class counts add up exactly to the run's, a class's window quantiles exist exactly
 * when it completed something, and a scenario without classes gets no key.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSeriesCsv } from '../../src/cli/csv-output.ts';
import type { Scenario } from '../../src/config/schema.ts';
import { runScenario } from '../../src/models/index.ts';

const base: Scenario = {
  name: 'class-series',
  seed: 5,
  arrivals: { process: 'poisson', qps: 40 },
  stop: { requests: 6_000 },
  warmup: { requests: 500 },
  timeSeries: { window: 10 },
  stages: [
    // A small queue at about 90% load: some drops, so the drop counts are tested too.
    { name: 'gpu', replicas: 2, queue: { capacity: 4 }, service: { dist: 'exponential', mean: 0.045 }, discipline: { policy: 'priority' } },
  ],
};

const withClasses: Scenario = {
  ...base,
  classes: [
    { name: 'interactive', share: 0.3, priority: 0 },
    { name: 'batch', share: 0.7, priority: 1 },
  ],
};

describe('per-class time series', () => {
  const r = runScenario(withClasses);
  const t = r.timeSeries;

  it('each window’s class arrivals, completions and drops add up to the run’s', () => {
    const c = t.classes!;
    expect(Object.keys(c)).toEqual(['interactive', 'batch']);
    const windows = t.startS.length;
    expect(windows).toBeGreaterThan(10);
    for (const key of ['arrivals', 'completions', 'drops'] as const) {
      for (const s of Object.values(c)) expect(s[key]).toHaveLength(windows);
      const sum = t[key].map((_, k) => c['interactive']![key][k]! + c['batch']![key][k]!);
      expect(sum).toEqual(t[key]);
    }
    // The queue bound must have dropped something, or the drop check above proves nothing.
    expect(t.drops.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    // Both classes have completions in most windows, so both series carry information.
    expect(c['interactive']!.completions.filter((n) => n > 0).length).toBeGreaterThan(windows / 2);
  });

  it('a class’s window p99 is null exactly when it completed nothing, and the high-priority class’s is lower', () => {
    for (const s of Object.values(t.classes!)) {
      s.completions.forEach((n, k) => {
        expect(s.p99Ms[k] === null).toBe(n === 0);
        expect(s.p50Ms[k] === null).toBe(n === 0);
        if (n > 0) expect(s.p99Ms[k]!).toBeGreaterThanOrEqual(s.p50Ms[k]!);
      });
    }
    // Priority: the interactive class's latency distribution sits below the batch class's.
    const mid = (xs: Array<number | null>) => xs.filter((x): x is number => x !== null).sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    expect(mid(t.classes!['interactive']!.p99Ms)).toBeLessThan(mid(t.classes!['batch']!.p99Ms));
  });

  it('each class has its latency CDF, increasing, ending near its p99.9', () => {
    for (const c of Object.values(r.classes!)) {
      expect(c.cdfMs.length).toBeGreaterThan(5);
      for (let i = 1; i < c.cdfMs.length; i++) {
        expect(c.cdfMs[i]![0]).toBeGreaterThan(c.cdfMs[i - 1]![0]);
        expect(c.cdfMs[i]![1]).toBeGreaterThan(c.cdfMs[i - 1]![1]);
      }
      // Same sketch, same quantile: exact.
      expect(c.cdfMs.find(([, q]) => q === 0.99)?.[0]).toBe(c.latencyMs.p99);
    }
  });

  it('--csv writes one class-<name>.csv per class whose arrival columns add up to series.csv’s', () => {
    const dir = mkdtempSync(join(tmpdir(), 'servesim-class-csv-'));
    try {
      writeSeriesCsv(dir, t);
      expect(readdirSync(dir).sort()).toEqual(['class-batch.csv', 'class-interactive.csv', 'series.csv', 'stage-gpu.csv']);
      const column = (file: string, name: string) => {
        const [head, ...rows] = readFileSync(join(dir, file), 'utf8').trim().split('\n');
        const i = head!.split(',').indexOf(name);
        return rows.map((r) => Number(r.split(',')[i]));
      };
      expect(readFileSync(join(dir, 'class-batch.csv'), 'utf8').split('\n')[0]).toBe('start_s,arrivals,completions,drops,p50_ms,p99_ms');
      const a = column('class-interactive.csv', 'arrivals');
      const b = column('class-batch.csv', 'arrivals');
      expect(a.map((x, k) => x + b[k]!)).toEqual(column('series.csv', 'arrivals'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a scenario without classes has no per-class series', () => {
    const plain = runScenario(base);
    expect('classes' in plain.timeSeries).toBe(false);
    expect(plain.classes).toBeUndefined();
  });
});
