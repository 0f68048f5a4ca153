import { closest, distance } from 'fastest-levenshtein';
import * as z from 'zod';
import { duration, nonNegativeInt, nonNegativeNumber, positiveDuration, positiveInt, positiveNumber, show } from './fields.ts';
import { formatDuration } from './duration.ts';
import { hardwareSpec, modelSpec, checkCatalogRefs } from './catalog-refs.ts';
import { sloSpec } from './slo.ts';
import { intactView } from './validate.ts';
import { distributionSpec } from './distributions-spec.ts';
import { autoscaleSpec, bufferSpec, retrySpec, timeSeriesSpec } from './elastic.ts';
import { checkFaults, faultsSpec } from './faults-spec.ts';
import { cacheSpec, checkTopology, escalateSpec, fallbackSpec, fanoutSpec, precomputeSpec, usersSpec } from './topology.ts';
import { LIMITS, atMost, checkRunLimits, fmtCount } from './limits.ts';
import { llmStageSpec, tokensSpec } from './llm-schema.ts';
import { checkLlm } from './llm-checks.ts';
import { pluginArrivalsSpec } from './plugins.ts';
import { renewalSpec } from './renewal-spec.ts';
import { checkClasses, classesSpecOf, disciplineSpec } from './classes.ts';
import { checkCachePartitions } from './cache-partitions.ts';
import { routerRegistry, type RouterName } from '../models/routing/index.ts';

// Service-time distributions live in distributions-spec.ts (other spec files use them too).
export { distributionSpec, type DistributionSpec, type DistributionKind } from './distributions-spec.ts';

/**
 * Multiplicative noise of mean 1 on a batch's service time (dimensionless, so no
 * mean is given: it is 1 by definition).
 */
export const noiseSpec = z.discriminatedUnion('dist', [
  z.strictObject({ dist: z.literal('lognormal'), cv: positiveNumber() }),
  z.strictObject({ dist: z.literal('gamma'), cv: positiveNumber() }),
]);
export type NoiseSpec = z.output<typeof noiseSpec>;

/**
 * Batch-aware service time `base + Σ over the batch (perItem + Σ per[attr] × attr)`
 * (the usual GPU shape, optionally driven by request attributes), times optional noise.
 */
const linearServiceSpec = z.strictObject({
  dist: z.literal('linear'),
  base: duration(),
  perItem: duration().optional(),
  /** Seconds per unit of a request attribute, e.g. `{ ContextTokens: "0.02ms" }`. */
  per: z.record(z.string(), duration()).optional(),
  noise: noiseSpec.optional(),
});

/**
 * Batch-aware service time from measured `[batch, latency]` points, linearly
 * interpolated; the table starts at batch 1 and must cover the stage's maxBatch.
 */
const tableServiceSpec = z
  .strictObject({
    dist: z.literal('table'),
    points: z
      .array(z.tuple([positiveInt(), duration()], { error: 'each point is [batch, latency], e.g. [8, "12ms"]' }))
      .min(1, { error: 'needs at least one [batch, latency] point' }),
    noise: noiseSpec.optional(),
  })
  .superRefine((t, ctx) => {
    if (t.points[0]![0] !== 1) ctx.addIssue({ code: 'custom', path: ['points', 0, 0], message: `the first point must be for batch 1, got ${t.points[0]![0]}` });
    for (let i = 1; i < t.points.length; i++) {
      if (t.points[i]![0] <= t.points[i - 1]![0]) {
        ctx.addIssue({ code: 'custom', path: ['points', i, 0], message: `batch sizes must increase, got ${t.points[i]![0]} after ${t.points[i - 1]![0]}` });
      }
    }
  });

/** A stage's service time: a distribution per request, or a batch-aware model. */
export const serviceSpec = z.discriminatedUnion('dist', [
  ...distributionSpec.options,
  linearServiceSpec,
  tableServiceSpec,
]);
export type ServiceSpec = z.output<typeof serviceSpec>;
/** The service-time kinds a scenario may use for `dist`. */
export type ServiceKind = ServiceSpec['dist'];

// ---------------------------------------------------------------------------
// Arrivals (`arrivals: { process: ..., ... }`).

const poissonSpec = z.strictObject({ process: z.literal('poisson'), qps: positiveNumber() });
const constantSpec = z.strictObject({ process: z.literal('constant'), qps: positiveNumber() });

/** A duration as a user would write it again, quoted, for messages. */
const shownS = (s: number) => JSON.stringify(formatDuration(s));
/**
 * Cross-field checks run even when a field failed its own check (so every problem is
 * reported at once); they look only at values that parsed, never at a failed one.
 */
const parsed = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A sinusoidal daily curve around `qps` (src/models/arrivals/diurnal.ts). */
const diurnalSpec = z
  .strictObject({
    process: z.literal('diurnal'),
    qps: positiveNumber(),
    amplitude: z
      .number({ error: (iss) => `expected a number between 0 and 1, got ${show(iss.input)}` })
      .refine((v) => v >= 0 && v <= 1, { error: (iss) => `must be between 0 and 1 (peak qps·(1 + amplitude), trough qps·(1 − amplitude)), got ${show(iss.input)}` }),
    period: positiveDuration().prefault('24h'),
    peakAt: duration().optional(),
  })
  .superRefine((d, ctx) => {
    if (parsed(d.peakAt) && parsed(d.period) && d.peakAt >= d.period) {
      ctx.addIssue({ code: 'custom', path: ['peakAt'], message: `the time of the peak must be within one period (${shownS(d.period)}), got ${shownS(d.peakAt)}` });
    }
  });

/** A step (or linear ramp) to factor × qps for a while (src/models/arrivals/spike.ts). */
const spikeSpec = z
  .strictObject({
    process: z.literal('spike'),
    qps: positiveNumber(),
    factor: positiveNumber(),
    at: duration(),
    duration: positiveDuration(),
    ramp: duration().optional(),
  })
  .superRefine((s, ctx) => {
    if (parsed(s.ramp) && parsed(s.duration) && 2 * s.ramp > s.duration) {
      ctx.addIssue({ code: 'custom', path: ['ramp'], message: `the ramps up and down (2 × ${shownS(s.ramp)}) must fit in the spike's duration (${shownS(s.duration)})` });
    }
  });

/** A two-state Markov-modulated Poisson process (src/models/arrivals/bursty.ts). */
const burstySpec = z.strictObject({
  process: z.literal('bursty'),
  qps: positiveNumber(),
  burstQps: nonNegativeNumber(),
  meanNormal: positiveDuration(),
  meanBurst: positiveDuration(),
});

/** A piecewise-constant rate, optionally repeating (src/models/arrivals/schedule.ts). */
const scheduleSpec = z
  .strictObject({
    process: z.literal('schedule'),
    steps: z
      .array(z.strictObject({ at: duration(), qps: nonNegativeNumber() }), { error: (iss) => `expected a list of steps like [{ at: "0s", qps: 100 }], got ${show(iss.input)}` })
      .min(1, { error: 'needs at least one step, e.g. [{ at: "0s", qps: 100 }]' }),
    repeat: positiveDuration().optional(),
  })
  .superRefine((s, ctx) => {
    const steps: readonly unknown[] = Array.isArray(s.steps) ? s.steps : [];
    const at = (i: number): unknown => (steps[i] as { at?: unknown } | undefined)?.at;
    const first = at(0);
    if (parsed(first) && first !== 0) ctx.addIssue({ code: 'custom', path: ['steps', 0, 'at'], message: `the first step must be at "0s", got ${shownS(first)}` });
    for (let i = 1; i < steps.length; i++) {
      const [prev, cur] = [at(i - 1), at(i)];
      if (parsed(prev) && parsed(cur) && cur <= prev) {
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'at'], message: `steps must be in increasing time order: ${shownS(cur)} is not after steps[${i - 1}] at ${shownS(prev)}` });
      }
    }
    if (steps.length > 0 && steps.every((st) => (st as { qps?: unknown } | undefined)?.qps === 0)) {
      ctx.addIssue({ code: 'custom', path: ['steps'], message: 'every step has qps 0, so no request would ever arrive' });
    }
    const last = at(steps.length - 1);
    if (parsed(s.repeat) && parsed(last) && s.repeat <= last) {
      ctx.addIssue({ code: 'custom', path: ['repeat'], message: `must be longer than the last step's time (${shownS(last)}), got ${shownS(s.repeat)}` });
    }
  });

/** An arrival process, chosen by `process`. */
/**
 * Replay of a CSV trace of real arrivals; `rate: 2x` replays twice as fast. The
 * path is relative to the scenario file.
 */
const traceSpec = z.strictObject({
  process: z.literal('trace'),
  file: z.string({ error: (iss) => `expected the path of a CSV trace, got ${show(iss.input)}` }).min(1, { error: 'expected the path of a CSV trace' }),
  rate: z
    .union([z.number(), z.string()], { error: (iss) => `expected a speed like "2x" or 0.5, got ${show(iss.input)}` })
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return 1;
      const n = typeof v === 'number' ? v : /^\s*[0-9.]+(?:e[+-]?\d+)?\s*x\s*$/i.test(v) ? Number(v.trim().slice(0, -1)) : NaN;
      if (!(n > 0) || !Number.isFinite(n)) {
        ctx.addIssue({ code: 'custom', message: `expected a speed like "2x" (twice as fast) or "0.5x", got ${show(v)}`, input: v });
        return z.NEVER;
      }
      return n;
    }),
  timestamp: z.string().optional(),
  timing: z.enum(['trace', 'poisson'], { error: (iss) => `expected "trace" (the recorded times) or "poisson" (the same rows at Poisson times), got ${show(iss.input)}` }).optional(),
});

/** Each request class brings its own arrival process (`classes[].arrivals`); the arrivals are their superposition. */
const perClassSpec = z.strictObject({ process: z.literal('classes') });

export const arrivalsSpec = z.discriminatedUnion('process', [poissonSpec, constantSpec, diurnalSpec, spikeSpec, burstySpec, scheduleSpec, traceSpec, pluginArrivalsSpec, renewalSpec, perClassSpec]);
export type ArrivalsSpec = z.output<typeof arrivalsSpec>;
/** The process names a scenario may use for `process`. */
export type ArrivalKind = ArrivalsSpec['process'];

// ---------------------------------------------------------------------------
// Run length and warm-up: exactly one of `requests` or `duration`.

function requestsOrDuration(what: 'stop' | 'warmup') {
  return z
    .strictObject({
      requests: what === 'stop' ? positiveInt().optional() : nonNegativeInt().optional(),
      duration: (what === 'stop' ? positiveDuration() : duration()).optional(),
    })
    .refine((v) => (v.requests === undefined) !== (v.duration === undefined), {
      error: `give exactly one of "requests" or "duration"`,
    });
}

// ---------------------------------------------------------------------------
// Stages.

const NAME_RE = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** Load-balancing policies: one shared queue, or a queue per replica behind a balancer (the names of `routerRegistry`). */
export type RoutingPolicyName = 'shared' | RouterName;
export const ROUTING_POLICIES: readonly RoutingPolicyName[] = ['shared', ...(Object.keys(routerRegistry) as RouterName[])];
/** Policies a library user added (`registerRouter`, src/api/plugins.ts), accepted beside the built-in ones. */
export const PLUGIN_ROUTING_POLICIES = new Set<string>();
const routingPolicyNames = (): string[] => [...ROUTING_POLICIES, ...PLUGIN_ROUTING_POLICIES];
const isRoutingPolicy = (v: string): boolean => (ROUTING_POLICIES as readonly string[]).includes(v) || PLUGIN_ROUTING_POLICIES.has(v);
/** ` (did you mean "x"?)` for a policy name within a few edits of a known one (a third of its length, at least 2); empty otherwise. */
const policyHint = (v: unknown): string => {
  if (typeof v !== 'string' || v.length === 0) return '';
  const near = closest(v, routingPolicyNames());
  return distance(v, near) <= Math.max(2, Math.floor(near.length / 3)) ? ` (did you mean "${near}"?)` : '';
};

const stageSpec = z.strictObject({
  name: z
    .string({ error: (iss) => `expected a stage name, got ${show(iss.input)}` })
    .regex(NAME_RE, { error: (iss) => `a stage name starts with a letter and uses letters, digits, "-" and "_", got ${show(iss.input)}` }),
  replicas: positiveInt().superRefine(atMost(LIMITS.replicas, 'replicas per stage (each can hold its own queue)')),
  concurrency: positiveInt().optional(),
  queue: z.strictObject({ capacity: nonNegativeInt().optional() }).optional(),
  service: serviceSpec.optional(),
  model: z.string({ error: (iss) => `expected a model name, got ${show(iss.input)}` }).optional(),
  hardware: z.string({ error: (iss) => `expected a hardware name, got ${show(iss.input)}` }).optional(),
  batching: z
    .strictObject({
      maxBatch: positiveInt().superRefine(atMost(LIMITS.maxBatch, 'requests per batch')),
      maxWait: z
        .string({ error: (iss) => `expected a duration like "2ms", got ${show(iss.input)}` })
        .transform((v, ctx) => {
          if (/^\s*-/.test(v)) {
            ctx.addIssue({ code: 'custom', message: `must not be negative, got ${show(v)}`, input: v });
            return z.NEVER;
          }
          return v;
        })
        .pipe(duration())
        .optional(),
    })
    .optional(),
  routing: z
    .strictObject({
      // Typed for the writer as a built-in name or any string (a registered plug-in's), checked here.
      policy: z
        .custom<RoutingPolicyName | (string & {})>((v) => typeof v === 'string' && isRoutingPolicy(v), {
          error: (iss) => `expected one of ${routingPolicyNames().map((p) => `"${p}"`).join(', ')}, got ${show(iss.input)}${policyHint(iss.input)}`,
        })
        .transform((v) => v as RoutingPolicyName),
    })
    .optional(),
  deadline: positiveDuration().optional(),
  autoscale: autoscaleSpec.optional(),
  /** Replica failures and scheduled outages (src/config/faults-spec.ts). */
  faults: faultsSpec.optional(),
  buffer: bufferSpec.optional(),
  /** Candidates each request carries after this stage (retrieval: 1 → k). */
  candidates: positiveInt().optional(),
  /** Candidates kept after this stage (a filter: top k'). */
  keep: positiveInt().optional(),
  cache: cacheSpec.optional(),
  fallback: fallbackSpec.optional(),
  /** A cascade: the share of this stage's answered requests that go on to the next stage; the others leave the path. */
  escalate: escalateSpec.optional(),
  precompute: precomputeSpec.optional(),
  fanout: fanoutSpec.optional(),
  /** A token-level LLM engine per replica (src/config/llm-schema.ts, docs/llm-scheduler.md). */
  llm: llmStageSpec.optional(),
  /** The pool's queue discipline (src/config/classes.ts); FIFO when absent. */
  discipline: disciplineSpec.optional(),
  /** The request classes this stage serves; the others skip it (all when absent). */
  classes: z.array(z.string({ error: (iss) => `expected a class name, got ${show(iss.input)}` })).min(1, { error: 'name at least one class, or leave `classes` out' }).optional(),
});
export type StageSpec = z.output<typeof stageSpec>;

// ---------------------------------------------------------------------------
// The scenario.

/** The whole scenario file. Unknown keys anywhere are errors, never ignored. */
export const scenarioSchema = z
  .strictObject({
    name: z.string().optional(),
    description: z.string().optional(),
    // Whole numbers beyond 2^53 - 1 are not exact in a double (2^53 and 2^53 + 1 would be one seed).
    seed: z
      .union([z.number().int({ error: (iss) => (iss.code === 'too_big' || iss.code === 'too_small' ? 'a whole-number seed must be at most 2^53 - 1 = 9007199254740991 in size (write a larger one as a string)' : undefined) }), z.string().max(200, { error: 'a seed word must be at most 200 characters' })], {
        error: (iss) => `expected a whole number or a string, got ${show(iss.input)}`,
      })
      .optional(),
    arrivals: arrivalsSpec,
    stop: requestsOrDuration('stop').optional(),
    warmup: requestsOrDuration('warmup').optional(),
    stages: z.array(stageSpec).min(1, { error: 'a scenario needs at least one stage' }),
    /** Per-request prompt and output token counts, for llm stages. */
    tokens: tokensSpec.optional(),
    deadline: positiveDuration().optional(),
    slo: sloSpec.optional(),
    hardware: z.record(z.string(), hardwareSpec).optional(),
    models: z.record(z.string(), modelSpec).optional(),
    retry: retrySpec.optional(),
    users: usersSpec.optional(),
    /** Named overrides of this scenario (`path: value`), compared by `servesim compare`. */
    variants: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    /** Name of the base configuration in comparisons (default "base"). */
    baseName: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, { error: 'a name starts with a letter and uses letters, digits, "-" and "_"' }).optional(),
    /** What the scenario asks and what its numbers answer; printed above the result. */
    narrative: z.string().optional(),
    /** Makes `servesim run` sweep one value (for every variant, if any). */
    sweep: z.strictObject({ vary: z.string(), steps: positiveInt().optional() }).optional(),
    /** Replications `servesim run` does by default (the command line's --replications wins). */
    replications: positiveInt().optional(),
    timeSeries: timeSeriesSpec.optional(),
    /** Memory bound of a run: most requests held at once (sub-requests of a fan-out count each). */
    /** Request classes: share, attributes, objective, priority, weight, deadline (src/config/classes.ts). */
    classes: classesSpecOf(arrivalsSpec).optional(),
    limits: z
      .strictObject({ maxInFlight: positiveInt().superRefine(atMost(LIMITS.maxInFlight, 'requests in flight (about 400 bytes each)')).optional() })
      .optional(),
  })
  .superRefine((whole, ctx) => {
    // Runs even when fields failed (every problem in one pass), on the parts that parsed.
    const s = intactView(whole, ctx.issues);
    if (s === undefined) return;
    checkCatalogRefs(s, ctx);
    checkTopology(s, ctx);
    checkLlm(s, ctx);
    checkClasses(s, ctx);
    checkCachePartitions(s, ctx);
    if (s.stop === undefined && s.arrivals.process !== 'trace') {
      ctx.addIssue({ code: 'custom', path: ['stop'], message: 'missing: give stop: { requests: N } or { duration: "10m" } (only a trace replay may end with its file)' });
    }
    const seen = new Map<string, number>();
    s.stages.forEach((st, i) => {
      const a = st.autoscale;
      if (a && a.min <= a.max && (st.replicas < a.min || st.replicas > a.max)) {
        ctx.addIssue({ code: 'custom', path: ['stages', i, 'replicas'], message: `${st.replicas} replicas to start with is outside the autoscaler's range [${a.min}, ${a.max}]` });
      }
      if (st.fanout?.tied !== undefined && st.replicas < 2) {
        ctx.addIssue({ code: 'custom', path: ['stages', i, 'fanout', 'tied'], message: `tied requests go to two replicas of a shard, and this stage has ${st.replicas} per shard: give replicas: 2 or more` });
      }
      checkFaults(st, i, ctx);
      const first = seen.get(st.name);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['stages', i, 'name'], message: `stage name "${st.name}" is already used by stages[${first}]` });
      } else seen.set(st.name, i);
    });
    const w = s.warmup;
    if (w?.requests !== undefined && s.stop?.requests !== undefined && w.requests >= s.stop.requests) {
      const stop = s.stop.requests;
      const fit = Math.floor(stop / 10);
      ctx.addIssue({
        code: 'custom',
        path: ['warmup', 'requests'],
        message:
          `warm-up (${fmtCount(w.requests)} requests) must be shorter than the run (stop.requests: ${fmtCount(stop)}): ` +
          (fit > 0 ? `lower it too, e.g. --set warmup.requests=${fit} (a tenth of the run), ` : 'set --set warmup.requests=0, ') +
          `or raise stop.requests above ${fmtCount(w.requests)}`,
      });
    }
    if (w?.duration !== undefined && s.stop?.duration !== undefined && w.duration >= s.stop.duration) {
      const fit = formatDuration(s.stop.duration / 10);
      ctx.addIssue({
        code: 'custom',
        path: ['warmup', 'duration'],
        message: `warm-up (${shownS(w.duration)}) must be shorter than the run (stop.duration: ${shownS(s.stop.duration)}): lower it too, e.g. --set warmup.duration=${fit} (a tenth of the run), or lengthen stop.duration`,
      });
    }
    checkRunLimits(s, ctx);
  }, { when: () => true });

/**
 * A scenario as written (durations as strings): the type `defineScenario` checks.
 * With a `topology` shorthand, `stages` may be left out.
 */
export type ScenarioInput = Omit<z.input<typeof scenarioSchema>, 'stages'> & {
  stages?: z.input<typeof scenarioSchema>['stages'];
  topology?: 'batch' | 'realtime' | 'cascade' | 'hybrid';
};
/** A validated scenario, durations in seconds. */
export type Scenario = z.output<typeof scenarioSchema>;
