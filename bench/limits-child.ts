/**
 * Child process of the limits benchmark: runs one case once in a fresh process and
 * prints one JSON line with its peak RSS, wall time and outcome (a refused run
 * reports the InputError's message, as the CLI would print it with exit 2).
 *
 *   node --expose-gc --import tsx bench/limits-child.ts overload
 *   node --expose-gc --import tsx bench/limits-child.ts deadline 10000000
 *   node --expose-gc --import tsx bench/limits-child.ts fanout 10000000     # sub-requests
 *   node --expose-gc --import tsx bench/limits-child.ts builtin mm4 5       # stop × 5
 *   node --expose-gc --import tsx bench/limits-child.ts floor
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InputError } from '../src/config/errors.ts';
import { scenarioFromText } from '../src/config/parse.ts';
import type { Scenario } from '../src/config/schema.ts';
import { runScenario } from '../src/models/index.ts';
import { isMain } from './harness.ts';

/** What the child reports; sizes in bytes. */
export interface LimitsReport {
  case: string;
  /** Arrivals the run was set to (sub-requests for the fan-out case). */
  size: number;
  maxRssBytes: number;
  runS: number;
  /** `ok`, or `refused` with the message a user would see (exit 2). */
  outcome: 'ok' | 'refused';
  message?: string;
  /** Completed requests and engine events (ok runs). */
  completed?: number;
  events?: number;
}

/** Shards of the fan-out case: the 1,000-shard fan-out. */
export const FANOUT_SHARDS = 1000;

/**
 * An overloaded unbounded queue the up-front check cannot foresee (the mean rate is
 * 1% of capacity; a 10-minute spike brings 250×): it must stop at the default bound
 * on requests held, with the stage named.
 */
export const OVERLOAD_YAML = `
arrivals: { process: spike, qps: 100, factor: 1000, at: "10s", duration: "10m" }
stop: { duration: "1h" }
stages:
  - name: ranker
    replicas: 4
    service: { dist: exponential, mean: "10ms" }
`;

function builtin(name: string, scale: number): Scenario {
  const path = fileURLToPath(new URL(`../src/scenarios/${name}.yaml`, import.meta.url));
  const base = scenarioFromText({ name, text: readFileSync(path, 'utf8') });
  const stop = base.stop?.requests !== undefined ? { path: 'stop.requests', value: base.stop.requests * scale } : { path: 'stop.duration', value: `${base.stop!.duration! * scale}s` };
  return scenarioFromText({ name, text: readFileSync(path, 'utf8') }, [stop]);
}

function scenarioOf(kind: string, arg: string | undefined, arg2: string | undefined): { scenario: Scenario | null; size: number } {
  switch (kind) {
    case 'floor':
      return { scenario: null, size: 0 };
    case 'overload':
      return { scenario: scenarioFromText({ name: 'overload.yaml', text: OVERLOAD_YAML }), size: NaN };
    case 'deadline': {
      const n = Number(arg);
      // The M/M/4 at ρ = 0.8 with a 100,000 s deadline no request comes near.
      const text = `seed: 7\narrivals: { process: poisson, qps: 3.2 }\nstop: { requests: ${n} }\nstages:\n  - name: model\n    replicas: 4\n    deadline: "100000s"\n    service: { dist: exponential, mean: "1s" }\n`;
      return { scenario: scenarioFromText({ name: 'deadline.yaml', text }), size: n };
    }
    case 'fanout': {
      const subs = Number(arg);
      // 1,000 shards at 30% load with a 1,000 s hedge no sub-request comes near.
      const text = `seed: 7\narrivals: { process: poisson, qps: 60 }\nstop: { requests: ${subs / FANOUT_SHARDS} }\nstages:\n  - name: shards\n    replicas: 1\n    fanout: { shards: ${FANOUT_SHARDS}, hedgeAfter: "1000s" }\n    service: { dist: exponential, mean: "5ms" }\n`;
      return { scenario: scenarioFromText({ name: 'fanout.yaml', text }), size: subs };
    }
    case 'builtin': {
      const s = builtin(arg!, Number(arg2));
      return { scenario: s, size: Number(arg2) };
    }
    default:
      throw new Error(`unknown case ${kind}`);
  }
}

// Only when run as the child: the benchmark imports the constants above.
if (isMain(import.meta.url)) {
  const [kind = '', arg, arg2] = process.argv.slice(2);
  const { scenario, size } = scenarioOf(kind, arg, arg2);
  const report: LimitsReport = { case: [kind, arg, arg2].filter(Boolean).join(' '), size, maxRssBytes: 0, runS: 0, outcome: 'ok' };
  if (scenario !== null) {
    const t0 = performance.now();
    try {
      const r = runScenario(scenario, { seed: 1 });
      report.completed = r.requests.completed;
      report.events = r.events;
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      report.outcome = 'refused';
      report.message = e.problems.join('\n');
    }
    report.runS = (performance.now() - t0) / 1000;
  }
  report.maxRssBytes = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify(report) + '\n');
}
