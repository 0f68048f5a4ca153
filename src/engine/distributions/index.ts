export type { Distribution, Sampler } from './distribution.ts';
export { scv } from './distribution.ts';
export { exponential } from './exponential.ts';
export { deterministic } from './deterministic.ts';
export { uniform } from './uniform.ts';
export { lognormal } from './lognormal.ts';
export { gamma } from './gamma.ts';
export { empirical } from './empirical.ts';
