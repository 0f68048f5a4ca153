/**
 * What the playground's worker does, without the worker: validate a scenario text with
 * `--set`-style overrides exactly as the CLI does, run it once, and return the figures the
 * page shows (the RunResult, the report variant its charts draw, the theory rows). Pure:
 * no DOM, no Node, so it runs in a Web Worker, in the page, and in tests alike.
 */
import { InputError } from '../../src/config/errors.ts';
import type { Override } from '../../src/config/overrides.ts';
import { parseScenarioText, validateScenario, type TextSource } from '../../src/config/parse.ts';
import type { Scenario } from '../../src/config/schema.ts';
import { LLM_DEFAULTS } from '../../src/config/llm-schema.ts';
import { ROOFLINE_DEFAULTS } from '../../src/config/resolve-llm.ts';
import { kvCapacity } from '../../src/models/llm/roofline-capacity.ts';
import { rooflineDeployment } from '../../src/models/llm/roofline-deployment.ts';
import { aggregate } from '../../src/experiments/aggregate.ts';
import { theoryForRun as theoryForSystem } from '../../src/experiments/theory.ts';
import { ServingSystem, type RunResult } from '../../src/models/index.ts';
import { variantOf } from '../../src/report/build.ts';
import type { ReportVariant, TheoryRow } from '../../src/report/model.ts';

/** One run the page asks for: the scenario text, its name for messages, and the knob overrides. */
export interface RunRequest {
  /** Increases with every request; replies carry it so a stale reply is recognised. */
  id: number;
  source: TextSource;
  overrides: Override[];
}

/** What one run gives the page. Plain data: it crosses postMessage as is. */
export interface RunOutput {
  result: RunResult;
  /** The run as a report variant (CDF, series, stages), for src/report/charts.ts. */
  variant: ReportVariant;
  theory: TheoryRow[];
  /** Wall time of the simulation itself (ms), without validation and theory. */
  wallMs: number;
}

/**
 * Validates a scenario text with overrides: the same parse, topology expansion, overrides
 * and schema as `servesim run <file> --set ...`, so the same problems in the same words.
 * Throws an InputError listing every problem.
 */
export function loadScenario(source: TextSource, overrides: readonly Override[]): Scenario {
  return validateScenario(parseScenarioText(source), overrides);
}

/**
 * Whether `source` with `overrides` would run: validated, and what building refuses for an
 * LLM stage checked (a roofline model that does not fit its GPU at its TP throws an
 * InputError, as `run` does). The system itself is not built, so the page's bundle does
 * not carry the stations.
 */
export function checkScenario(source: TextSource, overrides: readonly Override[]): void {
  const scenario = loadScenario(source, overrides);
  for (const st of scenario.stages) {
    const r = st.llm?.roofline;
    if (r === undefined) continue;
    kvCapacity(rooflineDeployment(r), { utilization: r.memoryUtilization ?? ROOFLINE_DEFAULTS.memoryUtilization, blockSize: st.llm?.blockSize ?? LLM_DEFAULTS.blockSize });
  }
}

/** Theory beside one run, as `servesim run` prints it (the shared code of src/experiments/theory.ts). */
export function theoryForRun(scenario: Scenario, result: RunResult): TheoryRow[] {
  // Trace arrivals cannot be opened here, so they never reach this (the run refuses first).
  return theoryForSystem(scenario, new ServingSystem(scenario), result);
}

/**
 * Runs a validated scenario once at its own seed (as `servesim run` does) and returns the
 * page's figures. `onProgress` gets the share done now and then (every 65,536 arrivals).
 */
export function simulate(scenario: Scenario, onProgress?: (fraction: number) => void): RunOutput {
  const t0 = performance.now();
  const sys = new ServingSystem(scenario, onProgress ? { onProgress } : {});
  const result = sys.run();
  const wallMs = performance.now() - t0;
  const variant = variantOf('this run', aggregate([{ result, latency: sys.latency.toData() }]));
  return { result, variant, theory: theoryForRun(scenario, result), wallMs };
}

/** A reply of the worker. */
export type WorkerReply =
  | { type: 'progress'; id: number; fraction: number }
  | { type: 'done'; id: number; output: RunOutput }
  | { type: 'invalid'; id: number; problems: string[] }
  | { type: 'failed'; id: number; message: string };

/** Handles one request: validate, run, reply (progress, then the output or the problems). */
export function handle(req: RunRequest, reply: (r: WorkerReply) => void): void {
  try {
    const scenario = loadScenario(req.source, req.overrides);
    const output = simulate(scenario, (fraction) => reply({ type: 'progress', id: req.id, fraction }));
    reply({ type: 'done', id: req.id, output });
  } catch (err) {
    if (err instanceof InputError) reply({ type: 'invalid', id: req.id, problems: [...err.problems] });
    else reply({ type: 'failed', id: req.id, message: err instanceof Error ? err.message : String(err) });
  }
}
