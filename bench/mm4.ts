/**
 * Simulated requests per second of wall time for the M/M/4 of
 * `src/scenarios/mm4.yaml` at ρ = 0.8, with the run set to 1M requests (warm-up
 * of the file kept). Time covers building and running the system and producing
 * its result; parsing the scenario is done once, outside the timing.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scenarioFromText } from '../src/config/parse.ts';
import type { Scenario } from '../src/config/schema.ts';
import { runScenario, type RunResult } from '../src/models/index.ts';
import { checkMm4Mean } from './mm4-mean.ts';
import { collectGarbage, compact, isMain, median, runStandalone, spread, timeS, type Benchmark, type Figure } from './harness.ts';

/** Requests per timed run (arrivals, warm-up included: the scenario's `stop.requests`). */
export const REQUESTS = 1_000_000;
/** Timed repetitions, after one untimed warm-up run. */
export const REPS = 5;

const MM4_PATH = fileURLToPath(new URL('../src/scenarios/mm4.yaml', import.meta.url));

/** The text of `src/scenarios/mm4.yaml`. */
export function mm4Text(): string {
  return readFileSync(MM4_PATH, 'utf8');
}

/** The M/M/4 scenario with `stop.requests` set to `requests`. */
export function mm4Scenario(requests: number): Scenario {
  return scenarioFromText({ name: 'src/scenarios/mm4.yaml', text: mm4Text() }, [{ path: 'stop.requests', value: requests }]);
}

/**
 * Throws unless the run looks like an M/M/4 at ρ = 0.8: every request accounted
 * for, and mean latency near Erlang C's 1.75 s (`checkMm4Mean`). A benchmark of a
 * broken model would be a fast number about nothing.
 */
export function checkMm4(r: RunResult, scenario: Scenario): void {
  const measured = (scenario.stop?.requests ?? NaN) - (scenario.warmup?.requests ?? 0);
  if (r.requests.arrived !== measured || r.requests.inFlight !== 0) {
    throw new Error(`M/M/4 run lost requests: ${JSON.stringify(r.requests)}`);
  }
  checkMm4Mean(r.latencyMs.mean / 1000, 'servesim');
}

export const mm4: Benchmark = {
  name: 'mm4',
  description: `M/M/4 at rho=0.8 (src/scenarios/mm4.yaml), ${REQUESTS / 1e6}M requests per run`,
  run(): Figure[] {
    const scenario = mm4Scenario(REQUESTS);
    let last: RunResult | undefined;
    runScenario(scenario, { seed: 1 }); // warm-up: JIT and heap sizing
    const rates: number[] = [];
    const eventRates: number[] = [];
    for (let k = 0; k < REPS; k++) {
      collectGarbage();
      const s = timeS(() => {
        last = runScenario(scenario, { seed: k + 1 });
      });
      checkMm4(last!, scenario);
      rates.push(REQUESTS / s);
      eventRates.push(last!.events / s);
    }
    const lat = last!.latencyMs.mean / 1000;
    return [
      {
        name: 'simulated requests',
        value: median(rates),
        unit: 'req/s',
        target: { op: '>=', value: 1.5e6 },
        note: `${spread(rates, compact)}; last run: mean latency ${lat.toFixed(3)} s (Erlang C 1.750 s), ${last!.events} events`,
      },
      { name: 'engine events in the M/M/4', value: median(eventRates), unit: 'events/s' },
    ];
  },
};

if (isMain(import.meta.url)) await runStandalone(mm4);
