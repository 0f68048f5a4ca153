/**
 * servesim's public API: define a scenario, validate it, run it, and run experiments
 * on it (replications, comparisons, sweeps, plans) with typed results.
 * The engine (`src/engine`) is exported separately for simulation building blocks.
 */
export { defineScenario, scenarioFromText, parseScenarioText, validateScenario } from './config/parse.ts';
export type { Scenario, ScenarioInput } from './config/schema.ts';
export { InputError } from './config/errors.ts';
export { runScenario, ServingSystem, type RunOptions, type RunResult, type StageResult, type LlmResult, type LlmSeriesResult } from './models/index.ts';

// Experiments. Every one runs replication i of every configuration on the same seed
// (common random numbers) and returns a typed result; `*Json` gives the CLI's --json.

/** Validates a scenario object in memory (`toScenario`), or wraps it for sweeps and plans (`scenarioSource`). */
export { toScenario, scenarioSource, declaredVariants, expandVariants, type ScenarioSource, type NamedScenario, type VariantSpec } from './experiments/index.ts';
/** How an experiment runs (replications, root seed, runner, progress); the default runner simulates in this thread. */
export { inProcessRunner, replicationSeed, type ExperimentSettings, type Runner, type RunTask } from './experiments/index.ts';
/** Figures over replications: mean and 95 % half-width of every numeric figure, typed like RunResult (`RunEstimates`); `estimateAt` reads one by path. */
export { estimateAt, type Aggregate, type Estimate, type EstimateTree, type RunEstimates } from './experiments/index.ts';
/** Replications of one scenario (`servesim run --replications N`). */
export { replicate, replicateJson, type ReplicateResult, type ReplicateJson } from './experiments/index.ts';
/** Two or more configurations on common random numbers, with paired differences against the first (`servesim compare`). */
export { compare, compareJson, type CompareResult, type CompareJson, type CompareVariant, type PairedDifference } from './experiments/index.ts';
/** One value swept over a range: curve, knee, highest value within the SLO, variants' crossings (`servesim sweep`). */
export { sweep, sweepJson, type SweepResult, type SweepJson, type SweepSpec, type SweepCurve, type SweepCurveJson, type SweepVariantsJson, type SweepPoint, type SweepAnalysis, type SweepCrossings, type SweepSkipped } from './experiments/index.ts';
/** The cheapest configuration meeting an SLO, by bisection on one count (`servesim plan`). */
export { plan, planJson, planConfigurations, type PlanResult, type PlanJson, type PlanSpec, type PlanPoint, type PlanPointJson, type PlanConfigurationJson, type PlanVerdict, type DoesNotFit } from './experiments/index.ts';

// The library in four calls: load (validate, freeze), run, experiment, plug in.

/** Validates a scenario object, YAML/JSON text, file path or built-in name into a frozen scenario; never changes its input. */
export { loadScenario, isLoaded, type ScenarioLike } from './api/load-scenario.ts';
/** Runs a scenario once: the object `servesim run --json` prints, with progress and an AbortSignal. */
export { run, type RunScenarioOptions } from './api/run.ts';
/** Plug-ins: a routing policy of your own, by name (`routing: { policy: name }`). */
export { registerRouter, unregisterRouter, routingPolicies, type RoutedRequest, type Router, type RouterFactory, type RoutingView, type TokenRoutingView } from './api/plugins.ts';
export { registerDistribution, unregisterDistribution, registerArrivals, unregisterArrivals, type DistributionFactory, type ArrivalsFactory, type PluginArrivals, type PluginParams } from './api/plugins.ts';
/** What a run returns, piece by piece (the JSON contract, src/models/result.ts). */
export type { LatencySummaryMs, SloResult, CostResult, DetailedRun } from './models/index.ts';
export type { Seed, Distribution, Rng } from './engine/index.ts';
export type { Override } from './config/overrides.ts';
/**
 * How to show a figure: every figure's descriptor (path, label, unit, format, which way
 * is better) from the collector that owns it, and the one formatter every renderer uses
 * (`formatFigure(d, figureAt(result, d))` gives "12.3 ms", "99.95%", "$1.23").
 */
export { runCollectorFigures } from './models/metrics/run-collectors.ts';
export { stageCollectorFigures } from './models/metrics/stage-collectors.ts';
export type { FigureDescriptor, FigureFormat } from './models/metrics/figure.ts';
export { figureAt, formatCell, formatFigure, columnHeader } from './report/figures.ts';
