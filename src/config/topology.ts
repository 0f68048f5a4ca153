import * as z from 'zod';
import { distributionSpec } from './distributions-spec.ts';
import { duration, nonNegativeInt, nonNegativeNumber, positiveDuration, positiveInt, show } from './fields.ts';
import { LIMITS, atMost } from './limits.ts';
import { CACHE_POLICIES, type CachePolicyName } from '../models/cache-policies.ts';
import { partitionsSpec } from './cache-partitions.ts';

/** Who sends requests: `count` known users with Zipf (`zipf: s`) or uniform (`zipf: 0`) popularity. */
export const usersSpec = z
  .strictObject({
    count: positiveInt(),
    zipf: nonNegativeNumber().optional(),
    newUserShare: nonNegativeNumber().optional(),
  })
  .superRefine((u, ctx) => {
    if (u.newUserShare !== undefined && u.newUserShare > 1) ctx.addIssue({ code: 'custom', path: ['newUserShare'], message: `is a share of requests between 0 and 1, got ${u.newUserShare}` });
    if (u.count > 20_000_000) ctx.addIssue({ code: 'custom', path: ['count'], message: `at most 20,000,000 users (the popularity table takes 8 bytes per user), got ${u.count}` });
  });

/** A heuristic answer: its latency and quality figure (e.g. a popular-items list). */
const heuristicSpec = z.strictObject({ latency: distributionSpec, quality: z.number({ error: (iss) => `expected a number, got ${show(iss.input)}` }) });

/** Where a diverted request goes: another stage (`to`) or a heuristic. */
const divertSpec = {
  to: z.string({ error: (iss) => `expected a stage name, got ${show(iss.input)}` }).optional(),
  heuristic: heuristicSpec.optional(),
};

function exactlyOneTarget(v: { to?: string | undefined; heuristic?: unknown }, ctx: z.RefinementCtx): void {
  if ((v.to === undefined) === (v.heuristic === undefined)) {
    ctx.addIssue({ code: 'custom', message: 'give exactly one of "to" (a stage name) or "heuristic" ({ latency, quality })' });
  }
}

/**
 * A cache in front of a stage over user keys: capacity in entries, eviction `policy`
 * (`lru` by default, `fifo`, `random`, `lfu`), optional TTL (`ttlResetOnHit`: a hit
 * restarts it), hit latency, and optional `partitions` by class (`cache-partitions.ts`).
 */
export const cacheSpec = z
  .strictObject({
    capacity: nonNegativeInt(),
    policy: z
      .enum(CACHE_POLICIES as [CachePolicyName, ...CachePolicyName[]], {
        error: (iss) => `expected one of ${CACHE_POLICIES.map((m) => `"${m}"`).join(', ')}, got ${show(iss.input)}`,
      })
      .optional(),
    ttl: positiveDuration().optional(),
    ttlResetOnHit: z.boolean({ error: (iss) => `expected true or false, got ${show(iss.input)}` }).optional(),
    hit: distributionSpec,
    partitions: partitionsSpec.optional(),
  })
  .superRefine((c, ctx) => {
    if (c.ttlResetOnHit !== undefined && c.ttl === undefined) {
      ctx.addIssue({ code: 'custom', path: ['ttlResetOnHit'], message: 'ttlResetOnHit needs a ttl (without one, entries never expire)' });
    }
  });

/**
 * Degrade when the stage is loaded: queue length at or above `queueLength`, estimated wait
 * above `estimatedWait`, or (an LLM stage) estimated time to first token above `estimatedTtft`.
 */
export const fallbackSpec = z
  .strictObject({ queueLength: nonNegativeInt().optional(), estimatedWait: duration().optional(), estimatedTtft: duration().optional(), ...divertSpec })
  .superRefine((f, ctx) => {
    exactlyOneTarget(f, ctx);
    if (f.queueLength === undefined && f.estimatedWait === undefined && f.estimatedTtft === undefined) {
      ctx.addIssue({ code: 'custom', message: 'give a trigger: queueLength (requests waiting), estimatedWait (a duration) or, on an LLM stage, estimatedTtft (a duration)' });
    }
  });

/** A cascade's step up: the share of the stage's answered requests that go on to the next stage (the others leave with its answer). */
export const escalateSpec = z.strictObject({
  share: z
    .number({ error: (iss) => `expected a share of the stage's requests in [0, 1], e.g. 0.2, got ${show(iss.input)}` })
    .refine((v) => Number.isFinite(v) && v >= 0 && v <= 1, { error: (iss) => `a share of the stage's requests is in [0, 1], got ${show(iss.input)}` }),
});

/**
 * Batch precompute: a job every `every` scores the whole population on `workers`
 * workers in batches of `batch`, each batch taking `base + perItem × batch`; online,
 * the stage is a key-value lookup (its service time); requests without a prediction
 * take `miss`.
 */
export const precomputeSpec = z.strictObject({
  every: positiveDuration(),
  workers: positiveInt(),
  batch: positiveInt(),
  perItem: duration(),
  base: duration().optional(),
  hardware: z.string().optional(),
  quality: z.number().optional(),
  start: z.enum(['warm', 'cold'], { error: (iss) => `expected "warm" (a job finished before the run) or "cold" (launch day), got ${show(iss.input)}` }).optional(),
  miss: z.strictObject(divertSpec).superRefine(exactlyOneTarget),
});
export type PrecomputeSpec = z.output<typeof precomputeSpec>;

/** How a tied pair cancels its loser: when the other copy starts service, or when it finishes. */
export const TIED_CANCEL = ['onStart', 'onFinish'] as const;

/**
 * Scatter-gather to `shards` shards (each `replicas` replicas), done when `quorum` answer;
 * or, with `keys`, to the shards (servers) holding a request's `keys` keys, one
 * sub-request per server touched, done when all have answered. Optional hedging
 * (`hedgeAfter`, capped by `hedgeBudget`, a share of the sub-requests sent), or tied
 * requests (`tied`: two copies at two replicas of the shard; with `hedgeAfter`, the
 * second copy leaves that long after the first, Dean & Barroso's delayed tie).
 */
export const fanoutSpec = z
  .strictObject({
    shards: positiveInt().superRefine(atMost(LIMITS.shards, 'shards (each request becomes one sub-request per shard)')),
    quorum: positiveInt().optional(),
    keys: positiveInt()
      .superRefine(atMost(LIMITS.fanoutKeys, 'keys a request touches (each key draws its server)'))
      .optional(),
    hedgeAfter: positiveDuration().optional(),
    hedgeBudget: z
      .number({ error: (iss) => `expected a share of the sub-requests sent in (0, 1], e.g. 0.05, got ${show(iss.input)}` })
      .refine((v) => Number.isFinite(v) && v > 0 && v <= 1, { error: (iss) => `a hedge budget is a share of the sub-requests sent, in (0, 1], got ${show(iss.input)}` })
      .optional(),
    tied: z
      .strictObject({
        cancel: z.enum(TIED_CANCEL, { error: (iss) => `expected "onStart" (the queued copy is cancelled when the other starts) or "onFinish" (the loser is cancelled when the winner finishes), got ${show(iss.input)}` }),
      })
      .optional(),
  })
  .superRefine((f, ctx) => {
    if (f.hedgeBudget !== undefined && f.hedgeAfter === undefined) {
      ctx.addIssue({ code: 'custom', path: ['hedgeBudget'], message: 'a hedge budget caps hedging: give hedgeAfter too' });
    }
    if (f.keys !== undefined && f.quorum !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['quorum'], message: 'with keys, a request waits for every server its keys are on: give keys or quorum, not both' });
    }
  });

/** Names for a message: the first 20, then a count, so a huge scenario cannot make a huge message. */
export function someNames(names: readonly string[], max = 20): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown}, … (${names.length} in all)` : shown;
}

function shownCycle(names: readonly string[]): string {
  return names.length > 12 ? `${names.slice(0, 10).join(' → ')} → … → ${names[names.length - 1]} (${names.length - 1} stages)` : names.join(' → ');
}

/** The part of a scenario the topology checks read. */
interface TopologyUser {
  users?: { count: number } | undefined;
  classes?: Array<{ users?: unknown }> | undefined;
  stages: Array<{
    name: string;
    candidates?: number | undefined;
    keep?: number | undefined;
    cache?: unknown;
    fallback?: { to?: string | undefined } | undefined;
    escalate?: unknown;
    precompute?: { miss: { to?: string | undefined }; every: number; hardware?: string | undefined } | undefined;
    fanout?: { shards: number; quorum?: number | undefined } | undefined;
    autoscale?: unknown;
    batching?: { maxBatch: number } | undefined;
  }>;
}

/**
 * Checks the stage graph as a whole: fallback and miss targets name other stages,
 * no diversion cycles, a filter keeps no more candidates than arrive, keys exist
 * where caches and stores need them, quorums fit their shards.
 */
export function checkTopology(s: TopologyUser, ctx: z.RefinementCtx): void {
  const names = s.stages.map((st) => st.name);
  const known = new Set(names);
  const targetOf = new Map<string, string>();
  // A cache needs keys: the scenario's users, or every class its own.
  const everyClassKeyed = s.classes?.every((c) => c.users !== undefined) === true;
  s.stages.forEach((st, i) => {
    const at = (...p: Array<string | number>) => ['stages', i, ...p];
    for (const [key, to] of [
      ['fallback', st.fallback?.to],
      ['precompute', st.precompute?.miss.to],
    ] as const) {
      if (to === undefined) continue;
      const path = key === 'fallback' ? at('fallback', 'to') : at('precompute', 'miss', 'to');
      if (to === st.name) ctx.addIssue({ code: 'custom', path, message: `a stage cannot fall back to itself ("${to}")` });
      else if (!known.has(to)) ctx.addIssue({ code: 'custom', path, message: `names no stage: ${show(to)} (stages: ${someNames(names)})` });
      else targetOf.set(st.name, to);
    }
    if ((st.cache !== undefined || st.precompute !== undefined) && s.users === undefined && !(st.cache !== undefined && everyClassKeyed)) {
      ctx.addIssue({ code: 'custom', path: at(st.cache !== undefined ? 'cache' : 'precompute'), message: 'needs users: { count: N } so that requests carry user keys' });
    }
    if (st.fanout?.quorum !== undefined && st.fanout.quorum > st.fanout.shards) {
      ctx.addIssue({ code: 'custom', path: at('fanout', 'quorum'), message: `a quorum of ${st.fanout.quorum} cannot be reached with ${st.fanout.shards} shards` });
    }
    if (st.fanout !== undefined && st.autoscale !== undefined) {
      ctx.addIssue({ code: 'custom', path: at('autoscale'), message: 'autoscaling a fan-out stage is not supported' });
    }
    if (st.fanout !== undefined && (st.batching?.maxBatch ?? 1) > 1) {
      ctx.addIssue({ code: 'custom', path: at('batching'), message: 'batching in a fan-out stage is not supported' });
    }
  });
  // Diversion cycles: following "falls back to" from any stage must never come back.
  // Each stage is walked once (done stages end a walk), so a long chain stays linear;
  // every stage on a cycle is reported, as before.
  const done = new Set<string>();
  const indexOf = new Map(names.map((n, i) => [n, i] as const));
  for (const start of targetOf.keys()) {
    if (done.has(start)) continue;
    const path: string[] = [];
    const onPath = new Map<string, number>();
    let cur: string | undefined = start;
    while (cur !== undefined && !done.has(cur) && !onPath.has(cur)) {
      onPath.set(cur, path.length);
      path.push(cur);
      cur = targetOf.get(cur);
    }
    if (cur !== undefined && onPath.has(cur)) {
      const cycle = path.slice(onPath.get(cur));
      for (let k = 0; k < cycle.length; k++) {
        const from = [...cycle.slice(k), ...cycle.slice(0, k)];
        ctx.addIssue({ code: 'custom', path: ['stages', indexOf.get(from[0]!) ?? 0], message: `fallbacks form a cycle: ${shownCycle([...from, from[0]!])}` });
      }
    }
    for (const n of path) done.add(n);
  }
  // Candidates along the main path (standby stages are off it): a filter cannot keep more than arrive.
  const standby = new Set(targetOf.values());
  // A cascade escalates to the next main-path stage: there must be one, and a standby stage is not on the path.
  const mainIdx = s.stages.map((st, i) => (standby.has(st.name) ? -1 : i)).filter((i) => i >= 0);
  s.stages.forEach((st, i) => {
    // A standby stage has no node in front of it: a cache there would never be looked up.
    if (st.cache !== undefined && standby.has(st.name)) {
      ctx.addIssue({ code: 'custom', path: ['stages', i, 'cache'], message: `"${st.name}" is a fallback or miss target: what is diverted to it bypasses any cache in front of it (put the cache on the stage that diverts)` });
    }
    if (st.escalate === undefined) return;
    if (standby.has(st.name)) {
      ctx.addIssue({ code: 'custom', path: ['stages', i, 'escalate'], message: `"${st.name}" is a fallback or miss target, off the main path: it has no next stage to escalate to` });
    } else if (mainIdx[mainIdx.length - 1] === i) {
      ctx.addIssue({ code: 'custom', path: ['stages', i, 'escalate'], message: `"${st.name}" is the last stage of the path: there is no next stage to escalate to (add the larger model's stage after it)` });
    }
  });
  let carried = 1;
  s.stages.forEach((st, i) => {
    if (standby.has(st.name)) return;
    if (st.candidates !== undefined) carried = st.candidates;
    if (st.keep !== undefined && st.keep > carried) {
      ctx.addIssue({ code: 'custom', path: ['stages', i, 'keep'], message: `keeps ${st.keep} candidates, but only ${carried} arrive here (k' must not exceed k)` });
    }
    if (st.keep !== undefined) carried = Math.min(carried, st.keep);
  });
}
