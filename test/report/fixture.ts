/**
 * A realistic report built by hand for the renderer tests: three variants of a ranking
 * service, 300-point latency CDFs, 100 windows of time series with an autoscaler at work,
 * a dozen cost-versus-p99 points and theory rows. Closed-form shapes only, no randomness
 * and no simulator code, so it is the same on every run.
 */
import type { Report, ReportVariant } from '../../src/report/model.ts';

const CDF_POINTS = 300;
const WINDOWS = 100;
const WINDOW_S = 10;

/**
 * Quantile of a log-logistic latency distribution (median `medianMs`, shape `k`): heavy
 * enough in the tail to look like a served model's latency.
 */
function logLogisticQuantile(medianMs: number, k: number, q: number): number {
  return medianMs * (q / (1 - q)) ** (1 / k);
}

interface VariantShape {
  name: string;
  medianMs: number;
  k: number;
  qps: number;
  costPerHourUsd: number;
  stages: Array<{ name: string; timeMs: number; waitMs: number; utilization: number; replicas: number }>;
  /** Windows in which nothing completed (their p99 is null). */
  emptyWindows?: number[];
}

function variant(s: VariantShape): ReportVariant {
  const q = (p: number) => logLogisticQuantile(s.medianMs, s.k, p);
  const cdf: Array<[number, number]> = [];
  for (let i = 0; i < CDF_POINTS; i++) {
    const share = (i + 0.5) / CDF_POINTS;
    cdf.push([+q(share).toFixed(3), +share.toFixed(5)]);
  }
  const startS: number[] = [];
  const p99Ms: Array<number | null> = [];
  const throughputRps: number[] = [];
  // A load bump from window 30 to 60 that the autoscaler answers a few windows late.
  const load = (w: number) => 1 + 0.6 * Math.exp(-(((w - 45) / 10) ** 2));
  for (let w = 0; w < WINDOWS; w++) {
    startS.push(w * WINDOW_S);
    const empty = s.emptyWindows?.includes(w) ?? false;
    p99Ms.push(empty ? null : +(q(0.99) * (0.8 + 0.5 * (load(w - 3) - 1) + 0.05 * Math.sin(w))).toFixed(2));
    throughputRps.push(empty ? 0 : +(s.qps * load(w) * (1 + 0.02 * Math.cos(w * 1.7 + s.medianMs))).toFixed(1));
  }
  const seriesStages = s.stages.map((st, j) => ({
    name: st.name,
    replicas: startS.map((_, w) => st.replicas + (j === s.stages.length - 1 ? Math.round(2 * (load(w - 4) - 1)) : 0)),
    queueLength: startS.map((_, w) => +(st.waitMs * (s.qps / 1000) * load(w) ** 3).toFixed(2)),
  }));
  const cost = s.costPerHourUsd;
  return {
    name: s.name,
    cdf,
    latencyMs: {
      mean: { value: +s.stages.reduce((a, st) => a + st.timeMs, 0).toFixed(2), ci95: 0.4 },
      p50: { value: +q(0.5).toFixed(2), ci95: 0.3 },
      p90: { value: +q(0.9).toFixed(2), ci95: 0.9 },
      p99: { value: +q(0.99).toFixed(2), ci95: 4.1 },
      p999: { value: +q(0.999).toFixed(2), ci95: 19 },
    },
    throughputRps: { value: s.qps, ci95: 3.2 },
    dropRate: { value: 0.0012, ci95: 0.0004 },
    costPerHourUsd: { value: cost },
    costPerMillionUsd: { value: (cost / (s.qps * 3600)) * 1e6 },
    slo: { target: 'p99 < 250 ms', attainment: { value: 0.994, ci95: 0.002 }, met: q(0.99) < 250 },
    stages: s.stages,
    series: { startS, p99Ms, throughputRps, stages: seriesStages },
  };
}

/** The fixture report. Pass overrides to test edge cases (empty tradeoff, hostile strings). */
export function fixtureReport(overrides: Partial<Report> = {}): Report {
  const variants = [
    variant({
      name: 'realtime-gpu',
      medianMs: 38,
      k: 4.2,
      qps: 400,
      costPerHourUsd: 12.24,
      stages: [
        { name: 'tokenize', timeMs: 2.1, waitMs: 0.3, utilization: 0.42, replicas: 2 },
        { name: 'ranker', timeMs: 36.5, waitMs: 9.8, utilization: 0.78, replicas: 4 },
      ],
    }),
    variant({
      name: 'batched-gpu',
      medianMs: 61,
      k: 4.6,
      qps: 400,
      costPerHourUsd: 6.12,
      stages: [
        { name: 'tokenize', timeMs: 2.2, waitMs: 0.4, utilization: 0.42, replicas: 2 },
        { name: 'batcher', timeMs: 18.4, waitMs: 18.4, utilization: 0, replicas: 1 },
        { name: 'ranker', timeMs: 42.9, waitMs: 6.1, utilization: 0.86, replicas: 2 },
      ],
      emptyWindows: [71, 72],
    }),
    variant({
      name: 'cascade',
      medianMs: 24,
      k: 2.6,
      qps: 400,
      costPerHourUsd: 8.9,
      stages: [
        { name: 'tokenize', timeMs: 2.1, waitMs: 0.3, utilization: 0.42, replicas: 2 },
        { name: 'small-model', timeMs: 14.2, waitMs: 3.5, utilization: 0.64, replicas: 2 },
        { name: 'ranker', timeMs: 11.8, waitMs: 2.4, utilization: 0.35, replicas: 2 },
      ],
    }),
  ];
  const f = (x: number) => x.toFixed(1);
  const usd = (x: number) => `$${x.toFixed(2)}`;
  const table = {
    columns: ['Variant', 'Throughput (rps)', 'p50 (ms)', 'p99 (ms)', 'Drops', 'Cost/hour', 'Cost/M req', 'SLO p99 < 250 ms'],
    rows: variants.map((v) => [
      v.name,
      `${f(v.throughputRps.value)} ± ${f(v.throughputRps.ci95 ?? 0)}`,
      f(v.latencyMs.p50.value),
      `${f(v.latencyMs.p99.value)} ± ${f(v.latencyMs.p99.ci95 ?? 0)}`,
      '0.12%',
      usd(v.costPerHourUsd.value),
      usd(v.costPerMillionUsd.value),
      v.slo?.met ? 'met' : 'missed',
    ]),
  };
  // A replica sweep of two variants: cost grows with replicas, p99 falls and then flattens.
  const tradeoff = [
    ...[2, 3, 4, 6, 8].map((r) => ({
      label: `realtime ×${r}`,
      costPerHourUsd: 3.06 * r,
      p99Ms: +(95 + 900 / (r - 1.4) ** 2).toFixed(1),
      meetsSlo: 95 + 900 / (r - 1.4) ** 2 < 250,
    })),
    ...[1, 2, 3, 4].map((r) => ({
      label: `batched ×${r}`,
      costPerHourUsd: 3.06 * r,
      p99Ms: +(120 + 500 / r ** 2).toFixed(1),
      meetsSlo: 120 + 500 / r ** 2 < 250,
    })),
    { label: 'cascade ×2+2', costPerHourUsd: 8.9, p99Ms: 112.4, meetsSlo: true },
    { label: 'cpu only', costPerHourUsd: 2.1, p99Ms: 940, meetsSlo: false },
    { label: 'unpriced', costPerHourUsd: Number.NaN, p99Ms: 180, meetsSlo: null },
  ];
  return {
    title: 'Ranking service: real-time against batched against a cascade',
    summary:
      'Three ways to serve the ranker at 400 requests per second, each run 5 times for 1,000 s with the first 60 s ' +
      'discarded. Batching halves the GPU bill but adds the batch wait to every request; the cascade answers most ' +
      'requests from the small model and is the fastest at a middle price.',
    variants,
    tradeoff,
    theory: [
      {
        stage: 'tokenize',
        model: 'M/M/c (Erlang C)',
        quantity: 'mean wait (ms)',
        analytic: 0.29,
        simulated: { value: 0.3, ci95: 0.02 },
        note: 'Poisson arrivals and exponential service: the assumptions hold, and the two agree within the interval.',
      },
      {
        stage: 'ranker',
        model: 'M/G/1 (Pollaczek–Khinchine)',
        quantity: 'mean wait (ms)',
        analytic: 8.7,
        simulated: { value: 9.8, ci95: 0.5 },
        note: 'Arrivals to the ranker are the tokenizer’s departures, smoother than Poisson only in part; 13 % apart.',
      },
      {
        stage: 'ranker',
        model: "Little's law",
        quantity: 'mean in system',
        analytic: 14.6,
        simulated: { value: 14.6, ci95: 0.3 },
        note: 'Holds for any stable queue.',
      },
    ],
    table,
    notes: [
      '1 tradeoff point (unpriced) names no hardware and is left out of the cost chart.',
      'batched-gpu completed nothing in windows 71–72 (a batch timeout misconfiguration in that replica set).',
    ],
    ...overrides,
  };
}

/**
 * The sweep section of an M/M/4 load sweep (1 s service): p99 with intervals, the knee at
 * 3.022, and Erlang C's mean wait beside the simulated one at each point.
 * Reference: Erlang C mean wait at λ = 3.2 (ρ = 0.8) is 0.7455 s.
 */
export function fixtureSweep(): NonNullable<Report['sweep']> {
  const xs = [1, 1.578, 2.156, 2.733, 3.022, 3.311, 3.6];
  const p99 = [4604, 4651, 4821, 5360, 6068, 7606, 11787];
  const wait = [7.5, 38, 114, 318, 530, 950, 1980];
  return {
    path: 'arrivals.qps',
    curves: [
      {
        name: '',
        kneeX: 3.022,
        points: xs.map((x, i) => ({
          x,
          p99Ms: { value: p99[i]!, ci95: p99[i]! * 0.04 },
          theory: [{ stage: 'model', model: 'M/M/c (Erlang C)', analyticWaitMs: wait[i]! * 0.98, simulatedWaitMs: { value: wait[i]!, ci95: wait[i]! * 0.05 } }],
        })),
      },
    ],
  };
}
