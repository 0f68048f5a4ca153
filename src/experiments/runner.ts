import type { Seed } from '../engine/index.ts';
import type { Scenario } from '../config/schema.ts';
import { runScenarioDetailed, type DetailedRun } from '../models/index.ts';
import type { TraceOpener } from '../config/trace-csv.ts';

/** One simulation to run: a validated scenario and a seed. */
export interface RunTask {
  scenario: Scenario;
  seed: Seed;
}

/**
 * Runs tasks and returns their outputs in task order, whatever order they finish in
 * (so output never depends on scheduling). The CLI gives a worker-thread pool; the
 * default runs them one after another in this thread.
 */
export type Runner = (tasks: readonly RunTask[], onDone?: (done: number, total: number) => void) => Promise<DetailedRun[]>;

/** Runs every task in this thread, in order. */
export function inProcessRunner(openTrace?: TraceOpener): Runner {
  return async (tasks, onDone) => {
    const out: DetailedRun[] = [];
    for (const t of tasks) {
      out.push(runScenarioDetailed(t.scenario, { seed: t.seed, ...(openTrace ? { openTrace } : {}) }));
      onDone?.(out.length, tasks.length);
    }
    return out;
  };
}

/**
 * The seed of replication i: the root seed itself for the first (so one replication
 * is the plain run), then "<root>/rep<i>". Every named stream of a replication derives
 * from it, so replications are independent and each is reproducible on its own.
 */
export function replicationSeed(root: Seed, i: number): Seed {
  return i === 0 ? root : `${String(root)}/rep${i}`;
}
