import type { Scenario } from '../config/schema.ts';
import type { RunResult, ServingSystem } from '../models/index.ts';
import type { TheoryRow, Figure } from '../report/model.ts';
import { mg1MeanWait, mgcMeanWaitApprox, mmcMeanWait } from './queueing.ts';

/** What theory needs to know of a stage: servers, mean and scv of one service, and what breaks the formulas. */
export interface StageShape {
  name: string;
  servers: number;
  meanS: number;
  /** Squared coefficient of variation of one service; undefined when unknown (attribute-driven). */
  scv: number | undefined;
  maxBatch: number;
  routing: string;
  fanout: boolean;
  boundedQueue: boolean;
  /** Something in front changes who reaches the stage (cache, fallback, precompute). */
  filtered: boolean;
  /** Mean duration of a full batch (seconds), for the capacity of a batching stage. */
  fullBatchS: number;
}

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(0)}%`;

/**
 * Closed-form estimates of each stage's mean queue wait beside the simulated figure:
 * M/M/c via Erlang C where service is exponential, M/G/1 via Pollaczek–Khinchine for a
 * single server, M/G/c by Allen–Cunneen otherwise; all assume Poisson arrivals at the
 * stage, one shared FIFO queue, no batching, an unbounded queue and a stable load. Where
 * an assumption breaks the row still shows what the formula would say, and the note
 * names the assumption and how far the simulation lands from it.
 */
export function theoryRows(scenario: Scenario, result: RunResult, shapes: readonly StageShape[], simulatedWaitMs: (stage: string) => Figure, arrivalScv: number | undefined): TheoryRow[] {
  const rows: TheoryRow[] = [];
  const lambda = scenario.arrivals.process === 'trace' ? result.throughputRps : 'qps' in scenario.arrivals ? (scenario.arrivals as { qps: number }).qps : result.throughputRps;
  let poissonIn = arrivalScv === 1;
  shapes.forEach((st, i) => {
    const sim = simulatedWaitMs(st.name);
    // Capacity counts full batches where the stage batches: ρ < 1 there can hold even
    // when one request at a time would not keep up.
    const capacityRps = (st.servers * st.maxBatch) / (st.maxBatch > 1 ? st.fullBatchS : st.meanS);
    const rho = lambda / capacityRps;
    const breaks: string[] = [];
    if (!poissonIn) breaks.push(i === 0 ? 'arrivals are not Poisson (burstier or smoother)' : 'arrivals to this stage are not Poisson (they come out of the stages before)');
    if (st.maxBatch > 1) breaks.push(`requests are batched (up to ${st.maxBatch}), so service time depends on the queue`);
    if (st.fanout) breaks.push('each request waits for the slowest of its shards (fan-out)');
    if (st.routing !== 'shared') breaks.push(`each replica has its own queue (${st.routing} routing), which a shared-queue formula overrates`);
    if (st.boundedQueue) breaks.push('the queue is bounded, so drops lighten the load');
    if (st.filtered) breaks.push('a cache, fallback or prediction store in front changes who reaches the stage');
    if (st.scv === undefined) breaks.push('service time depends on request attributes');
    const scv = st.scv ?? 1;
    let model: string;
    let wait: number;
    const unbatchedRho = (lambda * st.meanS) / st.servers;
    if (st.maxBatch > 1 && unbatchedRho >= 1 && rho < 1) {
      rows.push({
        stage: st.name,
        model: '—',
        quantity: 'mean wait (ms)',
        analytic: NaN,
        simulated: sim,
        note: `requests are batched: one at a time the stage would be ${(unbatchedRho * 100).toFixed(0)}% loaded (no queueing formula applies), yet full batches bring it to ${(rho * 100).toFixed(0)}%; only the simulation can say what the wait is`,
      });
      poissonIn = false;
      return;
    }
    if (rho >= 1 && st.filtered) {
      rows.push({ stage: st.name, model: '—', quantity: 'mean wait (ms)', analytic: NaN, simulated: sim, note: `all the traffic would be ${(rho * 100).toFixed(0)}% of capacity; a cache, fallback or prediction store in front takes part of it, so only the simulation can say what reaches the stage and how long it waits` });
      poissonIn = false;
      return;
    }
    if (rho >= 1) {
      rows.push({ stage: st.name, model: '—', quantity: 'mean wait (ms)', analytic: Infinity, simulated: sim, note: `offered load is ${(rho * 100).toFixed(0)}% of capacity: no steady state, waits grow with the run` });
      poissonIn = false;
      return;
    }
    if (st.servers === 1) {
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
    if (breaks.length === 0 && approx) {
      note = `an approximation for M/G/c (exact only for exponential service; for near-constant service it is known to be off by 10–30% at light load); the simulation is ${Number.isFinite(diff) ? pct(diff) : 'not comparable'} from it`;
    } else if (breaks.length === 0) {
      note = within
        ? `assumptions hold (utilization ${(rho * 100).toFixed(0)}%); simulation agrees (${Number.isFinite(diff) ? pct(diff) : 'both ≈ 0'})`
        : `assumptions hold; simulation differs by ${pct(diff)}: run longer or add replications to narrow the noise`;
    } else {
      note = `${breaks.join('; ')}: the formula is only a reference here; the simulation is ${Number.isFinite(diff) ? pct(diff) : 'not comparable'} from it`;
    }
    rows.push({ stage: st.name, model, quantity: 'mean wait (ms)', analytic: analyticMs, simulated: sim, note });
    // Burke: an M/M/c stage with an unbounded queue passes Poisson arrivals on.
    poissonIn = poissonIn && Math.abs(scv - 1) < 1e-9 && !st.boundedQueue && st.maxBatch === 1 && !st.fanout && !st.filtered && st.routing === 'shared';
  });
  return rows;
}

/**
 * The stages on a system's main path as queueing theory sees them (their configuration:
 * build the system without running it). Shared by the CLI and the browser playground.
 */
export function stageShapes(sys: ServingSystem): { shapes: StageShape[]; arrivalScv: number | undefined } {
  const shapes = sys.nodes.map((n) => {
    const st = n.stage;
    const spec = sys.built.find((b) => b.stage === st)!.spec;
    return {
      name: st.name,
      servers: st.servers,
      meanS: st.serviceTime.meanS(1, st.typicalCandidates),
      scv: st.serviceTime.scv,
      maxBatch: st.maxBatch,
      routing: st.routing,
      fanout: st.fanout !== undefined,
      boundedQueue: st.queueCapacity !== Infinity,
      filtered: spec.cache !== undefined || spec.fallback !== undefined || spec.precompute !== undefined,
      fullBatchS: st.serviceTime.meanS(st.maxBatch, st.typicalCandidates),
    };
  });
  return { shapes, arrivalScv: sys.arrivals.interarrivalScv };
}

/** Theory beside one run (its own figures as the simulated values), `sys` being the scenario built but not run. */
export function theoryForRun(scenario: Scenario, sys: ServingSystem, result: RunResult): TheoryRow[] {
  const { shapes, arrivalScv } = stageShapes(sys);
  return theoryRows(scenario, result, shapes, (name) => ({ value: result.stages[name]?.queueWaitMs.mean ?? NaN }), arrivalScv);
}
