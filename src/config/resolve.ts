/**
 * Resolve, then build: a validated `Scenario` becomes a `SystemDescription` once, here,
 * with every default applied and every catalog name looked up. The models are built
 * from the description and never read the file schema, so a default lives in one place
 * (this file) and a model never guesses what an absent key meant.
 *
 * Defaults applied (durations in seconds):
 *
 * | key                              | default                                  |
 * | -------------------------------- | ---------------------------------------- |
 * | `name`, `seed`                   | `"scenario"`, 1                          |
 * | `stop`, `warmup`                 | no bound (Infinity), none (0)            |
 * | `limits.maxInFlight`             | `LIMITS.defaultMaxInFlight`              |
 * | `users.zipf`, `users.newUserShare` | 0, 0                                   |
 * | `deadline`, `stages[].deadline`  | none (Infinity)                          |
 * | `stages[].concurrency`           | 1                                        |
 * | `stages[].queue.capacity`        | unbounded; a buffer's `retention` instead |
 * | `stages[].batching`              | `maxBatch` 1, `maxWait` 0                |
 * | `stages[].routing.policy`        | `shared`                                 |
 * | `stages[].fanout`                | `quorum` = shards, no `keys` (one sub-request per shard), no hedging, no `hedgeBudget` cap, not `tied` |
 * | `stages[].service`               | the catalog model's profile on the hardware's device, ÷ its speed |
 * | `stages[].autoscale`             | `syncPeriod` 15, `scaleUpWindow` 0, `scaleDownWindow` 300, `tolerance` 0.1; no `behavior`: no rate limit |
 * | `stages[].autoscale.behavior`    | Kubernetes' (`HPA_DEFAULT_BEHAVIOR`): up Max of +4 pods or +100 % per 15 s, down 100 % per 15 s |
 * | `stages[].autoscale.coldStart` (an `llm:` stage) | the model load, deterministic: weight bytes ÷ `llm.loadBandwidthGBps` (src/config/llm-load.ts) |
 * | `stages[].llm.loadBandwidthGBps` | 1.048576 GB/s = 1,000 MiB/s, an AWS EBS gp3 volume's provisioned maximum (`LLM_LOAD_DEFAULTS`, source there) |
 * | `stages[].cache`                 | `policy` lru, `ttl` none (Infinity), `ttlResetOnHit` false, no `partitions` (one shared cache) |
 * | `classes[].users`                | the scenario's `users` (null)            |
 * | `stages[].faults`                | no random failures, no outages, `crew` unlimited, `inFlight` lost, no gray failures (`gray.scope` replica), no health check (a down replica leaves rotation at once) |
 * | `stages[].faults.healthCheck`    | `failureThreshold` 3, `successThreshold` 1 (Kubernetes' probe defaults), `ejectSlow` false |
 * | `stages[].fallback`              | a trigger not given never fires (Infinity) |
 * | `stages[].escalate`              | none: every answered request goes on (null) |
 * | candidates reaching a stage     | what the main path's stages before it set (1 at the start and off the path) |
 * | `stages[].precompute`            | `base` 0, `start` warm, `quality` unknown (NaN) |
 * | `stages[].llm` (an LLM stage)    | vLLM's scheduler settings (`LLM_DEFAULTS`), the profile's KV blocks and GPU price, routing `least-outstanding` |
 * | `retry.backoff`                  | `base` 0.1, `max` Infinity, `jitter` full; `budget.minPerSecond` 0 |
 * | `classes`                        | none (one class, null)                   |
 * | `classes[].priority`, `weight`   | 0, 1                                     |
 * | `classes[].slo`, `deadline`, `attributes` | none (null, Infinity, none)     |
 * | `stages[].discipline`            | `fifo`                                   |
 * | `stages[].classes`               | every class (null)                       |
 */
import { LIMITS } from './limits.ts';
import { classSlo } from './classes.ts';
import { latencySlo, waitSlo } from './slo.ts';
import { hardwareCatalog, modelCatalog } from './catalog-refs.ts';
import type { Scenario, StageSpec } from './schema.ts';
import type { CachePartitionDescription, DistributionSpec, DivertDescription, ScalingBehaviorDescription, ScalingRulesDescription, StageDescription, StationKind, SystemDescription } from './description.ts';
import { resolveLlmHardware, resolveLlmStage, LLM_NO_SERVICE } from './resolve-llm.ts';
import { splitCapacity, type PartitionsSpec } from './cache-partitions.ts';
import { modelLoadColdStart } from './llm-load.ts';

/** What `resolveScenario` takes: a scenario that passed validation (`src/config/schema.ts`). */
export type ValidatedScenario = Scenario;

/** Autoscaler defaults (Kubernetes HPA's): also read by validation's window check. */
export const AUTOSCALE_DEFAULTS = { syncS: 15, scaleUpWindowS: 0, scaleDownWindowS: 300, tolerance: 0.1 } as const;

/**
 * Kubernetes' default scaling policies (autoscaling/v2 `HPAScalingRules` defaults,
 * kubernetes.io "Horizontal Pod Autoscaling", "Default Behavior"), for a direction a
 * `behavior` leaves out: up, the larger of +4 pods or +100 % per 15 s; down, 100 % per 15 s.
 */
export const HPA_DEFAULT_BEHAVIOR: ScalingBehaviorDescription = {
  scaleUp: {
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodS: 15 },
      { type: 'Percent', value: 100, periodS: 15 },
    ],
  },
  scaleDown: { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodS: 15 }] },
};

type RulesSpec = NonNullable<NonNullable<NonNullable<StageSpec['autoscale']>['behavior']>['scaleUp']>;

/** One direction's rules, Kubernetes' defaults for what is left out. */
function rulesOf(r: RulesSpec | undefined, dflt: ScalingRulesDescription): ScalingRulesDescription {
  return {
    selectPolicy: r?.selectPolicy ?? dflt.selectPolicy,
    policies: r?.policies?.map((p) => ({ type: p.type, value: p.value, periodS: p.periodSeconds })) ?? dflt.policies.map((p) => ({ ...p })),
  };
}

/** Health-check thresholds when a scenario leaves them out: Kubernetes' probe defaults (failureThreshold 3, successThreshold 1). */
export const HEALTH_CHECK_DEFAULTS = { failureThreshold: 3, successThreshold: 1 } as const;

/** Retry backoff defaults. */
export const RETRY_DEFAULTS = { backoffBaseS: 0.1, backoffMaxS: Infinity, jitter: 'full', minPerSecond: 0 } as const;

/** The station kind a stage's keys ask for (one place: a new kind is a new line here and in `stationRegistry`). */
function kindOf(spec: StageSpec): StationKind {
  if (spec.llm !== undefined) return 'llm';
  if (spec.fanout !== undefined) return 'fanout';
  if (spec.buffer !== undefined) return 'buffer';
  if (spec.discipline?.policy === 'priority-preemptive') return 'preemptive-pool';
  return 'pool';
}

function divertOf(t: { to?: string | undefined; heuristic?: { latency: DistributionSpec; quality: number } | undefined }): DivertDescription {
  return t.to !== undefined ? { to: t.to } : { heuristic: { latency: t.heuristic!.latency, quality: t.heuristic!.quality } };
}

/** The system a validated scenario describes, every default applied (see the table above). */
export function resolveScenario(scenario: ValidatedScenario): SystemDescription {
  const hwCat = hardwareCatalog(scenario.hardware);
  const modelCat = modelCatalog(scenario.models);
  const standby = new Set<string>();
  for (const sp of scenario.stages) {
    if (sp.fallback?.to !== undefined) standby.add(sp.fallback.to);
    if (sp.precompute?.miss.to !== undefined) standby.add(sp.precompute.miss.to);
  }
  const systemDeadlineS = scenario.deadline ?? Infinity;
  // Candidates a request carries into each main-path stage (retrieval stages set them, filters keep fewer).
  const candidatesIn = new Map<string, number>();
  let carried = 1;
  // Main-path stages after a cascade's escalating stage see only the escalated share.
  const escalatedTo = new Set<string>();
  let escalated = false;
  for (const sp of scenario.stages) {
    if (standby.has(sp.name)) continue;
    if (escalated) escalatedTo.add(sp.name);
    if (sp.escalate !== undefined) escalated = true;
    candidatesIn.set(sp.name, carried);
    if (sp.candidates !== undefined) carried = sp.candidates;
    if (sp.keep !== undefined) carried = Math.min(carried, sp.keep);
  }
  const so = scenario.slo;
  const llmSlo = so !== undefined && !('target' in so) && (so.ttft !== null || so.tpot !== null) ? { ttft: so.ttft, tpot: so.tpot } : null;
  const stages = scenario.stages.map((sp, index): StageDescription => {
    const hw = sp.hardware !== undefined ? hwCat[sp.hardware] : undefined;
    const model = sp.model !== undefined ? modelCat[sp.model] : undefined;
    let service = sp.service;
    if (sp.llm !== undefined) service = LLM_NO_SERVICE;
    if (service === undefined) {
      // Validation guarantees a model with a profile for the hardware's device kind here.
      const profile = model!.latency[hw!.device]!;
      service = { dist: 'linear', base: profile.baseMs / 1000 / hw!.speed, perItem: profile.perItemMs / 1000 / hw!.speed };
    }
    const a = sp.autoscale;
    const pre = sp.precompute;
    const llm = sp.llm !== undefined ? resolveLlmStage(sp.llm, scenario.tokens!, llmSlo, sp.replicas) : null;
    return {
      name: sp.name,
      index,
      kind: kindOf(sp),
      replicas: sp.replicas,
      concurrency: sp.concurrency ?? 1,
      queueCapacity: sp.buffer?.retention ?? sp.queue?.capacity ?? Infinity,
      maxBatch: sp.batching?.maxBatch ?? 1,
      maxWaitS: sp.batching?.maxWait ?? 0,
      routing: sp.routing?.policy ?? (sp.llm !== undefined ? 'least-outstanding' : 'shared'),
      deadlineS: sp.deadline ?? Infinity,
      systemDeadlineS,
      service,
      ack: sp.buffer?.ack ?? null,
      llm,
      fanout: sp.fanout ? { shards: sp.fanout.shards, quorum: sp.fanout.quorum ?? sp.fanout.shards, keys: sp.fanout.keys ?? null, hedgeAfterS: sp.fanout.hedgeAfter ?? Infinity, hedgeBudget: sp.fanout.hedgeBudget ?? Infinity, tied: sp.fanout.tied ? { cancel: sp.fanout.tied.cancel } : null } : null,
      model: model !== undefined ? { name: sp.model!, entry: model } : null,
      hardware: sp.llm !== undefined ? resolveLlmHardware(sp.llm, sp.replicas) : hw !== undefined ? { name: sp.hardware!, entry: hw } : null,
      quality: model?.quality.value ?? llm?.quality?.value ?? NaN,
      autoscale: a
        ? {
            metric: a.metric,
            target: a.target,
            min: a.min,
            max: a.max,
            syncS: a.syncPeriod ?? AUTOSCALE_DEFAULTS.syncS,
            scaleUpWindowS: a.scaleUpWindow ?? a.behavior?.scaleUp?.stabilizationWindowSeconds ?? AUTOSCALE_DEFAULTS.scaleUpWindowS,
            scaleDownWindowS: a.scaleDownWindow ?? a.behavior?.scaleDown?.stabilizationWindowSeconds ?? AUTOSCALE_DEFAULTS.scaleDownWindowS,
            tolerance: a.tolerance ?? AUTOSCALE_DEFAULTS.tolerance,
            // Validation requires a coldStart on every stage but an llm: stage whose weights are known.
            coldStart: a.coldStart ?? modelLoadColdStart(sp.llm!),
            behavior: a.behavior
              ? { scaleUp: rulesOf(a.behavior.scaleUp, HPA_DEFAULT_BEHAVIOR.scaleUp), scaleDown: rulesOf(a.behavior.scaleDown, HPA_DEFAULT_BEHAVIOR.scaleDown) }
              : null,
          }
        : null,
      faults: sp.faults
        ? {
            between: sp.faults.failures?.between ?? null,
            repair: sp.faults.failures?.repair ?? null,
            crew: sp.faults.failures?.crew ?? Infinity,
            outages: (sp.faults.outages ?? []).map((o) => ({ atS: o.at, durationS: o.duration, share: o.share })),
            inFlight: sp.faults.inFlight ?? 'lost',
            gray: sp.faults.gray ? { between: sp.faults.gray.between, duration: sp.faults.gray.duration, slowdown: sp.faults.gray.slowdown, scope: sp.faults.gray.scope ?? 'replica' } : null,
            healthCheck: sp.faults.healthCheck
              ? {
                  intervalS: sp.faults.healthCheck.interval,
                  failureThreshold: sp.faults.healthCheck.failureThreshold ?? HEALTH_CHECK_DEFAULTS.failureThreshold,
                  successThreshold: sp.faults.healthCheck.successThreshold ?? HEALTH_CHECK_DEFAULTS.successThreshold,
                  ejectSlow: sp.faults.healthCheck.ejectSlow ?? false,
                }
              : null,
          }
        : null,
      cache: sp.cache
        ? {
            capacity: sp.cache.capacity,
            policy: sp.cache.policy ?? 'lru',
            ttlS: sp.cache.ttl ?? Infinity,
            ttlResetOnHit: sp.cache.ttlResetOnHit ?? false,
            hit: sp.cache.hit,
            partitions: partitionsOf(sp.cache.capacity, sp.cache.partitions, scenario.classes?.map((c) => c.name) ?? []),
          }
        : null,
      fallback: sp.fallback
        ? { queueLength: sp.fallback.queueLength ?? Infinity, estimatedWaitS: sp.fallback.estimatedWait ?? Infinity, estimatedTtftS: sp.fallback.estimatedTtft ?? Infinity, target: divertOf(sp.fallback) }
        : null,
      escalate: sp.escalate !== undefined ? { share: sp.escalate.share } : null,
      precompute: pre
        ? {
            everyS: pre.every,
            workers: pre.workers,
            batch: pre.batch,
            baseS: pre.base ?? 0,
            perItemS: pre.perItem,
            warmStart: (pre.start ?? 'warm') === 'warm',
            quality: pre.quality ?? NaN,
            hardware: (pre.hardware !== undefined ? hwCat[pre.hardware] : undefined) ?? null,
            miss: divertOf(pre.miss),
          }
        : null,
      candidates: sp.candidates,
      keep: sp.keep,
      candidatesIn: candidatesIn.get(sp.name) ?? 1,
      standby: standby.has(sp.name),
      // A stage serving only some classes sees only part of the traffic, like one behind a cache.
      shielded: sp.cache !== undefined || sp.fallback !== undefined || sp.precompute !== undefined || sp.classes !== undefined || escalatedTo.has(sp.name),
      classes: sp.classes?.map((n) => scenario.classes!.findIndex((c) => c.name === n)) ?? null,
      discipline: { policy: sp.discipline?.policy ?? 'fifo', by: sp.discipline?.by ?? null },
    };
  });
  const u = scenario.users;
  const r = scenario.retry;
  const slo = latencySlo(scenario.slo);
  return {
    name: scenario.name ?? 'scenario',
    seed: scenario.seed ?? 1,
    arrivals: scenario.arrivals,
    stopRequests: scenario.stop?.requests ?? Infinity,
    stopS: scenario.stop?.duration ?? Infinity,
    stopField: scenario.stop?.duration !== undefined ? 'stop.duration' : scenario.stop?.requests !== undefined ? 'stop.requests' : 'stop',
    warmupRequests: scenario.warmup?.requests ?? 0,
    warmupS: scenario.warmup?.duration ?? 0,
    slo: slo ? { target: slo.target, latencyS: slo.latencyS, fraction: slo.fraction } : null,
    llmSlo,
    waitSlo: waitSlo(scenario.slo),
    maxInFlight: scenario.limits?.maxInFlight ?? LIMITS.defaultMaxInFlight,
    users: u ? { count: u.count, zipf: u.zipf ?? 0, newUserShare: u.newUserShare ?? 0 } : null,
    timeSeriesWindowS: scenario.timeSeries?.window ?? null,
    retry: r
      ? {
          timeoutS: r.timeout,
          maxAttempts: r.maxAttempts,
          backoffBaseS: r.backoff?.base ?? RETRY_DEFAULTS.backoffBaseS,
          backoffMaxS: r.backoff?.max ?? RETRY_DEFAULTS.backoffMaxS,
          jitter: r.backoff?.jitter ?? RETRY_DEFAULTS.jitter,
          budget: r.budget ? { ratio: r.budget.ratio, minPerSecond: r.budget.minPerSecond ?? RETRY_DEFAULTS.minPerSecond } : null,
        }
      : null,
    stages,
    classes:
      scenario.classes?.map((c) => {
        const cs = classSlo(c);
        return {
          name: c.name,
          share: c.share ?? null,
          arrivals: (c.arrivals as SystemDescription['arrivals'] | undefined) ?? null,
          priority: c.priority ?? 0,
          priorityGiven: c.priority !== undefined,
          weight: c.weight ?? 1,
          slo: cs ? { target: cs.target, latencyS: cs.latencyS, fraction: cs.fraction } : null,
          deadlineS: c.deadline ?? Infinity,
          attributes: c.attributes ?? {},
          rateLimit: c.rateLimit ?? null,
          shedAtQueueLength: c.shedAt?.queueLength ?? Infinity,
          shedAtEstimatedWaitS: c.shedAt?.estimatedWait ?? Infinity,
          maxInFlight: c.maxInFlight ?? Infinity,
          users: c.users ? { count: c.users.count, zipf: c.users.zipf ?? 0, newUserShare: c.users.newUserShare ?? 0 } : null,
        };
      }) ?? null,
  };
}

/** A cache's partitions in class order, each its whole share of the capacity; null without. */
function partitionsOf(capacity: number, p: PartitionsSpec | undefined, classNames: readonly string[]): CachePartitionDescription[] | null {
  if (p === undefined) return null;
  const named = classNames.flatMap((name, classIndex) => (p.sizes[name] !== undefined ? [{ className: name, classIndex, share: p.sizes[name] }] : []));
  const caps = splitCapacity(capacity, named.map((n) => n.share));
  return named.map((n, k) => ({ ...n, capacity: caps[k]! }));
}
