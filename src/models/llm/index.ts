export { LlmReplica, type LlmReplicaHooks } from './llm-replica.ts';
export { LlmCounters } from './counters.ts';
export { BlockPool } from './block-pool.ts';
export { coefficientStepTime, type StepTimeModel, type StepCoefficients, type StepContext } from './step-time.ts';
export { tableStepTime, type StepTimeTable } from './step-time-table.ts';
export { noisyStepTime } from './step-noise.ts';
export type { LlmSchedulerConfig, LlmRequestSpec, LlmListener, LlmRejectReason } from './types.ts';
