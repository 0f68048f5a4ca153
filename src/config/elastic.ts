import { closest, distance } from 'fastest-levenshtein';
import * as z from 'zod';
import { AUTOSCALE_METRIC_NAMES, autoscaleMetrics, type AutoscaleMetricName } from '../models/autoscale-metrics.ts';
import { distributionSpec } from './distributions-spec.ts';
import { duration, nonNegativeInt, nonNegativeNumber, positiveDuration, positiveInt, positiveNumber, show } from './fields.ts';
import { formatDuration } from './duration.ts';
import { LIMITS, atMost } from './limits.ts';
import { AUTOSCALE_DEFAULTS } from './resolve.ts';

/**
 * Metrics an autoscaler can follow (Kubernetes HPA: a resource metric or a per-pod
 * average), read from `autoscaleMetrics` (src/models/autoscale-metrics.ts); the LLM ones
 * only on an `llm:` stage (src/config/llm-autoscale.ts says so otherwise).
 */
export const AUTOSCALE_METRICS = AUTOSCALE_METRIC_NAMES;

/** " (did you mean "kv-utilization"?)" for a near miss of a metric name; empty otherwise. */
function metricHint(v: unknown): string {
  if (typeof v !== 'string' || v.length === 0) return '';
  const near = closest(v, AUTOSCALE_METRICS);
  return distance(v, near) <= Math.max(2, Math.floor(near.length / 3)) ? ` (did you mean "${near}"?)` : '';
}

/** An enum field whose message lists the choices. */
function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: (iss) => `expected one of ${values.map((m) => `"${m}"`).join(', ')}, got ${show(iss.input)}` });
}

/** At most `max`, with Kubernetes' bound named in the message. */
function upTo(max: number, what: string) {
  return (v: number, ctx: z.RefinementCtx): void => {
    if (v > max) ctx.addIssue({ code: 'custom', message: `${what} is at most ${max} in Kubernetes, got ${v}` });
  };
}

/** One HPA scaling policy, as Kubernetes writes it: `{ type: Pods | Percent, value, periodSeconds }`. */
const scalingPolicySpec = z.strictObject({
  type: oneOf(['Pods', 'Percent'] as const),
  value: positiveInt(),
  periodSeconds: positiveInt().superRefine(upTo(1800, 'periodSeconds')),
});

/** HPA scaling rules of one direction (`behavior.scaleUp` or `behavior.scaleDown`); what is not given takes Kubernetes' default. */
const scalingRulesSpec = z.strictObject({
  stabilizationWindowSeconds: nonNegativeInt().superRefine(upTo(3600, 'stabilizationWindowSeconds')).optional(),
  selectPolicy: oneOf(['Max', 'Min', 'Disabled'] as const).optional(),
  policies: z.array(scalingPolicySpec).min(1, { error: 'give at least one policy, or leave policies out for the default ones' }).max(16, { error: 'at most 16 policies' }).optional(),
});

/**
 * Horizontal autoscaling with Kubernetes HPA semantics: every `syncPeriod` the
 * desired count is ceil(ready × metric / target), skipped within `tolerance`,
 * stabilized (scale up to the lowest recommendation of the last `scaleUpWindow`,
 * down to the highest of the last `scaleDownWindow`), and clamped to [min, max].
 * New replicas serve after a `coldStart` drawn per replica (on an `llm:` stage, the
 * model load unless given); billing starts at the request. With `behavior` (Kubernetes' field, also its defaults for what it leaves
 * out), the change per sync is also limited by scaling policies; without it, it is not.
 */
export const autoscaleSpec = z
  .strictObject({
    // A custom check (not z.enum, whose message validation rewrites) so that a near miss gets its did-you-mean.
    metric: z
      .custom<AutoscaleMetricName>((v) => typeof v === 'string' && Object.hasOwn(autoscaleMetrics, v), {
        error: (iss) => `expected one of ${AUTOSCALE_METRICS.map((m) => `"${m}"`).join(', ')}, got ${show(iss.input)}${metricHint(iss.input)}`,
      }),
    target: positiveNumber(),
    min: positiveInt().superRefine(atMost(LIMITS.replicas, 'replicas per stage')),
    max: positiveInt().superRefine(atMost(LIMITS.replicas, 'replicas per stage')),
    syncPeriod: positiveDuration()
      .refine((v) => v >= LIMITS.minSyncPeriodS, {
        error: (iss) => `must be at least ${JSON.stringify(formatDuration(LIMITS.minSyncPeriodS))} (one decision per sync; Kubernetes syncs every 15s), got ${JSON.stringify(formatDuration(iss.input as number))}`,
      })
      .optional(),
    scaleUpWindow: duration().optional(),
    scaleDownWindow: duration().optional(),
    tolerance: nonNegativeNumber().optional(),
    /** Required, except on an `llm:` stage, whose cold start is its model load (src/config/llm-load.ts). */
    coldStart: distributionSpec.optional(),
    behavior: z.strictObject({ scaleUp: scalingRulesSpec.optional(), scaleDown: scalingRulesSpec.optional() }).optional(),
  })
  .superRefine((a, ctx) => {
    for (const [key, dir] of [['scaleUpWindow', 'scaleUp'], ['scaleDownWindow', 'scaleDown']] as const) {
      if (a[key] !== undefined && a.behavior?.[dir]?.stabilizationWindowSeconds !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['behavior', dir, 'stabilizationWindowSeconds'], message: `give ${key} or behavior.${dir}.stabilizationWindowSeconds, not both` });
      }
    }
    if (a.min > a.max) ctx.addIssue({ code: 'custom', path: ['min'], message: `min replicas (${a.min}) must not be above max replicas (${a.max})` });
    // Every sync scans the recommendations of the longer stabilization window.
    const sync = a.syncPeriod ?? AUTOSCALE_DEFAULTS.syncS;
    for (const key of ['scaleUpWindow', 'scaleDownWindow'] as const) {
      const fromBehavior = a.behavior?.[key === 'scaleUpWindow' ? 'scaleUp' : 'scaleDown']?.stabilizationWindowSeconds;
      const w = a[key] ?? fromBehavior ?? (key === 'scaleDownWindow' ? AUTOSCALE_DEFAULTS.scaleDownWindowS : AUTOSCALE_DEFAULTS.scaleUpWindowS);
      if (typeof w === 'number' && typeof sync === 'number' && sync >= LIMITS.minSyncPeriodS && w / sync > LIMITS.syncsPerWindow) {
        ctx.addIssue({
          code: 'custom',
          path: [a[key] === undefined ? 'syncPeriod' : key],
          message: `a ${JSON.stringify(formatDuration(w))} ${key} holds ${Math.ceil(w / sync).toLocaleString('en-US')} syncs of ${JSON.stringify(formatDuration(sync))}; at most ${LIMITS.syncsPerWindow.toLocaleString('en-US')}: lengthen syncPeriod or shorten ${key}`,
        });
      }
    }
    if (autoscaleMetrics[a.metric].share && a.target > 1) {
      ctx.addIssue({ code: 'custom', path: ['target'], message: `a ${a.metric === 'utilization' ? 'utilization' : `"${a.metric}"`} target is a share of capacity between 0 and 1, got ${a.target}` });
    }
  });
export type AutoscaleSpec = z.output<typeof autoscaleSpec>;

/**
 * An asynchronous hand-off (the "buffer it in Kafka" answer): the producer is
 * acknowledged after `ack`, the request waits in a log read by the stage's
 * replicas, and beyond `retention` waiting messages the oldest are lost.
 */
export const bufferSpec = z.strictObject({
  ack: distributionSpec,
  retention: positiveInt().optional(),
});
export type BufferSpec = z.output<typeof bufferSpec>;

/**
 * Client retries: an attempt not answered within `timeout` (or turned away) is
 * retried after an exponential backoff `base × 2^(n−1)` capped at `maxBackoff`, with
 * full jitter (uniform between 0 and that), up to `maxAttempts` attempts. A retry
 * `budget` (the gRPC/Finagle retry-budget idea) lets retries be at most `ratio` of
 * first attempts, plus `minPerSecond`; without tokens a request fails instead.
 */
export const retrySpec = z.strictObject({
  timeout: positiveDuration(),
  maxAttempts: positiveInt().superRefine(atMost(LIMITS.maxAttempts, 'attempts per call')),
  backoff: z
    .strictObject({ base: duration(), max: duration().optional(), jitter: z.enum(['full', 'none']).optional() })
    .optional(),
  budget: z.strictObject({ ratio: nonNegativeNumber(), minPerSecond: nonNegativeNumber().optional() }).optional(),
});
export type RetrySpec = z.output<typeof retrySpec>;

/** Per-window time series: window length (default 1 s, widened for very long runs). */
export const timeSeriesSpec = z.strictObject({ window: positiveDuration() });
