/**
 * Experiments as a library: replications, comparisons on common random numbers,
 * sweeps and plans, each returning a typed result; `*Json` gives what the CLI's
 * `--json` prints. The CLI (src/cli/experiments.ts) only loads files, shows progress
 * and renders these results.
 */
export { toScenario, scenarioSource, declaredVariants, expandVariants, variantNamed, type ScenarioSource, type NamedScenario, type VariantSpec } from './variants.ts';
export { inProcessRunner, replicationSeed, rootSeed, runConfigurations, MAX_SIMULATIONS, type ExperimentSettings, type Runner, type RunTask } from './runner.ts';
export { aggregate, estimateAt, type Aggregate, type Estimate, type Estimates, type EstimateTree, type RunEstimates } from './aggregate.ts';
export { replicate, replicateJson, theoryOfAggregate, type ReplicateResult, type ReplicateJson } from './replicate.ts';
export { compare, compareJson, pairedDifferences, COMPARED_FIGURES, type CompareResult, type CompareJson, type CompareVariant, type PairedDifference } from './compare.ts';
export { sweep, sweepJson, sweepValues, analyseSweep, type SweepResult, type SweepJson, type SweepSpec, type SweepCurve, type SweepCurveJson, type SweepVariantsJson, type SweepPoint, type SweepAnalysis, type SweepCrossings, type SweepSkipped } from './sweep.ts';
export { plan, planJson, planCheapest, planConfigurations, describeAssignment, type PlanResult, type PlanJson, type PlanSpec, type PlanPoint, type PlanPointJson, type PlanSearch, type PlanConfigurationJson, type PlanVerdict } from './plan.ts';
export { deploymentFit, type DoesNotFit } from './llm-grid.ts';
export { combinations, parseVary, type Vary } from './vary.ts';
