/**
 * The token-level LLM engine's speed (issue 14): simulated output tokens per second of
 * wall time for a 16-replica chat fleet (`bench/llm-fleet.ts`: Llama-3.1-8B on H100, TP1,
 * BLIS coefficients; prompts lognormal mean 1,000 tokens cv 1, outputs lognormal mean
 * 250 cv 1.2; 8,192 batched tokens, 256 sequences, chunked prefill, prefix caching) of
 * 100k requests, Poisson at 80% of the fleet's saturation rate (measured first on one
 * replica with a standing queue). Target: at least 20M simulated tokens per second.
 * Memory: peak RSS of fresh processes running 100k and 1M requests must stay flat.
 *
 * Also reported: the same rate per second of this process's CPU time, which a busy
 * machine (other processes on the same cores) disturbs much less than wall time.
 */
import { LLM_PROFILES } from '../src/catalog/llm-profiles.ts';
import type { LlmMemoryReport } from './llm-tokens-child.ts';
import { runFleet, saturationQps, type FleetResult, type FleetSpec } from './llm-fleet.ts';
import { collectGarbage, compact, isMain, median, runChildJson, runStandalone, spread, type Benchmark, type Figure } from './harness.ts';

const REQUESTS = 100_000;
const REPLICAS = 16;
const LOAD = 0.8;
const REPS = 3;
const MiB = 2 ** 20;

/** The chat workload, without fleet size, length and rate. */
export const CHAT: Omit<FleetSpec, 'replicas' | 'requests' | 'qps'> & { replicas: number } = {
  profile: 'llama-3.1-8b/h100/tp1',
  replicas: REPLICAS,
  seed: 1,
  inputMean: 1000,
  inputCv: 1,
  outputMean: 250,
  outputCv: 1.2,
  prefixCaching: true,
};

const CHILD = new URL('./llm-tokens-child.ts', import.meta.url);
/**
 * The memory children run with V8's young generation pinned at its largest default size,
 * as `bench/memory.ts` does: otherwise V8 grows it during a long run and not a short one,
 * which shows as RSS growth that the simulator does not cause.
 */
const PINNED_YOUNG_GEN = ['--min-semi-space-size=16', '--max-semi-space-size=16'];

export const llmTokens: Benchmark = {
  name: 'llm-tokens',
  description: `${REPLICAS} LLM replicas (${CHAT.profile}), ${REQUESTS / 1000}k chat requests (1,000 in / 250 out tokens) at ${LOAD * 100}% of saturation`,
  run(): Figure[] {
    const perReplica = saturationQps(CHAT);
    const qps = LOAD * REPLICAS * perReplica;
    const spec: FleetSpec = { ...CHAT, requests: REQUESTS, qps };
    runFleet({ ...spec, requests: 20_000 }); // warm-up: JIT and heap sizing
    const wall: number[] = [];
    const cpu: number[] = [];
    let last: FleetResult | undefined;
    for (let k = 0; k < REPS; k++) {
      collectGarbage();
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const r = runFleet({ ...spec, seed: k + 1 });
      const wallS = (performance.now() - t0) / 1000;
      const c = process.cpuUsage(c0);
      if (r.finished !== REQUESTS || r.rejected !== 0) throw new Error(`llm fleet lost requests: ${JSON.stringify(r)}`);
      wall.push(r.outputTokens / wallS);
      cpu.push(r.outputTokens / ((c.user + c.system) / 1e6));
      last = r;
    }
    const small = runChildJson<LlmMemoryReport>(CHILD, [String(REQUESTS), String(qps)], PINNED_YOUNG_GEN);
    const large = runChildJson<LlmMemoryReport>(CHILD, [String(10 * REQUESTS), String(qps)], PINNED_YOUNG_GEN);
    const r = last!;
    const profile = LLM_PROFILES[CHAT.profile];
    return [
      { name: 'saturation of one replica', value: perReplica, unit: 'req/s', note: `standing queue of 4,000 requests; ${profile.kvBlocks} KV blocks; offered ${compact(qps)} req/s to the fleet` },
      {
        name: 'simulated output tokens (wall)',
        value: median(wall),
        unit: 'tok/s',
        target: { op: '>=', value: 20e6 },
        note: `${spread(wall, compact)}; last run: ${compact(r.outputTokens)} output tokens, ${compact(r.steps)} steps, mean batch ${r.meanBatchSeqs.toFixed(1)} sequences, mean TTFT ${(r.meanTtftS * 1000).toFixed(1)} ms, mean E2E ${r.meanE2eS.toFixed(2)} s, ${r.preemptions} preemptions, ${r.simulatedS.toFixed(0)} s simulated`,
      },
      { name: 'simulated output tokens (CPU time)', value: median(cpu), unit: 'tok/s', note: spread(cpu, compact) },
      { name: `peak RSS, ${REQUESTS / 1000}k requests`, value: small.maxRssBytes / MiB, unit: 'MiB', note: `peak V8 heap ${(small.peakHeapUsedBytes / MiB).toFixed(1)} MiB; run ${small.runS.toFixed(1)} s` },
      { name: `peak RSS, ${(10 * REQUESTS) / 1e6}M requests`, value: large.maxRssBytes / MiB, unit: 'MiB', note: `peak V8 heap ${(large.peakHeapUsedBytes / MiB).toFixed(1)} MiB; run ${large.runS.toFixed(1)} s` },
      { name: 'peak RSS 1M / 100k', value: large.maxRssBytes / small.maxRssBytes, unit: 'x', target: { op: '<=', value: 1.2 }, note: 'young generation pinned in both' },
      {
        name: 'V8 heap after full GC, 1M / 100k',
        value: large.heapAfterGcBytes / small.heapAfterGcBytes,
        unit: 'x',
        note: `${(small.heapAfterGcBytes / MiB).toFixed(1)} MiB and ${(large.heapAfterGcBytes / MiB).toFixed(1)} MiB: nothing of a finished request is kept`,
      },
    ];
  },
};

if (isMain(import.meta.url)) await runStandalone(llmTokens);
