import { InputError } from '../../config/errors.ts';
import { kvHeadsPerGpu, type RooflineDeployment } from './roofline-deployment.ts';
import { KV_BYTES, weightBytes } from './roofline-params.ts';

const GIB = 2 ** 30;

/** How much of each GPU the engine may use, vLLM-style. */
export interface KvCapacityOptions {
  /** Fraction of GPU memory the engine may use [vLLM `gpu_memory_utilization`, default 0.9, vLLM's default]. */
  readonly utilization?: number;
  /**
   * Memory per GPU kept for activations, CUDA graphs and the allocator, GiB (default 1.7).
   * vLLM measures it with a profiling forward pass at the token budget. 1.7 GiB is what
   * the measured vLLM 0.11 run in examples/llm-ground-truth leaves (CodeLlama-34B, one
   * 80 GB H100, utilization 0.9, 4,096 batched tokens: 72 GiB − 62.86 GiB of weights −
   * 7.43 GiB of KV cache); it reproduces that run's 2,537 blocks.
   */
  readonly activationReserveGiB?: number;
  /** Tokens per KV block (default 16, vLLM's default). */
  readonly blockSize?: number;
}

/** KV-cache capacity of one replica, with the per-GPU memory account behind it. */
export interface KvCapacity {
  /** Tokens of context the replica's KV cache holds. */
  readonly tokens: number;
  /** Whole blocks of `blockSize` tokens (what `kvBlocks` of the scheduler is). */
  readonly blocks: number;
  /** Per GPU, bytes: usable (memory × utilization), weights (its 1/tp share), reserve, left for KV. */
  readonly perGpu: { readonly usableBytes: number; readonly weightBytes: number; readonly reserveBytes: number; readonly kvBytes: number };
  /** KV bytes one token takes on each GPU (its KV heads: a share, or one replicated head). */
  readonly kvBytesPerTokenPerGpu: number;
}

/** Why a deployment holds no KV block: the memory each GPU needs against what it may use, and the message. */
export interface KvShortfall {
  /** Bytes each GPU needs: its share of the weights, the reserve and one KV block. */
  readonly needBytesPerGpu: number;
  /** Bytes each GPU may use: memory × utilization. */
  readonly usableBytesPerGpu: number;
  /** The smallest larger tp that would fit, if any up to 16. */
  readonly fitsAtTp: number | undefined;
  /** The refusal as `kvCapacity` words it. */
  readonly message: string;
}

/**
 * KV capacity = (memory × utilization − weights/tp − activation reserve) per GPU, divided
 * by the KV bytes a token takes on that GPU (2 × layers × KV heads per GPU × head dim ×
 * bytes); every GPU of the replica holds the same tokens. A model that leaves no room for
 * one block is refused with the memory it needs per GPU and the smallest tp that would fit.
 */
export function kvCapacity(d: RooflineDeployment, opts: KvCapacityOptions = {}): KvCapacity {
  const fit = kvFit(d, opts);
  if ('message' in fit) throw new InputError([fit.message]);
  return fit;
}

/**
 * `kvCapacity` without the throw for a model that does not fit: its capacity, or the
 * shortfall (what `plan` and `sweep` list as "does not fit" beside the configurations
 * that do). Bad options still throw.
 */
export function kvFit(d: RooflineDeployment, opts: KvCapacityOptions = {}): KvCapacity | KvShortfall {
  const utilization = opts.utilization ?? 0.9;
  const reserveGiB = opts.activationReserveGiB ?? 1.7;
  const blockSize = opts.blockSize ?? 16;
  if (!(utilization > 0 && utilization <= 1)) throw new InputError([`utilization must be in (0, 1], got ${utilization}`]);
  if (!(reserveGiB >= 0)) throw new InputError([`activationReserveGiB must be >= 0, got ${reserveGiB}`]);
  if (!(Number.isInteger(blockSize) && blockSize >= 1)) throw new InputError([`blockSize must be an integer >= 1, got ${blockSize}`]);
  const account = perGpuAccount(d, utilization, reserveGiB);
  const perToken = 2 * d.model.layers * kvHeadsPerGpu(d) * d.model.headDim * KV_BYTES[d.kvCache];
  const tokens = account.kvBytes > 0 ? Math.floor(account.kvBytes / perToken) : 0;
  const blocks = Math.floor(tokens / blockSize);
  if (blocks < 1) {
    const need = account.weightBytes + account.reserveBytes + blockSize * perToken;
    const fits = [2, 4, 8, 16].find((tp) => tp > d.tp && d.model.attentionHeads % tp === 0 && perGpuAccount({ ...d, tp }, utilization, reserveGiB).kvBytes > blockSize * perToken);
    const message =
      `${d.modelName} (${d.weights} weights) does not fit on ${d.gpuName} at tp ${d.tp}: each GPU needs ` +
      `${gib(need)} GiB (weights ${gib(account.weightBytes)} + reserve ${gib(account.reserveBytes)} + one KV block), ` +
      `and ${utilization} × ${d.gpu.memoryGiB} GiB = ${gib(account.usableBytes)} GiB are usable` +
      (fits !== undefined ? `; tp ${fits} would fit` : '') +
      (d.weights === 'bf16' || d.weights === 'fp16' ? '; so might fp8 or int4 weights' : '');
    return { needBytesPerGpu: need, usableBytesPerGpu: account.usableBytes, fitsAtTp: fits, message };
  }
  return { tokens, blocks, perGpu: account, kvBytesPerTokenPerGpu: perToken };
}

function perGpuAccount(d: RooflineDeployment, utilization: number, reserveGiB: number): KvCapacity['perGpu'] {
  const usableBytes = utilization * d.gpu.memoryGiB * GIB;
  const w = weightBytes(d.model, d.weights) / d.tp;
  const reserveBytes = reserveGiB * GIB;
  return { usableBytes, weightBytes: w, reserveBytes, kvBytes: usableBytes - w - reserveBytes };
}

function gib(bytes: number): string {
  return (bytes / GIB).toFixed(1);
}
