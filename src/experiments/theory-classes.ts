/**
 * Theory per request class beside a stage whose discipline orders by priority (issue 16):
 * Cobham's M/G/1 non-preemptive priority, M/M/c non-preemptive priority with one service
 * rate, and M/G/1 preemptive-resume (`priority-queueing.ts`), each row named with its
 * assumptions. The simulated side is the class's end-to-end mean latency, so the rows
 * are given only when the stage is the whole path and serves every class.
 */
import type { Scenario } from '../config/schema.ts';
import type { TheoryRow, Figure } from '../report/model.ts';
import { cobhamMeanWaitsS, mmcPriorityMeanWaitsS, preemptiveResumeSojournsS, type PriorityClassLoad } from './priority-queueing.ts';
import type { StageShape } from './theory.ts';

/** What the class rows read besides the stage: the rate reaching it and a figure by path. */
export interface ClassTheoryInput {
  scenario: Scenario;
  shape: StageShape;
  /** Stages on the main path. */
  pathLength: number;
  lambda: number;
  figure: (path: string) => Figure;
}

/** Assumptions every class row shares, named in its note. */
const ASSUMED = 'Poisson arrivals per class, one shared queue, no batching, an unbounded queue, every class with the stage’s service distribution';

/**
 * One row per class: its mean time in system by the closed form of the stage's
 * discipline, beside the simulated class latency. Empty when no form applies.
 */
export function classTheoryRows(input: ClassTheoryInput): TheoryRow[] {
  const { scenario, shape, lambda } = input;
  const classes = scenario.classes;
  const policy = shape.desc.discipline.policy;
  if (classes === undefined || (policy !== 'priority' && policy !== 'priority-preemptive')) return [];
  // Classes with their own arrival processes: their rates are the processes', not shares of λ (not covered here).
  if (classes.some((c) => c.share === undefined)) return [];
  if (input.pathLength !== 1 || shape.desc.classes !== null || shape.scv === undefined || !(lambda > 0)) return [];
  // Classes of one priority are one level of the formulas, served FIFO among themselves.
  const levels = [...new Set(classes.map((c) => c.priority ?? 0))].sort((a, b) => a - b);
  const meanS = shape.meanS;
  const second = meanS * meanS * (1 + shape.scv);
  const loads: PriorityClassLoad[] = levels.map((p) => ({
    lambda: lambda * classes.filter((c) => (c.priority ?? 0) === p).reduce((a, c) => a + c.share!, 0),
    meanS,
    secondMomentS2: second,
  }));
  if (loads.reduce((a, l) => a + l.lambda * l.meanS, 0) >= shape.servers) return [];
  let model: string;
  let sojournS: number[];
  const breaks: string[] = [];
  if (shape.maxBatch > 1) breaks.push('requests are batched');
  if (shape.boundedQueue) breaks.push('the queue is bounded');
  if (shape.deadline) breaks.push('a deadline drops what waits too long');
  if (policy === 'priority-preemptive') {
    if (shape.servers !== 1) return [];
    model = 'M/G/1 preemptive-resume priority';
    sojournS = preemptiveResumeSojournsS(loads);
  } else if (shape.servers === 1) {
    model = 'M/G/1 non-preemptive priority (Cobham)';
    sojournS = cobhamMeanWaitsS(loads).map((w) => w + meanS);
  } else if (Math.abs(shape.scv - 1) < 1e-9) {
    model = 'M/M/c non-preemptive priority';
    sojournS = mmcPriorityMeanWaitsS(
      loads.map((l) => l.lambda),
      meanS,
      shape.servers,
    ).map((w) => w + meanS);
  } else {
    return [];
  }
  return classes.map((c) => {
    const analyticMs = sojournS[levels.indexOf(c.priority ?? 0)]! * 1000;
    const sim = input.figure(`classes.${c.name}.latencyMs.mean`);
    const gap = Number.isFinite(sim.value) && analyticMs > 0 ? `${sim.value / analyticMs - 1 >= 0 ? '+' : ''}${((sim.value / analyticMs - 1) * 100).toFixed(0)}%` : 'not comparable';
    const note = breaks.length > 0 ? `${breaks.join('; ')}: the formula (${ASSUMED}) is only a reference here; the simulation is ${gap} from it` : `assumes ${ASSUMED}; the simulation is ${gap} from it`;
    return { stage: shape.name, model, quantity: `class "${c.name}" mean time in system (ms)`, analytic: analyticMs, simulated: sim, note };
  });
}
