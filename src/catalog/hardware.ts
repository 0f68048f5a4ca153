import type { HardwareEntry } from './types.ts';

/**
 * Day the default prices were read (from a stored copy of the source below; the
 * copy's own crawl date is not known). Prices drift: a scenario should override them.
 */
export const HARDWARE_PRICES_AS_OF = '2026-11-26';

// Every price is the AWS on-demand Linux list price in us-east-1 (N. Virginia),
// shared tenancy, as recorded in SkyPilot's AWS catalog, which is generated from
// the AWS Price List API: github.com/skypilot-org/skypilot-catalog,
// catalogs/v7/aws/vms.csv (stored version at commit 001367d2). Read on the date above.
const PRICE_SOURCE =
  'AWS on-demand Linux list price, us-east-1, as recorded in SkyPilot catalog ' +
  'skypilot-org/skypilot-catalog catalogs/v7/aws/vms.csv (generated from the AWS Price List API; ' +
  'stored version at commit 001367d2), read 2026-11-26';

/**
 * Default instance types, by the name a scenario writes (`hardware: g5.xlarge`).
 * Illustrative defaults: prices are AWS on-demand list prices (see `source`), speeds
 * are rough factors; a scenario's `hardware:` key adds or replaces entries.
 */
export const DEFAULT_HARDWARE = {
  // Reference CPU (speed 1): the model catalog's CPU latencies are taken on it.
  'c7i.xlarge': {
    device: 'cpu',
    usdPerHour: 0.1785,
    speed: 1,
    description: '4 vCPU Intel Xeon Sapphire Rapids (c7i), 8 GiB',
    source: PRICE_SOURCE,
  },
  // Bigger sizes of the same generation keep speed 1: one request does not run
  // faster on more cores, the instance only serves more at once. That is
  // concurrency, which a scenario expresses as replicas, not as speed.
  'c7i.2xlarge': {
    device: 'cpu',
    usdPerHour: 0.357,
    speed: 1,
    description: '8 vCPU Intel Xeon Sapphire Rapids (c7i), 16 GiB',
    source: PRICE_SOURCE,
  },
  'c7i.4xlarge': {
    device: 'cpu',
    usdPerHour: 0.714,
    speed: 1,
    description: '16 vCPU Intel Xeon Sapphire Rapids (c7i), 32 GiB',
    source: PRICE_SOURCE,
  },
  // Same Sapphire Rapids cores as c7i, with 4 GiB per vCPU instead of 2: speed 1,
  // more memory for large embedding tables, at a higher price.
  'm7i.2xlarge': {
    device: 'cpu',
    usdPerHour: 0.4032,
    speed: 1,
    description: '8 vCPU Intel Xeon Sapphire Rapids (m7i), 32 GiB',
    source: PRICE_SOURCE,
  },
  // T4 (Turing) vs the A10G reference: about half the memory bandwidth (320 vs
  // 600 GB/s); AWS measured G5 at up to ~4x G4dn inference throughput on BERT and
  // ResNet (AWS ML blog, 2022, "Achieve four times higher ML inference throughput ...
  // with Amazon EC2 G5 instances"). 0.4 sits between the bandwidth ratio and that
  // best case. Illustrative.
  'g4dn.xlarge': {
    device: 'gpu',
    usdPerHour: 0.526,
    speed: 0.4,
    description: '1x NVIDIA T4 16 GB, 4 vCPU, 16 GiB',
    source: PRICE_SOURCE,
  },
  // Reference GPU (speed 1): the model catalog's GPU latencies are taken on it.
  'g5.xlarge': {
    device: 'gpu',
    usdPerHour: 1.006,
    speed: 1,
    description: '1x NVIDIA A10G 24 GB, 4 vCPU, 16 GiB',
    source: `${PRICE_SOURCE}; same $1.006/h quoted for June 2026 by factualminds.com, "Amazon EC2 On-Demand Pricing ... (2026)"`,
  },
  // L4 (Ada, 242 sparse / 121 dense FP16 tensor TFLOPS) vs A10G (Ampere): newer
  // tensor cores but half the memory bandwidth (300 vs 600 GB/s); small ranking
  // models are mostly bandwidth-bound, so a little slower overall. Illustrative.
  'g6.xlarge': {
    device: 'gpu',
    usdPerHour: 0.8048,
    speed: 0.9,
    description: '1x NVIDIA L4 24 GB, 4 vCPU, 16 GiB',
    source: PRICE_SOURCE,
  },
} as const satisfies Record<string, HardwareEntry>;

/** Name of a default instance type. */
export type HardwareName = keyof typeof DEFAULT_HARDWARE;
