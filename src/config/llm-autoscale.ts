/**
 * Whole-stage checks of `autoscale:` that depend on whether the stage is an LLM engine:
 * the LLM metrics need one, a cold start can be left out only where the model load gives
 * it (src/config/llm-load.ts), and a disaggregated stage is not autoscaled.
 */
import type { z } from 'zod';
import { autoscaleMetrics, type AutoscaleMetricName } from '../models/autoscale-metrics.ts';
import type { LlmStageSpec } from './llm-schema.ts';
import { llmWeights } from './llm-load.ts';

/** What the check reads of a stage (the parts that parsed). */
interface StageView {
  llm?: unknown;
  autoscale?: unknown;
}

/** The metrics any stage may follow, quoted, for messages. */
const ANY_STAGE = Object.entries(autoscaleMetrics)
  .filter(([, m]) => !m.llmOnly)
  .map(([n]) => `"${n}"`)
  .join(', ');

/** Adds one located issue per problem of stage `i`'s `autoscale:` with respect to its `llm:` block. */
export function checkAutoscale(st: StageView, i: number, ctx: z.RefinementCtx): void {
  const a = st.autoscale as { metric?: string; coldStart?: unknown } | undefined;
  if (a === undefined) return;
  const at = (...p: string[]) => ['stages', i, 'autoscale', ...p];
  const metric = a.metric !== undefined && a.metric in autoscaleMetrics ? autoscaleMetrics[a.metric as AutoscaleMetricName] : undefined;
  if (st.llm === undefined) {
    if (metric?.llmOnly) {
      ctx.addIssue({ code: 'custom', path: at('metric'), message: `"${a.metric}" (${metric.meaning}) reads an LLM engine: only on a stage with an llm: block; here use ${ANY_STAGE}` });
    }
    if (a.coldStart === undefined) {
      ctx.addIssue({ code: 'custom', path: at('coldStart'), message: 'missing: how long a new replica takes to serve, e.g. coldStart: { dist: deterministic, value: "30s" } (only an llm: stage derives its own, from its model load)' });
    }
    return;
  }
  // The llm: block's own problems are reported where they are; nothing more to say here.
  if (ctx.issues.some((iss) => iss.path?.[0] === 'stages' && iss.path[1] === i && iss.path[2] === 'llm')) return;
  const llm = st.llm as LlmStageSpec;
  if (llm.disaggregated !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: at(),
      message:
        'not with llm.disaggregated: the prefill and decode pools load differently (prompts against generated tokens), so each would need its own autoscaler (metric, target, min, max), ' +
        'and one over both could not say which pool to grow; give each pool a fixed count, or autoscale a co-located stage',
    });
    return;
  }
  if (a.coldStart === undefined && llmWeights(llm) === null) {
    const why = llm.profile !== undefined ? `profile "${llm.profile}" is of a model outside the LLM model catalog` : `a ${llm.table !== undefined ? 'table' : 'coefficients'} step model names no model`;
    ctx.addIssue({
      code: 'custom',
      path: at('coldStart'),
      message: `missing: a new replica's model load (weight bytes / llm.loadBandwidthGBps) is not known (${why}); give coldStart, e.g. { dist: deterministic, value: "60s" }, or use llm.roofline`,
    });
  }
  if (a.coldStart !== undefined && llm.loadBandwidthGBps !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['stages', i, 'llm', 'loadBandwidthGBps'], message: 'give llm.loadBandwidthGBps (the cold start is then the model load) or autoscale.coldStart, not both' });
  }
}
