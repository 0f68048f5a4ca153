import * as z from 'zod';
import { DEFAULT_HARDWARE } from '../catalog/hardware.ts';
import { DEFAULT_MODELS } from '../catalog/models.ts';
import type { HardwareEntry, ModelEntry } from '../catalog/types.ts';
import { duration, positiveNumber, show } from './fields.ts';
import { hasEntry } from './keys.ts';
import { someNames } from './topology.ts';

/** A hardware entry a scenario adds or replaces (`hardware: { name: {...} }`). */
export const hardwareSpec = z.strictObject({
  device: z.enum(['cpu', 'gpu'], { error: (iss) => `expected "cpu" or "gpu", got ${show(iss.input)}` }),
  usdPerHour: positiveNumber(),
  speed: positiveNumber().optional(),
  description: z.string().optional(),
  source: z.string().optional(),
});

const profileSpec = z.strictObject({ base: duration(), perItem: duration() });

/** A model a scenario adds or replaces (`models: { name: {...} }`); latencies are durations. */
export const modelSpec = z.strictObject({
  description: z.string().optional(),
  latency: z.strictObject({ cpu: profileSpec.optional(), gpu: profileSpec.optional() }),
  quality: z.strictObject({ metric: z.string(), value: z.number() }).optional(),
  source: z.string().optional(),
});

type HardwareSpec = z.output<typeof hardwareSpec>;
type ModelSpec = z.output<typeof modelSpec>;

/**
 * The hardware catalog of a scenario: the defaults plus its own entries. A record
 * without a prototype, so a user's name can never find an inherited `toString`;
 * look names up with `hasEntry`.
 */
export function hardwareCatalog(own: Record<string, HardwareSpec> | undefined): Record<string, HardwareEntry> {
  const out: Record<string, HardwareEntry> = Object.assign(Object.create(null) as Record<string, HardwareEntry>, DEFAULT_HARDWARE);
  for (const [name, h] of Object.entries(own ?? {})) {
    out[name] = {
      device: h.device,
      usdPerHour: h.usdPerHour,
      speed: h.speed ?? 1,
      description: h.description ?? `${name} (defined in the scenario)`,
      source: h.source ?? 'scenario',
    };
  }
  return out;
}

/** The model catalog of a scenario: the defaults plus its own entries (latencies in ms); no prototype, as above. */
export function modelCatalog(own: Record<string, ModelSpec> | undefined): Record<string, ModelEntry> {
  const out: Record<string, ModelEntry> = Object.assign(Object.create(null) as Record<string, ModelEntry>, DEFAULT_MODELS);
  for (const [name, m] of Object.entries(own ?? {})) {
    const latency: ModelEntry['latency'] = {};
    for (const kind of ['cpu', 'gpu'] as const) {
      const p = m.latency[kind];
      if (p) latency[kind] = { baseMs: p.base * 1000, perItemMs: p.perItem * 1000 };
    }
    out[name] = {
      description: m.description ?? `${name} (defined in the scenario)`,
      latency,
      quality: m.quality ?? { metric: 'none', value: NaN },
      source: m.source ?? 'scenario',
    };
  }
  return out;
}

/** The part of a scenario the catalog checks read. */
interface CatalogUser {
  hardware?: Record<string, HardwareSpec> | undefined;
  models?: Record<string, ModelSpec> | undefined;
  stages: Array<{
    model?: string | undefined;
    hardware?: string | undefined;
    service?: { dist: string; points?: Array<[number, number]> } | undefined;
    batching?: { maxBatch: number } | undefined;
    precompute?: { hardware?: string | undefined } | undefined;
    llm?: unknown;
  }>;
}

// A failed hardware entry's stub has no device (see intactView): no profile check then.
const isDevice = (d: unknown): d is 'cpu' | 'gpu' => d === 'cpu' || d === 'gpu';

const PER_REQUEST = new Set(['exponential', 'deterministic', 'uniform', 'lognormal', 'gamma', 'empirical']);

/**
 * Cross-checks that a schema cannot express field by field: hardware and model
 * names exist, a stage has some way to get its service time, and batching has a
 * batch-aware service time.
 */
export function checkCatalogRefs(s: CatalogUser, ctx: z.RefinementCtx): void {
  const hw = hardwareCatalog(s.hardware);
  const models = modelCatalog(s.models);
  // Listed once, not per problem: thousands of stages with a typo stay linear.
  let hwList: string | undefined;
  let modelList: string | undefined;
  const hwNames = () => (hwList ??= someNames(Object.keys(hw)));
  const modelNames = () => (modelList ??= someNames(Object.keys(models)));
  const withUnknownKeys = new Set(ctx.issues.filter((iss) => iss.code === 'unrecognized_keys' && iss.path?.length === 2 && iss.path[0] === 'stages').map((iss) => iss.path![1]));
  const hasUnknownKey = (i: number) => withUnknownKeys.has(i);
  s.stages.forEach((st, i) => {
    const at = (...p: Array<string | number>) => ['stages', i, ...p];
    let hwEntry: HardwareEntry | undefined;
    if (st.hardware !== undefined) {
      hwEntry = hasEntry(hw, st.hardware) ? hw[st.hardware] : undefined;
      if (hwEntry === undefined) {
        ctx.addIssue({ code: 'custom', path: at('hardware'), message: `unknown hardware ${show(st.hardware)}; known: ${hwNames()} (add your own under the scenario's "hardware" key)` });
      }
    }
    let modelEntry: ModelEntry | undefined;
    if (st.model !== undefined) {
      modelEntry = hasEntry(models, st.model) ? models[st.model] : undefined;
      if (modelEntry === undefined) {
        ctx.addIssue({ code: 'custom', path: at('model'), message: `unknown model ${show(st.model)}; known: ${modelNames()} (add your own under the scenario's "models" key)` });
      }
    }
    if (st.service === undefined && st.llm === undefined) {
      // A stage with an unknown key may hold its service under a misspelled name
      // (`servce:`): the unknown-key message already says what to fix.
      if (st.model === undefined) {
        if (!hasUnknownKey(i)) ctx.addIssue({ code: 'custom', path: at(), message: 'give the stage a service time (service: {...}) or a catalog model (model: ...) with its hardware' });
      } else if (st.hardware === undefined) {
        ctx.addIssue({ code: 'custom', path: at('hardware'), message: `missing: model ${show(st.model)} needs a hardware name to pick its cpu or gpu latency profile (or give a service time)` });
      } else if (modelEntry && hwEntry && isDevice(hwEntry.device) && modelEntry.latency[hwEntry.device] === undefined) {
        ctx.addIssue({ code: 'custom', path: at('model'), message: `model ${show(st.model)} has no ${hwEntry.device} latency profile, so it cannot run on ${show(st.hardware)}; give a service time or pick other hardware` });
      }
    }
    const jobHw = st.precompute?.hardware;
    if (jobHw !== undefined && !hasEntry(hw, jobHw)) {
      ctx.addIssue({ code: 'custom', path: at('precompute', 'hardware'), message: `unknown hardware ${show(jobHw)}; known: ${hwNames()}` });
    }
    const maxBatch = st.batching?.maxBatch ?? 1;
    if (maxBatch > 1 && st.service !== undefined) {
      if (PER_REQUEST.has(st.service.dist)) {
        ctx.addIssue({ code: 'custom', path: at('service', 'dist'), message: `batching (maxBatch ${maxBatch}) needs a batch-aware service time: { dist: linear, base, perItem } or { dist: table, points }, got ${show(st.service.dist)}` });
      }
      const pts = st.service.points;
      if (pts && pts.length > 0 && pts[pts.length - 1]![0] < maxBatch) {
        ctx.addIssue({ code: 'custom', path: at('service', 'points'), message: `the table stops at batch ${pts[pts.length - 1]![0]} but batching.maxBatch is ${maxBatch}; add a point for batch ${maxBatch}` });
      }
    }
  });
}
