/**
 * The run's `llm` section (issue 14): the token-level figures of every LLM stage of a
 * run, merged (TTFT, TPOT, inter-token latency and E2E sketches; token throughput; KV
 * cache utilization; preemptions; prefix-cache hits; batch sizes per step; rejections),
 * the TTFT/TPOT objectives with goodput in DistServe's sense (requests per second meeting
 * both), and the cost per million output and input tokens. Measured by each stage's
 * `LlmCollector` and its engines' counters since warm-up; present in a result only when
 * the scenario has an LLM stage (the JSON contract is only extended).
 */
import { QuantileSketch } from '../../engine/index.ts';
import type { SystemDescription } from '../../config/description.ts';
import { fmtCount } from '../../config/limits.ts';
import { maxTokens } from '../llm/token-source.ts';
import type { StageResult } from '../result.ts';
import type { Station } from '../stations/station.ts';
import { LlmStation, type EngineSnapshot } from '../stations/llm.ts';
import type { LlmSeriesResult } from './llm-series.ts';
import { cdfOf } from './sketch-cdf.ts';

/** Mean and percentiles of a per-request time, milliseconds. */
export interface LlmLatencyMs {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
}

/** One objective on a per-request time: the share of measured finished requests below it, and whether its percentile holds. */
export interface LlmObjectiveResult {
  target: string;
  attainment: number;
  met: boolean;
}

/** The `llm` section of a run's result. */
export interface LlmResult {
  /** Time to first token, from arrival at the LLM stage. */
  ttftMs: LlmLatencyMs;
  /** Time per output token after the first, (E2E − TTFT) / (O − 1), over requests with O > 1. */
  tpotMs: LlmLatencyMs;
  /** Time between consecutive tokens of a request, over tokens emitted after warm-up. */
  itlMs: LlmLatencyMs;
  /** Arrival at the LLM stage to the last token. */
  e2eMs: LlmLatencyMs;
  /** Prompt and output tokens of requests finished after warm-up, per second of the measured span. */
  inputTokensPerS: number;
  outputTokensPerS: number;
  /** Share of KV blocks held by running sequences: time average over the measured span (mean over replicas), and the most any replica reached. */
  kvUtilization: { mean: number; max: number };
  /** Sequences preempted after warm-up. */
  preemptions: number;
  /** Share of looked-up prompt tokens found in the prefix cache after warm-up (0 without prefix caching). */
  prefixHitRatio: number;
  /** Sequences and tokens per step, over steps planned after warm-up. */
  batch: { seqs: { mean: number; p99: number }; tokens: { mean: number; p99: number } };
  /** Measured requests refused because they can never fit (KV cache or token budget). */
  rejected: number;
  /** The TTFT and TPOT objectives (`slo: { ttft, tpot }`); null without either. */
  slo: {
    ttft: LlmObjectiveResult | null;
    tpot: LlmObjectiveResult | null;
    /** Share of the measured requests reaching the LLM stages that meet both (rejected ones and those still in flight count as misses). */
    attainment: number;
    /** Measured requests meeting both, per second of the measured span (DistServe's goodput). */
    goodputRps: number;
  } | null;
  /** The LLM stages' bill over the measured span per million output and input tokens; null when they have no price. */
  cost: { perMillionOutputTokensUsd: number; perMillionInputTokensUsd: number } | null;
  /** TTFT and TPOT distributions as [ms, cumulative share] pairs at fixed shares (for CDF charts). */
  cdf: { ttftMs: Array<[number, number]>; tpotMs: Array<[number, number]> };
  /** Per-window series of each LLM stage, by stage name, on the run's time-series windows (`llm-series.ts`). */
  series: Record<string, LlmSeriesResult>;
  /**
   * Each LLM stage's own figures, by stage name: present when the run has more than one
   * LLM stage (a cascade, a fallback to a smaller model) or a cache in front of one, where
   * the merged figures above mix engines or leave out what the cache answered.
   */
  stages?: Record<string, LlmStageFigures>;
}

/**
 * One LLM stage's figures (issue 15): only what its engine served (requests answered by
 * a cache in front are counted apart, under `cache`; the run's `latencyMs` includes them).
 */
export interface LlmStageFigures {
  /** Measured requests its engine finished. */
  requests: number;
  ttftMs: LlmLatencyMs;
  tpotMs: LlmLatencyMs;
  e2eMs: LlmLatencyMs;
  /** Tokens its engine processed since warm-up, per second of the measured span. */
  inputTokensPerS: number;
  outputTokensPerS: number;
  /** The stage's bill over the measured span per million tokens its engine processed; null without a price. */
  cost: { perMillionOutputTokensUsd: number; perMillionInputTokensUsd: number } | null;
  /** The catalog's quality of its model at its weight format (`benchmark`); null where none is published. */
  quality: { benchmark: string; value: number } | null;
  /** Measured requests the cache in front answered instead (their token counts drawn as the engine's would be), per second; null without a cache. */
  cache: { requests: number; inputTokensPerS: number; outputTokensPerS: number } | null;
}

/** Gives every LLM station the run's time-series windows (called once, before the run). */
export function attachLlmSeries(stations: readonly Station[], windowS: number): void {
  for (const st of stations) if (st instanceof LlmStation) st.attachSeries(windowS);
}

const MS = 1000;

function latencyMs(s: QuantileSketch): LlmLatencyMs {
  if (s.count === 0) return { mean: NaN, p50: NaN, p90: NaN, p99: NaN };
  return { mean: s.mean * MS, p50: s.quantile(0.5) * MS, p90: s.quantile(0.9) * MS, p99: s.quantile(0.99) * MS };
}

function merged(parts: QuantileSketch[]): QuantileSketch {
  if (parts.length === 1) return parts[0]!;
  const out = new QuantileSketch();
  for (const p of parts) out.merge(p);
  return out;
}

/** The trace columns LLM stages read token counts from (checked row by row as the trace is read). */
export function llmTokenColumns(system: SystemDescription): string[] {
  const out = new Set<string>();
  for (const st of system.stages) {
    const t = st.llm?.tokens;
    if (t === undefined) continue;
    for (const side of [t.input, t.output]) if (side.dist === 'trace') out.add(side.column);
  }
  return [...out];
}

/**
 * Warnings about an LLM stage's settings: KV blocks fewer than the longest request the
 * token distributions allow needs (`ceil((maxInput + maxOutput − 1) / blockSize)`): such
 * requests are refused as never fitting (counted in `llm.rejected`); LLM stages of which
 * only some have a published quality (the run's mean would leave the others' answers out).
 */
export function llmWarnings(system: SystemDescription, stations: readonly Station[]): string[] {
  const out: string[] = [];
  // A mix of engines with and without a published quality: the run's mean counts only the former.
  const llm = system.stages.filter((st) => st.llm !== null);
  const scored = llm.filter((st) => st.llm!.quality !== null);
  if (scored.length > 0 && scored.length < llm.length) {
    const unscored = llm.filter((st) => st.llm!.quality === null);
    out.push(
      `quality: stage(s) ${unscored.map((st) => `"${st.name}"`).join(', ')} have no published quality for their model and weights (src/catalog/llm-models.ts), ` +
        `${scored.map((st) => `"${st.name}"`).join(', ')} do: the run's quality averages only the requests answered by the latter, so it leaves out what the others answered`,
    );
  }
  // LLM stages one after another (a cascade) see the same request in turn: the pooled figures count engine visits.
  const inTurn = llm.filter((st) => !st.standby);
  if (inTurn.length > 1) {
    out.push(
      `llm: stages ${inTurn.map((st) => `"${st.name}"`).join(', ')} answer requests in turn (a cascade): the run's llm figures (TTFT, TPOT, their objectives' shares, tokens) ` +
        'pool every engine visit, so an escalated request counts once per stage it visits and a verdict on them does not hold for each stage: read each stage\'s own figures (llm.stages)',
    );
  }
  for (const st of system.stages) {
    const d = st.llm;
    const station = stations.find((s) => s.name === st.name);
    if (d === null || !(station instanceof LlmStation)) continue;
    const kvBlocks = station.kvBlocks;
    const maxIn = maxTokens(d.tokens.input);
    const maxOut = maxTokens(d.tokens.output);
    if (!Number.isFinite(maxIn + maxOut)) continue;
    const need = Math.ceil((maxIn + maxOut - 1) / d.blockSize);
    if (need > kvBlocks) {
      out.push(
        `stages[${st.index}].llm.kvBlocks: ${fmtCount(kvBlocks)} KV blocks of ${d.blockSize} tokens hold ${fmtCount(kvBlocks * d.blockSize)} tokens, ` +
          `but the longest request the token distributions allow (${fmtCount(maxIn)} in + ${fmtCount(maxOut)} out) needs ${fmtCount(need)} blocks: ` +
          `such requests can never be served and are refused (llm.rejected); lower tokens.input.max or tokens.output.max, or give more kvBlocks`,
      );
    }
  }
  return out;
}

/**
 * The run's `llm` section from its stations (null when none is an LLM stage). `stages`:
 * the stage results (their `costPerHourUsd`); `spanS`: the measured span ending at `endS`;
 * The objectives' shares are over the measured requests that reached an LLM stage (a
 * cache hit in front never does).
 */
export function llmRunResult(stations: readonly Station[], stages: Record<string, StageResult>, system: SystemDescription, spanS: number, endS: number): LlmResult | null {
  const llm = stations.filter((s): s is LlmStation => s instanceof LlmStation);
  if (llm.length === 0) return null;
  const cs = llm.map((s) => s.llm);
  for (const c of cs) c.flush();
  const counts = llm.map((st) => st.measuredCounts()).reduce((a, b) => {
    for (const k of Object.keys(a) as Array<keyof EngineSnapshot>) a[k] += b[k];
    return a;
  });
  let kvArea = 0;
  let kvMax = 0;
  let engines = 0;
  // Replica-seconds served: a fixed stage's engines × the span, an autoscaled one's from its serving-slots counter.
  let replicaS = 0;
  let scaled = false;
  for (const st of llm) {
    for (const e of st.engines) {
      const u = e.counters.kvUtilization;
      kvArea += u.integral(endS);
      if (u.max > kvMax) kvMax = u.max;
      engines++;
    }
    // Engines an autoscaler replaced (0 and 0 otherwise: adding them changes nothing).
    const gone = st.replacedKvUtilization();
    kvArea += gone.area;
    if (gone.max > kvMax) kvMax = gone.max;
    const autoscaled = (system.stages.find((d) => d.name === st.name)?.autoscale ?? null) !== null;
    scaled ||= autoscaled;
    replicaS += autoscaled ? st.slots.integral(endS) : st.engines.length * spanS;
  }
  const seqs = merged(cs.map((c) => c.batchSeqs));
  const tokens = merged(cs.map((c) => c.batchTokens));
  const sum = (f: (c: (typeof cs)[number]) => number) => cs.reduce((a, c) => a + f(c), 0);
  const arrived = sum((c) => c.arrived);
  const share = (n: number) => (arrived > 0 ? n / arrived : NaN);
  const s = system.llmSlo;
  const tpot = merged(cs.map((c) => c.tpot));
  const ttft = merged(cs.map((c) => c.ttft));
  const objective = (slo: { target: string; fraction: number } | null, within: number, sketch: QuantileSketch): LlmObjectiveResult | null =>
    slo === null ? null : { target: slo.target, attainment: share(within), met: arrived > 0 && sketch.count > 0 && share(within) >= slo.fraction };
  const usdPerHour = llm.reduce((a, st) => a + (stages[st.name]?.costPerHourUsd ?? 0), 0);
  const usd = (usdPerHour * spanS) / 3600;
  return {
    ttftMs: latencyMs(ttft),
    tpotMs: latencyMs(tpot),
    itlMs: latencyMs(merged(cs.map((c) => c.itl))),
    e2eMs: latencyMs(merged(cs.map((c) => c.e2e))),
    inputTokensPerS: spanS > 0 ? counts.inputTokens / spanS : 0,
    outputTokensPerS: spanS > 0 ? counts.outputTokens / spanS : 0,
    // A mean over replica-time: over the span and the engines when no stage scales (the same number, written as before).
    kvUtilization: { mean: scaled ? (replicaS > 0 ? kvArea / replicaS : 0) : spanS > 0 && engines > 0 ? kvArea / spanS / engines : 0, max: kvMax },
    preemptions: counts.preemptions,
    prefixHitRatio: counts.prefixQueryTokens > 0 ? counts.prefixHitTokens / counts.prefixQueryTokens : 0,
    batch: {
      seqs: { mean: seqs.count > 0 ? seqs.mean : 0, p99: seqs.count > 0 ? seqs.quantile(0.99) : 0 },
      tokens: { mean: tokens.count > 0 ? tokens.mean : 0, p99: tokens.count > 0 ? tokens.quantile(0.99) : 0 },
    },
    rejected: sum((c) => c.rejected),
    slo:
      s === null
        ? null
        : {
            ttft: objective(s.ttft, sum((c) => c.withinTtft), ttft),
            tpot: objective(s.tpot, sum((c) => c.withinTpot), tpot),
            attainment: share(sum((c) => c.withinBoth)),
            goodputRps: spanS > 0 ? sum((c) => c.withinBoth) / spanS : 0,
          },
    cost:
      usdPerHour > 0
        ? {
            perMillionOutputTokensUsd: counts.outputTokens > 0 ? (usd / counts.outputTokens) * 1e6 : NaN,
            perMillionInputTokensUsd: counts.inputTokens > 0 ? (usd / counts.inputTokens) * 1e6 : NaN,
          }
        : null,
    cdf: { ttftMs: cdfOf(ttft), tpotMs: cdfOf(tpot) },
    series: Object.fromEntries(llm.filter((st) => st.series !== null).map((st) => [st.name, st.series!.result(endS)])),
    ...(perStage(llm, system) ? { stages: Object.fromEntries(llm.map((st) => [st.name, stageFigures(st, stages[st.name]?.costPerHourUsd ?? 0, system, spanS)])) } : {}),
  };
}

/** Whether the run's `llm` section gets per-stage figures: more than one LLM stage, or a cache in front of one. */
function perStage(llm: readonly LlmStation[], system: SystemDescription): boolean {
  return llm.length > 1 || llm.some((st) => system.stages.find((d) => d.name === st.name)?.cache != null);
}

/** One LLM stage's own figures (`LlmStageFigures`) over the measured span `spanS`, billed at `usdPerHour`. */
function stageFigures(st: LlmStation, usdPerHour: number, system: SystemDescription, spanS: number): LlmStageFigures {
  const c = st.llm;
  const counts = st.measuredCounts();
  const d = system.stages.find((x) => x.name === st.name);
  const usd = (usdPerHour * spanS) / 3600;
  const q = d?.llm?.quality ?? null;
  const perS = (n: number) => (spanS > 0 ? n / spanS : 0);
  return {
    requests: c.finished,
    ttftMs: latencyMs(c.ttft),
    tpotMs: latencyMs(c.tpot),
    e2eMs: latencyMs(c.e2e),
    inputTokensPerS: perS(counts.inputTokens),
    outputTokensPerS: perS(counts.outputTokens),
    cost:
      usdPerHour > 0
        ? {
            perMillionOutputTokensUsd: counts.outputTokens > 0 ? (usd / counts.outputTokens) * 1e6 : NaN,
            perMillionInputTokensUsd: counts.inputTokens > 0 ? (usd / counts.inputTokens) * 1e6 : NaN,
          }
        : null,
    quality: q !== null ? { benchmark: q.benchmark, value: q.value } : null,
    cache: d?.cache != null ? { requests: c.cacheHits, inputTokensPerS: perS(c.cacheInputTokens), outputTokensPerS: perS(c.cacheOutputTokens) } : null,
  };
}

export { llmFigures } from './llm-figures.ts';
