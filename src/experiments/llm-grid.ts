/**
 * A plan or sweep over an LLM fleet's deployment (issue 15): GPU type, TP degree,
 * weight and KV formats, replica count. `llm.<key>` in a `--vary` names a key of the
 * scenario's one roofline LLM stage (`llm.gpu` is `stages.<name>.llm.roofline.gpu`,
 * `llm.replicas` is `stages.<name>.replicas`), and a roofline key the file leaves to its
 * default may still be varied. A configuration whose model does not fit its GPUs (or
 * whose TP does not split the model) is not an error in a grid: `deploymentFit` says so
 * before any simulation, with the memory it needs, and the plan or sweep lists it as
 * "does not fit" beside the others.
 */
import { InputError } from '../config/errors.ts';
import type { LlmStageDescription } from '../config/description.ts';
import { resolveScenario } from '../config/resolve.ts';
import type { Scenario } from '../config/schema.ts';
import { poolDescription } from '../models/llm/stage-engine.ts';
import { kvFit } from '../models/llm/roofline-capacity.ts';
import { rooflineDeployment } from '../models/llm/roofline-deployment.ts';

/** The keys of a stage's `llm.roofline` block (`rooflineSpec`): varied even where the file leaves them to their defaults. */
export const ROOFLINE_KEYS = ['model', 'gpu', 'tp', 'weights', 'kvCache', 'memoryUtilization'] as const;

/** The shorthand keys `llm.<key>` of a `--vary`: the roofline's, and the stage's replica count. */
const SHORTHAND_KEYS: readonly string[] = [...ROOFLINE_KEYS, 'replicas'];

const GIB = 2 ** 30;

/** Why a configuration was skipped without simulation: it cannot be deployed as asked, or (in a priced grid) has no price to compare. */
export interface DoesNotFit {
  /** The stage (and pool, for a disaggregated stage) that cannot be deployed. */
  stage: string;
  /**
   * `memory`: the weights leave no KV block; `split`: the TP degree cannot split the
   * model, or the GPU lacks a figure TP needs; `unpriced`: it fits, but its GPU has no
   * price while others in the grid do (cost would not compare).
   */
  kind: 'memory' | 'split' | 'unpriced';
  /** Each GPU's need and what it may use (GiB, 2^30 bytes), for `memory`. */
  needGiBPerGpu?: number;
  usableGiBPerGpu?: number;
  /** GPUs per replica (the TP degree); null for `unpriced`. */
  gpusPerReplica: number | null;
  /** The smallest larger TP that would fit, for `memory` when one up to 16 does. */
  fitsAtTp?: number;
  /** The refusal in words (what `run` would print). */
  message: string;
}

/**
 * The full path a `--vary` path stands for: `llm.<key>` becomes the key of the scenario's
 * one LLM stage with a roofline; any other path is returned as given. Refused (with what
 * to write instead) when the scenario has no such stage or several.
 */
export function expandGridPath(path: string, raw: Record<string, unknown>): string {
  if (!path.startsWith('llm.')) return path;
  const key = path.slice(4);
  if (!SHORTHAND_KEYS.includes(key)) throw new InputError([`--vary ${path}: llm.<key> names a key of the LLM stage's roofline or its replicas (${SHORTHAND_KEYS.map((k) => `llm.${k}`).join(', ')})`]);
  const stages = Array.isArray(raw.stages) ? (raw.stages as unknown[]) : [];
  const llm = stages.filter((s): s is { name?: unknown; llm: { roofline?: unknown } } => s !== null && typeof s === 'object' && 'llm' in s && (s as { llm?: unknown }).llm !== null && typeof (s as { llm?: unknown }).llm === 'object');
  const roofline = llm.filter((s) => s.llm.roofline !== null && typeof s.llm.roofline === 'object');
  if (roofline.length !== 1 || llm.length !== 1) {
    const why = llm.length === 0 ? 'the scenario has no LLM stage' : llm.length > 1 ? `the scenario has ${llm.length} LLM stages` : 'its LLM stage has no roofline step model (llm.roofline: { model, gpu })';
    throw new InputError([`--vary ${path}: ${why}; write the full path (stages.<name>.llm.roofline.${key === 'replicas' ? 'gpu' : key}, stages.<name>.replicas)`]);
  }
  const s = roofline[0]!;
  const name = typeof s.name === 'string' ? s.name : `[${stages.indexOf(s)}]`;
  const stage = name.startsWith('[') ? `stages${name}` : `stages.${name}`;
  return key === 'replicas' ? `${stage}.replicas` : `${stage}.llm.roofline.${key}`;
}

/** True when `path` is a roofline key of a stage whose `llm.roofline` block exists in `raw` (it may be varied unwritten). */
export function isRooflineDefault(path: string, leaves: ReadonlyArray<{ path: string }>): boolean {
  const m = /^(.*\.llm\.roofline)\.([A-Za-z]+)$/.exec(path);
  return m !== null && (ROOFLINE_KEYS as readonly string[]).includes(m[2]!) && leaves.some((l) => l.path.startsWith(`${m[1]}.`));
}

/**
 * Whether every roofline LLM stage of a validated scenario can be deployed as it asks:
 * its TP splits the model (`rooflineDeployment`) and each GPU holds its share of the
 * weights, the activation reserve and at least one KV block (`kvFit`, the refusal of
 * `run`); each pool of a disaggregated stage on its own GPU and TP. Undefined when all
 * fit; else the first that does not. Replica counts do not enter.
 */
export function deploymentFit(scenario: Scenario): DoesNotFit | undefined {
  const sys = resolveScenario(scenario);
  for (const st of sys.stages) {
    const d = st.llm;
    if (d === null || d.step.kind !== 'roofline') continue;
    const pools: Array<[string, LlmStageDescription]> = d.disaggregated !== null ? [[`${st.name} (prefill pool)`, poolDescription(d, 'prefill')], [`${st.name} (decode pool)`, poolDescription(d, 'decode')]] : [[st.name, d]];
    for (const [stage, pd] of pools) {
      const step = pd.step as Extract<LlmStageDescription['step'], { kind: 'roofline' }>;
      let dep;
      try {
        dep = rooflineDeployment({ model: step.model, gpu: step.gpu, tp: step.tp, weights: step.weights, kvCache: step.kvCache });
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        return { stage, kind: 'split', gpusPerReplica: step.tp, message: e.problems.join('; ') };
      }
      // A given kvBlocks is taken as given by `run` (no memory check): so here.
      if (pd.kvBlocks !== null) continue;
      const fit = kvFit(dep, { utilization: step.memoryUtilization, blockSize: pd.blockSize });
      if ('message' in fit) {
        return {
          stage,
          kind: 'memory',
          needGiBPerGpu: fit.needBytesPerGpu / GIB,
          usableGiBPerGpu: fit.usableBytesPerGpu / GIB,
          gpusPerReplica: step.tp,
          ...(fit.fitsAtTp !== undefined ? { fitsAtTp: fit.fitsAtTp } : {}),
          message: fit.message,
        };
      }
    }
  }
  return undefined;
}

/** The hourly price of one replica of each stage of a validated scenario, summed (0 when none is priced). */
export function pricePerReplicaSet(scenario: Scenario): number {
  return resolveScenario(scenario).stages.reduce((sum, st) => sum + (st.hardware?.entry.usdPerHour ?? 0), 0);
}

/** Short names for varied paths: each path's last key, or the whole path when two share it (`gpu`, `tp`, `replicas`). */
export function shortNames(paths: readonly string[]): string[] {
  const last = paths.map((p) => p.split('.').pop()!);
  return paths.map((p, i) => (last.filter((l) => l === last[i]).length > 1 ? p : last[i]!));
}

/** A grid point's name: `gpu=h200, tp=2, weights=fp8`, in the order of `paths`. */
export function gridLabel(paths: readonly string[], assignment: Record<string, number | string>): string {
  const names = shortNames(paths);
  return paths.map((p, i) => `${names[i]}=${assignment[p]}`).join(', ');
}
