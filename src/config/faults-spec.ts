import * as z from 'zod';
import { distributionSpec, type DistributionSpec } from './distributions-spec.ts';
import { duration, positiveDuration, positiveInt, show } from './fields.ts';

/** What happens to the requests a failed replica was serving. */
export const IN_FLIGHT_ON_FAILURE = ['lost', 'retry'] as const;

/**
 * Whose state a gray failure is: each replica's own (`replica`), or its shard's
 * (`shard`: every replica of a shard slow together, as when they share the slow host,
 * disk or hot partition; a pool is one shard, so its replicas all turn slow together).
 */
export const GRAY_SCOPES = ['replica', 'shard'] as const;

/**
 * One scheduled outage: at `at` (from the start of the run), `share` of the stage's
 * replicas (a zone: 0.25 of four zones) go down together for `duration`.
 */
export const outageSpec = z.strictObject({
  at: duration(),
  duration: positiveDuration(),
  share: z
    .number({ error: (iss) => `expected a share of the replicas in (0, 1], got ${show(iss.input)}` })
    .refine((v) => Number.isFinite(v) && v > 0 && v <= 1, { error: (iss) => `a share of the replicas must be in (0, 1], got ${show(iss.input)}` }),
});

/**
 * Gray failures: each replica, independently, turns slow `between` after it was last
 * healthy and stays slow for `duration` (a two-state Markov-modulated replica when both
 * are exponential); while slow, every batch it starts takes `slowdown` times its service
 * time. The slowdown belongs to the replica, so it is shared by every request it serves.
 * With `scope: shard` the clock is the shard's instead: all its replicas turn slow and
 * healthy together (a pool is one shard), so a hedge to another replica is slow too.
 */
export const graySpec = z.strictObject({
  between: distributionSpec,
  duration: distributionSpec,
  scope: z.enum(GRAY_SCOPES, { error: (iss) => `expected one of "replica", "shard", got ${show(iss.input)}` }).optional(),
  slowdown: z
    .number({ error: (iss) => `expected a slowdown factor (a number of at least 1), got ${show(iss.input)}` })
    .refine((v) => Number.isFinite(v) && v >= 1, { error: (iss) => `a slowdown is how many times longer a slow replica's service takes: at least 1, got ${show(iss.input)}` }),
});
export type GraySpec = z.output<typeof graySpec>;

/**
 * The load balancer's health check: every `interval` each replica is probed; a replica
 * in rotation is ejected after `failureThreshold` probes in a row fail (Kubernetes'
 * default 3), and put back after `successThreshold` probes in a row pass (default 1). A
 * probe fails on a replica that is down, and also on a slow one with `ejectSlow` (a
 * latency check, as outlier detection does); a plain liveness probe misses gray failures.
 */
export const healthCheckSpec = z.strictObject({
  interval: positiveDuration(),
  failureThreshold: positiveInt().optional(),
  successThreshold: positiveInt().optional(),
  ejectSlow: z.boolean({ error: (iss) => `expected true or false, got ${show(iss.input)}` }).optional(),
});
export type HealthCheckSpec = z.output<typeof healthCheckSpec>;

/**
 * Faults of a pool stage: replicas that fail and are repaired, each on its own clock
 * (`between`: time from coming up to failing; `repair`: time down), and scheduled
 * outages. `crew` repairs at most that many replicas at once (the others wait their turn,
 * first failed first repaired); without it every failed replica is repaired at once.
 * `inFlight` says what becomes of the work a failed replica was running:
 * `lost` (dropped, counted as lost to failures) or `retry` (back at the head of the
 * queue, ahead of every waiting request, since it had waited longest).
 */
export const faultsSpec = z.strictObject({
  failures: z.strictObject({ between: distributionSpec, repair: distributionSpec, crew: positiveInt().optional() }).optional(),
  outages: z.array(outageSpec).optional(),
  inFlight: z.enum(IN_FLIGHT_ON_FAILURE, { error: (iss) => `expected one of "lost", "retry", got ${show(iss.input)}` }).optional(),
  gray: graySpec.optional(),
  healthCheck: healthCheckSpec.optional(),
});
export type FaultsSpec = z.output<typeof faultsSpec>;

/** The mean of a duration distribution in seconds; undefined for a plug-in's (its code knows). */
export function meanOfSpecS(d: DistributionSpec): number | undefined {
  switch (d.dist) {
    case 'exponential':
    case 'lognormal':
    case 'gamma':
      return d.mean;
    case 'deterministic':
      return d.value;
    case 'uniform':
      return (d.min + d.max) / 2;
    case 'empirical': {
      const w = d.weights ?? d.values.map(() => 1);
      const total = w.reduce((a, b) => a + b, 0);
      return d.values.reduce((a, v, i) => a + v * w[i]!, 0) / total;
    }
    default:
      return undefined;
  }
}

/** What `checkFaults` reads of a stage. */
interface FaultsUser {
  faults?: FaultsSpec | undefined;
  autoscale?: unknown;
  fanout?: unknown;
  llm?: unknown;
  routing?: { policy: string } | undefined;
}

/** Whether a duration distribution can only ever draw 0 (a failure clock that never advances). */
function alwaysZero(d: DistributionSpec): boolean {
  if (d.dist === 'deterministic') return d.value === 0;
  if (d.dist === 'uniform') return d.max === 0;
  if (d.dist === 'empirical') return d.values.every((v, i) => v === 0 || d.weights?.[i] === 0);
  return false;
}

/**
 * Whole-stage checks of `faults:`: the stations that model them (a pool or a buffer
 * with a shared queue, or a fan-out, tied or not; no autoscaler), and something to inject.
 */
export function checkFaults(st: FaultsUser, i: number, ctx: z.RefinementCtx): void {
  const f = st.faults;
  if (f === undefined) return;
  const at = ['stages', i, 'faults'];
  const not = (what: string) => ctx.addIssue({ code: 'custom', path: at, message: `faults are not modelled with ${what} yet (a pool, buffer or fan-out with a fixed replica count)` });
  if (st.autoscale !== undefined) not('autoscale');
  if (st.llm !== undefined) not('llm');
  if (st.routing !== undefined && st.routing.policy !== 'shared') {
    ctx.addIssue({ code: 'custom', path: ['stages', i, 'routing', 'policy'], message: `faults are modelled with a shared queue only for now, got routing policy ${show(st.routing.policy)}` });
  }
  if (f.failures === undefined && (f.outages === undefined || f.outages.length === 0) && f.gray === undefined) {
    ctx.addIssue({ code: 'custom', path: at, message: 'give failures: { between, repair }, outages: [{ at, duration, share }] or gray: { between, duration, slowdown } (or remove faults)' });
  }
  if (f.gray !== undefined && alwaysZero(f.gray.between)) {
    ctx.addIssue({ code: 'custom', path: [...at, 'gray', 'between'], message: 'the time before a replica turns slow must not always be 0 (it would be slow for good: raise its service time instead)' });
  }
  if (f.healthCheck !== undefined && f.failures === undefined && (f.outages === undefined || f.outages.length === 0) && !(f.gray !== undefined && f.healthCheck.ejectSlow === true)) {
    ctx.addIssue({ code: 'custom', path: [...at, 'healthCheck'], message: 'a health check finds only down replicas (or slow ones with ejectSlow: true and gray): give failures or outages, or gray with ejectSlow: true' });
  }
  if (f.failures !== undefined && alwaysZero(f.failures.between)) {
    ctx.addIssue({ code: 'custom', path: [...at, 'failures', 'between'], message: 'the time between failures must not always be 0 (a replica would fail the moment it is up)' });
  }
}
