export { Simulation, type SimulationOptions, type Timer } from './simulation.ts';
export { EventHeap, type EventCallback } from './event-heap.ts';
export { RandomStreams, type Rng, type Seed } from './random.ts';
export { RingQueue } from './ring-queue.ts';
export { QuantileSketch, SKETCH_RELATIVE_ACCURACY, type SketchData } from './stats/quantile-sketch.ts';
export { TimeWeighted } from './stats/time-weighted.ts';
export * from './distributions/index.ts';
export { LruCache } from './lru-cache.ts';
export { meanCi95, tCritical95 } from './stats/confidence.ts';
