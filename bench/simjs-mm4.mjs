/**
 * The M/M/4 of `src/scenarios/mm4.yaml` (ρ = 0.8: Poisson 3.2/s, four servers of Exp(1 s),
 * one FIFO queue) written in SimJS (simjs@2.0.3, the npm package, a devDependency used
 * only here), the way its own documentation drives a Facility: one source entity draws
 * exponential gaps from SimJS's Random and sends each arrival to a 4-server FCFS Facility,
 * recording its time in system. `bench/simjs.ts` times it against servesim in one process
 * and as whole processes; run alone (`node bench/simjs-mm4.mjs 1000000`) it prints the
 * requests it simulated and their mean latency (Erlang C: 1.75 s).
 *
 * Plain JavaScript on purpose: the whole-process comparison runs it with bare `node`, as a
 * SimJS user would, against the compiled `servesim` command.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

// SimJS 2.0.3 is a browserify bundle that exports nothing under Node's require: it
// publishes its classes only as `window.Sim`. Give it a window for the load, then take it away.
const hadWindow = 'window' in globalThis;
globalThis.window ??= globalThis;
createRequire(import.meta.url)('simjs');
const SimJS = globalThis.window.Sim;
if (!hadWindow) delete globalThis.window;
const { Sim, Facility, Entity, Random } = SimJS;

/** Runs `n` arrivals of the M/M/4 to completion; returns the completions and their mean time in system (s). */
export function simjsMm4(n, seed) {
  const sim = new Sim();
  const random = new Random(seed);
  const pool = new Facility('model', Facility.FCFS, 4);
  let arrived = 0;
  let done = 0;
  let sumS = 0;
  class Source extends Entity {
    start() {
      this.arrive();
    }
    arrive() {
      if (arrived >= n) return;
      arrived++;
      const t0 = this.time();
      this.useFacility(pool, random.exponential(1)).done(() => {
        done++;
        sumS += this.time() - t0;
      });
      this.setTimer(random.exponential(3.2)).done(this.arrive);
    }
  }
  sim.addEntity(Source);
  sim.simulate(Infinity);
  return { done, meanS: sumS / done };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const n = Number(process.argv[2] ?? 1_000_000);
  const r = simjsMm4(n, 1);
  process.stdout.write(`${r.done} requests, mean latency ${r.meanS.toFixed(3)} s\n`);
}
