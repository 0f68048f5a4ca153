import { readFileSync } from 'node:fs';
import { InputError } from '../config/errors.ts';
import type { DetailedRun } from '../models/index.ts';
import type { Runner, RunTask } from '../experiments/runner.ts';

/** Which part of a big experiment this process runs: tasks whose index ≡ i (mod n). */
export interface Shard {
  i: number;
  n: number;
}

/** Parses `--shard i/n` (0 ≤ i < n). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const i = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!m || !(n >= 1) || !(i >= 0 && i < n)) throw new InputError([`--shard ${text}: expected i/n with 0 ≤ i < n, e.g. --shard 0/4`]);
  return { i, n };
}

/** A shard's output: the runs it did, to be merged with the other shards' by `servesim merge`. */
export interface PartialResult {
  servesimShard: 1;
  /** The command line that made it, without --shard and --out. */
  argv: string[];
  shard: Shard;
  total: number;
  runs: Array<{ index: number; key: string; run: DetailedRun }>;
}

/** Thrown when a shard has run its part: the CLI writes it instead of a result. */
export class ShardComplete extends Error {
  constructor(readonly partial: Omit<PartialResult, 'argv'>) {
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
 * cannot be split this way; they are refused before they start.
 */
export function shardRunner(inner: Runner, shard: Shard): Runner {
  return async (tasks, onDone) => {
    const mine = tasks.map((t, index) => ({ t, index })).filter(({ index }) => index % shard.n === shard.i);
    const runs = await inner(
      mine.map((m) => m.t),
      onDone,
    );
    throw new ShardComplete({
      servesimShard: 1,
      shard,
      total: tasks.length,
      runs: mine.map((m, k) => ({ index: m.index, key: taskKey(m.t), run: runs[k]! })),
    });
  };
}

/** JSON cannot hold NaN or ±Infinity: they travel as {"$num": "NaN"} so a merge sees the very numbers a run made. */
export function stringifyPartial(p: PartialResult): string {
  return JSON.stringify(p, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? { $num: String(v) } : v));
}

function parsePartial(text: string): PartialResult {
  return JSON.parse(text, (_k, v: unknown) => (v !== null && typeof v === 'object' && '$num' in v && Object.keys(v).length === 1 ? Number((v as { $num: string }).$num) : v)) as PartialResult;
}

/** Reads partial results and checks they are the shards of one experiment, all present. */
export function readPartials(files: readonly string[]): { argv: string[]; runs: Map<number, { key: string; run: DetailedRun }>; total: number } {
  const parts: PartialResult[] = files.map((f) => {
    let p: PartialResult;
    try {
      p = parsePartial(readFileSync(f, 'utf8'));
    } catch (err) {
      throw new InputError([`${f}: cannot read a shard's result: ${(err as Error).message.split('\n')[0]}`]);
    }
    if (p?.servesimShard !== 1) throw new InputError([`${f}: not a shard result (made by a command with --shard i/n)`]);
    return p;
  });
  const first = parts[0]!;
  const seen = new Set<number>();
  parts.forEach((p, k) => {
    if (JSON.stringify(p.argv) !== JSON.stringify(first.argv)) throw new InputError([`${files[k]}: comes from another command (${p.argv.join(' ')}) than ${files[0]} (${first.argv.join(' ')})`]);
    if (p.shard.n !== first.shard.n) throw new InputError([`${files[k]}: is shard ${p.shard.i}/${p.shard.n}, but ${files[0]} is of ${first.shard.n}`]);
    if (seen.has(p.shard.i)) throw new InputError([`${files[k]}: shard ${p.shard.i}/${p.shard.n} is given twice`]);
    seen.add(p.shard.i);
  });
  const missing = Array.from({ length: first.shard.n }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length > 0) throw new InputError([`missing shard(s) ${missing.map((i) => `${i}/${first.shard.n}`).join(', ')}: merge needs every part`]);
  const runs = new Map<number, { key: string; run: DetailedRun }>();
  for (const p of parts) for (const r of p.runs) runs.set(r.index, { key: r.key, run: r.run });
  return { argv: first.argv, runs, total: first.total };
}

/** A runner that serves the merged shards' runs, checking each task is the one that was run. */
export function mergedRunner(runs: Map<number, { key: string; run: DetailedRun }>, total: number): Runner {
  return async (tasks) => {
    if (tasks.length !== total) throw new InputError([`the merged shards hold ${total} runs but the command needs ${tasks.length}: were they made by this version and these files?`]);
    return tasks.map((t, index) => {
      const r = runs.get(index);
      if (r === undefined || r.key !== taskKey(t)) throw new InputError([`run ${index} of the shards does not match the command's (the scenario files changed since the shards ran?)`]);
      return r.run;
    });
  };
}
