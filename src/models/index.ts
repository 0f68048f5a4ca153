export { ServingSystem, runScenario, type RunOptions } from './serving-system.ts';
export type { RunResult, StageResult, LatencySummaryMs } from './result.ts';
export { PoolStage, type PoolStageConfig } from './pool-stage.ts';
export { Request, type RequestSink } from './request.ts';
export { makeArrivals, arrivalRegistry, type ArrivalProcess } from './arrivals/index.ts';
export { makeDistribution, distributionRegistry } from './service-distribution.ts';
export { overloadWarnings } from './load-check.ts';
