/** Kind of device a model runs on; latency profiles are given per kind. */
export type DeviceKind = 'cpu' | 'gpu';

/**
 * A machine type one replica runs on. `speed` divides the service time of catalog
 * models on this machine, relative to the reference machine of its device kind
 * (speed 1), on which the model catalog's latency profiles were taken.
 */
export interface HardwareEntry {
  device: DeviceKind;
  /** On-demand price of one instance, US dollars per hour. */
  usdPerHour: number;
  /** Service-time divisor relative to the reference machine of its kind (1 = same speed). */
  speed: number;
  /** What it is, e.g. "4 vCPU Intel Sapphire Rapids, 8 GiB" or "1× NVIDIA A10G 24 GB". */
  description: string;
  /** Where the price came from and when it was read. */
  source: string;
}

/**
 * Latency of one inference call on a batch of `b` requests on the reference machine
 * of a device kind: baseMs + perItemMs × b (a fixed kernel/launch/transfer cost plus
 * a per-item cost, the usual shape on GPUs).
 */
export interface LatencyProfile {
  baseMs: number;
  perItemMs: number;
}

/** A model of the teaching catalog. Its numbers are illustrative defaults a scenario overrides. */
export interface ModelEntry {
  description: string;
  /** Latency profile per device kind (a kind may be missing: the model does not run there). */
  latency: Partial<Record<DeviceKind, LatencyProfile>>;
  /** Offline quality figure, e.g. { metric: 'AUC', value: 0.80 }. */
  quality: { metric: string; value: number };
  /** Where the latency and quality numbers come from (paper, benchmark, or "illustrative"). */
  source: string;
}
