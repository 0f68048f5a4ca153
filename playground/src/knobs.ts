/**
 * The scenario's main knobs, found in its (expanded, unvalidated) raw form: each knob is a
 * `--set`-style path that exists in the scenario (arrivals.qps, stages.<name>.replicas,
 * ...), its value in the file, and the range a control offers. Only what the scenario has
 * gets a knob, so a teacher's file shows the handles its lesson needs. Pure: no DOM.
 */
import { GPUS } from '../../src/catalog/gpus.ts';
import { DEFAULT_HARDWARE } from '../../src/catalog/hardware.ts';
import { LLM_MODELS } from '../../src/catalog/llm-models.ts';
import { LLM_PROFILES } from '../../src/catalog/llm-profiles.ts';
import { LLM_DEFAULTS } from '../../src/config/llm-schema.ts';
import { ROOFLINE_DEFAULTS } from '../../src/config/resolve-llm.ts';
import type { Override } from '../../src/config/overrides.ts';
import { fmtCount } from '../../src/report/figures.ts';

/** A slider over numbers (linear, or logarithmic for values spanning decades), or a list of choices. */
export type KnobControl =
  | { kind: 'range'; min: number; max: number; step: number }
  | { kind: 'log-range'; min: number; max: number; integer: boolean }
  | { kind: 'select'; options: Array<{ value: string | number; label: string }> }
  | { kind: 'number'; min: number; step: number };

/** One knob: the path it sets, where it is shown, and its value in the scenario file. */
export interface Knob {
  path: string;
  /** Stage name, or "Traffic" / "Run" for scenario-wide knobs. */
  group: string;
  label: string;
  /** Short explanation shown as the control's tooltip. */
  help: string;
  base: number | string;
  control: KnobControl;
  /** Units shown after the value ("req/s"). */
  unit?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The step of the 1-2-5 series nearest above `x` (0.02, 0.05, 0.1, 1, 2, 5, ...). */
export function niceStep(x: number): number {
  if (!(x > 0)) return 1;
  const e = Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) {
    const s = +(m * 10 ** e).toPrecision(12);
    if (s >= x) return s;
  }
  return 10 ** (e + 1);
}

/** Rounds to the decimals of `step`, so a slider's 0.1 + 0.2 reads 0.3. */
export function roundToStep(x: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return +(Math.round(x / step) * step).toFixed(decimals);
}

/** Run lengths offered by the requests knob (any above the warm-up; the file's own is added). */
const REQUEST_COUNTS = [10_000, 20_000, 50_000, 100_000, 200_000, 400_000, 1_000_000, 2_000_000, 5_000_000];
const BATCH_SIZES = [1, 2, 4, 8, 16, 32, 64, 128, 256];
/** The LLM scheduler's limits offered (vLLM's max_num_seqs and max_num_batched_tokens); the file's own are added. */
const MAX_SEQS = [16, 32, 64, 128, 256, 512, 1024];
const BATCHED_TOKENS = [512, 1024, 2048, 4096, 8192, 16384, 32768];
const TP_DEGREES = [1, 2, 4, 8];
const WEIGHT_TYPES = ['bf16', 'fp16', 'fp8', 'int4'];
const KV_TYPES = ['bf16', 'fp16', 'fp8'];

/**
 * Whether the scenario validates with `value` at `path` (and everything else as the file
 * says). A select offers only such values: a roofline model that does not fit the
 * file's GPU at its TP is not offered, rather than offered and refused.
 */
export type Accepts = (path: string, value: number | string) => boolean;

/** A select over `choices` plus the file's own value, keeping those `accepts` takes (the file's always stays). */
function selectOf(path: string, base: number | string, choices: ReadonlyArray<number | string>, accepts: Accepts | undefined): KnobControl {
  const all = [...new Set([base, ...choices])].filter((v) => v === base || accepts === undefined || accepts(path, v));
  if (all.every((v) => typeof v === 'number')) (all as number[]).sort((a, b) => a - b);
  return { kind: 'select', options: all.map((v) => ({ value: v, label: typeof v === 'number' ? fmtCount(v) : v })) };
}

/** The knobs of an LLM stage's `llm:` block: its step-time model's choices and the scheduler's limits. */
function llmKnobs(stage: string, llm: Obj, accepts: Accepts | undefined): Knob[] {
  const at = (key: string) => `stages.${stage}.llm.${key}`;
  const group = `Stage ${stage}`;
  const knobs: Knob[] = [];
  const select = (key: string, label: string, help: string, base: number | string, choices: ReadonlyArray<number | string>) =>
    knobs.push({ path: at(key), group, label, help, base, control: selectOf(at(key), base, choices, accepts) });
  if (typeof llm.profile === 'string') {
    select('profile', 'Profile', 'Published step-time coefficients for a (model, GPU, TP) combination, with its KV blocks.', llm.profile, Object.keys(LLM_PROFILES));
  }
  const roof = llm.roofline;
  if (isObj(roof) && typeof roof.model === 'string' && typeof roof.gpu === 'string') {
    const r = (key: string) => `roofline.${key}`;
    select(r('model'), 'Model', 'Open model from the catalog (docs/catalog.md); one that does not fit this GPU at this TP is not offered.', roof.model, Object.keys(LLM_MODELS));
    select(r('gpu'), 'GPU', 'Accelerator from the catalog: its FLOP/s, memory bandwidth and capacity, and price.', roof.gpu, Object.keys(GPUS));
    select(r('tp'), 'Tensor parallel', 'GPUs per replica (tp): it divides the step\'s compute and memory and adds all-reduces.', isNum(roof.tp) ? roof.tp : ROOFLINE_DEFAULTS.tp, TP_DEGREES);
    select(r('weights'), 'Weights', 'Weight precision: fewer bytes read per step and more room for the KV cache, at the quality figure\'s cost.', typeof roof.weights === 'string' ? roof.weights : ROOFLINE_DEFAULTS.weights, WEIGHT_TYPES);
    select(r('kvCache'), 'KV cache', 'KV cache precision: fp8 halves its bytes, so twice the blocks fit.', typeof roof.kvCache === 'string' ? roof.kvCache : roof.weights === 'fp16' ? 'fp16' : 'bf16', KV_TYPES);
  }
  select('maxNumSeqs', 'Max sequences', 'Sequences a replica runs in one step at most (vLLM\'s max_num_seqs).', isNum(llm.maxNumSeqs) ? llm.maxNumSeqs : LLM_DEFAULTS.maxNumSeqs, MAX_SEQS);
  select('maxBatchedTokens', 'Max batched tokens', 'Tokens one step processes at most (vLLM\'s max_num_batched_tokens): the prefill chunk.', isNum(llm.maxBatchedTokens) ? llm.maxBatchedTokens : LLM_DEFAULTS.maxBatchedTokens, BATCHED_TOKENS);
  return knobs;
}

/**
 * The knobs of a raw scenario (topology shorthands already expanded), in display order:
 * traffic, run length and seed, then per stage. A hardware knob offers the catalog's
 * entries and the scenario's own.
 */
export function findKnobs(raw: Obj, accepts?: Accepts): Knob[] {
  const knobs: Knob[] = [];
  const arrivals = raw.arrivals;
  if (isObj(arrivals) && isNum(arrivals.qps) && arrivals.qps > 0) {
    const q = arrivals.qps;
    const step = niceStep((2 * q) / 400);
    knobs.push({
      path: 'arrivals.qps',
      group: 'Traffic',
      label: 'QPS',
      help: `Mean arrival rate (arrivals.qps); the file says ${q}.`,
      base: q,
      unit: 'req/s',
      control: { kind: 'range', min: step, max: roundToStep(2 * q, step), step },
    });
  }
  const stop = raw.stop;
  if (isObj(stop) && isNum(stop.requests)) {
    const warm = isObj(raw.warmup) && isNum(raw.warmup.requests) ? raw.warmup.requests : 0;
    const counts = [...new Set([...REQUEST_COUNTS, stop.requests])].filter((n) => n > warm).sort((a, b) => a - b);
    knobs.push({
      path: 'stop.requests',
      group: 'Run',
      label: 'Requests',
      help: `Arrivals before the run stops, warm-up included (stop.requests); the file says ${fmtCount(stop.requests)}.`,
      base: stop.requests,
      control: { kind: 'select', options: counts.map((n) => ({ value: n, label: fmtCount(n) })) },
    });
  }
  knobs.push({
    path: 'seed',
    group: 'Run',
    label: 'Seed',
    help: 'Root seed of the run: the same scenario and seed give the same numbers, here and in the CLI.',
    base: typeof raw.seed === 'number' || typeof raw.seed === 'string' ? raw.seed : 1,
    control: { kind: 'number', min: 0, step: 1 },
  });

  const own = isObj(raw.hardware) ? Object.keys(raw.hardware) : [];
  const hardwareNames = [...new Set([...Object.keys(DEFAULT_HARDWARE), ...own])];
  const stages = Array.isArray(raw.stages) ? raw.stages : [];
  for (const st of stages) {
    if (!isObj(st) || typeof st.name !== 'string') continue;
    const at = (key: string) => `stages.${st.name}.${key}`;
    const group = `Stage ${st.name}`;
    const auto = isObj(st.autoscale) ? st.autoscale : undefined;
    if (isNum(st.replicas)) {
      const lo = auto && isNum(auto.min) ? auto.min : 1;
      const hi = auto && isNum(auto.max) ? auto.max : Math.max(2 * st.replicas, st.replicas + 8);
      knobs.push({
        path: at('replicas'),
        group,
        label: auto ? 'Replicas at start' : 'Replicas',
        help: auto ? 'Replicas when the run starts; the autoscaler moves them within [min, max].' : 'Identical replicas behind the stage\'s queue.',
        base: st.replicas,
        control: { kind: 'range', min: lo, max: Math.max(hi, st.replicas), step: 1 },
      });
    }
    if (typeof st.hardware === 'string') {
      const names = hardwareNames.includes(st.hardware) ? hardwareNames : [st.hardware, ...hardwareNames];
      knobs.push({
        path: at('hardware'),
        group,
        label: 'Hardware',
        help: 'Instance type: its price, device kind and speed (a catalog model takes its latency from it).',
        base: st.hardware,
        control: { kind: 'select', options: names.map((n) => ({ value: n, label: n })) },
      });
    }
    const batching = st.batching;
    if (isObj(batching) && isNum(batching.maxBatch)) {
      const sizes = [...new Set([...BATCH_SIZES, batching.maxBatch])].sort((a, b) => a - b);
      knobs.push({
        path: at('batching.maxBatch'),
        group,
        label: 'Max batch',
        help: 'Largest batch a replica starts (batching.maxBatch).',
        base: batching.maxBatch,
        control: { kind: 'select', options: sizes.map((n) => ({ value: n, label: String(n) })) },
      });
    }
    const cache = st.cache;
    if (isObj(cache) && isNum(cache.capacity)) {
      const c = Math.max(cache.capacity, 1);
      knobs.push({
        path: at('cache.capacity'),
        group,
        label: 'Cache size',
        help: 'Keys the LRU cache holds (cache.capacity).',
        base: cache.capacity,
        unit: 'keys',
        control: { kind: 'log-range', min: Math.max(1, Math.round(c / 100)), max: Math.round(c * 10), integer: true },
      });
    }
    if (isObj(st.llm)) knobs.push(...llmKnobs(st.name, st.llm, accepts));
    if (auto && isNum(auto.target)) {
      const t = auto.target;
      const utilization = auto.metric === 'utilization';
      const step = utilization ? 0.05 : niceStep(t / 20);
      knobs.push({
        path: at('autoscale.target'),
        group,
        label: 'Autoscaler target',
        help: `The autoscaler's target for its metric (${String(auto.metric)}).`,
        base: t,
        control: utilization ? { kind: 'range', min: 0.05, max: Math.max(1, t), step } : { kind: 'range', min: step, max: roundToStep(Math.max(3 * t, t + 5 * step), step), step },
      });
    }
  }
  return knobs;
}

/** Knob values as overrides, only those that differ from the file (in knob order). */
export function overridesOf(knobs: readonly Knob[], values: ReadonlyMap<string, number | string>): Override[] {
  const out: Override[] = [];
  for (const k of knobs) {
    const v = values.get(k.path);
    if (v !== undefined && v !== k.base) out.push({ path: k.path, value: v });
  }
  return out;
}

/** A value as `--set` reads it back (YAML): strings that would read as something else are quoted. */
function setValue(v: unknown): string {
  if (typeof v === 'number') return String(v);
  const s = String(v);
  return /^[A-Za-z0-9_.\-/]+$/.test(s) && !/^[-+]?[0-9.]/.test(s) && !['true', 'false', 'null', 'yes', 'no'].includes(s) ? s : JSON.stringify(s);
}

/** The command that gives the same numbers: `npx servesim run <ref> --set path=value ...`. */
export function cliCommand(ref: string, overrides: readonly Override[]): string {
  const quote = (s: string) => (/^[A-Za-z0-9_.\-/=]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return ['npx servesim run', quote(ref), ...overrides.map((o) => `--set ${quote(`${o.path}=${setValue(o.value)}`)}`)].join(' ');
}
