/**
 * Issue 15's speed target: the prefix-affinity and disaggregated LLM stages at 100k
 * requests keep within 2× the plain LLM stage's simulated output tokens per second of wall
 * time (ratio ≥ 0.5). Three scenarios through the scenario path (`ServingSystem.run()`:
 * station, routers, collectors, per-window series), in `bench/scenarios/`:
 * `llm-16x100k.yaml` (plain: 16 CodeLlama-34B/H100 replicas, least-outstanding),
 * `llm-prefix-affinity-16x100k.yaml` (the same with 64 shared 512-token prompts and
 * prefix-affinity routing) and `llm-disaggregated-100k.yaml` (8 prefill + 4 TP2 decode
 * replicas on the roofline). Runs are interleaved (plain, affinity, disaggregated, three
 * times) so that a busy machine slows all three alike; the ratios are of the medians.
 */
import { readFileSync } from 'node:fs';
import { scenarioFromText } from '../src/config/parse.ts';
import { ServingSystem } from '../src/models/index.ts';
import type { LlmStation } from '../src/models/stations/llm.ts';
import { collectGarbage, compact, isMain, median, runStandalone, spread, type Benchmark, type Figure } from './harness.ts';

const REPS = 3;
const SCENARIOS = { plain: 'llm-16x100k.yaml', 'prefix-affinity': 'llm-prefix-affinity-16x100k.yaml', disaggregated: 'llm-disaggregated-100k.yaml' } as const;
type Kind = keyof typeof SCENARIOS;

function load(kind: Kind, requests?: number): string {
  const text = readFileSync(new URL(`./scenarios/${SCENARIOS[kind]}`, import.meta.url), 'utf8');
  return requests === undefined ? text : text.replace(/stop: \{ requests: \d+ \}/, `stop: { requests: ${requests} }`);
}

/** One run: output tokens of the whole run (every engine's counter) over wall and CPU time. */
function once(kind: Kind, requests?: number): { wall: number; cpu: number; tokens: number; hit: number } {
  const sys = new ServingSystem(scenarioFromText({ name: SCENARIOS[kind], text: load(kind, requests) }));
  collectGarbage();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = sys.run();
  const wallS = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const station = sys.stages[0] as LlmStation;
  const tokens = station.engines.reduce((a, e) => a + e.counters.outputTokens, 0);
  return { wall: tokens / wallS, cpu: tokens / ((c.user + c.system) / 1e6), tokens, hit: result.llm!.prefixHitRatio };
}

export const llmRouting: Benchmark = {
  name: 'llm-routing',
  description: 'plain, prefix-affinity and disaggregated LLM stages, 100k chat requests each through the scenario path',
  run(): Figure[] {
    const kinds = Object.keys(SCENARIOS) as Kind[];
    for (const k of kinds) once(k, 10_000); // warm-up: JIT and heap sizing
    const wall: Record<Kind, number[]> = { plain: [], 'prefix-affinity': [], disaggregated: [] };
    const cpu: Record<Kind, number[]> = { plain: [], 'prefix-affinity': [], disaggregated: [] };
    const last: Partial<Record<Kind, ReturnType<typeof once>>> = {};
    for (let r = 0; r < REPS; r++) {
      for (const k of kinds) {
        const x = once(k);
        wall[k].push(x.wall);
        cpu[k].push(x.cpu);
        last[k] = x;
      }
    }
    const figures: Figure[] = [];
    for (const k of kinds) {
      figures.push({ name: `${k}: simulated output tokens (wall)`, value: median(wall[k]), unit: 'tok/s', note: `${spread(wall[k], compact)}; ${compact(last[k]!.tokens)} output tokens a run; prefix hits ${(last[k]!.hit * 100).toFixed(1)}%` });
      figures.push({ name: `${k}: simulated output tokens (CPU time)`, value: median(cpu[k]), unit: 'tok/s', note: spread(cpu[k], compact) });
    }
    for (const k of ['prefix-affinity', 'disaggregated'] as const) {
      figures.push({ name: `${k} / plain (wall)`, value: median(wall[k]) / median(wall.plain), unit: 'x', target: { op: '>=', value: 0.5 } });
      figures.push({ name: `${k} / plain (CPU time)`, value: median(cpu[k]) / median(cpu.plain), unit: 'x', target: { op: '>=', value: 0.5 } });
    }
    return figures;
  },
};

if (isMain(import.meta.url)) await runStandalone(llmRouting);
