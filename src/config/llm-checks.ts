/**
 * Whole-scenario checks of the LLM keys (`tokens:` and a stage's `llm:` block) that no
 * single field can make: an LLM stage needs token counts, token counts need an LLM stage,
 * trace columns need a trace, and the stage keys of a request-level pool (a service
 * time, batching, concurrency, ...) have no meaning on a token-level engine.
 */
import type { z } from 'zod';
import { routerRegistry, TOKEN_ROUTERS } from '../models/routing/index.ts';
import type { TokensSpec } from './llm-schema.ts';
import { checkAutoscale } from './llm-autoscale.ts';

/** The policies an LLM stage takes: every per-replica router. */
const LLM_POLICIES = Object.keys(routerRegistry);

/** What the checks read of a scenario (the parts that parsed; see `intactView`). */
interface LlmUser {
  arrivals: { process: string };
  tokens?: TokensSpec | undefined;
  stages: Array<Record<string, unknown> & { name: string; llm?: unknown; routing?: { policy: string } | undefined }>;
}

/** Stage keys of a request-level pool that an `llm:` stage refuses, and why. */
const NOT_WITH_LLM: Record<string, string> = {
  service: 'the engine times its own steps (llm.profile or llm.coefficients)',
  model: 'name the step-time profile in llm.profile',
  hardware: 'the profile names its GPU (and its price)',
  batching: 'the engine batches continuously (llm.maxNumSeqs, llm.maxBatchedTokens)',
  concurrency: 'the engine batches continuously (llm.maxNumSeqs)',
  queue: 'an engine queues what its KV cache cannot hold yet; bound the load with arrivals instead',
  deadline: 'an engine serves every request it admits',
  buffer: 'an engine is not a buffer',
  fanout: 'an engine is not sharded',
  precompute: 'an engine answers online only',
  candidates: 'an engine serves one request at a time',
  keep: 'an engine serves one request at a time',
};

/** Adds one located issue per LLM problem of the whole scenario. */
export function checkLlm(s: LlmUser, ctx: z.RefinementCtx): void {
  const failed = (key: string) => ctx.issues.some((iss) => iss.path?.[0] === key);
  const llmStages = s.stages.map((st, i) => ({ st, i })).filter(({ st }) => st.llm !== undefined);
  if (llmStages.length > 0 && s.tokens === undefined && !failed('tokens')) {
    const first = llmStages[0]!.st.name;
    ctx.addIssue({
      code: 'custom',
      path: ['tokens'],
      message: `missing: stage "${first}" is an LLM engine (llm:), so requests need token counts, e.g. tokens: { input: { dist: lognormal, mean: 1000, cv: 1, max: 8000 }, output: { dist: lognormal, mean: 250, cv: 1.2, max: 2000 } }`,
    });
  }
  if (llmStages.length === 0 && s.tokens !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['tokens'], message: 'no stage has an llm: block to read token counts (give a stage llm: { profile: ... }, or remove tokens)' });
  }
  for (const { st, i } of llmStages) {
    const dis = (st.llm as { disaggregated?: { prefill?: { replicas?: unknown }; decode?: { replicas?: unknown } } } | null)?.disaggregated;
    const pre = dis?.prefill?.replicas;
    const dec = dis?.decode?.replicas;
    const replicas = st.replicas;
    if (typeof pre === 'number' && typeof dec === 'number' && typeof replicas === 'number' && pre + dec !== replicas) {
      ctx.addIssue({
        code: 'custom',
        path: ['stages', i, 'replicas'],
        message: `a disaggregated stage's replicas are its pools' (${pre} prefill + ${dec} decode = ${pre + dec}), got ${replicas}`,
      });
    }
    if (typeof pre === 'number' && dis?.decode !== undefined && dec === undefined && typeof replicas === 'number' && pre >= replicas) {
      ctx.addIssue({
        code: 'custom',
        path: ['stages', i, 'llm', 'disaggregated', 'prefill', 'replicas'],
        message: `${pre} prefill replica(s) leave none of the stage's ${replicas} for decoding (decode.replicas defaults to replicas − prefill.replicas)`,
      });
    }
    for (const key of Object.keys(NOT_WITH_LLM)) {
      if (st[key] !== undefined) ctx.addIssue({ code: 'custom', path: ['stages', i, key], message: `not with llm: ${NOT_WITH_LLM[key]}` });
    }
    if (st.routing?.policy === 'shared') {
      ctx.addIssue({
        code: 'custom',
        path: ['stages', i, 'routing', 'policy'],
        message: `an llm stage sends each request to one replica's engine: choose "least-outstanding" (the default), ${LLM_POLICIES.filter((p) => p !== 'least-outstanding').map((p) => `"${p}"`).join(', ')}`,
      });
    }
  }
  s.stages.forEach((st, i) => {
    checkAutoscale(st, i, ctx);
    const f = st.fallback as { estimatedWait?: unknown; estimatedTtft?: unknown } | undefined;
    if (st.llm !== undefined && f?.estimatedWait !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['stages', i, 'fallback', 'estimatedWait'],
        message: 'not with llm: an engine batches continuously, so a waiting request does not wait a whole answer per request ahead of it; bound the estimated time to first token instead (fallback: { estimatedTtft: "2s", ... }) or the requests waiting (queueLength)',
      });
    }
    if (st.llm === undefined && f?.estimatedTtft !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['stages', i, 'fallback', 'estimatedTtft'], message: 'estimatedTtft estimates an LLM engine\'s time to first token: only on a stage with an llm: block (use estimatedWait here)' });
    }
    const policy = st.routing?.policy;
    if (st.llm === undefined && policy !== undefined && TOKEN_ROUTERS.has(policy)) {
      ctx.addIssue({ code: 'custom', path: ['stages', i, 'routing', 'policy'], message: `"${policy}" reads an LLM engine's tokens and KV cache: only on a stage with an llm: block` });
    }
  });
  const t = s.tokens;
  if (t !== undefined && s.arrivals.process !== 'trace') {
    for (const side of ['input', 'output'] as const) {
      if (t[side].dist === 'trace') {
        ctx.addIssue({ code: 'custom', path: ['tokens', side, 'dist'], message: `token counts from a trace column need trace arrivals (arrivals: { process: trace, file: ... }), got process "${s.arrivals.process}"` });
      }
    }
  }
}
