/** Test helper: runs an `LlmReplica` on a list of requests and records what happened to each. */
import { Simulation } from '../../src/engine/index.ts';
import { LlmReplica, type LlmRequestSpec, type LlmSchedulerConfig, type StepTimeModel } from '../../src/models/llm/index.ts';
import type { RefRequest } from './reference.ts';

/** A request as the replica sees it, with its index. */
export interface TestReq extends LlmRequestSpec {
  i: number;
}

/** Per-request times, the steps and the replica (for its counters). */
export interface ReplicaRun {
  firstS: (number | undefined)[];
  finishS: (number | undefined)[];
  rejected: (string | undefined)[];
  steps: { t: number; p: number; d: number; seqs: number }[];
  /** Per step: `[request index, tokens]` in running order. */
  schedule: [number, number][][];
  replica: LlmReplica<TestReq>;
  sim: Simulation;
}

export function runReplica(reqs: RefRequest[], config: LlmSchedulerConfig, time: StepTimeModel, log = false): ReplicaRun {
  const sim = new Simulation({ seed: 1 });
  const run: Omit<ReplicaRun, 'replica'> = {
    firstS: reqs.map(() => undefined),
    finishS: reqs.map(() => undefined),
    rejected: reqs.map(() => undefined),
    steps: [],
    schedule: [],
    sim,
  };
  const replica = new LlmReplica<TestReq>(
    sim,
    config,
    time,
    {
      firstToken: (r, t) => {
        run.firstS[r.i] = t;
      },
      finish: (r, t) => {
        run.finishS[r.i] = t;
      },
      reject: (r, why) => {
        run.rejected[r.i] = why;
      },
    },
    {
      onStep: (t, _dur, seqs, p, d) => {
        run.steps.push({ t, p, d, seqs });
      },
      ...(log
        ? {
            onScheduled: (t: number, r: TestReq, k: number) => {
              const last = run.schedule.at(-1);
              if (last === undefined || run.steps.length === run.schedule.length) run.schedule.push([[r.i, k]]);
              else last.push([r.i, k]);
              void t;
            },
          }
        : {}),
    },
  );
  reqs.forEach((r, i) => {
    const req: TestReq = { i, inputTokens: r.P, outputTokens: r.O, ...(r.group !== undefined ? { prefixGroup: r.group, prefixTokens: r.T ?? 0 } : {}) };
    sim.scheduleAt(r.arrivalS, () => replica.submit(req));
  });
  sim.run();
  return { ...run, replica };
}
