/**
 * servesim's public API: define a scenario, validate it, run it.
 * The engine (`src/engine`) is exported separately for simulation building blocks.
 */
export { defineScenario, scenarioFromText, parseScenarioText, validateScenario } from './config/parse.ts';
export type { Scenario, ScenarioInput } from './config/schema.ts';
export { InputError } from './config/errors.ts';
export { runScenario, ServingSystem, type RunOptions, type RunResult, type StageResult } from './models/index.ts';
