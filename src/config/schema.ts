import { z } from 'zod';
import { duration, nonNegativeInt, positiveDuration, positiveInt, positiveNumber, show } from './fields.ts';
import { hardwareSpec, modelSpec, checkCatalogRefs } from './catalog-refs.ts';
import { sloSpec } from './slo.ts';

// ---------------------------------------------------------------------------
// Service-time distributions (`service: { dist: ..., ... }`). Each family's
// keys are fixed; `src/config/distributions.ts` turns them into engine objects.

const exponentialSpec = z.strictObject({ dist: z.literal('exponential'), mean: positiveDuration() });
const deterministicSpec = z.strictObject({ dist: z.literal('deterministic'), value: duration() });
const uniformSpec = z
  .strictObject({ dist: z.literal('uniform'), min: duration(), max: duration() })
  .refine((u) => u.max >= u.min, { error: 'max must not be below min', path: ['max'] });
const lognormalSpec = z.strictObject({ dist: z.literal('lognormal'), mean: positiveDuration(), cv: positiveNumber() });
const gammaSpec = z.strictObject({ dist: z.literal('gamma'), mean: positiveDuration(), cv: positiveNumber() });
const empiricalSpec = z
  .strictObject({
    dist: z.literal('empirical'),
    values: z.array(duration()).min(1, { error: 'needs at least one value' }),
    weights: z.array(z.number().nonnegative({ error: 'weights must be 0 or more' })).optional(),
  })
  .refine((e) => e.weights === undefined || e.weights.length === e.values.length, {
    error: 'needs as many weights as values',
    path: ['weights'],
  })
  .refine((e) => e.weights === undefined || e.weights.some((w) => w > 0), {
    error: 'weights must not all be 0',
    path: ['weights'],
  });

/** A distribution of durations, chosen by `dist`. */
export const distributionSpec = z.discriminatedUnion('dist', [
  exponentialSpec,
  deterministicSpec,
  uniformSpec,
  lognormalSpec,
  gammaSpec,
  empiricalSpec,
]);
export type DistributionSpec = z.output<typeof distributionSpec>;
/** The family names a scenario may use for `dist`. */
export type DistributionKind = DistributionSpec['dist'];

/**
 * Multiplicative noise of mean 1 on a batch's service time (dimensionless, so no
 * mean is given: it is 1 by definition).
 */
export const noiseSpec = z.discriminatedUnion('dist', [
  z.strictObject({ dist: z.literal('lognormal'), cv: positiveNumber() }),
  z.strictObject({ dist: z.literal('gamma'), cv: positiveNumber() }),
]);
export type NoiseSpec = z.output<typeof noiseSpec>;

/** Batch-aware service time `base + perItem × batch` (the usual GPU shape), times optional noise. */
const linearServiceSpec = z.strictObject({
  dist: z.literal('linear'),
  base: duration(),
  perItem: duration(),
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
  exponentialSpec,
  deterministicSpec,
  uniformSpec,
  lognormalSpec,
  gammaSpec,
  empiricalSpec,
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

/** An arrival process, chosen by `process`. */
export const arrivalsSpec = z.discriminatedUnion('process', [poissonSpec, constantSpec]);
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

/** Load-balancing policies: one shared queue, or a queue per replica behind a balancer. */
export const ROUTING_POLICIES = ['shared', 'round-robin', 'random', 'least-outstanding', 'power-of-two'] as const;
export type RoutingPolicyName = (typeof ROUTING_POLICIES)[number];

const stageSpec = z.strictObject({
  name: z
    .string({ error: (iss) => `expected a stage name, got ${show(iss.input)}` })
    .regex(NAME_RE, { error: (iss) => `a stage name starts with a letter and uses letters, digits, "-" and "_", got ${show(iss.input)}` }),
  replicas: positiveInt(),
  concurrency: positiveInt().optional(),
  queue: z.strictObject({ capacity: nonNegativeInt().optional() }).optional(),
  service: serviceSpec.optional(),
  model: z.string({ error: (iss) => `expected a model name, got ${show(iss.input)}` }).optional(),
  hardware: z.string({ error: (iss) => `expected a hardware name, got ${show(iss.input)}` }).optional(),
  batching: z
    .strictObject({
      maxBatch: positiveInt(),
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
      policy: z.enum(ROUTING_POLICIES, { error: (iss) => `expected one of ${ROUTING_POLICIES.map((p) => `"${p}"`).join(', ')}, got ${show(iss.input)}` }),
    })
    .optional(),
  deadline: positiveDuration().optional(),
});
export type StageSpec = z.output<typeof stageSpec>;

// ---------------------------------------------------------------------------
// The scenario.

/** The whole scenario file. Unknown keys anywhere are errors, never ignored. */
export const scenarioSchema = z
  .strictObject({
    name: z.string().optional(),
    description: z.string().optional(),
    seed: z.union([z.number().int(), z.string()], { error: (iss) => `expected a whole number or a string, got ${show(iss.input)}` }).optional(),
    arrivals: arrivalsSpec,
    stop: requestsOrDuration('stop'),
    warmup: requestsOrDuration('warmup').optional(),
    stages: z.array(stageSpec).min(1, { error: 'a scenario needs at least one stage' }),
    deadline: positiveDuration().optional(),
    slo: sloSpec.optional(),
    hardware: z.record(z.string(), hardwareSpec).optional(),
    models: z.record(z.string(), modelSpec).optional(),
  })
  .superRefine((s, ctx) => {
    checkCatalogRefs(s, ctx);
    const seen = new Map<string, number>();
    s.stages.forEach((st, i) => {
      const first = seen.get(st.name);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['stages', i, 'name'], message: `stage name "${st.name}" is already used by stages[${first}]` });
      } else seen.set(st.name, i);
    });
    const w = s.warmup;
    if (w?.requests !== undefined && s.stop.requests !== undefined && w.requests >= s.stop.requests) {
      ctx.addIssue({ code: 'custom', path: ['warmup', 'requests'], message: `warm-up (${w.requests} requests) must be shorter than the run (stop.requests: ${s.stop.requests})` });
    }
    if (w?.duration !== undefined && s.stop.duration !== undefined && w.duration >= s.stop.duration) {
      ctx.addIssue({ code: 'custom', path: ['warmup', 'duration'], message: 'warm-up must be shorter than the run (stop.duration)' });
    }
  });

/** A scenario as written (durations as strings): the type `defineScenario` checks. */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A validated scenario, durations in seconds. */
export type Scenario = z.output<typeof scenarioSchema>;
