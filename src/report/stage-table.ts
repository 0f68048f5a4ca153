/**
 * The per-stage table of one run, as data: typed columns (label, unit, alignment) and
 * formatted cells with the values behind them. The terminal (src/cli/format.ts) renders
 * it as text and the playground as HTML, so the two show the same columns and digits.
 * No Node import: the playground runs it in the browser.
 */
import type { FigureDescriptor } from '../models/metrics/figure.ts';
import { BATCHES } from '../models/metrics/stage-batches.ts';
import { CACHE } from '../models/metrics/stage-cache.ts';
import { LOAD } from '../models/metrics/stage-load.ts';
import { OUTCOMES } from '../models/metrics/stage-outcomes.ts';
import { TIME_IN_STAGE } from '../models/metrics/stage-time-in-stage.ts';
import { WAIT } from '../models/metrics/stage-wait.ts';
import type { RunResult, StageResult } from '../models/result.ts';
import { columnHeader, figureAt, fmtNum, formatCell } from './figures.ts';

/** What a column's numbers are in. */
export type StageUnit = 'text' | 'replicas' | 'share' | 'ms' | 'requests' | 'count';

/** One column: its header (the CLI's words), its unit and which side its cells align to. */
export interface StageColumn {
  key: string;
  label: string;
  unit: StageUnit;
  align: 'left' | 'right';
}

/** One cell: its text, and the figure it shows (null for text or an empty cell). */
export interface StageCell {
  text: string;
  value: number | null;
}

/** The table: columns in order, one row per stage in path order (cells line up with columns). */
export interface StageTable {
  columns: StageColumn[];
  rows: Array<{ stage: string; cells: StageCell[] }>;
}

interface ColumnSpec extends StageColumn {
  cell(st: StageResult, name: string): StageCell;
}

const text = (t: string): StageCell => ({ text: t, value: null });

/**
 * A column of a collector's figure: header and digits from its descriptor. `absent`: the
 * cell of a stage without the figure; `shown`: whether a stage's cell shows it ("–" else).
 */
function figureColumn(key: string, d: FigureDescriptor, unit: StageUnit, absent = '', shown?: (st: StageResult) => boolean): ColumnSpec {
  return {
    key,
    label: columnHeader(d),
    unit,
    align: 'right',
    cell: (st) => {
      if (shown !== undefined && !shown(st)) return text('–');
      const v = figureAt(st, d);
      return v === null || v === undefined ? text(absent) : { text: formatCell(d, v), value: v };
    },
  };
}

/**
 * The stage table of a run. Optional columns appear only when some stage has something
 * to show there: what it runs on, time in stage (more than one stage), batch sizes (some
 * p99 batch above 1) and cache hits.
 */
export function stageTable(r: RunResult): StageTable {
  const entries = Object.entries(r.stages);
  const showRunsOn = entries.some(([, st]) => st.model !== null || st.hardware !== null);
  const showBatch = entries.some(([, st]) => st.batchSize.p99 > 1);
  const showTime = entries.length > 1;
  const showHits = entries.some(([, st]) => st.hitRatio !== undefined);
  const specs: ColumnSpec[] = [
    { key: 'stage', label: 'stage', unit: 'text', align: 'left', cell: (_, name) => text(name) },
    ...(showRunsOn
      ? [{ key: 'runs', label: 'runs', unit: 'text', align: 'left', cell: (st) => text([st.model, st.hardware].filter((x) => x !== null).join(' on ')) } satisfies ColumnSpec]
      : []),
    {
      key: 'replicas',
      label: 'replicas',
      unit: 'replicas',
      align: 'right',
      // An autoscaled stage's count moves: its time average, marked as such.
      cell: (st) => (st.scalingDecisions !== undefined ? { text: `${fmtNum(st.meanReplicas)} avg`, value: st.meanReplicas } : { text: `${st.replicas}`, value: st.replicas }),
    },
    figureColumn('utilization', LOAD.utilization, 'share'),
    ...(showTime
      ? ([
          // A standby stage (a fallback never taken) has no time in stage.
          figureColumn('timeMean', TIME_IN_STAGE.mean, 'ms', 'standby'),
          figureColumn('timeP99', TIME_IN_STAGE.p99, 'ms'),
        ] satisfies ColumnSpec[])
      : []),
    figureColumn('waitMean', WAIT.mean, 'ms'),
    figureColumn('waitP50', WAIT.p50, 'ms'),
    figureColumn('waitP99', WAIT.p99, 'ms'),
    ...(showBatch
      ? ([
          figureColumn('batchMean', BATCHES.mean, 'requests', '', (st) => st.batchSize.p99 > 1),
          figureColumn('batchP99', BATCHES.p99, 'requests', '', (st) => st.batchSize.p99 > 1),
        ] satisfies ColumnSpec[])
      : []),
    ...(showHits ? [figureColumn('cacheHits', CACHE.hitRatio, 'share')] : []),
    figureColumn('avgQueue', LOAD.meanQueueLength, 'requests'),
    figureColumn('dropped', OUTCOMES.dropped, 'count'),
  ];
  return {
    columns: specs.map(({ key, label, unit, align }) => ({ key, label, unit, align })),
    rows: entries.map(([name, st]) => ({ stage: name, cells: specs.map((c) => c.cell(st, name)) })),
  };
}
