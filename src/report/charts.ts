/**
 * The report's charts as Vega-Lite specifications: plain JSON, typed here and compiled to
 * Vega by the HTML renderer. Each builder turns the report into flat rows and a spec, or
 * into null when there is nothing to draw (the page then shows a short note instead).
 */
import { classCdfChart } from './class-charts.ts';
import { llmCdfChart, llmSeriesChart } from './llm-charts.ts';
import type { Spec as VgSpec } from 'vega';
import type { Config, TopLevelSpec } from 'vega-lite';
import type { Report } from './model.ts';
import { paretoFrontier } from './pareto.ts';

/** The stable ids of the chart containers in the HTML page (tests look them up). */
export type ChartId = 'chart-sweep' | 'chart-cdf' | 'chart-timeline' | 'chart-resources' | 'chart-tradeoff' | 'chart-stages' | 'chart-llm' | 'chart-llm-time' | 'chart-classes';

/** One chart: where it goes, its heading and caption, and its spec (null: no data). */
export interface ChartDef {
  id: ChartId;
  title: string;
  caption: string;
  spec: TopLevelSpec | null;
  /** Shown instead of the chart when spec is null. */
  emptyNote: string;
  /** Changes the compiled Vega spec for what Vega-Lite cannot say (label placement). */
  patchVega?: (spec: VgSpec) => void;
}

/** System fonts only: the page loads nothing. */
export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/**
 * Plot width (px). With a y axis of up to 130 px (the longest variant label, truncated) the
 * drawing fits the page's 894 px column without a scroll bar.
 */
const WIDTH = 740;

/** Variants keep one colour in every chart (Tableau 10, as Vega's default scheme). */
const VARIANT_COLORS = [
  '#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2',
  '#b279a2', '#eeca3b', '#ff9da6', '#9d755d', '#bab0ac',
];
/** Stages get a softer palette (ColorBrewer Set2) so they are not mistaken for variants. */
const STAGE_COLORS = ['#66c2a5', '#fc8d62', '#8da0cb', '#e78ac3', '#a6d854', '#ffd92f', '#e5c494', '#b3b3b3'];
const SLO_COLORS: Record<SloClass, string> = { 'meets SLO': '#2e7d32', 'misses SLO': '#c62828', 'no SLO': '#78909c' };

type SloClass = 'meets SLO' | 'misses SLO' | 'no SLO';

const CONFIG: Config = {
  font: FONT,
  view: { stroke: null },
  axis: {
    labelFontSize: 11,
    labelColor: '#555',
    titleFontSize: 11.5,
    titleFontWeight: 600,
    titleColor: '#333',
    titlePadding: 8,
    gridColor: '#eceef1',
    domainColor: '#9aa0a6',
    tickColor: '#9aa0a6',
  },
  // A fixed minimum gutter for y axes keeps the time axes of stacked charts aligned.
  axisY: { minExtent: 56 },
  legend: {
    orient: 'top',
    direction: 'horizontal',
    labelFontSize: 11,
    labelColor: '#333',
    titleFontSize: 11,
    titleFontWeight: 600,
    titleColor: '#333',
    symbolStrokeWidth: 2.5,
    columnPadding: 14,
    // Wrap into rows, so many variants or stages do not widen the chart past the page.
    columns: 4,
    labelLimit: 150,
  },
  concat: { spacing: 18 },
};

function variantNames(report: Report): string[] {
  return report.variants.map((v) => v.name);
}

function variantColor(report: Report) {
  return {
    field: 'variant',
    type: 'nominal' as const,
    title: 'Variant',
    scale: { domain: variantNames(report), range: VARIANT_COLORS },
  };
}

/**
 * A value as drawn: 5 significant digits. A pixel is far coarser, the rows are most of the
 * page's data, and the exact figures travel in the embedded report.
 */
function drawn(x: number): number {
  return Number.isFinite(x) ? +x.toPrecision(5) : x;
}

/** Longest variant label drawn on an axis or in a legend: about 136 px at 11 px, under the axes' 140 px limit. */
const LABEL_CHARS = 22;

/**
 * Short labels for names that must stay told apart (axis rows, legend entries, points),
 * as many as `names` and just as distinct: dotted paths lose their prefix
 * ("stages.ranker.replicas=46" reads "replicas=46") and lists of settings the settings all
 * names share, when that keeps them distinct; a label
 * still over `max` characters keeps its start and end around an ellipsis, and if two
 * labels still meet, the later gets its place number. Vega's own truncation keeps only
 * the start, so "stages.ranker.replicas=45" and "=46" both read "stages.ranker.rep…".
 */
export function distinctLabels(names: readonly string[], max = LABEL_CHARS): string[] {
  const distinct = (xs: readonly string[]) => new Set(xs).size === new Set(names).size;
  let out = [...names];
  const short = out.map((n) => n.replace(/(?:[A-Za-z_][\w-]*\.)+([A-Za-z_][\w-]*=)/g, '$1'));
  if (distinct(short)) out = short;
  // Lists of settings ("a=1, b=2") lose the parts every name shares, when that keeps them distinct.
  const parts = out.map((n) => n.split(', '));
  if (out.length > 1 && parts.every((p) => p.length > 1 && p.length === parts[0]!.length)) {
    const differ = parts[0]!.map((_, j) => parts.some((p) => p[j] !== parts[0]![j]));
    const kept = parts.map((p) => p.filter((_, j) => differ[j]).join(', '));
    if (kept.every((k) => k !== '') && distinct(kept)) out = kept;
  }
  out = out.map((n) => {
    const chars = [...n];
    if (chars.length <= max) return n;
    const head = Math.ceil((max - 1) / 2);
    return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - (max - 1 - head)).join('')}`;
  });
  // Equal names stay equal; two different names cut to one text are told apart by place.
  const first = new Map<string, string>();
  return out.map((label, i) => {
    const owner = first.get(label);
    if (owner === undefined) {
      first.set(label, names[i]!);
      return label;
    }
    return owner === names[i] ? label : `${label} (${i + 1})`;
  });
}

/** The report with its variant names replaced by distinct short labels, for the charts. */
function withShortNames(report: Report): Report {
  const labels = distinctLabels(report.variants.map((v) => v.name));
  return { ...report, variants: report.variants.map((v, i) => ({ ...v, name: labels[i]! })) };
}

/**
 * A log axis over [lo, hi] with ticks on the 1-2-5 series: Vega's own log ticks put a
 * label on every multiple of a decade when the range is short, and they collide.
 */
export function logAxis(lo: number, hi: number): { domain: [number, number]; ticks: number[] } {
  if (!(hi > lo)) {
    // One value (a deterministic latency, a single point): give it room on both sides.
    lo /= 2;
    hi *= 2;
  }
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      // Rounded to 12 digits so 10 ** -1 * 2 reads 0.2, not 0.20000000000000004.
      const t = +(m * 10 ** e).toPrecision(12);
      if (t >= lo && t <= hi) ticks.push(t);
    }
  }
  // A range narrower than 1-2-5 steps (4 to 4.8) still gets its two ends labelled.
  if (ticks.length < 2) return { domain: [lo, hi], ticks: [+lo.toPrecision(3), +hi.toPrecision(3)] };
  return { domain: [lo, hi], ticks };
}

/** Rows of the latency CDFs; zero latencies are left out because the x axis is logarithmic. */
export function cdfRows(report: Report): Array<{ variant: string; latencyMs: number; share: number }> {
  return report.variants.flatMap((v) =>
    v.cdf
      .filter(([ms, share]) => ms > 0 && Number.isFinite(ms) && Number.isFinite(share))
      .map(([ms, share]) => ({ variant: v.name, latencyMs: drawn(ms), share: drawn(share) })),
  );
}

function cdfChart(report: Report): ChartDef {
  const rows = cdfRows(report);
  const xAxis = logAxis(...extent(rows.map((r) => r.latencyMs)));
  const marks = [
    { share: 0.5, label: 'p50' },
    { share: 0.99, label: 'p99' },
  ];
  return {
    id: 'chart-cdf',
    title: 'Latency distribution',
    caption:
      'Share of requests completed within a given latency (log scale). Curves further left are faster; ' +
      'the gap at the top, near p99, is the tail.',
    emptyNote: 'No latency distribution: no request completed.',
    spec:
      rows.length === 0
        ? null
        : {
            config: CONFIG,
            width: WIDTH,
            height: 300,
            layer: [
              {
                data: { values: marks },
                mark: { type: 'rule', color: '#b0b4ba', strokeDash: [4, 4] },
                encoding: { y: { field: 'share', type: 'quantitative' } },
              },
              {
                data: { values: marks },
                mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: '#80868b', fontSize: 10.5 },
                encoding: { y: { field: 'share', type: 'quantitative' }, x: { value: 0 }, text: { field: 'label' } },
              },
              {
                data: { values: rows },
                mark: { type: 'line', strokeWidth: 2 },
                encoding: {
                  x: {
                    field: 'latencyMs',
                    type: 'quantitative',
                    scale: { type: 'log', domain: xAxis.domain, nice: false },
                    axis: { format: '~g', values: xAxis.ticks },
                    title: 'Latency (ms, log scale)',
                  },
                  y: {
                    field: 'share',
                    type: 'quantitative',
                    scale: { domain: [0, 1] },
                    axis: { format: '.0%' },
                    title: 'Share of requests',
                  },
                  color: variantColor(report),
                },
              },
            ],
          },
  };
}

/** Smallest and largest of many values (no spread: a CDF can hold more points than a call takes arguments). */
function extent(values: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of values) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return [lo, hi];
}

/** The time axis of every series chart, so stacked charts line up; null with no window. */
function timeDomain(report: Report): [number, number] | null {
  const [lo, hi] = extent(report.variants.flatMap((v) => v.series.startS));
  if (!(lo <= hi)) return null;
  // A single window would make an empty domain: centre it in a second.
  return hi > lo ? [lo, hi] : [lo - 0.5, lo + 0.5];
}

/** Rows of the per-window p99 and throughput; an empty window's p99 is NaN (null in JSON: a gap). */
export function timelineRows(
  report: Report,
): Array<{ variant: string; tS: number; p99Ms: number; throughputRps: number }> {
  return report.variants.flatMap((v) =>
    v.series.startS.map((tS, i) => ({
      variant: v.name,
      tS: drawn(tS),
      p99Ms: drawn(v.series.p99Ms[i] ?? Number.NaN),
      throughputRps: drawn(v.series.throughputRps[i] ?? Number.NaN),
    })),
  );
}

function timeAxis(domain: [number, number], title: string | null) {
  return {
    field: 'tS',
    type: 'quantitative' as const,
    scale: { domain, nice: false },
    // At most 8 labels, none overlapping, the end ones inside the plot: "320,000" and
    // "360,000" must not run into each other (or past the edge) on a long run.
    axis: { tickCount: 8, labelOverlap: 'greedy' as const, labelFlush: true },
    title,
  };
}

function timelineChart(report: Report): ChartDef {
  const rows = timelineRows(report);
  const domain = timeDomain(report);
  // A log axis when the windows' p99s span more than two decades (a variant whose requests
  // wait minutes would otherwise flatten every other variant onto the floor).
  const finite = rows.map((r) => r.p99Ms).filter((v) => Number.isFinite(v) && v > 0);
  const [lo, hi] = finite.length > 0 ? extent(finite) : [0, 0];
  const logY = lo > 0 && hi / lo > 100;
  const logTicks = logY ? logAxis(lo / 1.25, hi * 1.25) : null;
  const p99Y = logTicks
    ? { field: 'p99Ms', type: 'quantitative' as const, title: 'p99 latency (ms, log scale)', scale: { type: 'log' as const, domain: logTicks.domain, nice: false }, axis: { format: '~g', values: logTicks.ticks } }
    : { field: 'p99Ms', type: 'quantitative' as const, title: 'p99 latency (ms)' };
  return {
    id: 'chart-timeline',
    title: 'Latency and throughput over time',
    caption: 'p99 latency and completed requests per second in each window of the run. Gaps are windows in which no request completed.',
    emptyNote: 'No time series: the run had no measured window.',
    spec:
      rows.length === 0 || domain === null
        ? null
        : {
            config: CONFIG,
            data: { values: rows },
            vconcat: [
              {
                width: WIDTH,
                height: 190,
                mark: { type: 'line', strokeWidth: 1.6, invalid: 'break-paths-show-domains' },
                encoding: {
                  x: timeAxis(domain, null),
                  y: p99Y,
                  color: variantColor(report),
                },
              },
              {
                width: WIDTH,
                height: 130,
                mark: { type: 'line', strokeWidth: 1.6 },
                encoding: {
                  x: timeAxis(domain, 'Time (s)'),
                  y: { field: 'throughputRps', type: 'quantitative', title: 'Throughput (req/s)' },
                  color: variantColor(report),
                },
              },
            ],
            resolve: { legend: { color: 'shared' } },
          },
  };
}

/** Rows of replicas and queue length per stage and window; stageIndex is the stage's place in the path. */
export function resourceRows(
  report: Report,
): Array<{ variant: string; stage: string; stageIndex: number; tS: number; replicas: number; queueLength: number }> {
  return report.variants.flatMap((v) =>
    v.series.stages.flatMap((s, stageIndex) =>
      v.series.startS.map((tS, i) => ({
        variant: v.name,
        stage: s.name,
        stageIndex,
        tS: drawn(tS),
        replicas: s.replicas[i] ?? Number.NaN,
        queueLength: drawn(s.queueLength[i] ?? Number.NaN),
      })),
    ),
  );
}

/** Stage names in path order of first appearance, from both per-stage lists, so a stage keeps one colour in every chart. */
function stageNames(report: Report): string[] {
  const names = new Set<string>();
  for (const v of report.variants) for (const s of v.stages) names.add(s.name);
  for (const v of report.variants) for (const s of v.series.stages) names.add(s.name);
  return [...names];
}

function stageColor(report: Report) {
  return {
    field: 'stage',
    type: 'nominal' as const,
    title: 'Stage',
    scale: { domain: stageNames(report), range: STAGE_COLORS },
  };
}

function resourcesChart(report: Report): ChartDef {
  const domain = timeDomain(report);
  const rows = resourceRows(report);
  // One block per variant (replicas above its queues), stacked by stage: as lines, pools of
  // the same size hid one another. Stacked, the top edge is the total (replicas are what
  // the variant pays for; queued requests are all those waiting anywhere).
  const shown = report.variants.filter((v) => v.series.stages.length > 0 && v.series.startS.length > 0);
  const blocks = shown.map((v, k) => {
    const values = rows.filter((r) => r.variant === v.name);
    const last = k === shown.length - 1;
    return {
      title: { text: v.name, color: VARIANT_COLORS[report.variants.indexOf(v) % VARIANT_COLORS.length], fontSize: 12.5 },
      vconcat: [
        {
          width: WIDTH,
          height: 56,
          data: { values },
          mark: { type: 'area' as const, interpolate: 'step-after' as const, opacity: 0.9 },
          encoding: {
            x: { ...timeAxis(domain ?? [0, 1], null), axis: { labels: false, ticks: false, tickCount: 8 } },
            y: {
              field: 'replicas',
              type: 'quantitative' as const,
              stack: 'zero' as const,
              title: 'Replicas',
              axis: { tickMinStep: 1, tickCount: 3 },
            },
            color: stageColor(report),
            order: { field: 'stageIndex', type: 'quantitative' as const },
          },
        },
        {
          width: WIDTH,
          height: 72,
          data: { values },
          mark: { type: 'area' as const, opacity: 0.9 },
          encoding: {
            x: timeAxis(domain ?? [0, 1], last ? 'Time (s)' : null),
            y: { field: 'queueLength', type: 'quantitative' as const, stack: 'zero' as const, title: 'Queued', axis: { tickCount: 3 } },
            color: stageColor(report),
            order: { field: 'stageIndex', type: 'quantitative' as const },
          },
        },
      ],
      spacing: 6,
    };
  });
  return {
    id: 'chart-resources',
    title: 'Replicas and queues over time',
    caption:
      'For each variant, stacked by stage: replicas serving it (steps are the autoscaler at work) and requests waiting ' +
      'in its queue, on the same time axis as above.',
    emptyNote: 'No per-stage series in this report.',
    spec:
      rows.length === 0 || domain === null
        ? null
        : {
            config: CONFIG,
            vconcat: blocks,
            spacing: 22,
            resolve: { legend: { color: 'shared' } },
          },
  };
}

/** Cost-versus-p99 rows: the finite points, their SLO class and whether they are on the frontier. */
export function tradeoffRows(
  report: Report,
): Array<{ label: string; costPerHourUsd: number; p99Ms: number; slo: SloClass; frontier: boolean; chosen: boolean }> {
  const frontier = paretoFrontier(report.tradeoff);
  return report.tradeoff
    .map((p, i) => ({
      label: p.label,
      costPerHourUsd: p.costPerHourUsd,
      p99Ms: p.p99Ms,
      slo: (p.meetsSlo === null ? 'no SLO' : p.meetsSlo ? 'meets SLO' : 'misses SLO') as SloClass,
      frontier: frontier[i] ?? false,
      chosen: p.chosen === true,
    }))
    .filter((r) => Number.isFinite(r.costPerHourUsd) && Number.isFinite(r.p99Ms));
}

/** Labels stay readable up to this many points; beyond it only the frontier is labelled. */
const LABEL_ALL_UP_TO = 12;

/**
 * Adds the point labels to the compiled cost-versus-p99 chart. Vega-Lite has no label
 * placement, so this is a Vega text mark drawn from the points with Vega's label transform,
 * which moves each label around its point to avoid the other points and the frontier line,
 * and hides a label that fits nowhere rather than overprint it.
 */
function addTradeoffLabels(spec: VgSpec): void {
  spec.marks = spec.marks ?? [];
  // Vega-Lite names a layer's mark "<layer name>_marks"; fail loudly if that ever changes.
  const names = new Set(spec.marks.map((m) => m.name));
  if (!names.has('points_marks') || !names.has('frontier_marks')) {
    throw new Error(`tradeoff chart: compiled marks are ${[...names].join(', ')}, expected points_marks and frontier_marks`);
  }
  spec.marks.push({
    type: 'text',
    name: 'point_labels',
    from: { data: 'points_marks' },
    interactive: false,
    encode: {
      enter: {
        text: { field: 'datum.labelText' },
        font: { value: FONT },
        fontSize: { value: 10.5 },
        fill: { value: '#37474f' },
      },
    },
    transform: [
      {
        type: 'label',
        size: { signal: '[width, height]' },
        avoidMarks: ['frontier_marks'],
        offset: [6],
        anchor: ['right', 'top-right', 'bottom-right', 'top', 'bottom', 'left', 'top-left', 'bottom-left'],
      },
    ],
  });
}

function tradeoffChart(report: Report): ChartDef {
  const all = tradeoffRows(report);
  const short = distinctLabels(all.map((r) => r.label), 48);
  // The chosen point first: the label transform places labels in data order, so it gets
  // its place before any other label can take it.
  const rows = all
    .map((r, i) => ({
      ...r,
      kind: r.frontier ? 'Pareto frontier' : 'dominated',
      labelText: r.chosen ? `chosen: ${short[i]!}` : all.length <= LABEL_ALL_UP_TO || r.frontier ? short[i]! : '',
    }))
    .sort((a, b) => Number(b.chosen) - Number(a.chosen));
  const frontier = rows.filter((r) => r.frontier).sort((a, b) => a.p99Ms - b.p99Ms || a.costPerHourUsd - b.costPerHourUsd);
  const [p99Lo, p99Hi] = extent(rows.map((r) => r.p99Ms));
  // A log axis when the p99s span more than a decade, so the fast points are not crushed together.
  const logX = p99Lo > 0 && p99Hi / p99Lo > 10;
  // About a tenth of a decade (×1.25) of room on each side keeps the extreme points off the plot's edges.
  const log = logAxis(p99Lo / 1.25, p99Hi * 1.25);
  const x = {
    field: 'p99Ms',
    type: 'quantitative' as const,
    scale: logX ? { type: 'log' as const, domain: log.domain, nice: false } : { zero: false, padding: 18 },
    axis: logX ? { format: '~g', values: log.ticks } : {},
    title: logX ? 'p99 latency (ms, log scale)' : 'p99 latency (ms)',
  };
  const y = { field: 'costPerHourUsd', type: 'quantitative' as const, title: 'Cost per hour (USD)', axis: { format: '$,~r' } };
  const classes = (['meets SLO', 'misses SLO', 'no SLO'] as const).filter((c) => rows.some((r) => r.slo === c));
  const kind = (range: number[]) => ({
    field: 'kind',
    type: 'ordinal' as const,
    sort: ['dominated', 'Pareto frontier'],
    scale: { domain: ['dominated', 'Pareto frontier'], range },
    legend: null,
  });
  const skipped = report.tradeoff.length - rows.length;
  return {
    id: 'chart-tradeoff',
    title: 'Cost against p99 latency',
    caption:
      'Every variant or plan point. Lower and further left is better; the dashed staircase joins the Pareto frontier ' +
      '(outlined points), where nothing is both cheaper and faster.' +
      (all.some((r) => r.chosen) ? ' The plan\'s choice is labelled "chosen" and ringed.' : '') +
      (skipped > 0 ? ` ${skipped} point(s) without a cost or p99 are not shown.` : ''),
    emptyNote: report.sweep
      ? 'No cost-versus-p99 points: name the hardware of a stage to price the sweep\'s points.'
      : 'No cost-versus-p99 points: name the hardware to price a variant, or run a sweep or plan.',
    patchVega: addTradeoffLabels,
    spec:
      rows.length === 0
        ? null
        : {
            config: CONFIG,
            width: WIDTH,
            height: 320,
            layer: [
              {
                name: 'frontier',
                data: { values: frontier },
                mark: { type: 'line', interpolate: 'step-after', color: '#37474f', strokeWidth: 1.4, strokeDash: [6, 3] },
                encoding: { x, y },
              },
              {
                name: 'points',
                data: { values: rows },
                mark: { type: 'point', filled: true, stroke: '#1f2933' },
                encoding: {
                  x,
                  y,
                  color: {
                    field: 'slo',
                    type: 'nominal',
                    title: null,
                    scale: { domain: classes, range: classes.map((c) => SLO_COLORS[c]) },
                  },
                  size: kind([60, 130]),
                  strokeWidth: kind([0, 1.5]),
                  opacity: kind([0.55, 1]),
                  tooltip: [
                    { field: 'label', title: 'Point' },
                    { field: 'p99Ms', type: 'quantitative', title: 'p99 (ms)', format: ',.4~r' },
                    { field: 'costPerHourUsd', type: 'quantitative', title: 'Cost per hour', format: '$,.2f' },
                    { field: 'slo', title: 'SLO' },
                    { field: 'kind', title: 'On the frontier?' },
                  ],
                },
              },
              // A ring around the plan's choice, drawn over its point.
              ...(rows.some((r) => r.chosen)
                ? [
                    {
                      name: 'chosen',
                      data: { values: rows.filter((r) => r.chosen) },
                      mark: { type: 'point' as const, filled: false, size: 420, stroke: '#1f2933', strokeWidth: 2 },
                      encoding: { x, y },
                    },
                  ]
                : []),
            ],
          },
  };
}

/** Stage rows split into time waiting in the queue and the rest (service), in path order. */
export function stageRows(report: Report): Array<{
  variant: string;
  stage: string;
  part: 'waiting' | 'in service';
  timeMs: number;
  order: number;
  stageTimeMs: number;
  waitMs: number;
  utilization: number;
  replicas: number;
}> {
  return report.variants.flatMap((v) =>
    v.stages.flatMap((s, i) => {
      const common = { variant: v.name, stage: s.name, stageTimeMs: s.timeMs, waitMs: s.waitMs, utilization: s.utilization, replicas: s.replicas };
      // timeMs covers wait and service (RunResult's stage time); rounding can leave the
      // difference a hair below zero, which must not draw a negative segment.
      const serviceMs = Math.max(0, s.timeMs - s.waitMs);
      return [
        { ...common, part: 'waiting' as const, timeMs: s.waitMs, order: 2 * i },
        { ...common, part: 'in service' as const, timeMs: serviceMs, order: 2 * i + 1 },
      ];
    }),
  );
}

function stagesChart(report: Report): ChartDef {
  const rows = stageRows(report);
  const means = report.variants
    .filter((v) => Number.isFinite(v.latencyMs.mean.value))
    .map((v) => ({ variant: v.name, meanMs: v.latencyMs.mean.value }));
  // Rows come in variant order and sort: null keeps it. (A sort array would be compiled into
  // an expression holding the names, which Vega-Lite fails to parse for some characters.)
  const yVariant = { field: 'variant', type: 'nominal' as const, sort: null, title: null, axis: { labelLimit: 140 } };
  return {
    id: 'chart-stages',
    title: 'Where latency goes',
    caption:
      'Mean time a request spends at each stage, split into waiting in the queue (pale) and being served (solid). ' +
      'The black tick is the end-to-end mean; stages run in parallel or skipped by some requests make the two differ.',
    emptyNote: 'No per-stage times in this report.',
    spec:
      rows.length === 0
        ? null
        : {
            config: CONFIG,
            width: WIDTH,
            height: { step: 38 },
            layer: [
              {
                data: { values: rows },
                mark: { type: 'bar', height: { band: 0.7 } },
                encoding: {
                  y: yVariant,
                  x: { field: 'timeMs', type: 'quantitative', stack: 'zero', title: 'Mean time per request (ms)' },
                  color: stageColor(report),
                  opacity: {
                    field: 'part',
                    type: 'ordinal',
                    sort: ['waiting', 'in service'],
                    title: null,
                    scale: { domain: ['waiting', 'in service'], range: [0.45, 1] },
                  },
                  order: { field: 'order', type: 'quantitative' },
                  tooltip: [
                    { field: 'variant', title: 'Variant' },
                    { field: 'stage', title: 'Stage' },
                    { field: 'stageTimeMs', type: 'quantitative', title: 'Time at stage (ms)', format: ',.4~r' },
                    { field: 'waitMs', type: 'quantitative', title: 'of which waiting (ms)', format: ',.4~r' },
                    { field: 'utilization', type: 'quantitative', title: 'Utilization', format: '.1%' },
                    { field: 'replicas', type: 'quantitative', title: 'Replicas' },
                  ],
                },
              },
              {
                data: { values: means },
                mark: { type: 'tick', color: '#1f2933', thickness: 2.5, size: 34 },
                encoding: {
                  y: yVariant,
                  x: { field: 'meanMs', type: 'quantitative' },
                  tooltip: [
                    { field: 'variant', title: 'Variant' },
                    { field: 'meanMs', type: 'quantitative', title: 'End-to-end mean (ms)', format: ',.4~r' },
                  ],
                },
              },
            ],
          },
  };
}

/** Rows of the p99-against-load chart: one per curve and point with a p99. */
export function sweepRows(report: Report): Array<{ curve: string; x: number | string; p99Ms: number; lo: number; hi: number; theoryP99Ms: number | null }> {
  const curves = report.sweep?.curves ?? [];
  const names = distinctLabels(curves.map((c) => c.name || 'sweep'));
  return curves.flatMap((c, k) =>
    c.points
      .filter((p) => Number.isFinite(p.p99Ms.value))
      .map((p) => {
        const ci = p.p99Ms.ci95 !== undefined && Number.isFinite(p.p99Ms.ci95) ? p.p99Ms.ci95 : 0;
        const theory = p.theoryP99Ms !== undefined && Number.isFinite(p.theoryP99Ms) ? drawn(p.theoryP99Ms) : null;
        return { curve: names[k]!, x: p.x, p99Ms: drawn(p.p99Ms.value), lo: drawn(p.p99Ms.value - ci), hi: drawn(p.p99Ms.value + ci), theoryP99Ms: theory };
      }),
  );
}

/** Rows of the theory panel: simulated and closed-form mean wait per curve, stage and point. */
export function sweepTheoryRows(report: Report): Array<{ series: string; model: string; x: number | string; waitMs: number; source: 'simulated' | 'theory' }> {
  const curves = report.sweep?.curves ?? [];
  const many = curves.length > 1;
  return curves.flatMap((c) =>
    c.points.flatMap((p) =>
      p.theory.flatMap((t) => {
        const series = `${many ? `${c.name || 'base'} · ` : ''}${t.stage}`;
        return [
          { series, model: t.model, x: p.x, waitMs: drawn(t.analyticWaitMs), source: 'theory' as const },
          ...(Number.isFinite(t.simulatedWaitMs.value) ? [{ series, model: t.model, x: p.x, waitMs: drawn(t.simulatedWaitMs.value), source: 'simulated' as const }] : []),
        ];
      }),
    ),
  );
}

function sweepChart(report: Report): ChartDef {
  const sweep = report.sweep;
  const rows = sweepRows(report);
  const theory = sweepTheoryRows(report);
  const numeric = rows.every((r) => typeof r.x === 'number');
  const path = sweep?.path ?? '';
  const xs = [...new Set(rows.flatMap((r) => (typeof r.x === 'number' ? [r.x] : [])))];
  // Up to 12 points, a tick at each (their values are what the reader looks up); beyond, 8 round ones.
  // The format names its precision: without one, Vega rounds labels to the ticks' spacing (119 read "100").
  const xAxis = xs.length <= 12 ? { values: xs, format: ',.6~r', labelOverlap: 'greedy' as const } : { tickCount: 8, labelOverlap: 'greedy' as const };
  const x = { field: 'x', title: path, ...(numeric ? { type: 'quantitative' as const, scale: { zero: false, nice: false }, axis: xAxis } : { type: 'ordinal' as const, sort: null }) };
  const names = distinctLabels((sweep?.curves ?? []).map((c) => c.name || 'sweep'));
  const knees = (sweep?.curves ?? []).flatMap((c, k) => (c.kneeX !== undefined ? [{ curve: names[k]!, x: c.kneeX, text: `knee at ${c.kneeX}` }] : []));
  const many = names.length > 1;
  const color = many ? { color: { field: 'curve', type: 'nominal' as const, title: 'Variant', scale: { domain: names, range: VARIANT_COLORS } } } : {};
  const p99Panel = {
    width: WIDTH,
    height: 300,
    layer: [
      ...(knees.length > 0
        ? [
            {
              data: { values: knees },
              mark: { type: 'rule' as const, color: '#c62828', strokeDash: [5, 4], strokeWidth: 1.4 },
              encoding: { x },
            },
            {
              data: { values: knees },
              mark: { type: 'text' as const, align: 'left' as const, baseline: 'top' as const, dx: 4, dy: 4, color: '#c62828', fontSize: 11, fontWeight: 600 as const },
              encoding: { x, y: { value: 0 }, text: { field: 'text' } },
            },
          ]
        : []),
      ...(rows.some((r) => r.hi > r.lo)
        ? [
            {
              data: { values: rows },
              mark: { type: 'rule' as const, strokeWidth: 1.4, ...(many ? {} : { color: VARIANT_COLORS[0] }) },
              encoding: { x, y: { field: 'lo', type: 'quantitative' as const }, y2: { field: 'hi' }, ...color },
            },
          ]
        : []),
      ...(rows.some((r) => r.theoryP99Ms !== null)
        ? [
            {
              data: { values: rows.filter((r) => r.theoryP99Ms !== null) },
              mark: { type: 'line' as const, strokeWidth: 1.6, strokeDash: [6, 4], ...(many ? {} : { color: '#37474f' }) },
              encoding: {
                x,
                y: { field: 'theoryP99Ms', type: 'quantitative' as const },
                ...color,
                tooltip: [{ field: 'x', title: path }, { field: 'theoryP99Ms', type: 'quantitative' as const, title: 'theory p99 (ms)', format: ',.4~r' }],
              },
            },
          ]
        : []),
      {
        data: { values: rows },
        mark: { type: 'line' as const, point: { filled: true, size: 50 }, strokeWidth: 2, ...(many ? {} : { color: VARIANT_COLORS[0] }) },
        encoding: {
          x,
          y: { field: 'p99Ms', type: 'quantitative' as const, title: 'p99 latency (ms)', scale: { zero: true } },
          ...color,
          tooltip: [
            ...(many ? [{ field: 'curve', title: 'Variant' }] : []),
            { field: 'x', title: path },
            { field: 'p99Ms', type: 'quantitative' as const, title: 'p99 (ms)', format: ',.4~r' },
          ],
        },
      },
    ],
  };
  const waitColor = { field: 'series', type: 'nominal' as const, title: 'Stage', scale: { range: STAGE_COLORS } };
  const waitTooltip = [
    { field: 'series', title: 'Stage' },
    { field: 'model', title: 'Model' },
    { field: 'x', title: path },
    { field: 'source', title: 'Source' },
    { field: 'waitMs', type: 'quantitative' as const, title: 'Mean wait (ms)', format: ',.4~r' },
  ];
  // Theory is the dashed line, the simulation the points on it: where they agree, the points sit on the line.
  const theoryPanel = {
    width: WIDTH,
    height: 200,
    layer: [
      {
        data: { values: theory.filter((r) => r.source === 'theory') },
        mark: { type: 'line' as const, strokeWidth: 1.8, strokeDash: [6, 4] },
        encoding: { x, y: { field: 'waitMs', type: 'quantitative' as const, title: 'Mean wait (ms)' }, color: waitColor, tooltip: waitTooltip },
      },
      {
        data: { values: theory.filter((r) => r.source === 'simulated') },
        mark: { type: 'point' as const, filled: true, size: 55, stroke: '#1f2933', strokeWidth: 0.8 },
        encoding: { x, y: { field: 'waitMs', type: 'quantitative' as const }, color: waitColor, tooltip: waitTooltip },
      },
    ],
  };
  return {
    id: 'chart-sweep',
    title: `p99 latency against ${path || 'the varied value'}`,
    caption:
      'The p99 at each point of the sweep' +
      (rows.some((r) => r.hi > r.lo) ? ' with its 95% interval' : '') +
      (rows.some((r) => r.theoryP99Ms !== null) ? '; the grey dashed line is the closed-form p99' : '') +
      (knees.length > 0 ? '; the red dashed line is the knee (Kneedle), beyond which latency climbs faster than the load' : '') +
      '.' +
      (theory.length > 0 ? ' Below: the mean wait in the queue, simulated (points) and from the closed-form model (dashed line), for each stage a model covers (the theory table below names the model).' : ''),
    emptyNote: 'No sweep point has a p99.',
    spec:
      rows.length === 0
        ? null
        : theory.length > 0
          ? { config: CONFIG, vconcat: [p99Panel, theoryPanel], resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } } }
          : { config: CONFIG, ...p99Panel },
  };
}

/** All the report's charts, in page order. Charts of variants use distinct short variant labels. */
export function buildCharts(report: Report): ChartDef[] {
  const shown = withShortNames(report);
  const charts = [sweepChart(report), cdfChart(shown), timelineChart(shown), resourcesChart(shown), tradeoffChart(report), stagesChart(shown)];
  const kit = { config: CONFIG, width: WIDTH, color: variantColor(shown), logAxis, drawn };
  // LLM scenarios only (issue 14): TTFT and TPOT CDFs (src/report/llm-charts.ts).
  if (report.variants.some((v) => v.llm !== undefined)) charts.push(llmCdfChart(shown, kit), llmSeriesChart(shown, kit));
  // Scenarios with request classes only (issue 16): a latency CDF per class (src/report/class-charts.ts).
  if (report.variants.some((v) => v.classes !== undefined)) charts.push(classCdfChart(shown, kit));
  return charts;
}
