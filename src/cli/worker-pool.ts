import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { InputError } from '../config/errors.ts';
import { pluginsRegistered } from '../api/plugins.ts';
import type { Runner, RunTask, TaskRun } from '../experiments/runner.ts';
import type { WorkerBatch, WorkerReply } from './worker.ts';
import type { TraceAccess } from './trace-file.ts';
import { takeStartedWorker, workerEntry } from './prestart.ts';

/** A Runner that can also release its threads. */
export type PooledRunner = Runner & { close(): Promise<void> };

/** A batch in progress: where its answers go. */
interface Batch {
  answer(index: number, run: TaskRun): void;
  fail(e: Error): void;
}

/**
 * A Runner on up to `workers` threads (default: the machine's cores), this one
 * included: it starts `workers − 1` worker threads and runs tasks itself beside them.
 * Every thread claims the next task from one shared counter (`Atomics.add`), so a
 * worker goes from one task to the next without waiting for this thread, which may be
 * busy simulating. The threads start on first use and are kept for later calls (a plan
 * runs many small batches) until `close`. Outputs come back in task order, whichever
 * thread ran them. With one worker or one task it runs in this thread only.
 *
 * PERF: this thread simulating while the others start hides their start-up (about
 * 0.15 s of CPU each to load the bundle), and one thread fewer is started: 8
 * replications of the M/M/4 on 2 cores went from 1.55× to about 1.8× one thread's
 * speed, process start-up included (bench/parallel.ts).
 */
export function workerPoolRunner(traces: TraceAccess, fallback: Runner, workers = availableParallelism()): PooledRunner {
  let pool: Worker[] = [];
  let nextBatch = 0;
  let closing = false;
  const batches = new Map<number, Batch>();
  const start = (n: number) => {
    while (pool.length < n) {
      // One started before the CLI loaded (prestart.ts), else a new one.
      const w = takeStartedWorker() ?? new Worker(workerEntry());
      w.on('message', (m: WorkerReply) => {
        const b = batches.get(m.batch);
        if (b === undefined) return;
        if (m.error) b.fail(m.error.problems ? new InputError(m.error.problems) : new Error(m.error.message));
        else b.answer(m.index, m.out as TaskRun);
      });
      // A thread that dies (out of memory, a crash) fails the batches in progress instead
      // of leaving them waiting for an answer that never comes; it leaves the pool, so a
      // later batch (plan runs many) starts a fresh one.
      const fail = (e: Error) => {
        pool = pool.filter((x) => x !== w);
        for (const b of [...batches.values()]) b.fail(e);
      };
      w.on('error', fail);
      w.on('exit', (code) => {
        if (!closing) fail(new Error(`a worker thread stopped unexpectedly (exit code ${code})`));
      });
      pool.push(w);
    }
  };
  const runner = (async (tasks: readonly RunTask[], onDone?: (done: number, total: number) => void) => {
    const n = tasks.length;
    const threads = Math.min(workers, n);
    // Plug-ins (registerRouter, registerDistribution, registerArrivals, e.g. from a .ts scenario) live in this thread only.
    if (threads <= 1 || pluginsRegistered()) return fallback(tasks, onDone);
    start(threads - 1);
    const claim = new Int32Array(new SharedArrayBuffer(4));
    const out = new Array<TaskRun>(n);
    let done = 0;
    let failed: Error | undefined;
    let settle: { resolve: () => void; reject: (e: Error) => void } | undefined;
    const all = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    // Nobody may be waiting on `all` when a failure lands: it is re-thrown below.
    all.catch(() => {});
    const id = nextBatch++;
    const answer = (index: number, run: TaskRun) => {
      out[index] = run;
      done++;
      onDone?.(done, n);
      if (done === n) settle!.resolve();
    };
    batches.set(id, {
      answer,
      fail: (e) => {
        failed ??= e;
        Atomics.store(claim, 0, n);
        settle!.reject(e);
      },
    });
    try {
      const msg: WorkerBatch = { batch: id, tasks, traces, claim: claim.buffer as SharedArrayBuffer };
      for (const w of pool.slice(0, threads - 1)) w.postMessage(msg);
      // This thread claims tasks too; between two, the event loop gets a turn (answers, progress).
      for (;;) {
        const index = Atomics.add(claim, 0, 1);
        if (index >= n || failed !== undefined) break;
        let run: TaskRun;
        try {
          run = (await fallback([tasks[index]!]))[0]!;
        } catch (e) {
          Atomics.store(claim, 0, n);
          throw e;
        }
        answer(index, run);
        await new Promise((r) => setImmediate(r));
      }
      if (failed !== undefined) throw failed;
      await all;
      return out;
    } finally {
      batches.delete(id);
    }
  }) as PooledRunner;
  runner.close = async () => {
    const p = pool;
    pool = [];
    closing = true;
    await Promise.all(p.map((w) => w.terminate()));
    closing = false;
  };
  return runner;
}
