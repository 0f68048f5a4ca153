/**
 * Planning at internet scale (issue 13): `servesim plan` for a shared-queue pool at
 * 1M requests/s, 60 s of traffic, "p99<30ms", replicas 5000..6000
 * (bench/scenarios/pool-1m.yaml: exponential service of 5.45 ms, so 5,450 replicas'
 * worth of work), the whole CLI process timed with 2 worker threads. Target: under
 * 60 s wall, with the answer the full bisection gives (FULL_BISECTION_ANSWER, measured
 * with `--full-bisection`, see bench/README.md), timed twice: with `--statistical-stop`
 * (a probe stops once its verdict is decided at 95 %: the issue's design, the target)
 * and with plan's default (only certain stops). `PLAN_1M_FULL=1` also runs the full
 * bisection (tens of minutes) and reports its answer.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isMain, runStandalone, type Benchmark, type Figure } from './harness.ts';

const SCENARIO = fileURLToPath(new URL('./scenarios/pool-1m.yaml', import.meta.url));
const CLI = fileURLToPath(new URL('../bin/servesim.mjs', import.meta.url));
const ARGS = ['plan', SCENARIO, '--slo', 'p99<30ms', '--vary', 'stages.model.replicas=5000..6000', '--json'];
/**
 * The full bisection's answer on this scenario (bench/README.md, "Planning at 1M QPS"):
 * 5,451, the first stable count (5,450 is refused as overloaded: ρ = 1).
 */
export const FULL_BISECTION_ANSWER = 5451;

interface PlanOut {
  best: { assignment: Record<string, number> } | null;
  simulations: number;
  refusedWithoutSimulation: number;
  stoppedEarly: number;
}

/** Runs the CLI's plan with extra flags: its wall time and its JSON. */
function timedPlan(extra: readonly string[]): { wallS: number; out: PlanOut } {
  const t0 = performance.now();
  const res = spawnSync(process.execPath, [CLI, ...ARGS, ...extra], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const wallS = (performance.now() - t0) / 1000;
  if (res.status !== 0) throw new Error(`plan ${extra.join(' ')} exited with ${res.status ?? res.signal}: ${res.stderr}`);
  return { wallS, out: JSON.parse(res.stdout) as PlanOut };
}

const answerOf = (o: PlanOut) => o.best?.assignment['stages.model.replicas'] ?? NaN;

export const plan1m: Benchmark = {
  name: 'plan-1m',
  description: 'plan at 1M QPS: 5000..6000 shared-queue replicas, 60 s of traffic, p99<30ms, 2 worker threads',
  run(): Figure[] {
    // The design: a probe stops once its verdict is decided at 95 % (rule 2, opt-in in the CLI).
    const at95 = timedPlan(['--workers', '2', '--statistical-stop']);
    // plan's default: a probe stops only once its verdict is certain (rule 1).
    const certain = timedPlan(['--workers', '2']);
    const a95 = answerOf(at95.out);
    const aCertain = answerOf(certain.out);
    const summary = (o: PlanOut) => `${o.simulations} simulated, ${o.stoppedEarly} stopped early, ${o.refusedWithoutSimulation} refused as overloaded`;
    const figures: Figure[] = [
      { name: 'plan --statistical-stop: wall time (whole process)', value: at95.wallS, unit: 's', target: { op: '<=', value: 60 }, note: `answer ${a95}; ${summary(at95.out)}` },
      { name: 'plan (certain stops only): wall time', value: certain.wallS, unit: 's', note: `answer ${aCertain}; ${summary(certain.out)}` },
      {
        name: "both answers = full bisection's",
        value: a95 === FULL_BISECTION_ANSWER && aCertain === FULL_BISECTION_ANSWER ? 1 : 0,
        unit: '',
        target: { op: '>=', value: 1 },
        note: `answers ${a95} and ${aCertain}; the full bisection's ${FULL_BISECTION_ANSWER}`,
      },
    ];
    if (process.env.PLAN_1M_FULL === '1') {
      const f = timedPlan(['--full-bisection']);
      figures.push({ name: 'full bisection: wall time', value: f.wallS, unit: 's', note: `answer ${answerOf(f.out)}; ${f.out.simulations} simulated` });
    }
    return figures;
  },
};

if (isMain(import.meta.url)) await runStandalone(plan1m);
