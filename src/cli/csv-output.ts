import { writeFilesInto } from './write-file.ts';
import type { SeriesResult } from '../models/time-series.ts';

function csv(header: string[], columns: Array<ReadonlyArray<number | null>>): string {
  const n = columns[0]?.length ?? 0;
  const lines = [header.join(',')];
  for (let i = 0; i < n; i++) lines.push(columns.map((c) => (c[i] === null || c[i] === undefined ? '' : String(c[i]))).join(','));
  return `${lines.join('\n')}\n`;
}

/**
 * Writes a run's time series as CSV files in `dir`: `series.csv` with the
 * system-wide figures per window, `stage-<name>.csv` per stage, and `class-<name>.csv`
 * per request class when the scenario declares classes. Every file is
 * rendered before any is written, then all are written atomically together (temp
 * files, then renames), so a failure leaves nothing half-written. Returns the paths.
 */
export function writeSeriesCsv(dir: string, s: SeriesResult): string[] {
  const files: Array<[string, string]> = [];
  files.push([
    'series.csv',
    csv(
      ['start_s', 'arrivals', 'completions', 'drops', 'p50_ms', 'p99_ms', 'cost_usd_per_hour'],
      [s.startS, s.arrivals, s.completions, s.drops, s.p50Ms, s.p99Ms, s.costPerHourUsd],
    ),
  ]);
  for (const [name, st] of Object.entries(s.stages)) {
    const cols: Array<ReadonlyArray<number | null>> = [s.startS, st.queueLength, st.replicas, st.utilization];
    const head = ['start_s', 'queue_length', 'replicas', 'utilization'];
    if (st.hitRatio !== undefined) {
      head.push('hit_ratio');
      cols.push(st.hitRatio);
    }
    files.push([`stage-${name}.csv`, csv(head, cols)]);
  }
  // Scenarios with request classes only: one file per class, on the same windows.
  for (const [name, c] of Object.entries(s.classes ?? {})) {
    files.push([`class-${name}.csv`, csv(['start_s', 'arrivals', 'completions', 'drops', 'p50_ms', 'p99_ms'], [s.startS, c.arrivals, c.completions, c.drops, c.p50Ms, c.p99Ms])]);
  }
  return writeFilesInto(
    dir,
    files.map(([name, text]) => ({ name, text })),
  );
}
