/**
 * Worker threads started before the command line's modules load. A worker takes about
 * 0.1 s to load the simulator, and the CLI's own start-up about 0.2 s: started by
 * `bin/servesim.mjs` first, the workers load on the other cores while this thread loads
 * the CLI, and the worker pool (`worker-pool.ts`) takes them instead of starting its own.
 *
 * Only when the command line asks for worker threads by name (`--workers N`, N ≥ 2) or
 * for replications (`--replications N`, N ≥ 2, which use the machine's cores by
 * default): a single run never pays for a thread it will not use. A worker nobody takes
 * (the input was refused, a plug-in keeps the runs in this thread) is unreferenced, so it
 * never holds the process open, and ends with it.
 *
 * PERF: this module imports nothing of the simulator, so it loads in a millisecond.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** Started workers no pool has taken yet. */
const waiting: Worker[] = [];

/** The worker thread's entry, beside this module: in dist/lib a shim over the command line's bundle, in src/cli a tsx shim. */
export function workerEntry(): URL {
  return new URL('./worker-entry.mjs', import.meta.url);
}

/** The value of `--name N` or `--name=N` in `argv` as a count, or undefined. */
function countFlag(argv: readonly string[], name: string): number | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = a === name ? argv[i + 1] : a.startsWith(`${name}=`) ? a.slice(name.length + 1) : undefined;
    if (v !== undefined && /^[0-9]{1,4}$/.test(v)) return Number(v);
  }
  return undefined;
}

/** Starts the worker threads `argv` (the CLI's arguments) will ask for; returns how many. */
export function prestartWorkers(argv: readonly string[]): number {
  const cores = availableParallelism();
  const workers = countFlag(argv, '--workers');
  const replications = countFlag(argv, '--replications');
  if (!(workers !== undefined && workers >= 2) && !(replications !== undefined && replications >= 2)) return 0;
  // Never more than the cores: --force-workers above them is the pool's to start.
  const n = Math.min(workers ?? cores, cores, replications ?? Infinity) - 1;
  for (let i = 0; i < n; i++) {
    const w = new Worker(workerEntry());
    w.unref();
    // Until a pool takes it: a failed start is the pool's to report (it starts its own).
    const gone = () => {
      const k = waiting.indexOf(w);
      if (k >= 0) waiting.splice(k, 1);
    };
    w.on('error', gone);
    w.once('exit', gone);
    waiting.push(w);
  }
  return Math.max(0, n);
}

/** A started worker for a pool to take (referenced again, its own listeners removed), or undefined. */
export function takeStartedWorker(): Worker | undefined {
  const w = waiting.shift();
  if (w === undefined) return undefined;
  w.removeAllListeners('error');
  w.removeAllListeners('exit');
  w.ref();
  return w;
}
