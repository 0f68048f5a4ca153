import type { Scenario } from '../config/schema.ts';
import type { RunResult, ServingSystem } from '../models/index.ts';
import { stageLoads, type StageLoad } from '../models/load-check.ts';
import type { Station } from '../models/stations/station.ts';
import type { StageDescription, StationKind } from '../config/description.ts';
import type { TheoryRow, Figure } from '../report/model.ts';
import type { Distribution } from '../engine/index.ts';
import { erlangC, ggcMeanWaitApprox, gimcWait, mg1MeanWait, mgcMeanWaitApprox, mmcMeanWait, mmcWaitWithin, type GimcWait } from './queueing.ts';
import { waitSlo, type WaitSlo } from '../config/slo.ts';
import { formatDuration } from '../config/duration.ts';
import { llmTheoryRows } from './theory-llm.ts';
import { classTheoryRows } from './theory-classes.ts';
import { baileyBulkService } from './bailey.ts';

/** What theory needs to know of a stage: servers, mean and scv of one service, what reaches it, and what breaks the formulas. */
export interface StageShape {
  name: string;
  /** The station kind (a kind in `kindTheories` gets its own rows instead of a queue-wait formula). */
  kind: StationKind;
  /** The stage as resolved (what a kind's own theory reads). */
  desc: StageDescription;
  /** Slots behind one queue: replicas × concurrency (one shard's, for a fan-out, whose shards each see every request). */
  servers: number;
  meanS: number;
  /** Squared coefficient of variation of one service; undefined when unknown (attribute-driven). */
  scv: number | undefined;
  maxBatch: number;
  /** Mean time of a full batch (`maxBatch` requests). */
  fullBatchMeanS: number;
  routing: string;
  fanout: boolean;
  /** A fan-out whose slow sub-requests get backup copies: the copies add load only the run measures. */
  hedged: boolean;
  boundedQueue: boolean;
  /** A deadline turns away requests that wait too long. */
  deadline: boolean;
  /** Something in front changes who reaches the stage (cache, fallback, precompute). */
  filtered: boolean;
  /**
   * The rate reaching the stage over [fromS, toS] of the run (from the arrival
   * process's own mean rate over that window) and its capacity, as the load check reads
   * them (`stageLoads`); toS = Infinity gives the long-run reading.
   */
  loadOver: (fromS: number, toS: number) => StageLoad;
}

/** What keeps part of the traffic from a shielded stage: something in front of it, or a cascade's escalation before it. */
function filteredBy(d: StageShape['desc']): 'front' | 'cascade' {
  return d.cache !== null || d.fallback !== null || d.precompute !== null ? 'front' : 'cascade';
}

/**
 * The arrival rate a stage's closed form takes, per second, and where it comes from:
 * the long-run rate reaching it (`StageLoad.rateRps`) where that is known before the
 * run, else the rate the run measured at the stage (requests that reached it, served or
 * dropped, over the measured span; each shard of a hedged fan-out also gets the backup
 * copies), with the reason.
 */
export function stageArrivalRate(st: StageShape, load: StageLoad, overloadedBefore: string | undefined, result: RunResult): { lambda: number; measuredBecause: string | undefined } {
  const because = !Number.isFinite(load.rateRps)
    ? 'the arrival rate is known only from the run'
    : overloadedBefore !== undefined
      ? `stage "${overloadedBefore}" before it is overloaded, so this one receives its throughput`
      : load.boundOnly
        ? st.filtered
          ? st.desc.classes !== null
            ? 'the stage serves only some request classes'
            : filteredBy(st.desc) === 'cascade'
              ? 'a cascade escalates only a share of the requests to it'
              : 'a cache, fallback or prediction store takes part of the traffic'
          : 'a cache, fallback or prediction store before it passes an unknown share'
        : st.hedged
          ? 'hedged sub-requests add backup copies'
          : undefined;
  if (because === undefined) return { lambda: load.rateRps, measuredBecause: undefined };
  const r = result.stages[st.name];
  const lambda = r !== undefined && result.measuredS > 0 ? ((r.completed + r.dropped) / result.measuredS) * (1 + (r.hedgeExtraLoad ?? 0)) : NaN;
  return { lambda, measuredBecause: because };
}

/** What a kind's own theory is given for one stage: its shape, the rate reaching it, and the run's figures. */
export interface KindTheoryInput {
  scenario: Scenario;
  shape: StageShape;
  lambda: number;
  result: RunResult;
  /** A figure of the run by path (e.g. `llm.ttftMs.p50`): the run's value, or a mean ± CI over replications. */
  figure: (path: string) => Figure;
  simulatedWaitMs: Figure;
  /** Stages of the same kind on the path (run-level figures belong to one stage only when it is alone of its kind). */
  sameKind: number;
}

/**
 * Station kinds whose stages a queue-wait formula does not describe, and the theory
 * rows each gets instead (one file per kind). A kind absent here gets the M/M/c, M/G/1
 * or M/G/c queue-wait row.
 */
export const kindTheories: Partial<Record<StationKind, (input: KindTheoryInput) => TheoryRow[]>> = {
  llm: ({ scenario, shape, lambda, result, figure, simulatedWaitMs, sameKind }) => {
    const stage = result.stages[shape.name];
    return llmTheoryRows({
      stage: shape.name,
      llm: shape.desc.llm!,
      // An autoscaled stage's count moves: its time-average ready replicas stand in for it.
      replicas: shape.desc.autoscale !== null && Number.isFinite(figure(`stages.${shape.name}.meanReplicas`).value) ? figure(`stages.${shape.name}.meanReplicas`).value : shape.desc.replicas,
      lambda,
      // The run's llm section merges its LLM stages: its figures are this stage's only when it
      // is the one; with several, the per-stage figures (`llm.stages`) give what they hold.
      figure: sameKind === 1 ? figure : (path) => (PER_STAGE_LLM.test(path) ? figure(path.replace(/^llm\./, `llm.stages.${shape.name}.`)) : { value: NaN }),
      meanWaitMs: simulatedWaitMs,
      // From the same figures as the other sides (over replications, their means), not the first run's.
      finishedPerS: stage !== undefined ? figure(`stages.${shape.name}.completed`).value / figure('measuredS').value : NaN,
      ...ttftObjective(scenario),
    });
  },
};

/** The run's `llm` figures a stage also has of its own under `llm.stages.<name>` (`LlmStageFigures`). */
const PER_STAGE_LLM = /^llm\.(ttftMs|tpotMs|e2eMs|inputTokensPerS|outputTokensPerS)(\.|$)/;

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(0)}%`;
/** Waits below this (1 µs) are zero for any reader: a ratio against one means nothing. */
const TINY_MS = 1e-3;
/**
 * How far the simulated wait is from the formula's: a percentage, unless the formula's
 * wait is under 1 µs, where a ratio explodes (a 2e-7 ms reference made "+4255880611%").
 */
function gapText(simMs: number, analyticMs: number, fromIt = ' from it'): string {
  if (!Number.isFinite(simMs) || !Number.isFinite(analyticMs)) return 'not comparable to it';
  if (analyticMs >= TINY_MS) return `${pct(simMs / analyticMs - 1)}${fromIt}`;
  if (Math.abs(simMs) < TINY_MS) return 'within 1 µs of it';
  return `${Number((simMs - analyticMs).toPrecision(3))} ms above it (its wait is under 1 µs: no ratio)`;
}

/**
 * Closed-form estimates of each stage's mean queue wait beside the simulated figure:
 * M/M/c via Erlang C where service is exponential, M/G/1 via Pollaczek–Khinchine for a
 * single server, M/G/c by Allen–Cunneen otherwise; all assume Poisson arrivals at the
 * stage, one shared FIFO queue, no batching, an unbounded queue and a stable load. λ is
 * the rate reaching the stage (`stageArrivalRate`), never the scenario's `qps` key.
 * Where an assumption breaks the row still shows what the formula would say, and the
 * note names the assumption and how far the simulation lands from it.
 */
export function theoryRows(
  scenario: Scenario,
  result: RunResult,
  shapes: readonly StageShape[],
  simulatedWaitMs: (stage: string) => Figure,
  arrivalScv: number | undefined,
  figure: (path: string) => Figure = (path) => ({ value: figureAt(result, path) }),
  arrivalGap?: Distribution,
): TheoryRow[] {
  const rows: TheoryRow[] = [];
  // The measured span, up to where arrivals stop: the rate the run actually offered
  // (a spike or part of a day is not the long-run mean); the long run if it is empty.
  const fromS = result.warmupEndS;
  const untilS = Math.min(result.endS, scenario.stop?.duration ?? Infinity);
  const [a, b] = untilS > fromS ? [fromS, untilS] : [0, Infinity];
  let poissonIn = arrivalScv === 1;
  const waitObjective = waitSlo(scenario.slo);
  let overloadedBefore: string | undefined;
  shapes.forEach((st, i) => {
    const sim = simulatedWaitMs(st.name);
    const load = st.loadOver(a, b);
    const { lambda, measuredBecause } = stageArrivalRate(st, load, overloadedBefore, result);
    const lambdaNote = measuredBecause === undefined ? '' : ` (λ = ${fmtRate(lambda)} req/s, measured at the stage: ${measuredBecause})`;
    const rho = lambda / load.capacityRps;
    // The offered rate, not λ: a stage that can complete less than reaches it passes on only its throughput.
    if (overloadedBefore === undefined && load.rateRps > load.maxCapacityRps && !load.boundOnly) overloadedBefore = st.name;
    const own = kindTheories[st.kind];
    if (own !== undefined) {
      const sameKind = shapes.filter((x) => x.kind === st.kind).length;
      rows.push(...own({ scenario, shape: st, lambda, result, figure, simulatedWaitMs: sim, sameKind }).map((r) => (lambdaNote === '' ? r : { ...r, note: r.note + lambdaNote })));
      poissonIn = false;
      return;
    }
    // Renewal arrivals (independent gaps of a known law) reach the first stage unchanged: GI/G/c.
    const renewalIn = i === 0 && !poissonIn && arrivalGap !== undefined && arrivalScv !== undefined;
    const breaks: string[] = [];
    if (!poissonIn && !renewalIn) breaks.push(i === 0 ? 'arrivals are not Poisson (burstier or smoother)' : 'arrivals to this stage are not Poisson (they come out of the stages before)');
    if (st.maxBatch > 1) breaks.push(`requests are batched (up to ${st.maxBatch}), so service time depends on the queue`);
    if (st.fanout) breaks.push('each request waits for the slowest of its shards (fan-out)');
    if (st.routing !== 'shared') breaks.push(`each replica has its own queue (${st.routing} routing), which a shared-queue formula overrates`);
    if (st.boundedQueue) breaks.push('the queue is bounded, so drops lighten the load');
    if (st.filtered) {
      breaks.push(
        st.desc.classes !== null
          ? 'the stage serves only some request classes'
          : filteredBy(st.desc) === 'cascade'
            ? 'a cascade escalates only some requests to it'
            : 'a cache, fallback or prediction store in front changes who reaches the stage',
      );
    }
    if (st.scv === undefined) breaks.push('service time depends on request attributes');
    if (result.stages[st.name]?.faults !== undefined) {
      // The figure, not `result`: with replications it is their mean, not the first run's.
      const availability = figure(`stages.${st.name}.faults.availability`).value;
      if (availability < 1) breaks.push(`replicas were down part of the time (availability ${(availability * 100).toFixed(1)}%), so fewer servers served than the formula counts`);
      // Gray failures and ejections (issue 17): absent before them, so older results read 0.
      const slow = figure(`stages.${st.name}.faults.slowShare`).value;
      if (slow > 0) breaks.push(`replicas were slow part of the time (${(slow * 100).toFixed(1)}% of them on average, gray failures), so service was longer than the formula's mean`);
      const ejected = figure(`stages.${st.name}.faults.ejectedShare`).value;
      if (ejected > 0) breaks.push(`the health check kept ${(ejected * 100).toFixed(1)}% of replicas out of rotation on average`);
    }
    const scv = st.scv ?? 1;
    let model: string;
    let wait: number;
    const unbatchedRho = (lambda * st.meanS) / st.servers;
    if (!(lambda >= 0)) {
      rows.push({ stage: st.name, model: '—', quantity: 'mean wait (ms)', analytic: NaN, simulated: sim, note: `no rate reaching the stage is known: the run measured none (${measuredBecause ?? 'no arrival rate'})` });
      poissonIn = false;
      return;
    }
    if (st.maxBatch > 1 && breaks.length === 1 && baileyApplies(st) && rho < 1) {
      // The one break is the batching, which Bailey's queue models exactly.
      rows.push(...baileyRows(st, lambda, sim, figure(`stages.${st.name}.batchSize.mean`), rho, lambdaNote));
      poissonIn = false;
      return;
    }
    if (st.maxBatch > 1 && unbatchedRho >= 1 && rho < 1) {
      rows.push({
        stage: st.name,
        model: '—',
        quantity: 'mean wait (ms)',
        analytic: NaN,
        simulated: sim,
        note: `requests are batched: one at a time the stage would be ${(unbatchedRho * 100).toFixed(0)}% loaded (no queueing formula applies), yet full batches bring it to ${(rho * 100).toFixed(0)}%; only the simulation can say what the wait is${lambdaNote}`,
      });
      poissonIn = false;
      return;
    }
    if (rho >= 1 && (st.boundedQueue || st.deadline)) {
      // M/M/c/K at ρ ≥ 1 is a finite chain: it has a steady state, at full load.
      const shed = st.boundedQueue ? 'its bounded queue turns the excess away' : 'its deadline turns away what waits too long';
      rows.push({ stage: st.name, model: '—', quantity: 'mean wait (ms)', analytic: NaN, simulated: sim, note: `offered load is ${(rho * 100).toFixed(0)}% of capacity and ${shed}, so the stage runs full with a steady state that no open-queue formula here describes${lambdaNote}` });
      poissonIn = false;
      return;
    }
    if (rho >= 1) {
      rows.push({ stage: st.name, model: '—', quantity: 'mean wait (ms)', analytic: Infinity, simulated: sim, note: `offered load is ${(rho * 100).toFixed(0)}% of capacity: no steady state, waits grow with the run${lambdaNote}` });
      poissonIn = false;
      return;
    }
    let gimc: GimcWait | undefined;
    if (renewalIn && Math.abs(scv - 1) < 1e-9 && arrivalGap.lst !== undefined && (gimc = gimcWait(arrivalGap.lst, st.servers, st.meanS)) !== undefined) {
      model = `GI/M/${st.servers === 1 ? '1' : 'c'} (exact, root σ = ${gimc.sigma.toFixed(4)} of σ = A*(cμ(1−σ)))`;
      wait = gimc.meanWaitS;
    } else if (renewalIn) {
      model = st.servers === 1 ? 'GI/G/1 (Kingman approx.)' : 'GI/G/c (Allen–Cunneen approx.)';
      wait = ggcMeanWaitApprox(lambda, st.meanS, st.servers, arrivalScv, scv);
    } else if (st.servers === 1) {
      model = 'M/G/1 (Pollaczek–Khinchine)';
      wait = mg1MeanWait(lambda, st.meanS, scv);
    } else if (Math.abs(scv - 1) < 1e-9) {
      model = 'M/M/c (Erlang C)';
      wait = mmcMeanWait(lambda, st.meanS, st.servers);
    } else {
      model = 'M/G/c (Allen–Cunneen approx.)';
      wait = mgcMeanWaitApprox(lambda, st.meanS, st.servers, scv);
    }
    const analyticMs = wait * 1000;
    const diff = analyticMs > 0 ? sim.value / analyticMs - 1 : NaN;
    const within =
      analyticMs === 0 && sim.value === 0
        ? true // both exactly 0: no relative difference to take
        : sim.ci95 !== undefined && Number.isFinite(sim.ci95)
          ? Math.abs(sim.value - analyticMs) <= Math.max(sim.ci95, 0.02 * analyticMs)
          : Math.abs(diff) < 0.05;
    let note: string;
    const approx = model.includes('approx');
    if (breaks.length === 0 && approx && renewalIn) {
      note = `renewal arrivals (${arrivalGap.kind} gaps, cv² ${fmtRate(arrivalScv)}) and service of cv² ${fmtRate(scv)}: an approximation, exact only for Poisson arrivals and exponential service (GI/M/c is exact where service is exponential); the simulation is ${gapText(sim.value, analyticMs)}`;
    } else if (breaks.length === 0 && approx) {
      note = `an approximation for M/G/c (exact only for exponential service; for near-constant service it is known to be off by 10–30% at light load); the simulation is ${gapText(sim.value, analyticMs)}`;
    } else if (breaks.length === 0) {
      note = within
        ? `assumptions hold (utilization ${(rho * 100).toFixed(0)}%); simulation agrees (${gapText(sim.value, analyticMs, '')})`
        : `assumptions hold; simulation differs by ${gapText(sim.value, analyticMs, '')}: run longer or add replications to narrow the noise`;
    } else {
      note = `${breaks.join('; ')}: the formula is only a reference here; the simulation is ${gapText(sim.value, analyticMs)}`;
    }
    rows.push({ stage: st.name, model, quantity: 'mean wait (ms)', analytic: analyticMs, simulated: sim, note: note + lambdaNote });
    // Waiting-time service levels where the wait's law is known: GI/M/c (always shown beside
    // renewal arrivals), and M/M/c's Erlang C when the scenario asks for a waiting-time objective.
    const level: ServiceLevel | undefined =
      gimc !== undefined
        ? { model, pWait: gimc.pWait, within: gimc.waitWithin, law: 'a waiting request waits Exp(cμ(1−σ))' }
        : poissonIn && Math.abs(scv - 1) < 1e-9 && waitObjective !== null
          ? { model: 'M/M/c (Erlang C)', pWait: erlangC(st.servers, lambda * st.meanS), within: (t) => mmcWaitWithin(lambda, st.meanS, st.servers, t), law: 'a waiting request waits Exp(cμ − λ)' }
          : undefined;
    if (level !== undefined) rows.push(...serviceLevelRows(st.name, level, waitObjective, figure, breaks.length === 0));
    // Request classes under a priority discipline: a row per class (theory-classes.ts).
    rows.push(...classTheoryRows({ scenario, shape: st, pathLength: shapes.length, lambda, figure }));
    // Burke: an M/M/c stage with an unbounded queue passes Poisson arrivals on.
    poissonIn = poissonIn && Math.abs(scv - 1) < 1e-9 && !st.boundedQueue && st.maxBatch === 1 && !st.fanout && !st.filtered && st.routing === 'shared';
  });
  return rows;
}

/** A stage's waiting-time law where theory knows it: P(wait > 0) and P(wait ≤ t). */
interface ServiceLevel {
  model: string;
  pWait: number;
  within: (tS: number) => number;
  /** How a waiting request's wait is distributed, for the note. */
  law: string;
}

/** A share as a figure in %, from a share figure of the run. */
function pctFigure(f: Figure): Figure {
  return { value: f.value * 100, ...(f.ci95 !== undefined ? { ci95: f.ci95 * 100 } : {}) };
}

/**
 * P(wait > 0), and with a waiting-time objective P(wait ≤ t), beside the simulated
 * shares (`waitedShare`, `waitWithinShare`), in %.
 */
function serviceLevelRows(stage: string, level: ServiceLevel, objective: WaitSlo | null, figure: (path: string) => Figure, holds: boolean): TheoryRow[] {
  const lead = holds ? 'assumptions hold' : 'the formula is only a reference here';
  const rows: TheoryRow[] = [
    { stage, model: level.model, quantity: 'P(wait > 0) (%)', analytic: level.pWait * 100, simulated: pctFigure(figure(`stages.${stage}.waitedShare`)), note: `${lead}; the share of requests that found every server busy` },
  ];
  if (objective !== null) {
    const t = formatDuration(objective.waitS);
    rows.push({
      stage,
      model: level.model,
      quantity: `P(wait ≤ ${t}) (%)`,
      analytic: level.within(objective.waitS) * 100,
      simulated: pctFigure(figure(`stages.${stage}.waitWithinShare`)),
      note: `${lead}; ${level.law}, so P(wait ≤ t) = 1 − P(wait > 0)·e^{−rate·t} (the objective asks ${(objective.fraction * 100).toFixed(0)}%)`,
    });
  }
  return rows;
}

/**
 * A stage Bailey's bulk-service queue describes: one slot, batches taken at once
 * (`maxWait` 0), a deterministic batch time that does not grow with the batch, no deadline.
 * (Poisson arrivals and the absence of other breaks are the caller's checks.)
 */
function baileyApplies(st: StageShape): boolean {
  return st.servers === 1 && !st.deadline && st.desc.maxWaitS === 0 && st.scv === 0 && Math.abs(st.fullBatchMeanS - st.meanS) <= 1e-12 * st.meanS;
}

/** Bailey's mean wait and mean batch beside the simulation's (`bailey.ts`). */
function baileyRows(st: StageShape, lambda: number, simWait: Figure, simBatch: Figure, rho: number, lambdaNote: string): TheoryRow[] {
  const b = baileyBulkService(lambda, st.meanS, st.maxBatch);
  const model = `M/D^${st.maxBatch}/1 bulk service (Bailey)`;
  const agree = (sim: Figure, exact: number, text: (sim: number, exact: number) => string): string => {
    if (!Number.isFinite(sim.value)) return 'no simulated figure to compare';
    const within = sim.ci95 !== undefined && Number.isFinite(sim.ci95) ? Math.abs(sim.value - exact) <= Math.max(sim.ci95, 0.02 * exact) : Math.abs(sim.value / exact - 1) < 0.05;
    return within ? `simulation agrees (${text(sim.value, exact)})` : `simulation differs by ${text(sim.value, exact)}: run longer or add replications to narrow the noise`;
  };
  const why = `exact for Poisson arrivals, one slot taking up to ${st.maxBatch} waiting requests at once (maxWait 0) and a fixed batch time (load ${(rho * 100).toFixed(0)}% at full batches)`;
  return [
    { stage: st.name, model, quantity: 'mean wait (ms)', analytic: b.meanWaitS * 1000, simulated: simWait, note: `${why}; ${agree(simWait, b.meanWaitS * 1000, (x, y) => gapText(x, y, ''))}${lambdaNote}` },
    { stage: st.name, model, quantity: 'mean batch size (requests)', analytic: b.meanBatch, simulated: simBatch, note: `λT + P(no one waits at a batch's end) = ${fmtRate(lambda * st.meanS)} + ${fmtRate(b.idleAtEnd)}; ${agree(simBatch, b.meanBatch, (x, y) => gapText(x, y, ''))}` },
  ];
}

/**
 * The stages on a system's main path as queueing theory sees them (their configuration:
 * build the system without running it), with the rate reaching each from the arrival
 * process's own mean rate (`meanRate`) through `stageLoads`, the load check's reading.
 * Shared by the CLI and the browser playground.
 */
export function stageShapes(sys: ServingSystem): { shapes: StageShape[]; arrivalScv: number | undefined; arrivalGap?: Distribution } {
  const descOf = (st: Station) => sys.built.find((b) => b.stage === st)!.desc;
  const stages = sys.nodes.map((n) => n.stage);
  const filtered = new Set(stages.filter((st) => descOf(st).shielded).map((st) => st.name));
  const loadsOver = (fromS: number, toS: number) => stageLoads(sys.arrivals.meanRate(fromS, toS), stages, sys.autoscalers, filtered);
  // Theory asks once per stage for the same window: a trace replay reads its file once.
  let cached: { key: string; loads: StageLoad[] } | undefined;
  const loadAt = (i: number, fromS: number, toS: number): StageLoad => {
    const key = `${fromS}:${toS}`;
    if (cached?.key !== key) cached = { key, loads: loadsOver(fromS, toS) };
    return cached.loads[i]!;
  };
  const shapes = stages.map((st, i): StageShape => {
    const t = st.theory;
    const desc = descOf(st);
    return {
      name: st.name,
      kind: desc.kind,
      desc,
      servers: t.servers,
      meanS: t.meanS,
      scv: t.scv,
      maxBatch: t.maxBatch,
      fullBatchMeanS: t.fullBatchMeanS,
      routing: t.routing,
      fanout: t.fanout,
      hedged: t.hedged,
      boundedQueue: t.queueCapacity !== Infinity,
      deadline: t.deadlineS !== Infinity || t.systemDeadlineS !== Infinity,
      filtered: filtered.has(st.name),
      loadOver: (fromS, toS) => loadAt(i, fromS, toS),
    };
  });
  return { shapes, arrivalScv: sys.arrivals.interarrivalScv, ...(sys.arrivals.gapDistribution !== undefined ? { arrivalGap: sys.arrivals.gapDistribution } : {}) };
}

/** The scenario's TTFT objective (`slo: { ttft }`) as the LLM theory takes it; nothing without one. */
function ttftObjective(scenario: Scenario): { ttftObjective?: { target: string; fraction: number; latencyMs: number } } {
  const slo = scenario.slo;
  const ttft = slo !== undefined && slo !== null && !('target' in slo) ? slo.ttft : null;
  return ttft === null ? {} : { ttftObjective: { target: ttft.target, fraction: ttft.fraction, latencyMs: ttft.latencyS * 1000 } };
}

/** A number of a run's result by dotted path (e.g. `llm.ttftMs.p50`); NaN when absent. */
function figureAt(result: RunResult, path: string): number {
  let cur: unknown = result;
  for (const k of path.split('.')) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
  return typeof cur === 'number' ? cur : NaN;
}

function fmtRate(x: number): string {
  return Number.isFinite(x) ? String(+x.toPrecision(3)) : String(x);
}

/** Theory beside one run (its own figures as the simulated values), `sys` being the scenario built but not run. */
export function theoryForRun(scenario: Scenario, sys: ServingSystem, result: RunResult): TheoryRow[] {
  const { shapes, arrivalScv, arrivalGap } = stageShapes(sys);
  return theoryRows(scenario, result, shapes, (name) => ({ value: result.stages[name]?.queueWaitMs.mean ?? NaN }), arrivalScv, undefined, arrivalGap);
}
