import type { z } from 'zod';
import { formatDuration } from './duration.ts';
import type { Scenario } from './schema.ts';
import { meanOfSpecS } from './faults-spec.ts';

/**
 * Limits on the values of a scenario that allocate memory or time in proportion to
 * themselves. Each is generous for every built-in scenario and documented example
 * (the README states them where the field is documented); beyond it a run would
 * exhaust memory, take hours, or lose time precision, so validation refuses it with
 * the field's location and the limit.
 */
export const LIMITS = {
  /** Replicas per stage (and an autoscaler's min/max): per-replica routing keeps a queue each. */
  replicas: 100_000,
  /** Shards of a fan-out: each request becomes one sub-request per shard. */
  shards: 10_000,
  /** Keys a fan-out request touches: each key's server is drawn per request. */
  fanoutKeys: 1_000_000,
  /**
   * Sub-requests a fan-out stage may send over a run (arrivals × shards): each is a
   * request of its own, so this is about ten minutes of CPU at a few million a second,
   * the arrivals limit's budget.
   */
  subRequests: 2e9,
  /** Key draws a keyed fan-out may make over a run (arrivals × keys): about 12 ns each, some minutes of CPU. */
  keyDraws: 2e10,
  /** Largest batch: a count per batch size is kept. */
  maxBatch: 100_000,
  /** Attempts per client call: a count per attempt number is kept. */
  maxAttempts: 1_000,
  /** Shortest autoscaler sync period, seconds. */
  minSyncPeriodS: 0.1,
  /** Syncs an autoscaler's stabilization window may hold (window ÷ syncPeriod): each sync loops over them. */
  syncsPerWindow: 10_000,
  /** Time-series windows per run, with a window the scenario sets. */
  windows: 100_000,
  /**
   * Time-series windows per run with the default window (1 s, widened to keep a run
   * whose length is known to 10,000): only a run whose length is unknown up front (a
   * trace replay) or far beyond the expected gets near it; about 150 bytes a window.
   */
  defaultWindows: 1_000_000,
  /**
   * Expected replica failures of a stage over the run (replicas × span ÷ mean time
   * between failures): each is a few events and may stop work in flight, so this is
   * as much CPU as about as many requests.
   */
  failures: 100_000_000,
  /** Batch-job cycles of a prediction store over the run (its bill loops over them). */
  precomputeCycles: 1_000_000,
  /**
   * KV-cache blocks an LLM stage simulates, over all its replicas: the block pool keeps
   * about 44 bytes a block (src/models/llm/block-pool.ts), so this is about 1.5 GB.
   */
  kvBlocksPerStage: 2 ** 25,
  /** Arrivals per run (stop.requests, or qps × stop.duration): about 10 minutes of CPU at a few million a second. */
  arrivals: 1e9,
  /** Requests (sub-requests of a fan-out included) held at once by default: about 2 GB at ~400 bytes each. */
  defaultMaxInFlight: 5_000_000,
  /** Highest `limits.maxInFlight` a scenario may set (about 40 GB). */
  maxInFlight: 100_000_000,
} as const;

/** Finest time resolution servesim promises over a run, seconds. */
export const TIME_RESOLUTION_S = 1e-6;

/**
 * Longest simulated span, seconds, over which float64 seconds resolve `TIME_RESOLUTION_S`:
 * a time t in [2^e, 2^(e+1)) is a multiple of 2^e·ε (ε = Number.EPSILON), so resolution
 * holds while 2^e·ε ≤ 1 µs, i.e. below 2^33 s (about 272 years).
 */
export const MAX_TIME_S = 2 ** (Math.floor(Math.log2(TIME_RESOLUTION_S / Number.EPSILON)) + 1);

/** A count as a user reads it: `100,000`. */
export function fmtCount(n: number): string {
  return Number.isFinite(n) && Math.abs(n) < 1e21 ? Math.round(n).toLocaleString('en-US') : String(n);
}

/** A span in seconds with a readable unit for messages: `"8.6e9 s (272 years)"`. */
export function fmtSpanS(s: number): string {
  const years = s / (365.25 * 86400);
  return years >= 2 ? `${s.toPrecision(3)} s (${years >= 1e6 ? years.toExponential(2) : fmtCount(years)} years)` : JSON.stringify(formatDuration(s));
}

/** The message for a simulated span that float64 seconds cannot resolve to 1 µs. */
export function precisionMessage(spanS: number): string {
  return (
    `the run would reach ${fmtSpanS(spanS)} of simulated time; servesim keeps time as float64 seconds, which resolve 1 µs only ` +
    `up to 2^33 s (about 272 years), so service times would be rounded: shorten the run (stop) or raise the arrival rate`
  );
}

/** A refinement that a whole number is at most `max`; `what` says what the count allocates. */
export function atMost(max: number, what: string) {
  return (v: number, ctx: z.RefinementCtx) => {
    if (v > max) ctx.addIssue({ code: 'custom', message: `at most ${fmtCount(max)} ${what}, got ${fmtCount(v)}`, input: v });
  };
}

/** The smallest of 1, 2 or 5 × a power of ten that is at least `x` (a round suggestion). */
export function roundUp(x: number): number {
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * p >= x * (1 - 1e-12)) return m * p;
  return 10 * p;
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const shown = (s: number): string => JSON.stringify(formatDuration(s));

/** The arrival process's base rate when validation knows it: `qps`, or the rate a plug-in reported. */
function baseRate(arrivals: Scenario['arrivals']): number | undefined {
  const a = arrivals as { qps?: unknown; meanRateRps?: unknown };
  return finite(a.qps) ? a.qps : finite(a.meanRateRps) ? a.meanRateRps : undefined;
}

/**
 * The run's expected length in simulated seconds, when validation can tell it:
 * `stop.duration`, or `stop.requests` over the arrival process's base rate (`qps`;
 * a schedule or trace is only known once built). Undefined when unknown.
 */
export function expectedSpanS(s: Pick<Scenario, 'arrivals' | 'stop'>): number | undefined {
  if (finite(s.stop?.duration)) return s.stop.duration;
  const qps = baseRate(s.arrivals);
  if (finite(s.stop?.requests) && qps !== undefined && qps > 0) return s.stop.requests / qps;
  return undefined;
}

/**
 * Cross-field limits of a scenario (run length, time precision, counts that grow with
 * the run): each problem is reported at the field to change, with the limit and a
 * value that would fit.
 */
export function checkRunLimits(s: Scenario, ctx: z.RefinementCtx): void {
  const qps = baseRate(s.arrivals);
  const stopReq = s.stop?.requests;
  const stopDur = s.stop?.duration;
  if (finite(stopReq) && stopReq > LIMITS.arrivals) {
    ctx.addIssue({
      code: 'custom',
      path: ['stop', 'requests'],
      message: `at most ${fmtCount(LIMITS.arrivals)} arrivals per run (at a few million a second that is already minutes of CPU), got ${fmtCount(stopReq)}: use replications for more precision`,
    });
  }
  if (finite(stopDur) && qps !== undefined && qps * stopDur > LIMITS.arrivals) {
    ctx.addIssue({
      code: 'custom',
      path: ['stop', 'duration'],
      message:
        `${fmtCount(qps)} requests/s for ${shown(stopDur)} is about ${fmtCount(qps * stopDur)} arrivals, above the ${fmtCount(LIMITS.arrivals)} a run may simulate: ` +
        `shorten stop.duration to at most ${shown(LIMITS.arrivals / qps)} or lower the rate`,
    });
  }
  const span = expectedSpanS(s);
  if (span !== undefined && span > MAX_TIME_S) {
    ctx.addIssue({ code: 'custom', path: ['stop', finite(stopDur) ? 'duration' : 'requests'], message: precisionMessage(span) });
  }
  const warm = s.warmup?.duration;
  if (finite(warm) && warm > MAX_TIME_S) ctx.addIssue({ code: 'custom', path: ['warmup', 'duration'], message: precisionMessage(warm) });
  if (span === undefined || span > MAX_TIME_S) return;

  const win = s.timeSeries?.window;
  if (finite(win) && span / win > LIMITS.windows) {
    ctx.addIssue({
      code: 'custom',
      path: ['timeSeries', 'window'],
      message: `${shown(win)} makes about ${fmtCount(span / win)} windows over the run's ${shown(span)}; at most ${fmtCount(LIMITS.windows)}: use a window of at least ${shown(roundUp(span / LIMITS.windows))}`,
    });
  }
  const arrivals = finite(stopReq) ? stopReq : finite(stopDur) && qps !== undefined ? qps * stopDur : undefined;
  s.stages.forEach((st, i) => {
    const fan = st.fanout;
    if (fan !== undefined && arrivals !== undefined && finite(fan.shards) && arrivals * fan.shards > LIMITS.subRequests) {
      ctx.addIssue({
        code: 'custom',
        path: ['stages', i, 'fanout', 'shards'],
        message: `${fmtCount(arrivals)} requests to ${fmtCount(fan.shards)} shards make about ${fmtCount(arrivals * fan.shards)} sub-requests, above the ${fmtCount(LIMITS.subRequests)} a run may simulate: at most ${fmtCount(Math.floor(LIMITS.subRequests / fan.shards))} requests (stop) with this many shards`,
      });
    }
    if (fan?.keys !== undefined && arrivals !== undefined && finite(fan.keys) && arrivals * fan.keys > LIMITS.keyDraws) {
      ctx.addIssue({
        code: 'custom',
        path: ['stages', i, 'fanout', 'keys'],
        message: `${fmtCount(arrivals)} requests touching ${fmtCount(fan.keys)} keys each draw about ${fmtCount(arrivals * fan.keys)} key placements, above the ${fmtCount(LIMITS.keyDraws)} a run may make: at most ${fmtCount(Math.floor(LIMITS.keyDraws / fan.keys))} requests (stop) with this many keys`,
      });
    }
    const between = st.faults?.failures?.between;
    const mtbf = between !== undefined ? meanOfSpecS(between) : undefined;
    if (finite(mtbf) && mtbf > 0 && (st.replicas * span) / mtbf > LIMITS.failures) {
      ctx.addIssue({
        code: 'custom',
        path: ['stages', i, 'faults', 'failures', 'between'],
        message: `${st.replicas} replicas failing every ${shown(mtbf)} on average make about ${fmtCount((st.replicas * span) / mtbf)} failures over the run's ${shown(span)}; at most ${fmtCount(LIMITS.failures)}: a mean time between failures of at least ${shown(roundUp((st.replicas * span) / LIMITS.failures))}`,
      });
    }
    // Gray episodes and health probes cost events as failures do: bounded by the same limit.
    const replicasAll = st.replicas * (st.fanout?.shards ?? 1);
    const grayBetween = st.faults?.gray?.between;
    const mtbs = grayBetween !== undefined ? meanOfSpecS(grayBetween) : undefined;
    if (finite(mtbs) && mtbs > 0 && (replicasAll * span) / mtbs > LIMITS.failures) {
      ctx.addIssue({
        code: 'custom',
        path: ['stages', i, 'faults', 'gray', 'between'],
        message: `${replicasAll} replicas turning slow every ${shown(mtbs)} on average make about ${fmtCount((replicasAll * span) / mtbs)} slow spells over the run's ${shown(span)}; at most ${fmtCount(LIMITS.failures)}: a mean time between them of at least ${shown(roundUp((replicasAll * span) / LIMITS.failures))}`,
      });
    }
    const probe = st.faults?.healthCheck?.interval;
    if (finite(probe) && (replicasAll * span) / probe > LIMITS.failures) {
      ctx.addIssue({
        code: 'custom',
        path: ['stages', i, 'faults', 'healthCheck', 'interval'],
        message: `probing ${replicasAll} replicas every ${shown(probe)} makes about ${fmtCount((replicasAll * span) / probe)} probes over the run's ${shown(span)}; at most ${fmtCount(LIMITS.failures)}: an interval of at least ${shown(roundUp((replicasAll * span) / LIMITS.failures))}`,
      });
    }
    const every = st.precompute?.every;
    if (finite(every) && span / every > LIMITS.precomputeCycles) {
      ctx.addIssue({
        code: 'custom',
        path: ['stages', i, 'precompute', 'every'],
        message: `${shown(every)} makes about ${fmtCount(span / every)} batch jobs over the run's ${shown(span)}; at most ${fmtCount(LIMITS.precomputeCycles)}: run them at least every ${shown(roundUp(span / LIMITS.precomputeCycles))}`,
      });
    }
  });
}
