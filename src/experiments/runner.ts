import type { Seed } from '../engine/index.ts';
import { InputError } from '../config/errors.ts';
import type { Scenario } from '../config/schema.ts';
import { ServingSystem, type DetailedRun } from '../models/index.ts';
import type { TraceOpener } from '../config/trace-csv.ts';
import { EarlyStop, type EarlyStopOutcome, type EarlyStopSpec } from './early-stop.ts';

/** One simulation to run: a validated scenario and a seed (and, for a plan's probe, when it may stop early). */
export interface RunTask {
  scenario: Scenario;
  seed: Seed;
  earlyStop?: EarlyStopSpec;
}

/** A run's output; `earlyStop` says why it ended before its scenario's stop, when it did. */
export interface TaskRun extends DetailedRun {
  earlyStop?: EarlyStopOutcome;
}

/** Runs one task in this thread (the worker threads call this too). */
export function runTask(t: RunTask, openTrace?: TraceOpener, onProgress?: (fraction: number) => void): TaskRun {
  const rule = t.earlyStop ? new EarlyStop(t.earlyStop) : undefined;
  const sys = new ServingSystem(t.scenario, {
    seed: t.seed,
    ...(openTrace ? { openTrace } : {}),
    ...(onProgress ? { onProgress } : {}),
    ...(rule ? { shouldStop: rule.shouldStop, stopCheckEvery: rule.spec.checkEvery } : {}),
  });
  const result = sys.run();
  const out: TaskRun = { result, latency: sys.latency.toData() };
  if (rule?.outcome !== undefined && sys.stoppedAtS !== undefined) out.earlyStop = rule.outcome;
  return out;
}

/**
 * Runs tasks and returns their outputs in task order, whatever order they finish in
 * (so output never depends on scheduling). The CLI gives a worker-thread pool; the
 * default runs them one after another in this thread.
 */
export type Runner = (tasks: readonly RunTask[], onDone?: (done: number, total: number) => void) => Promise<TaskRun[]>;

/**
 * Runs every task in this thread, in order. With a signal, it is checked before each
 * task and at each run's progress ticks, and the event loop gets a turn between tasks
 * (so a timer or another task can abort).
 */
export function inProcessRunner(openTrace?: TraceOpener, signal?: AbortSignal): Runner {
  return async (tasks, onDone) => {
    const out: TaskRun[] = [];
    const check = signal ? () => signal.throwIfAborted() : undefined;
    for (const t of tasks) {
      if (signal) {
        await new Promise((r) => setImmediate(r));
        signal.throwIfAborted();
      }
      out.push(runTask(t, openTrace, check));
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

/** How an experiment runs: replications, root seed, where simulations run, progress. */
export interface ExperimentSettings {
  /** Replications per configuration (default 1). */
  replications?: number;
  /** Root seed; default the (first) scenario's `seed`, else 1. */
  seed?: Seed;
  /** Where simulations run (default: one after another in this thread). */
  runner?: Runner;
  /** How trace replays open their files (default: none can be opened). */
  openTrace?: TraceOpener;
  /** Called as simulations finish: how many of how many (plan: of an estimate). */
  onProgress?: (done: number, total: number) => void;
  /** Stops the experiment: it rejects with the signal's reason (checked between simulations, and within them by the default runner). */
  signal?: AbortSignal;
}

/** Most simulations one experiment keeps at once: every run's figures and sketches stay until the end (about 10 KB each). */
export const MAX_SIMULATIONS = 20_000;

/**
 * The root seed of an experiment: the one given, else the scenario's own, else 1.
 * Replication i then runs on `replicationSeed(root, i)` in every configuration
 * (common random numbers), so this is the only place a root seed is chosen.
 */
export function rootSeed(given: Seed | undefined, scenario: { seed?: Seed | undefined }): Seed {
  return given ?? scenario.seed ?? 1;
}

/** A replication count as an experiment takes it: a whole number of at least 1. */
export function checkReplications(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new InputError([`replications: expected a whole number of at least 1, got ${n}`]);
  return n;
}

/**
 * Runs `replications` of each scenario, all on the same root seed (common random
 * numbers across scenarios); the runs come back grouped by scenario, in replication order.
 */
export async function runConfigurations(scenarios: readonly Scenario[], replications: number, root: Seed, settings: ExperimentSettings): Promise<TaskRun[][]> {
  const total = scenarios.length * replications;
  if (total > MAX_SIMULATIONS) {
    throw new InputError([
      `this command would run ${total.toLocaleString('en-US')} simulations (${scenarios.length.toLocaleString('en-US')} configurations × ${replications.toLocaleString('en-US')} replications); at most ${MAX_SIMULATIONS.toLocaleString('en-US')} are kept in memory at once (about 10 KB each): use fewer replications, points or variants`,
    ]);
  }
  const tasks: RunTask[] = [];
  for (const s of scenarios) for (let i = 0; i < replications; i++) tasks.push({ scenario: s, seed: replicationSeed(root, i) });
  settings.signal?.throwIfAborted();
  const runner = settings.runner ?? inProcessRunner(settings.openTrace, settings.signal);
  const out = await runner(tasks, settings.onProgress);
  settings.signal?.throwIfAborted();
  return scenarios.map((_, k) => out.slice(k * replications, (k + 1) * replications));
}
