import type { Seed } from '../engine/index.ts';
import type { Scenario } from '../config/schema.ts';
import type { TraceOpener } from '../config/trace-csv.ts';
import { ServingSystem } from '../models/index.ts';
import type { TheoryRow } from '../report/model.ts';
import { aggregate, estimateAt, type Aggregate, type RunEstimates } from './aggregate.ts';
import { checkReplications, rootSeed, runConfigurations, type ExperimentSettings } from './runner.ts';
import { stageShapes, theoryRows } from './theory.ts';

/** What `run --replications N --json` prints: the replications' figures with 95 % intervals. */
export interface ReplicateJson {
  scenario: string;
  replications: number;
  seeds: Seed[];
  figures: RunEstimates;
  pooled: Aggregate['pooled'];
  theory: TheoryRow[];
  warnings: string[];
}

/** Replications of one scenario: the JSON contract's fields plus the aggregate that reports and text read. */
export interface ReplicateResult extends ReplicateJson {
  aggregate: Aggregate;
}

/**
 * Theory beside simulation for a configuration's replications: the closed-form mean
 * queue wait of each stage next to the replications' mean and 95 % half-width.
 */
export function theoryOfAggregate(scenario: Scenario, a: Aggregate, openTrace?: TraceOpener): TheoryRow[] {
  const { shapes, arrivalScv, arrivalGap } = stageShapes(new ServingSystem(scenario, openTrace ? { openTrace } : {}));
  return theoryRows(
    scenario,
    a.first,
    shapes,
    (name) => {
      const e = estimateAt(a.figures, `stages.${name}.queueWaitMs.mean`);
      return e === undefined ? { value: NaN } : Number.isFinite(e.ci95) ? { value: e.mean, ci95: e.ci95 } : { value: e.mean };
    },
    arrivalScv,
    (path) => {
      const e = estimateAt(a.figures, path);
      return e === undefined ? { value: NaN } : Number.isFinite(e.ci95) ? { value: e.mean, ci95: e.ci95 } : { value: e.mean };
    },
    arrivalGap,
  );
}

/**
 * Runs independent replications of one scenario (replication i on seed
 * `replicationSeed(root, i)`) and summarises every figure as mean ± 95 % CI, with
 * the latency percentiles of all requests pooled exactly.
 */
export async function replicate(scenario: Scenario, settings: ExperimentSettings = {}): Promise<ReplicateResult> {
  const replications = checkReplications(settings.replications ?? 1);
  const [runs] = await runConfigurations([scenario], replications, rootSeed(settings.seed, scenario), settings);
  const a = aggregate(runs!);
  const theory = theoryOfAggregate(scenario, a, settings.openTrace);
  return { scenario: scenario.name ?? 'scenario', replications: a.replications, seeds: a.seeds, figures: a.figures as RunEstimates, pooled: a.pooled, theory, warnings: a.first.warnings, aggregate: a };
}

/** The JSON contract of a replicate result (what `run --replications N --json` prints). */
export function replicateJson(r: ReplicateResult): ReplicateJson {
  return { scenario: r.scenario, replications: r.replications, seeds: r.seeds, figures: r.figures, pooled: r.pooled, theory: r.theory, warnings: r.warnings };
}
