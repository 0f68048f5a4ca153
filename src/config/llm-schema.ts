/**
 * The scenario language's LLM fragment (issue 14), wired into `scenarioSchema`:
 * `tokens:` (per-request prompt and output lengths, optional shared prefixes) and a
 * stage's `llm:` block (a token-level engine replica, `src/models/llm/`). The names
 * follow vLLM's settings; the scheduler they configure is docs/llm-scheduler.md.
 *
 *   tokens:
 *     input:  { dist: lognormal, mean: 1000, cv: 1.0, min: 1, max: 8000 }
 *     output: { dist: lognormal, mean: 250,  cv: 1.2, min: 1, max: 2000 }
 *     prefix: { groups: 20, tokens: 1024 }
 *   stages:
 *     - name: llm
 *       replicas: 4
 *       llm: { profile: codellama-34b/h100/tp1, maxNumSeqs: 256, maxBatchedTokens: 4096 }
 */
import { closest } from 'fastest-levenshtein';
import * as z from 'zod';
import { LLM_PROFILES } from '../catalog/llm-profiles.ts';
import { GPUS } from '../catalog/gpus.ts';
import { LLM_MODELS } from '../catalog/llm-models.ts';
import { duration, positiveInt, positiveNumber, show } from './fields.ts';

const PROFILE_NAMES = Object.keys(LLM_PROFILES);

/** vLLM's defaults for the scheduler settings a stage's `llm:` block leaves out (applied by the resolver). */
export const LLM_DEFAULTS = { maxNumSeqs: 256, maxBatchedTokens: 8192, chunkedPrefill: true, prefixCaching: true, blockSize: 16 } as const;

/**
 * Multiplicative lognormal noise of mean 1 on every step (`noisyStepTime`). Defined here,
 * not imported from schema.ts, so that schema.ts can import this file without a cycle.
 */
const stepNoiseSpec = z.strictObject({ dist: z.literal('lognormal'), cv: positiveNumber() });

/** Most prefix groups: the replica's block identities hold a group id below 2^27. */
const MAX_PREFIX_GROUPS = 2 ** 27;

/** A token count ≥ 1 (an integer). */
const tokenCount = positiveInt;

/**
 * Bounds of a token-count distribution: draws outside `[min, max]` are drawn again
 * (truncation, a named option: never a silent clip). Both default to unbounded (min 1).
 */
const bounds = { min: tokenCount().optional(), max: tokenCount().optional() };

const boundsOrdered = <T extends { min?: number | undefined; max?: number | undefined }>(d: T, ctx: z.RefinementCtx): void => {
  if (d.min !== undefined && d.max !== undefined && d.min > d.max) {
    ctx.addIssue({ code: 'custom', path: ['max'], message: `max (${d.max}) must not be below min (${d.min})` });
  }
};

/** A distribution of token counts (rounded to integers ≥ 1 by the model). */
export const tokenDistributionSpec = z.discriminatedUnion('dist', [
  z.strictObject({ dist: z.literal('lognormal'), mean: positiveNumber(), cv: positiveNumber(), ...bounds }).superRefine(boundsOrdered),
  z.strictObject({ dist: z.literal('gamma'), mean: positiveNumber(), cv: positiveNumber(), ...bounds }).superRefine(boundsOrdered),
  z.strictObject({ dist: z.literal('uniform'), min: tokenCount(), max: tokenCount() }).superRefine(boundsOrdered),
  z.strictObject({ dist: z.literal('deterministic'), value: tokenCount() }),
  /** Read from a column of the trace being replayed (`arrivals: { process: trace }`), e.g. `ContextTokens`. */
  z.strictObject({ dist: z.literal('trace'), column: z.string({ error: (iss) => `expected a trace column name, got ${show(iss.input)}` }).min(1) }),
]);
export type TokenDistributionSpec = z.output<typeof tokenDistributionSpec>;

/** Per-request token counts; `prefix`: each request belongs to one of `groups` groups sharing their first `tokens` prompt tokens. */
export const tokensSpec = z.strictObject({
  input: tokenDistributionSpec,
  output: tokenDistributionSpec,
  prefix: z
    .strictObject({
      // Block identities hold the group in 27 bits (src/models/llm/sequence.ts).
      groups: positiveInt().refine((v) => v <= MAX_PREFIX_GROUPS, { error: (iss) => `at most ${MAX_PREFIX_GROUPS.toLocaleString('en-US')} prefix groups, got ${show(iss.input)}` }),
      tokens: positiveInt(),
    })
    .optional(),
});
export type TokensSpec = z.output<typeof tokensSpec>;

const coefficientTriple = z.tuple([z.number().nonnegative(), z.number().nonnegative(), z.number().nonnegative()], {
  error: 'expected three numbers >= 0 (microseconds), e.g. [13450.5, 0.0418, 0]',
});

/** A profile name from `LLM_PROFILES`, with a did-you-mean for a near miss. */
const profileName = z.string({ error: (iss) => `expected a profile name, got ${show(iss.input)}` }).superRefine((name, ctx) => {
  if (PROFILE_NAMES.includes(name)) return;
  const near = closest(name, PROFILE_NAMES);
  ctx.addIssue({ code: 'custom', message: `unknown LLM profile ${show(name)} (did you mean "${near}"?); known: ${PROFILE_NAMES.join(', ')}` });
});

/** A name from a catalog, with a did-you-mean for a near miss (a prefix wins: `h100` → `h100-sxm`). */
const catalogName = (what: string, names: readonly string[]) =>
  z.string({ error: (iss) => `expected the name of ${what === 'GPU' ? 'a' : 'an'} ${what}, got ${show(iss.input)}` }).superRefine((name, ctx) => {
    if (names.includes(name)) return;
    const near = names.find((n) => n.startsWith(name.toLowerCase())) ?? closest(name, [...names]);
    ctx.addIssue({ code: 'custom', message: `unknown ${what} ${show(name)} (did you mean "${near}"?); known: ${names.join(', ')}` });
  });

/**
 * A roofline step model (docs/llm-roofline.md) for a catalog model on a catalog GPU: the
 * step time from the architecture and the datasheet, the KV blocks from the memory left
 * (vLLM's `gpu_memory_utilization`, default 0.9), the price from the GPU catalog.
 */
const rooflineSpec = z.strictObject({
  model: catalogName('LLM model', Object.keys(LLM_MODELS)),
  gpu: catalogName('GPU', Object.keys(GPUS)),
  tp: positiveInt().optional(),
  weights: z.enum(['bf16', 'fp16', 'fp8', 'int4']).optional(),
  kvCache: z.enum(['bf16', 'fp16', 'fp8']).optional(),
  memoryUtilization: positiveNumber()
    .refine((v) => v <= 1, { error: (iss) => `must be at most 1 (a share of GPU memory), got ${show(iss.input)}` })
    .optional(),
});
export type RooflineSpec = z.output<typeof rooflineSpec>;

/** One pool of a disaggregated stage: its replicas, and its GPU and TP where they differ from the roofline's. */
const disaggregatedPoolSpec = z.strictObject({
  replicas: positiveInt(),
  gpu: catalogName('GPU', Object.keys(GPUS)).optional(),
  tp: positiveInt().optional(),
});

/**
 * Prefill/decode disaggregation (DistServe, OSDI 2024; Splitwise, ISCA 2024): prompts run
 * on the prefill pool, each request's KV cache then crosses the link (bytes / bandwidth +
 * latency, one transfer at a time per prefill replica) to a decode replica, which
 * generates the rest of the answer.
 */
const disaggregatedSpec = z.strictObject({
  prefill: disaggregatedPoolSpec,
  /** `replicas` defaults to the stage's replicas less the prefill pool's (so a sweep over the split keeps the GPU count). */
  decode: disaggregatedPoolSpec.extend({ replicas: positiveInt().optional() }),
  link: z.strictObject({
    /** GB/s (10^9 bytes per second) of one prefill replica's link to the decode pool. */
    bandwidthGBps: positiveNumber(),
    latency: duration(),
  }),
});

/**
 * A stage's `llm:` block: the step-time model (exactly one of `profile`, `coefficients`,
 * `table`), the scheduler's settings (vLLM's defaults where it has one), optional noise.
 */
export const llmStageSpec = z
  .strictObject({
    profile: profileName.optional(),
    roofline: rooflineSpec.optional(),
    /** BLIS-form coefficients in µs: α = [α0, α1, α2], β = [β0, β1, β2]. */
    coefficients: z.strictObject({ alpha: coefficientTriple, beta: coefficientTriple }).optional(),
    /** Measured step times in µs on a (prefill tokens × decode tokens) grid, each axis starting at 0. */
    table: z
      .strictObject({
        prefillTokens: z.array(z.number().int().nonnegative()).min(1),
        decodeTokens: z.array(z.number().int().nonnegative()).min(1),
        stepUs: z.array(z.array(positiveNumber())).min(1),
        alpha: coefficientTriple.optional(),
      })
      .optional(),
    // Defaults (vLLM's) are applied by the resolver (src/config/resolve.ts, LLM_DEFAULTS).
    maxNumSeqs: positiveInt().optional(),
    maxBatchedTokens: positiveInt().optional(),
    chunkedPrefill: z.boolean().optional(),
    prefixCaching: z.boolean().optional(),
    blockSize: positiveInt().optional(),
    /** KV blocks per replica; defaults to the profile's. */
    kvBlocks: positiveInt().optional(),
    noise: stepNoiseSpec.optional(),
    /** Separate prefill and decode pools (needs a roofline: the KV bytes moved come from the model). */
    disaggregated: disaggregatedSpec.optional(),
    /** GB/s (10^9 bytes per second) a new replica reads its weights at: its cold start under autoscale (src/config/llm-load.ts). */
    loadBandwidthGBps: positiveNumber().optional(),
  })
  .superRefine((s, ctx) => {
    if (s.disaggregated !== undefined && s.roofline === undefined) {
      ctx.addIssue({ code: 'custom', path: ['disaggregated'], message: 'needs a roofline step model (llm.roofline: { model, gpu }): the KV bytes moved per token come from the model, and each pool\'s KV blocks from its GPU' });
    }
    if (s.disaggregated !== undefined && s.kvBlocks !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['kvBlocks'], message: 'not with disaggregated: each pool\'s KV blocks come from its GPU memory' });
    }
    const models = (['profile', 'roofline', 'coefficients', 'table'] as const).filter((k) => s[k] !== undefined);
    if (models.length !== 1) {
      ctx.addIssue({ code: 'custom', path: [], message: `give exactly one step-time model (profile, roofline, coefficients or table), got ${models.length === 0 ? 'none' : models.join(' and ')}` });
    }
    const mbt = s.maxBatchedTokens ?? LLM_DEFAULTS.maxBatchedTokens;
    const bs = s.blockSize ?? LLM_DEFAULTS.blockSize;
    if (typeof mbt === 'number' && typeof bs === 'number' && mbt < bs) {
      ctx.addIssue({ code: 'custom', path: ['maxBatchedTokens'], message: `maxBatchedTokens (${mbt}) must be at least blockSize (${bs})` });
    }
    if (s.kvBlocks === undefined && s.profile === undefined && s.roofline === undefined) {
      ctx.addIssue({ code: 'custom', path: ['kvBlocks'], message: 'kvBlocks is required without a profile or a roofline (they give their own)' });
    }
  });
export type LlmStageSpec = z.output<typeof llmStageSpec>;
