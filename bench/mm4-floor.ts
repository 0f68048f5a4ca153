/**
 * The floor under the M/M/4: the same queue written directly on servesim's engine (its
 * `Simulation`, its named random streams, d3-random's exponential sampler and one
 * `QuantileSketch` of latencies), with no request objects, stages, collectors, warm-up
 * rule or time series. Timed beside `runScenario` on `src/scenarios/mm4.yaml` in the
 * same process, alternating, so the ratio says how much of a run the model layer costs
 * over what the engine and the samplers the design asks for (seedrandom's Alea through
 * d3-random) cost anyway. Issue 13's SimJS targets need the whole run at about 2.45M
 * requests/s on this machine; this shows how far that is from the floor.
 */
import { randomExponential } from 'd3-random';
import { QuantileSketch, RingQueue, Simulation } from '../src/engine/index.ts';
import { runScenario } from '../src/models/index.ts';
import { collectGarbage, isMain, median, runStandalone, spread, timeS, compact, type Benchmark, type Figure } from './harness.ts';
import { checkMm4, mm4Scenario } from './mm4.ts';
import { checkMm4Mean } from './mm4-mean.ts';

const REQUESTS = 1_000_000;
const REPS = 5;

/** Runs `n` arrivals of the M/M/4 (Poisson 3.2/s, four Exp(1 s) servers, FIFO); returns the latency sketch. */
export function floorMm4(n: number, seed: number): QuantileSketch {
  const sim = new Simulation({ seed });
  const gap = randomExponential.source(sim.random.stream('arrivals'))(3.2);
  const service = randomExponential.source(sim.random.stream('service'))(1);
  const queue = new RingQueue<number>();
  const latency = new QuantileSketch();
  let free = 4;
  let arrived = 0;
  const done = (arrivalS: number): void => {
    latency.record(sim.now - arrivalS);
    if (queue.length > 0) sim.schedule(service(), done, queue.shift()!);
    else free++;
  };
  const arrive = (): void => {
    if (++arrived < n) sim.schedule(gap(), arrive);
    if (free > 0) {
      free--;
      sim.schedule(service(), done, sim.now);
    } else queue.push(sim.now);
  };
  sim.schedule(gap(), arrive);
  sim.run();
  return latency;
}

export const mm4Floor: Benchmark = {
  name: 'mm4-floor',
  description: `M/M/4 on the bare engine and samplers (one latency sketch) against the whole run, ${REQUESTS / 1e6}M requests`,
  run(): Figure[] {
    const scenario = mm4Scenario(REQUESTS);
    runScenario(scenario, { seed: 1 });
    floorMm4(REQUESTS, 1);
    const whole: number[] = [];
    const floor: number[] = [];
    for (let k = 0; k < REPS; k++) {
      collectGarbage();
      let r: ReturnType<typeof runScenario> | undefined;
      whole.push(REQUESTS / timeS(() => (r = runScenario(scenario, { seed: k + 2 }))));
      checkMm4(r!, scenario);
      collectGarbage();
      let sketch: QuantileSketch | undefined;
      floor.push(REQUESTS / timeS(() => (sketch = floorMm4(REQUESTS, k + 2))));
      // Not a fast number about nothing: every request done, mean near Erlang C's.
      if (sketch!.count !== REQUESTS) throw new Error(`floor M/M/4: ${sketch!.count} of ${REQUESTS} requests`);
      checkMm4Mean(sketch!.mean, 'floor');
    }
    const rate = (xs: number[]) => `${spread(xs, compact)} req/s`;
    return [
      { name: 'engine + samplers + one sketch (floor)', value: median(floor), unit: 'req/s', note: rate(floor) },
      { name: 'whole run (runScenario)', value: median(whole), unit: 'req/s', note: rate(whole) },
      { name: 'floor / whole run (time per request)', value: median(floor) / median(whole), unit: 'x' },
    ];
  },
};

if (isMain(import.meta.url)) await runStandalone(mm4Floor);
