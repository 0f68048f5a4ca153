/**
 * The per-stage table of one run, as data: typed columns (label, unit, alignment) and
 * formatted cells with the values behind them. The terminal (src/cli/format.ts) renders
 * it as text and the playground as HTML, so the two show the same columns and digits.
 * No Node import: the playground runs it in the browser.
 */
import type { RunResult, StageResult } from '../models/result.ts';
import { fmtCount, fmtNum, fmtPct } from './numbers.ts';

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

const num = (x: number): StageCell => ({ text: fmtNum(x), value: x });
const text = (t: string): StageCell => ({ text: t, value: null });

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
    { key: 'utilization', label: 'utilization', unit: 'share', align: 'right', cell: (st) => ({ text: fmtPct(st.utilization), value: st.utilization }) },
    ...(showTime
      ? ([
          // A standby stage (a fallback never taken) has no time in stage.
          { key: 'timeMean', label: 'time in stage ms', unit: 'ms', align: 'right', cell: (st) => (st.timeInStageMs ? num(st.timeInStageMs.mean) : text('standby')) },
          { key: 'timeP99', label: 'time p99', unit: 'ms', align: 'right', cell: (st) => (st.timeInStageMs ? num(st.timeInStageMs.p99) : text('')) },
        ] satisfies ColumnSpec[])
      : []),
    { key: 'waitMean', label: 'wait mean ms', unit: 'ms', align: 'right', cell: (st) => num(st.queueWaitMs.mean) },
    { key: 'waitP50', label: 'wait p50', unit: 'ms', align: 'right', cell: (st) => num(st.queueWaitMs.p50) },
    { key: 'waitP99', label: 'wait p99', unit: 'ms', align: 'right', cell: (st) => num(st.queueWaitMs.p99) },
    ...(showBatch
      ? ([
          { key: 'batchMean', label: 'batch mean', unit: 'requests', align: 'right', cell: (st) => (st.batchSize.p99 > 1 ? num(st.batchSize.mean) : text('–')) },
          { key: 'batchP99', label: 'batch p99', unit: 'requests', align: 'right', cell: (st) => (st.batchSize.p99 > 1 ? num(st.batchSize.p99) : text('–')) },
        ] satisfies ColumnSpec[])
      : []),
    ...(showHits
      ? [
          {
            key: 'cacheHits',
            label: 'cache hits',
            unit: 'share',
            align: 'right',
            cell: (st) => (st.hitRatio === undefined || st.hitRatio === null ? text('') : { text: fmtPct(st.hitRatio), value: st.hitRatio }),
          } satisfies ColumnSpec,
        ]
      : []),
    { key: 'avgQueue', label: 'avg queue', unit: 'requests', align: 'right', cell: (st) => num(st.meanQueueLength) },
    { key: 'dropped', label: 'dropped', unit: 'count', align: 'right', cell: (st) => ({ text: fmtCount(st.dropped), value: st.dropped }) },
  ];
  return {
    columns: specs.map(({ key, label, unit, align }) => ({ key, label, unit, align })),
    rows: entries.map(([name, st]) => ({ stage: name, cells: specs.map((c) => c.cell(st, name)) })),
  };
}
