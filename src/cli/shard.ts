import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { InputError } from '../config/errors.ts';
import type { Override } from '../config/overrides.ts';
import { shownField } from '../config/shown.ts';
import type { Seed } from '../engine/index.ts';
import { QuantileSketch, SKETCH_MAX_KEY, type SketchData } from '../engine/stats/quantile-sketch.ts';
import type { DetailedRun } from '../models/index.ts';
import type { Runner, RunTask } from '../experiments/runner.ts';

/**
 * Part files are DATA from other machines (see "Trust model" in the README): a part
 * carries the experiment as content (the scenarios after topology expansion, the
 * overrides, seed, replications), never a command line, and every number in it is
 * checked before a merge uses it. Nothing in a part names a file merge would open,
 * load or write.
 */

/** Version of the part format; merge refuses any other (format 1 carried a command line; format 2 held DDSketch keys, format 3 the log-linear sketch's). */
export const PART_FORMAT = 3;
/** Most shards an experiment may be split into (a part claiming more is refused before anything is allocated). */
export const MAX_SHARDS = 10_000;
/** Largest part file merge reads. */
export const MAX_PART_BYTES = 256 * 1024 * 1024;

/** Which part of a big experiment this process runs: tasks whose index ≡ i (mod n). */
export interface Shard {
  i: number;
  n: number;
}

/** Parses `--shard i/n` (0 ≤ i < n ≤ MAX_SHARDS). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const i = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!m || !(n >= 1) || !(i >= 0 && i < n)) throw new InputError([`--shard ${shownField(text)}: expected i/n with 0 ≤ i < n, e.g. --shard 0/4`]);
  if (n > MAX_SHARDS) throw new InputError([`--shard ${text}: at most ${MAX_SHARDS.toLocaleString('en-US')} shards`]);
  return { i, n };
}

/** The commands a shard can come from: each rebuilds from an Experiment alone. */
export type ShardCommand = 'run' | 'compare' | 'sweep';

/**
 * An experiment as data: everything merge needs to rebuild the command's output,
 * and nothing that makes it open, load or write a file.
 */
export interface Experiment {
  command: ShardCommand;
  /** The scenario references as given (shown in the output; merge never resolves them). */
  refs: string[];
  /** The raw scenario of each ref, topology shorthands expanded (a .ts scenario's default export as data). */
  scenarios: Array<Record<string, unknown>>;
  /** `--set` overrides, in order. */
  set: Override[];
  /** `run --variant`. */
  variant?: string;
  seed?: Seed;
  /** `--replications` as given (the scenarios' own default is in their content). */
  replications?: number;
  /** `sweep --vary` and `--steps`. */
  vary?: string;
  steps?: number;
}

/** A shard's output: the runs it did, to be merged with the other shards' by `servesim merge`. */
export interface PartialResult {
  servesimShard: typeof PART_FORMAT;
  experiment: Experiment;
  /** sha256 of the experiment's canonical JSON: every part of one experiment carries the same. */
  experimentSha256: string;
  shard: Shard;
  total: number;
  runs: Array<{ index: number; key: string; run: DetailedRun }>;
}

/** What a shard holds once it has run its part; the command adds the experiment. */
export type ShardRuns = Omit<PartialResult, 'experiment' | 'experimentSha256' | 'servesimShard'>;

/** Thrown when a shard has run its part: the CLI writes it instead of a result. */
export class ShardComplete extends Error {
  /** Set by the command that ran (see main.ts): what merge needs to rebuild it. */
  experiment: Experiment | undefined;
  constructor(readonly partial: ShardRuns) {
    super('shard complete');
  }
}

/** A stable fingerprint of a task (FNV-1a over its JSON), so merge can check it matches. */
export function taskKey(t: RunTask): string {
  const text = JSON.stringify({ s: t.scenario, seed: t.seed });
  let h = 0x811c9dc5;
  for (let k = 0; k < text.length; k++) {
    h ^= text.charCodeAt(k);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${h.toString(16)}:${text.length}`;
}

/**
 * A runner that runs only this shard's tasks and then stops the command with a
 * ShardComplete. Commands whose tasks depend on earlier results (plan's bisection)
 * cannot be split this way; they are refused before they start. Neither can a trace
 * replay: merge would have to read the trace to rebuild the theory rows, and merge
 * never opens a file a part names.
 */
export function shardRunner(inner: Runner, shard: Shard): Runner {
  return async (tasks, onDone) => {
    if (tasks.some((t) => t.scenario.arrivals.process === 'trace')) {
      throw new InputError([`--shard: this experiment replays a trace (arrivals.file), and merge never reads a file named inside a part; run it without --shard (or split it by hand into separate runs)`]);
    }
    const mine = tasks.map((t, index) => ({ t, index })).filter(({ index }) => index % shard.n === shard.i);
    const runs = await inner(
      mine.map((m) => m.t),
      onDone,
    );
    throw new ShardComplete({
      shard,
      total: tasks.length,
      runs: mine.map((m, k) => ({ index: m.index, key: taskKey(m.t), run: runs[k]! })),
    });
  };
}

const encodeNumber = (v: unknown): unknown => (typeof v === 'number' && !Number.isFinite(v) ? { $num: String(v) } : v);

/** JSON cannot hold NaN or ±Infinity: they travel as {"$num": "NaN"} so a merge sees the very numbers a run made. */
export function stringifyPartial(p: PartialResult): string {
  return JSON.stringify(p, (_k, v: unknown) => encodeNumber(v));
}

/**
 * JSON with object keys sorted at every level (NaN and ±Infinity as in a part), so the
 * same content always gives the same text, whatever order its keys were built in.
 */
export function canonicalJson(x: unknown): string {
  const v = encodeNumber(x);
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map((e) => (e === undefined || typeof e === 'function' ? 'null' : canonicalJson(e))).join(',')}]`;
  const keys = Object.keys(v)
    .filter((k) => (v as Record<string, unknown>)[k] !== undefined && typeof (v as Record<string, unknown>)[k] !== 'function')
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** The content hash every part of one experiment shares. */
export function experimentHash(e: Experiment): string {
  return createHash('sha256').update(canonicalJson(e)).digest('hex');
}

/** A part as written: the runs with the experiment they belong to and its hash. */
export function makePartial(runs: ShardRuns, experiment: Experiment): PartialResult {
  // The experiment goes through JSON once here, so the hash is of exactly what merge will read.
  const data = parseJson(stringifyPartial({ experiment } as PartialResult)) as { experiment: Experiment };
  return { servesimShard: PART_FORMAT, experiment: data.experiment, experimentSha256: experimentHash(data.experiment), ...runs };
}

function parseJson(text: string): unknown {
  return JSON.parse(text, (_k, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && '$num' in v) {
      const s = (v as { $num: unknown }).$num;
      // Only the three values JSON cannot hold travel this way.
      if (s === 'NaN' || s === 'Infinity' || s === '-Infinity') return Number(s);
    }
    return v;
  });
}

// ---------------------------------------------------------------------------
// Checking a part

/** A located refusal: the part file and the field, then what is wrong. */
class PartProblem extends Error {}

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

const show = (x: unknown): string => shownField(typeof x === 'string' ? JSON.stringify(x) : typeof x === 'number' ? String(x) : (JSON.stringify(x) ?? String(x)), 40);

function fail(field: string, msg: string): never {
  throw new PartProblem(`${field}: ${msg}`);
}

function wholeNumber(x: unknown, field: string, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > max) fail(field, `expected a whole number from 0 to ${max.toLocaleString('en-US')}, got ${show(x)}`);
  return x;
}

/** Keys an override path may not reach: they would change every object, not the scenario. */
const FORBIDDEN_KEY = /(^|[.[\]])(__proto__|constructor|prototype)($|[.[\]])/;

// eslint-disable-next-line no-control-regex -- control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Plain data no deeper than a scenario ever is (deeper nesting would only exhaust the stack later). */
function checkDepth(x: unknown, field: string, depth = 0): void {
  if (depth > 64) fail(field, 'nested too deep for a scenario');
  if (x !== null && typeof x === 'object') for (const v of Object.values(x)) checkDepth(v, field, depth + 1);
}

function checkExperiment(e: unknown): Experiment {
  if (!isObject(e)) fail('experiment', 'missing (parts of this format carry their experiment)');
  if (e.command !== 'run' && e.command !== 'compare' && e.command !== 'sweep') fail('experiment.command', `expected run, compare or sweep, got ${show(e.command)}`);
  const refs = e.refs;
  if (!Array.isArray(refs) || refs.length < 1 || refs.length > 1000 || !refs.every((r) => typeof r === 'string' && r.length > 0 && r.length <= 4096)) {
    fail('experiment.refs', 'expected a list of scenario names');
  }
  if (refs.some((r) => CONTROL.test(r as string))) fail('experiment.refs', 'a scenario name holds control characters');
  if (e.command !== 'compare' && refs.length !== 1) fail('experiment.refs', `${e.command} takes one scenario, got ${refs.length}`);
  if (!Array.isArray(e.scenarios) || e.scenarios.length !== refs.length || !e.scenarios.every(isObject)) fail('experiment.scenarios', 'expected one scenario mapping per ref');
  e.scenarios.forEach((sc, k) => checkDepth(sc, `experiment.scenarios[${k}]`));
  if (!Array.isArray(e.set)) fail('experiment.set', 'expected a list of overrides');
  e.set.forEach((o: unknown, k) => {
    if (!isObject(o) || typeof o.path !== 'string' || o.path.length === 0 || o.path.length > 1000) fail(`experiment.set[${k}]`, 'expected { path, value }');
    if (FORBIDDEN_KEY.test(o.path)) fail(`experiment.set[${k}].path`, `${show(o.path)} reaches a prototype key`);
    checkDepth(o.value, `experiment.set[${k}].value`);
  });
  if (e.variant !== undefined && (typeof e.variant !== 'string' || e.variant.length > 1000 || CONTROL.test(e.variant))) fail('experiment.variant', `expected a name, got ${show(e.variant)}`);
  if (e.seed !== undefined && !((typeof e.seed === 'string' && e.seed.length <= 1000 && !CONTROL.test(e.seed)) || (typeof e.seed === 'number' && Number.isSafeInteger(e.seed)))) fail('experiment.seed', `expected an integer or a string, got ${show(e.seed)}`);
  if (e.replications !== undefined && (wholeNumber(e.replications, 'experiment.replications') < 1)) fail('experiment.replications', 'expected at least 1');
  if (e.command === 'sweep' && (typeof e.vary !== 'string' || e.vary.length > 10_000 || CONTROL.test(e.vary))) fail('experiment.vary', `expected path=lo..hi, got ${show(e.vary)}`);
  if (e.steps !== undefined && wholeNumber(e.steps, 'experiment.steps', 1_000_000) < 1) fail('experiment.steps', 'expected at least 1');
  return e as unknown as Experiment;
}


function checkSketch(s: unknown, field: string): SketchData {
  if (!isObject(s) || !Array.isArray(s.buckets)) fail(field, 'expected a latency sketch { buckets, zeroCount, count, sum, min, max }');
  const zero = wholeNumber(s.zeroCount, `${field}.zeroCount`);
  const count = wholeNumber(s.count, `${field}.count`);
  if (s.buckets.length > SKETCH_MAX_KEY + 1) fail(`${field}.buckets`, 'too many buckets');
  let total = zero;
  let prev = -Infinity;
  s.buckets.forEach((b: unknown, k) => {
    if (!Array.isArray(b) || b.length !== 2) fail(`${field}.buckets[${k}]`, 'expected [key, count]');
    const key = b[0] as unknown;
    if (typeof key !== 'number' || !Number.isInteger(key) || key < 0 || key > SKETCH_MAX_KEY || key <= prev) {
      fail(`${field}.buckets[${k}]`, `expected increasing whole-number keys from 0 to ${SKETCH_MAX_KEY}, got ${show(key)}`);
    }
    prev = key;
    const c = wholeNumber(b[1], `${field}.buckets[${k}] count`);
    if (c === 0) fail(`${field}.buckets[${k}]`, 'empty bucket (a sketch lists only non-empty ones)');
    total += c;
  });
  if (total !== count) fail(`${field}.count`, `is ${count} but its buckets hold ${total}`);
  if (typeof s.sum !== 'number' || !Number.isFinite(s.sum) || s.sum < 0) fail(`${field}.sum`, `expected a finite sum of latencies ≥ 0, got ${show(s.sum)}`);
  if (count === 0) {
    if (s.min !== Infinity || s.max !== -Infinity || s.sum !== 0) fail(field, 'an empty sketch has sum 0, min Infinity and max -Infinity');
  } else if (typeof s.min !== 'number' || typeof s.max !== 'number' || !Number.isFinite(s.min) || !Number.isFinite(s.max) || s.min < 0 || s.min > s.max) {
    fail(`${field}.min`, `expected 0 ≤ min ≤ max, both finite, got min ${show(s.min)}, max ${show(s.max)}`);
  } else if (s.sum < s.min * count * (1 - 1e-9) || s.sum > s.max * count * (1 + 1e-9)) {
    // The sum of count values in [min, max] lies in [count·min, count·max] (slack for rounding).
    fail(`${field}.sum`, `${show(s.sum)} cannot be the sum of ${count} latencies between ${show(s.min)} and ${show(s.max)}`);
  }
  return s as unknown as SketchData;
}

/**
 * Every number of a result: finite and ≥ 0, or NaN (a figure with nothing to measure);
 * strings free of control characters (they reach the terminal). `seed` is checked apart.
 */
function checkTree(x: unknown, field: string, depth: number): void {
  if (depth > 32) fail(field, 'nested too deep');
  if (typeof x === 'number') {
    // NaN (x !== x) is how a figure with nothing to measure travels.
    if (x === x && !(Number.isFinite(x) && x >= 0)) fail(field, `expected a finite figure ≥ 0, got ${show(x)}`);
  } else if (typeof x === 'string') {
    if (x.length > 10_000 || CONTROL.test(x)) fail(field, 'expected one line of plain text');
  } else if (Array.isArray(x)) {
    for (let k = 0; k < x.length; k++) checkTree(x[k], `${field}[${k}]`, depth + 1);
  } else if (isObject(x)) {
    for (const [k, v] of Object.entries(x)) {
      if (k.length > 1000 || CONTROL.test(k)) fail(field, 'a key holds control characters');
      if (!(depth === 0 && k === 'seed')) checkTree(v, `${field}.${k}`, depth + 1);
    }
  } else if (x !== null && typeof x !== 'boolean') fail(field, `unexpected ${typeof x}`);
}

/**
 * The shape of a run's result, as far as merge and every renderer read it: the keys
 * each needs and their types (numbers are judged by checkTree). Keys not listed are
 * allowed (a result gains keys over versions), but must still pass checkTree.
 */
type Shape = 'number' | 'string' | 'boolean' | { obj: Record<string, Shape>; opt?: Record<string, Shape> } | { arr: Shape } | { rec: Shape } | { nullable: Shape };
const N = 'number';
const S = 'string';
const obj = (o: Record<string, Shape>, opt?: Record<string, Shape>): Shape => (opt ? { obj: o, opt } : { obj: o });
const nullable = (x: Shape): Shape => ({ nullable: x });
const arr = (x: Shape): Shape => ({ arr: x });
const trio = obj({ mean: N, p50: N, p99: N });
const STAGE = obj(
  { replicas: N, servers: N, utilization: N, meanQueueLength: N, maxQueueLength: N, queueWaitMs: trio, dropped: N, timedOut: N, completed: N, batchSize: trio, model: nullable(S), hardware: nullable(S), costPerHourUsd: N, quality: nullable(obj({ metric: S, value: N })), meanReplicas: N, maxReplicas: N },
  { scalingDecisions: N, ackMs: trio, lostOldest: N, timeInStageMs: trio, hitRatio: nullable(N), coverage: nullable(N), precomputeJob: obj({ durationS: N, everyS: N, workers: N }, { costUsd: N }), hedgeExtraLoad: N },
);
const SERIES = obj({
  windowS: N,
  warmupEndS: N,
  startS: arr(N),
  arrivals: arr(N),
  completions: arr(N),
  drops: arr(N),
  p50Ms: arr(nullable(N)),
  p99Ms: arr(nullable(N)),
  costPerHourUsd: arr(N),
  stages: { rec: obj({ queueLength: arr(N), replicas: arr(N), utilization: arr(N) }, { hitRatio: arr(nullable(N)) }) },
});
const RESULT = obj({
  scenario: S,
  requests: obj({ arrived: N, completed: N, dropped: N, timedOut: N, inFlight: N }),
  dropRate: N,
  throughputRps: N,
  latencyMs: obj({ mean: N, p50: N, p90: N, p95: N, p99: N, p999: N, max: N }),
  stages: { rec: STAGE },
  cost: obj({ total: N, perHour: N, perMillionRequests: N, paidUtilization: N, unpricedStages: arr(S) }),
  slo: nullable(obj({ target: S, attainment: N, goodputRps: N, met: 'boolean' })),
  quality: nullable(N),
  qualityMetric: nullable(S),
  freshness: nullable(obj({ meanS: N, p50S: N, p99S: N })),
  coverage: nullable(N),
  degradedShare: N,
  hedgeExtraLoad: nullable(N),
  retries: nullable(obj({ attempts: N, retries: N, budgetDenied: N, wastedAnswers: N, attemptsPerRequest: obj({ mean: N, p99: N, max: N }), attemptRatePerRequest: N })),
  timeSeries: SERIES,
  measuredS: N,
  warmupEndS: N,
  endS: N,
  events: N,
  warnings: arr(S),
});

function checkShape(x: unknown, shape: Shape, field: string): void {
  if (typeof shape === 'string') {
    if (typeof x !== shape) fail(field, `expected a ${shape}, got ${x === null ? 'null' : Array.isArray(x) ? 'a list' : typeof x}`);
  } else if ('nullable' in shape) {
    if (x !== null) checkShape(x, shape.nullable, field);
  } else if ('arr' in shape) {
    if (!Array.isArray(x)) fail(field, 'expected a list');
    for (let k = 0; k < x.length; k++) checkShape(x[k], shape.arr, `${field}[${k}]`);
  } else if ('rec' in shape) {
    if (!isObject(x)) fail(field, 'expected a mapping');
    for (const [k, v] of Object.entries(x)) checkShape(v, shape.rec, `${field}.${k}`);
  } else {
    if (!isObject(x)) fail(field, 'expected a mapping');
    for (const [k, s] of Object.entries(shape.obj)) {
      if (!(k in x)) fail(`${field}.${k}`, 'missing');
      checkShape(x[k], s, `${field}.${k}`);
    }
    for (const [k, s] of Object.entries(shape.opt ?? {})) if (k in x) checkShape(x[k], s, `${field}.${k}`);
  }
}

const sameNumber = (a: unknown, b: number): boolean => typeof a === 'number' && (a === b || (a !== a && b !== b));

function checkRun(run: unknown, field: string): DetailedRun {
  if (!isObject(run) || !isObject(run.result)) fail(field, 'expected { result, latency }');
  const r = run.result;
  checkTree(r, `${field}.result`, 0);
  checkShape(r, RESULT, `${field}.result`);
  const ts = r.timeSeries as { startS: unknown[] } & Record<string, unknown>;
  for (const k of ['arrivals', 'completions', 'drops', 'p50Ms', 'p99Ms', 'costPerHourUsd'] as const) {
    if ((ts[k] as unknown[]).length !== ts.startS.length) fail(`${field}.result.timeSeries.${k}`, `has ${(ts[k] as unknown[]).length} windows, startS ${ts.startS.length}`);
  }
  if (!((typeof r.seed === 'string' && r.seed.length <= 2000 && !CONTROL.test(r.seed)) || (typeof r.seed === 'number' && Number.isSafeInteger(r.seed)))) fail(`${field}.result.seed`, `expected an integer or a string, got ${show(r.seed)}`);
  if (!isObject(r.requests)) fail(`${field}.result.requests`, 'missing');
  const q = r.requests;
  const [arrived, completed, dropped, timedOut, inFlight] = (['arrived', 'completed', 'dropped', 'timedOut', 'inFlight'] as const).map((k) => wholeNumber(q[k], `${field}.result.requests.${k}`));
  if (arrived !== completed! + dropped! + inFlight!) fail(`${field}.result.requests`, `arrived (${arrived}) must equal completed + dropped + inFlight (${completed} + ${dropped} + ${inFlight})`);
  if (timedOut! > dropped!) fail(`${field}.result.requests.timedOut`, `${timedOut} is more than dropped (${dropped})`);
  if (!sameNumber(r.dropRate, arrived! > 0 ? dropped! / arrived! : 0)) fail(`${field}.result.dropRate`, `${show(r.dropRate)} is not dropped / arrived`);
  const latency = checkSketch(run.latency, `${field}.latency`);
  if (latency.count !== completed) fail(`${field}.latency.count`, `is ${latency.count} but ${completed} requests completed`);
  // The result's latency figures are read off its sketch: they must be the very numbers the sketch gives.
  const sk = QuantileSketch.fromData(latency);
  const want: Record<string, number> = { mean: sk.mean, p50: sk.quantile(0.5), p90: sk.quantile(0.9), p95: sk.quantile(0.95), p99: sk.quantile(0.99), p999: sk.quantile(0.999), max: sk.max };
  if (!isObject(r.latencyMs)) fail(`${field}.result.latencyMs`, 'missing');
  for (const [k, v] of Object.entries(want)) {
    if (!sameNumber(r.latencyMs[k], v * 1000)) fail(`${field}.result.latencyMs.${k}`, `${show(r.latencyMs[k])} ms is not what the run's latency sketch gives (${show(v * 1000)} ms)`);
  }
  return run as unknown as DetailedRun;
}

/** How many of `total` tasks shard i of n runs: indices i, i+n, i+2n, … below total. */
function tasksOfShard(total: number, s: Shard): number {
  return s.i < total ? Math.floor((total - 1 - s.i) / s.n) + 1 : 0;
}

/** Checks a parsed part; throws PartProblem naming the first bad field. */
export function checkPart(p: unknown): PartialResult {
  if (!isObject(p) || !('servesimShard' in p)) fail('servesimShard', 'missing: not a shard result (made by a command with --shard i/n)');
  if (p.servesimShard !== PART_FORMAT) fail('servesimShard', `is format ${show(p.servesimShard)}; this servesim reads format ${PART_FORMAT}: run the shards again with this version`);
  const experiment = checkExperiment(p.experiment);
  if (typeof p.experimentSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(p.experimentSha256)) fail('experimentSha256', 'expected a sha256 in hex');
  if (experimentHash(experiment) !== p.experimentSha256) fail('experimentSha256', 'does not match the experiment the part carries (the part was changed after it was written)');
  if (!isObject(p.shard)) fail('shard', 'expected { i, n }');
  const n = wholeNumber(p.shard.n, 'shard.n', MAX_SHARDS);
  const i = wholeNumber(p.shard.i, 'shard.i', MAX_SHARDS);
  if (n < 1 || i >= n) fail('shard', `expected 0 ≤ i < n, got ${i}/${n}`);
  const total = wholeNumber(p.total, 'total');
  if (!Array.isArray(p.runs)) fail('runs', 'expected a list');
  const expected = tasksOfShard(total, { i, n });
  if (p.runs.length !== expected) fail('runs', `shard ${i}/${n} of ${total} runs must hold ${expected}, holds ${p.runs.length}`);
  let prev = -1;
  p.runs.forEach((r: unknown, k) => {
    const field = `runs[${k}]`;
    if (!isObject(r)) fail(field, 'expected { index, key, run }');
    const index = wholeNumber(r.index, `${field}.index`, total - 1);
    if (index % n !== i || index <= prev) fail(`${field}.index`, `${index} is not the next run of shard ${i}/${n}`);
    prev = index;
    if (typeof r.key !== 'string' || !/^[0-9a-f]{1,8}:\d{1,12}$/.test(r.key)) fail(`${field}.key`, 'expected a task fingerprint');
    checkRun(r.run, `${field}.run`);
  });
  return p as unknown as PartialResult;
}

/** Reads one part file: a regular file within the size limit, JSON, then every field checked. */
function readPart(file: string): PartialResult {
  const name = shownField(file, 200);
  let text: string;
  try {
    // O_NONBLOCK: a FIFO or device opens without waiting, and is then refused as not a file.
    const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) throw new InputError([`${name}: not a regular file (a part is a file written by --shard i/n --out)`]);
      if (st.size > MAX_PART_BYTES) throw new InputError([`${name}: ${(st.size / 2 ** 20).toFixed(0)} MB is over the ${MAX_PART_BYTES / 2 ** 20} MB limit for a part`]);
      text = readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError([`${name}: cannot read the part (${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'a directory' : (code ?? 'unreadable')})`]);
  }
  let parsed: unknown;
  try {
    parsed = parseJson(text);
  } catch (err) {
    // Node's message may quote the file's first bytes: say where, never what.
    const msg = (err as Error).message;
    const at = /at position (\d+)/.exec(msg)?.[1];
    const where = at !== undefined ? ` (at byte ${at})` : /end of JSON/.test(msg) ? ' (it ends early: cut off?)' : '';
    throw new InputError([`${name}: not a part: cannot read it as JSON${where}`]);
  }
  try {
    return checkPart(parsed);
  } catch (err) {
    if (err instanceof PartProblem) throw new InputError([`${name}: ${err.message}`]);
    if (err instanceof RangeError) throw new InputError([`${name}: not a part: nested too deep`]);
    throw err;
  }
}

/** The merged shards: the experiment they share and every run by its task index. */
export interface MergedParts {
  experiment: Experiment;
  runs: Map<number, { key: string; run: DetailedRun }>;
  total: number;
  /** The first part's name, for messages. */
  source: string;
}

/** Reads partial results and checks they are the shards of one experiment, all present. */
export function readPartials(files: readonly string[]): MergedParts {
  const parts = files.map(readPart);
  const first = parts[0]!;
  const name = (k: number) => shownField(files[k]!, 200);
  const seen = new Set<number>();
  parts.forEach((p, k) => {
    if (p.experimentSha256 !== first.experimentSha256) throw new InputError([`${name(k)}: comes from another experiment than ${name(0)} (experimentSha256 ${p.experimentSha256.slice(0, 12)}… ≠ ${first.experimentSha256.slice(0, 12)}…)`]);
    if (p.shard.n !== first.shard.n) throw new InputError([`${name(k)}: is shard ${p.shard.i}/${p.shard.n}, but ${name(0)} is of ${first.shard.n}`]);
    if (p.total !== first.total) throw new InputError([`${name(k)}: total: ${p.total} runs, but ${name(0)} says ${first.total}`]);
    if (seen.has(p.shard.i)) throw new InputError([`${name(k)}: shard ${p.shard.i}/${p.shard.n} is given twice`]);
    seen.add(p.shard.i);
  });
  // n ≤ MAX_SHARDS and every part was given: this list is at most that long.
  const missing: string[] = [];
  for (let i = 0; i < first.shard.n && missing.length < 10; i++) if (!seen.has(i)) missing.push(`${i}/${first.shard.n}`);
  if (missing.length > 0) throw new InputError([`missing shard(s) ${missing.join(', ')}${first.shard.n - seen.size > missing.length ? ', …' : ''}: merge needs every part`]);
  const runs = new Map<number, { key: string; run: DetailedRun }>();
  for (const p of parts) for (const r of p.runs) runs.set(r.index, { key: r.key, run: r.run });
  return { experiment: first.experiment, runs, total: first.total, source: name(0) };
}

/** A runner that serves the merged shards' runs, checking each task is the one that was run. */
export function mergedRunner(runs: Map<number, { key: string; run: DetailedRun }>, total: number): Runner {
  return async (tasks) => {
    if (tasks.some((t) => t.scenario.arrivals.process === 'trace')) {
      throw new InputError([`the parts' experiment replays a trace (arrivals.file): merge never opens a file named inside a part, and shards of a trace replay are never written`]);
    }
    if (tasks.length !== total) throw new InputError([`the merged shards hold ${total} runs but their experiment needs ${tasks.length}: were they made by this version of servesim?`]);
    return tasks.map((t, index) => {
      const r = runs.get(index);
      if (r === undefined || r.key !== taskKey(t) || r.run.result.seed !== t.seed) throw new InputError([`run ${index} of the shards is not the run their experiment asks for (made by another version of servesim?)`]);
      // A result has one entry per stage of its scenario, in order: renderers look each up.
      const names = t.scenario.stages.map((st) => st.name).join('\n');
      if (Object.keys(r.run.result.stages).join('\n') !== names || Object.keys(r.run.result.timeSeries.stages).join('\n') !== names) {
        throw new InputError([`run ${index} of the shards: its stages are not its scenario's (${t.scenario.stages.length} stages)`]);
      }
      return r.run;
    });
  };
}
