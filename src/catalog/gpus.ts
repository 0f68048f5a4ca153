/**
 * Accelerators for the roofline step model (`src/models/llm/roofline.ts`): peak DENSE
 * tensor FLOP/s per data type (never the 2:4-sparsity figures), memory bandwidth and
 * capacity, the GPU-to-GPU link, and an on-demand price. Every figure carries where it
 * was read; a figure that could not be read from a stored source is `null`, with a note,
 * and the roofline refuses to use it (give your own `GpuSpec`).
 *
 * Units: FLOP/s in TFLOP/s (1e12), bandwidths in GB/s (1e9 bytes/s), memory in GiB (2^30
 * bytes: HBM and GDDR capacities are binary; AWS's catalog lists an "80 GB" H100 as
 * 81,920 MiB and an H200 as 144,384 MiB = 141 GiB).
 */

/** A GPU-to-GPU link. */
export interface GpuInterconnect {
  /** What it is (`NVLink 4`, `PCIe Gen4 x16`). */
  readonly name: string;
  /** Bandwidth per GPU in ONE direction, GB/s (half the bidirectional totals datasheets print); a ring all-reduce moves data at this rate. */
  readonly gbpsPerDirection: number;
  /** Where it was read. */
  readonly source: string;
}

/** An on-demand hourly price. */
export interface GpuPrice {
  /** Price of one GPU-hour: the instance's price divided by its GPUs (derived). */
  readonly usdPerGpuHour: number;
  /** The instance type priced. */
  readonly instance: string;
  /** GPUs in that instance. */
  readonly gpusPerInstance: number;
  /** The instance's hourly price, as listed. */
  readonly instanceUsdPerHour: number;
  /** Where and when it was read. */
  readonly source: string;
}

/** One accelerator's datasheet figures. */
export interface GpuSpec {
  /** Full name. */
  readonly name: string;
  /** Memory capacity, GiB. */
  readonly memoryGiB: number;
  /** Peak memory bandwidth, GB/s. */
  readonly memoryGBps: number;
  /** Peak dense tensor TFLOP/s: `bf16` (= fp16), and `fp8` where the GPU has FP8 tensor cores (absent: no FP8 compute). */
  readonly denseTflops: { readonly bf16: number | null; readonly fp8?: number };
  /** The GPU-to-GPU link for tensor parallelism, or null if not sourced (TP > 1 is then refused). */
  readonly interconnect: GpuInterconnect | null;
  /** On-demand price, or null if not sourced. */
  readonly price: GpuPrice | null;
  /** Where the compute and memory figures were read. */
  readonly source: string;
  /** Caveats and what is missing. */
  readonly notes?: string;
}

/** Day the prices and figures below were read. */
export const GPU_CATALOG_AS_OF = '2026-12-07';

// Prices: AWS on-demand Linux list price in us-east-1, as recorded in SkyPilot's AWS
// catalog (generated from the AWS Price List API), the same stored copy that
// src/catalog/hardware.ts uses.
const AWS_PRICE =
  'AWS on-demand Linux list price, us-east-1, as recorded in skypilot-org/skypilot-catalog catalogs/v7/aws/vms.csv ' +
  `(stored version at commit 001367d2), read ${GPU_CATALOG_AS_OF}`;

function awsPrice(instance: string, gpus: number, usdPerHour: number): GpuPrice {
  return { usdPerGpuHour: usdPerHour / gpus, instance, gpusPerInstance: gpus, instanceUsdPerHour: usdPerHour, source: AWS_PRICE };
}

const KLOCKWOOD_A100 =
  'glennklockwood.com/garden/processors/A100 (citing the NVIDIA A100 datasheet and Ampere whitepaper): dense BF16 ' +
  '312 TFLOP/s (624 sparse), 40 GB 1.555 TB/s, 80 GB 2.039 TB/s, NVLink 300+300 GB/s';
const NVLINK_A100: GpuInterconnect = { name: 'NVLink 3 (SXM4)', gbpsPerDirection: 300, source: KLOCKWOOD_A100 };
const NVLINK_H: GpuInterconnect = {
  name: 'NVLink 4 (SXM5)',
  gbpsPerDirection: 450,
  source:
    'glennklockwood.com/garden/processors/h100 ("900 GB/s NVLink") and MLCommons inference v4.1 NVIDIA H200-SXM system ' +
    'description ("18x 4th Gen NVLink, 900GB/s"); 900 GB/s is the bidirectional total, 450 per direction',
};

/** Catalogued GPUs, by the name a scenario writes (`gpu: h100-sxm`). */
export const GPUS = {
  l4: {
    name: 'NVIDIA L4 24GB (PCIe)',
    memoryGiB: 24,
    memoryGBps: 300,
    denseTflops: { bf16: 121, fp8: 242.5 },
    interconnect: {
      name: 'PCIe Gen4 x16',
      gbpsPerDirection: 32,
      source: 'PCIe 4.0 x16 host interface (store.sourcecode.com L4 listing); Gen4 x16 = 32+32 GB/s (glennklockwood.com A100 page)',
    },
    price: awsPrice('g6.xlarge', 1, 0.8048),
    source:
      'NVIDIA L4 datasheet figures as reproduced by yobitel.com/knowledge-base/nvidia-l4 ("24 GB GDDR6 at 300 GB/s, ' +
      '121 TFLOPS BF16 (242 sparse), 242 TFLOPS FP8 (485 sparse)"); dense FP8 = the datasheet\'s 485 sparse / 2',
    notes: 'The price is a 1-GPU instance; multi-L4 instances (for TP) are priced differently.',
  },
  a10g: {
    name: 'NVIDIA A10G 24GB (AWS G5)',
    memoryGiB: 24,
    memoryGBps: 600,
    denseTflops: { bf16: null },
    interconnect: null,
    price: awsPrice('g5.xlarge', 1, 1.006),
    source: 'baseten.co/blog/nvidia-a10-vs-a10g-for-ml-model-inference ("24 gigabytes of GDDR6 VRAM with a memory bandwidth of 600 gigabytes per second")',
    notes:
      'NVIDIA publishes no datasheet for the AWS-specific A10G and its tensor throughput differs from the A10\'s; no ' +
      'stored source gave its dense BF16 figure or its GPU-to-GPU bandwidth, so both are left out (the roofline refuses ' +
      'the A10G unless you give them).',
  },
  'a100-40gb': {
    name: 'NVIDIA A100 40GB SXM4',
    memoryGiB: 40,
    memoryGBps: 1555,
    denseTflops: { bf16: 312 },
    interconnect: NVLINK_A100,
    price: awsPrice('p4d.24xlarge', 8, 32.7726),
    source: KLOCKWOOD_A100,
    notes: 'No FP8 tensor cores: FP8 weights run weight-only at BF16 compute.',
  },
  'a100-80gb': {
    name: 'NVIDIA A100 80GB SXM4',
    memoryGiB: 80,
    memoryGBps: 2039,
    denseTflops: { bf16: 312 },
    interconnect: NVLINK_A100,
    price: awsPrice('p4de.24xlarge', 8, 40.96575),
    source: KLOCKWOOD_A100,
    notes: 'No FP8 tensor cores: FP8 weights run weight-only at BF16 compute.',
  },
  'h100-sxm': {
    name: 'NVIDIA H100 80GB SXM5',
    memoryGiB: 80,
    memoryGBps: 3350,
    denseTflops: { bf16: 989.4, fp8: 1978.9 },
    interconnect: NVLINK_H,
    price: awsPrice('p5.48xlarge', 8, 98.32),
    source:
      'glennklockwood.com/garden/processors/h100 (citing NVIDIA): BF16 989.4 dense (1978.9 sparse), FP8 1978.9 dense ' +
      '(3957.8 sparse), 80 GB HBM3, 3.35 TB/s',
  },
  h200: {
    name: 'NVIDIA H200 141GB SXM5',
    memoryGiB: 141,
    memoryGBps: 4800,
    denseTflops: { bf16: 989.4, fp8: 1978.9 },
    interconnect: NVLINK_H,
    price: awsPrice('p5en.48xlarge', 8, 84.8),
    source:
      'github.com/alpharomercoma/MI300X-vs-H200 METHODOLOGY.md specification table (BF16 dense 989.4, FP8 dense ' +
      '1978.9 TFLOP/s, HBM 4.8 TB/s, 141 GB)',
    notes: 'p5e.48xlarge has no us-east-1 on-demand price in the catalog copy; p5en.48xlarge (8x H200) is used.',
  },
  mi300x: {
    name: 'AMD Instinct MI300X 192GB (OAM)',
    memoryGiB: 192,
    memoryGBps: 5300,
    denseTflops: { bf16: 1307.4, fp8: 2614.9 },
    interconnect: null,
    price: null,
    source:
      'github.com/alpharomercoma/MI300X-vs-H200 METHODOLOGY.md specification table (BF16 dense 1307.4, FP8 dense ' +
      '2614.9 TFLOP/s, HBM 5.3 TB/s, 192 GB)',
    notes:
      'Infinity Fabric bandwidth: the stored pages disagree or do not cite AMD, so it is left out (TP > 1 refused unless ' +
      'given). Price: not on AWS, and no stored list price was found.',
  },
} as const satisfies Record<string, GpuSpec>;

/** Name of a catalogued GPU. */
export type GpuName = keyof typeof GPUS;
