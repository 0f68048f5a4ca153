/**
 * The figures per request class (issue 16) as a table every renderer can show: one row
 * per class, in the scenario's order, written through the class figures' descriptors.
 */
import { CLASS_FIGURES, type ClassResult } from '../models/metrics/run-classes.ts';
import type { RunResult } from '../models/result.ts';
import { SLO } from '../models/metrics/run-slo.ts';
import { columnHeader, figureAt, formatCell, formatFigure } from './figures.ts';

/** Lines saying what admission control shed, per class and reason (none when it shed nothing). */
export function shedLines(r: RunResult): string[] {
  return Object.entries(r.classes ?? {})
    .filter(([, c]) => c.shed.rateLimit + c.shed.queueLength + c.shed.concurrency + c.shed.estimatedWait > 0)
    .map(([name, c]) => {
      const n = (v: number) => formatFigure(CLASS_FIGURES.arrived, v);
      // The in-flight limit and the estimated-wait threshold are said only when they shed something.
      const more = [c.shed.concurrency > 0 ? `, ${n(c.shed.concurrency)} at its in-flight limit` : '', c.shed.estimatedWait > 0 ? `, ${n(c.shed.estimatedWait)} at its estimated-wait threshold` : ''].join('');
      return `Shed "${name}": ${n(c.shed.rateLimit)} by its rate limit, ${n(c.shed.queueLength)} at its queue threshold${more} (counted as dropped)`;
    });
}

/** Header and rows of the class table; null when the run has no classes. */
export function classTable(r: RunResult): { head: string[]; rows: string[][] } | null {
  const classes = r.classes;
  if (classes === undefined) return null;
  const f = CLASS_FIGURES;
  const head = ['class', columnHeader(f.arrived), `${columnHeader(f.mean)} ms`, `${columnHeader(f.p50)} ms`, `${columnHeader(f.p99)} ms`, columnHeader(f.dropRate), 'SLO', columnHeader(f.goodputRps, true)];
  const rows = Object.entries(classes).map(([name, c]: [string, ClassResult]) => [
    name,
    formatCell(f.arrived, c.requests.arrived),
    formatCell(f.mean, c.latencyMs.mean),
    formatCell(f.p50, c.latencyMs.p50),
    formatCell(f.p99, c.latencyMs.p99),
    formatCell(f.dropRate, c.dropRate),
    c.slo === null ? '–' : `${c.slo.target}: ${c.slo.met ? 'MET' : 'MISSED'} (${formatFigure(SLO.attainment, c.slo.attainment)})`,
    formatCell(f.goodputRps, c.goodputRps),
  ]);
  return { head, rows };
}

/** The figures of a class the playground shows per class (and a test compares with `--json`), in this order. */
export const CLASS_TILES = ['p99', 'dropRate', 'goodputRps'] as const satisfies ReadonlyArray<keyof typeof CLASS_FIGURES>;

/**
 * Each class's key figures as cells: its name, then for each of `CLASS_TILES` the
 * descriptor's key, header, value (full precision, as in `--json`) and text written by
 * the one formatter; empty without classes.
 */
export function classFigureRows(r: RunResult): Array<{ name: string; cells: Array<{ key: string; header: string; value: number | null; text: string }> }> {
  return Object.entries(r.classes ?? {}).map(([name, c]) => ({
    name,
    cells: CLASS_TILES.map((key) => {
      const d = CLASS_FIGURES[key];
      const value = figureAt(c, d) ?? null;
      return { key, header: columnHeader(d, true), value, text: formatCell(d, value) };
    }),
  }));
}
