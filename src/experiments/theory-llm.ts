/**
 * Theory beside simulation for an LLM stage (issue 14): the closed forms of
 * src/models/llm/theory.ts (docs/llm-scheduler.md, "Theory") as rows beside the run's
 * `llm` figures. A request alone on an idle replica (TTFT and E2E at the workload's mean
 * prompt and output), the saturation throughput of the stage's replicas against the
 * offered load, and Little's law on the running sequences; each row's note says, from
 * `theoryLimits`, how far the formula holds for this stage and workload.
 */
import type { LlmStageDescription } from '../config/description.ts';
import { aloneOnIdleReplicaS, saturationThroughput, theoryLimits, type LlmSchedulerConfig, type TheoryFormula, type TheoryScope } from '../models/llm/index.ts';
import { baseStepTime, kvBlocksOf, kvBytesPerTokenOf, poolDescription, saturationRps } from '../models/llm/stage-engine.ts';
import { maxTokens, meanTokens } from '../models/llm/token-source.ts';
import { tokenQuantile } from '../models/llm/token-quantile.ts';
import type { Figure, TheoryRow } from '../report/model.ts';

/** What an LLM stage's theory reads of the run: a figure of the run's `llm` section by path (e.g. `llm.ttftMs.p50`), NaN when absent. */
export type LlmFigure = (path: string) => Figure;

/** The stage as the LLM theory sees it. */
export interface LlmTheoryInput {
  stage: string;
  llm: LlmStageDescription;
  /** Replicas (an autoscaled stage's time average: fractional). */
  replicas: number;
  /** Requests per second reaching the stage (the offered load). */
  lambda: number;
  /** The run's `llm` figures; they belong to this stage only when it is the run's one LLM stage (else the simulated side is blank). */
  figure: LlmFigure;
  /** Mean time a request waits at the stage before its first step, in ms (the stage's queue wait). */
  meanWaitMs: Figure;
  /** Requests the stage finished per second of the measured span (Little's λ). */
  finishedPerS: number;
  /** The scenario's TTFT objective (`slo: { ttft }`), if any: its percentile sets the floor row's. */
  ttftObjective?: { target: string; fraction: number; latencyMs: number };
}

/** The run's TTFT percentiles, by share. */
const TTFT_PERCENTILES: Readonly<Record<string, string>> = { '0.5': 'p50', '0.9': 'p90', '0.99': 'p99' };

function schedulerConfig(d: LlmStageDescription, where: string): LlmSchedulerConfig {
  return { maxNumSeqs: d.maxNumSeqs, maxBatchedTokens: d.maxBatchedTokens, chunkedPrefill: d.chunkedPrefill, prefixCaching: d.prefixCaching, blockSize: d.blockSize, kvBlocks: kvBlocksOf(d, where) };
}

/**
 * The batch B a saturated replica holds and what binds it (theory.ts's bounds:
 * maxNumSeqs, the KV cache, the token budget); they do not depend on the step times, so
 * any coefficients give them (unit ones here).
 */
function saturatedBatch(config: LlmSchedulerConfig, p: number, o: number) {
  return saturationThroughput({ alpha: [0, 0, 0], beta: [1, 0, 0] }, config, p, o);
}

const fmt = (x: number, digits = 3): string => (Number.isFinite(x) ? (+x.toPrecision(digits)).toLocaleString('en-US') : String(x));
const pctOf = (x: number): string => `${(x * 100).toFixed(0)}%`;
/** "1 replica", "8 replicas", or an autoscaled stage's "6.88 replicas on average". */
const replicaWords = (r: number): string => (Number.isInteger(r) ? `${r} replica${r === 1 ? '' : 's'}` : `${fmt(r)} replicas on average`);

/**
 * The floor of TTFT at a percentile (the TTFT objective's, else p99): every request's TTFT
 * is at least its prompt's time alone, which does not decrease with the prompt, so the
 * q-quantile of TTFT is at least the alone time of the q-quantile prompt. In the long run:
 * a finite run's own p99 prompt differs a little. Undefined where the prompt's quantile is
 * unknown (gamma, a trace) or the replica would reject it.
 */
function percentileFloor(input: LlmTheoryInput, config: LlmSchedulerConfig, time: ReturnType<typeof baseStepTime>, prefixHits: boolean, noise: string): TheoryRow | undefined {
  const d = input.llm;
  const q = input.ttftObjective?.fraction ?? 0.99;
  const name = `p${+(q * 100).toPrecision(6)}`;
  const prompt = tokenQuantile(d.tokens.input, q);
  if (prompt === undefined) return undefined;
  let ttftMs: number;
  try {
    ttftMs = aloneOnIdleReplicaS(time, config, prompt, 1).ttftS * 1000;
  } catch {
    return undefined;
  }
  const shown = TTFT_PERCENTILES[String(q)];
  const objective = input.ttftObjective;
  const verdict =
    objective === undefined
      ? ''
      : ttftMs >= objective.latencyMs
        ? `; the objective TTFT ${objective.target} is out of reach with any number of replicas: its floor is above it (shorter prompts, a larger token budget or faster steps would lower it)`
        : `; the objective TTFT ${objective.target} leaves ${fmt(objective.latencyMs - ttftMs)} ms above the floor for waiting and for steps shared with others`;
  const why = prefixHits
    ? 'not a floor here: prefix-cache hits skip part of a prompt\'s prefill'
    : `each request's TTFT is at least its prompt's time alone, which grows with the prompt, so TTFT's ${name} is at least the alone time of the ${name} prompt (${fmt(prompt, 6)} tokens; in the long run: a finite run's own ${name} prompt varies a little)`;
  return {
    stage: input.stage,
    model: `${name} prompt alone`,
    quantity: `TTFT ${name} (ms)`,
    analytic: ttftMs,
    simulated: shown !== undefined ? input.figure(`llm.ttftMs.${shown}`) : { value: NaN },
    note: `${why}${verdict}${noise}`,
  };
}

/** The verdict of one formula in words, with its reason. */
function scopeText(scopes: readonly TheoryScope[], formula: TheoryFormula): string {
  const s = scopes.find((x) => x.formula === formula)!;
  const verdict = { exact: 'holds exactly', 'upper-bound': 'an upper bound', approximate: 'approximate', no: 'does not apply' }[s.verdict];
  return `${verdict}: ${s.why}`;
}

/**
 * Theory rows for one LLM stage. Needs the workload's mean token counts (not a trace's
 * columns) and, for the saturation and Little rows, the coefficient step model; where
 * either is missing the row says so instead of a figure.
 */
export function llmTheoryRows(input: LlmTheoryInput): TheoryRow[] {
  const { stage, llm: d, replicas, lambda, figure } = input;
  const p = meanTokens(d.tokens.input);
  const o = meanTokens(d.tokens.output);
  if (!(p >= 1 && o >= 1)) {
    return [{ stage, model: '—', quantity: 'mean TTFT (ms)', analytic: NaN, simulated: figure('llm.ttftMs.mean'), note: 'token counts come from the trace: no mean prompt or output is known before the run, so no closed form is computed' }];
  }
  const where = `stage "${stage}" llm`;
  if (d.disaggregated !== null) return disaggregatedRows(input, Math.round(p), where);
  const config = schedulerConfig(d, where);
  const time = baseStepTime(d, where); // without its noise: theory needs deterministic steps
  const tokensVary = d.tokens.input.dist !== 'deterministic' || d.tokens.output.dist !== 'deterministic';
  const prefixHits = d.prefixCaching && d.tokens.prefix !== null;
  const scopes = theoryLimits(config, { meanInputTokens: p, meanOutputTokens: o, maxInputTokens: maxTokens(d.tokens.input), tokensVary, prefixHits });
  const pInt = Math.round(p);
  const oInt = Math.round(o);
  const size = `P = ${fmt(pInt, 6)}, O = ${fmt(oInt, 6)} tokens`;
  const noise = d.noiseCv > 0 ? `; step noise (cv ${d.noiseCv}) makes each step vary around these times` : '';
  const rows: TheoryRow[] = [];

  // A request alone on an idle replica.
  const aloneModel = 'request alone on an idle replica';
  let alone: { ttftS: number; e2eS: number } | undefined;
  try {
    alone = aloneOnIdleReplicaS(time, config, pInt, oInt);
  } catch {
    alone = undefined;
  }
  if (alone === undefined) {
    rows.push({ stage, model: aloneModel, quantity: 'mean TTFT (ms)', analytic: NaN, simulated: figure('llm.ttftMs.mean'), note: scopeText(scopes, 'alone') });
  } else {
    // Every request takes at least its time alone (company and preemption only add steps
    // and tokens to steps; prefix hits are the exception theoryLimits names), and the alone
    // time is linear in P (for P within one step's budget, above it larger) and in O, so
    // the mean over requests is at least the formula at the mean counts.
    const truncated = Number.isFinite(maxTokens(d.tokens.input)) || Number.isFinite(maxTokens(d.tokens.output));
    const means = tokensVary ? `the floor of the simulated mean (each request takes at least its time alone, linear in P and O (convex with attention terms), so the mean at least the formula at the means)${truncated && tokensVary ? '; the means are nominal: redrawing above max lowers the run\'s a little, and the floor with it' : ''}` : 'the floor of every request (all have these counts, and company only slows a step)';
    rows.push({ stage, model: aloneModel, quantity: 'mean TTFT (ms)', analytic: alone.ttftS * 1000, simulated: figure('llm.ttftMs.mean'), note: `at the mean request (${size}), ${means}; the formula ${scopeText(scopes, 'alone')}${noise}` });
    rows.push({ stage, model: aloneModel, quantity: 'mean E2E (ms)', analytic: alone.e2eS * 1000, simulated: figure('llm.e2eMs.mean'), note: 'the same request\'s last token: TTFT + (O − 1) decode steps, alone each of β0 + β2 + α2 with coefficients; in company a step also carries the batch\'s other tokens' });
    const floor = percentileFloor(input, config, time, prefixHits, noise);
    if (floor !== undefined) rows.push(floor);
  }

  // Saturation throughput of the stage's replicas against the offered load: the closed form
  // with coefficients; with another step model (a table, a roofline) that model's step at
  // the same batch (`saturationRps`, attention at half the answer), an estimate.
  const coef = d.step.kind === 'coefficients' ? d.step : undefined;
  const sat = coef !== undefined ? saturationThroughput({ alpha: coef.alpha, beta: coef.beta }, config, p, o) : undefined;
  const shape = sat ?? saturatedBatch(config, p, o);
  const perReplicaRps = sat?.requestsPerS ?? saturationRps(time, p, o, shape.batch);
  const satRps = perReplicaRps * replicas;
  const satTokens = satRps * o;
  const offered = lambda / satRps;
  const bound = shape.bound === 'kv-cache' ? 'the KV cache' : shape.bound === 'token-budget' ? 'the token budget' : 'maxNumSeqs';
  const load = Number.isFinite(offered)
    ? `offered load is ${pctOf(offered)} of the saturation throughput (${fmt(lambda)} of ${fmt(satRps)} req/s${offered >= 1 ? ': no steady state, the queue grows with the run' : ''})`
    : 'the offered load is unknown';
  rows.push({
    stage,
    model: `saturation, ${replicaWords(replicas)}`,
    quantity: 'output (tokens/s)',
    analytic: satTokens,
    simulated: figure('llm.outputTokensPerS'),
    note:
      `${load}; per replica ${fmt(perReplicaRps * o)} output tokens/s, ${fmt(perReplicaRps)} req/s at B = ${fmt(shape.batch)} sequences a step (bound by ${bound})${sat !== undefined ? `, steps of ${fmt(sat.stepUs / 1000)} ms` : ''}; offered: ${fmt(lambda * o)} output tokens/s at the mean output; ` +
      (sat !== undefined ? `the formula is ${scopeText(scopes, 'saturation')}` : `the closed form needs coefficients: this is the stage's ${d.step.kind} step model at that batch, an estimate (with coefficients: ${scopeText(scopes, 'saturation')})`),
  });

  // Little's law on the running sequences: L = λ·W with W the time from first step to last token.
  const e2e = figure('llm.e2eMs.mean').value;
  const wait = input.meanWaitMs.value;
  const running = figure('llm.batch.seqs.mean');
  const wS = (e2e - wait) / 1000;
  const perReplica = (input.finishedPerS * wS) / replicas;
  rows.push({
    stage,
    model: "Little's law (L = λ·W)",
    quantity: 'running sequences (per replica)',
    analytic: perReplica,
    simulated: running,
    note: `λ = ${fmt(input.finishedPerS)} req/s finished × W = ${fmt(wS * 1000)} ms (mean E2E − mean wait) over ${replicaWords(replicas)}; simulated: the mean batch per step (a per-step average, blind to idle time); the law is ${scopeText(scopes, 'little')}`,
  });
  return rows;
}

/**
 * A disaggregated stage: its mean prompt alone on idle pools, the prefill replica's time
 * alone for the prompt and first token (`aloneOnIdleReplicaS` with O = 1) plus the KV
 * transfer (P × KV bytes per token / link bandwidth + link latency). The one-pool
 * saturation and Little rows are not written for two pools yet.
 */
function disaggregatedRows(input: LlmTheoryInput, p: number, where: string): TheoryRow[] {
  const { stage, llm: d, figure } = input;
  const dis = d.disaggregated!;
  const pre = poolDescription(d, 'prefill');
  const model = 'prefill alone + KV transfer';
  const bytes = p * kvBytesPerTokenOf(d);
  const transferS = bytes / dis.linkBytesPerS + dis.linkLatencyS;
  let prefillS = NaN;
  try {
    prefillS = aloneOnIdleReplicaS(baseStepTime(pre, where), schedulerConfig(pre, where), p, 1).ttftS;
  } catch {
    // a mean prompt the prefill replica would refuse: no alone time
  }
  const note = `the mean prompt (P = ${fmt(p, 6)} tokens) alone on an idle prefill replica, ${fmt(prefillS * 1000)} ms, then its KV cache (${fmt(bytes / 1e6)} MB) over the link, ${fmt(transferS * 1000)} ms; exact for a request alone on idle pools, and the floor of the simulated mean (each request takes at least its time alone, which grows with P at least linearly, so the mean at least the formula at the mean; waiting and shared steps only add); the one-pool saturation and Little rows are not written for two pools`;
  return [{ stage, model, quantity: 'mean TTFT (ms)', analytic: (prefillS + transferS) * 1000, simulated: figure('llm.ttftMs.mean'), note }];
}
