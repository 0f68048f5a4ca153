import type { Seed } from '../engine/index.ts';
import type { Scenario } from '../config/schema.ts';
import { runScenario, type RunResult } from '../models/index.ts';
import { isLoaded, loadScenario, traceOpenerOf, type ScenarioLike } from './load-scenario.ts';

/** Options of one run. */
export interface RunScenarioOptions {
  /** Root seed (default: the scenario's `seed`, else 1); the same seed gives the same result. */
  seed?: Seed;
  /** Called now and then with the share of the run done, 0..1. */
  onProgress?: (fraction: number) => void;
  /** Stops the run: `run` rejects with the signal's reason (an `AbortError` by default). */
  signal?: AbortSignal;
}

/**
 * Runs a scenario once and returns its result: the object `servesim run --json` prints
 * (the JSON contract). Takes a scenario from `loadScenario`, or anything `loadScenario`
 * accepts (validated first). The simulation runs in this thread; the signal is checked
 * every 65,536 arrivals, with the progress callback.
 */
export async function run(scenario: Scenario | ScenarioLike, options: RunScenarioOptions = {}): Promise<RunResult> {
  const s = isLoaded(scenario) ? scenario : await loadScenario(scenario);
  const { signal, onProgress } = options;
  signal?.throwIfAborted();
  const openTrace = traceOpenerOf(s);
  return runScenario(s, {
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(openTrace ? { openTrace } : {}),
    ...(signal || onProgress
      ? {
          onProgress: (f: number) => {
            signal?.throwIfAborted();
            onProgress?.(f);
          },
        }
      : {}),
  });
}
