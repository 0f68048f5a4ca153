/**
 * Routing for LLM replicas (issue 15): the token-level policies' choices on hand-made
 * views (exact), the readings an LLM stage gives its router (exact, on one replica), and
 * the policies against round-robin on whole runs (seeded, several seeds).
 */
import { describe, expect, it } from 'vitest';
import { scenarioFromText } from '../../src/config/parse.ts';
import { Simulation } from '../../src/engine/index.ts';
import { coefficientStepTime, LlmReplica, type LlmRequestSpec } from '../../src/models/llm/index.ts';
import { runScenario } from '../../src/models/index.ts';
import { PREFIX_AFFINITY_LOAD_BOUND, routerRegistry, type RoutingView } from '../../src/models/routing/index.ts';

/** A view of replicas with the given outstanding requests, tokens, KV use and cached prefix blocks per group. */
function view(reqs: number[], tokens: number[], kv: number[] = reqs.map(() => 0), prefix: Record<number, number[]> = {}): RoutingView {
  return {
    count: () => reqs.length,
    outstanding: (i) => reqs[i]!,
    tokens: {
      outstandingTokens: (i) => tokens[i]!,
      kvUtilization: (i) => kv[i]!,
      cachedPrefixBlocks: (i, g) => prefix[g]?.[i] ?? 0,
    },
  };
}

const rng = () => 0.5;
const req = (inputTokens: number, outputTokens: number, prefixGroup?: number) => ({ inputTokens, outputTokens, prefixGroup });

describe('token-level policies choose as written', () => {
  it('least-outstanding-tokens: fewest tokens, not fewest requests; ties to fewer requests, then the lowest index', () => {
    const r = routerRegistry['least-outstanding-tokens'](view([1, 5, 2], [9000, 600, 600]), rng);
    expect(r(req(100, 10))).toBe(2);
    expect(routerRegistry['least-outstanding-tokens'](view([3, 3], [700, 700]), rng)()).toBe(0);
  });

  it('least-kv-utilization: least used KV cache; ties to fewer requests', () => {
    expect(routerRegistry['least-kv-utilization'](view([4, 1, 0], [0, 0, 0], [0.2, 0.5, 0.2]), rng)()).toBe(2);
    expect(routerRegistry['least-kv-utilization'](view([4, 1, 0], [0, 0, 0], [0.3, 0.1, 0.2]), rng)()).toBe(1);
  });

  it('prefix-affinity: the replica with the longest cached run of the group, within the load bound', () => {
    // Replica 1 holds 10 blocks of group 7, replica 2 holds 4. Mean tokens with the
    // request (1,000 tokens): (3000 + 2000 + 1000 + 1000) / 3 = 2,333; replica 1 with it
    // has 3,000 ≤ 1.25 × 2,333 = 2,917? No: 3,000 > 2,917, so it falls back.
    const tokens = [3000, 2000, 1000];
    const cached = { 7: [0, 10, 4] };
    expect(PREFIX_AFFINITY_LOAD_BOUND).toBe(1.25);
    expect(routerRegistry['prefix-affinity'](view([1, 1, 1], tokens, undefined, cached), rng)(req(900, 100, 7))).toBe(2);
    // With 1,600 tokens on replica 1: 2,600 ≤ 1.25 × (3000 + 1600 + 1000 + 1000) / 3 = 2,750: it stays.
    expect(routerRegistry['prefix-affinity'](view([1, 1, 1], [3000, 1600, 1000], undefined, cached), rng)(req(900, 100, 7))).toBe(1);
    // A group nobody holds, or no group: the fewest outstanding tokens.
    expect(routerRegistry['prefix-affinity'](view([1, 1, 1], [3000, 1600, 1000], undefined, cached), rng)(req(900, 100, 8))).toBe(2);
    expect(routerRegistry['prefix-affinity'](view([1, 1, 1], [3000, 1600, 1000], undefined, cached), rng)(req(900, 100))).toBe(2);
  });

  it('a token-level policy without an LLM stage is a programming error, not a silent choice', () => {
    expect(() => routerRegistry['prefix-affinity']({ count: () => 2, outstanding: () => 0 }, rng)).toThrow(/needs an LLM stage/);
  });
});

describe('what an LLM replica shows its router', () => {
  it('outstanding tokens fall by one per emitted token and by the prompt at the end; cached prefix blocks follow the cache', () => {
    const sim = new Simulation({ seed: 1 });
    const seen: number[] = [];
    const replica: LlmReplica<LlmRequestSpec> = new LlmReplica(
      sim,
      { maxNumSeqs: 8, maxBatchedTokens: 4096, chunkedPrefill: true, prefixCaching: true, blockSize: 16, kvBlocks: 1000 },
      coefficientStepTime({ alpha: [0, 0, 0], beta: [1000, 1, 1] }),
      { firstToken: () => seen.push(replica.outstandingTokens), finish: () => seen.push(replica.outstandingTokens), reject: () => {} },
    );
    replica.submit({ inputTokens: 100, outputTokens: 3, prefixGroup: 5, prefixTokens: 64 });
    // Held: 100 prompt + 3 output tokens; nothing cached before its first step.
    expect(replica.outstandingTokens).toBe(103);
    expect(replica.cachedPrefixBlocks(5)).toBe(0);
    sim.run();
    // At the first token, 2 outputs are left (100 + 2); at the finish the last is emitted and the prompt leaves: 0.
    expect(seen).toEqual([102, 0]);
    // The prefix's 64 tokens are 4 full blocks, kept in the cache after the request left.
    expect(replica.cachedPrefixBlocks(5)).toBe(4);
    expect(replica.cachedPrefixBlocks(6)).toBe(0);
  });
});

/** Eight CodeLlama-34B replicas on H100 with a given workload and policy. */
function run(policy: string, seed: number, workload: string, qps: number, requests: number) {
  const text = `name: llm-routing
seed: ${seed}
arrivals: { process: poisson, qps: ${qps} }
stop: { requests: ${requests} }
warmup: { requests: ${requests / 10} }
${workload}
stages:
  - name: llm
    replicas: 8
    routing: { policy: ${policy} }
    llm: { profile: codellama-34b/h100/tp1, maxBatchedTokens: 4096 }
`;
  return runScenario(scenarioFromText({ name: 'llm-routing.yaml', text })).llm!;
}

describe('LLM routing policies on whole runs', () => {
  it('prefix-affinity raises the prefix-cache hit ratio over round-robin with 32 shared prompts', () => {
    // 32 groups of a 2,048-token prefix (128 blocks each, 4,096 for all groups) on
    // replicas of 2,537 blocks: round-robin makes every replica cache every group, and
    // running sequences evict them; affinity keeps about 4 groups per replica. Prompts are
    // ~80% prefix, the ceiling of the ratio. Measured over seeds 1-8: round-robin 33.8-35.0%,
    // prefix-affinity 72.3-74.5%; the margin asserted (20 points) is far outside that spread.
    const workload = `tokens:
  input:  { dist: lognormal, mean: 2500, cv: 0.3, min: 1, max: 6000 }
  output: { dist: lognormal, mean: 100,  cv: 1.0, min: 1, max: 1000 }
  prefix: { groups: 32, tokens: 2048 }`;
    for (const seed of [1, 2]) {
      const rr = run('round-robin', seed, workload, 20, 3000);
      const pa = run('prefix-affinity', seed, workload, 20, 3000);
      expect(pa.prefixHitRatio).toBeGreaterThan(rr.prefixHitRatio + 0.2);
      // Fewer prompt tokens to compute is shorter prefill: the TTFT median falls too.
      expect(pa.ttftMs.p50).toBeLessThan(rr.ttftMs.p50);
    }
  });

  it('least-outstanding-tokens beats round-robin on TTFT p99 for heavy-tailed prompts', () => {
    // Prompts lognormal with cv 3 (median ~316 tokens, p99 ~10,000): a request count
    // sees a replica with one 10,000-token prompt as lightly loaded. Paired by seed over
    // seeds 1-11, the ratio of TTFT p99s (tokens / round-robin) was 0.78-0.90 and its
    // mean 0.82; each seed is asserted below 1 and the three-seed mean below 0.92 (about
    // three spreads of a three-seed mean from the measured 0.82).
    const workload = `tokens:
  input:  { dist: lognormal, mean: 1000, cv: 3.0, min: 1, max: 16000 }
  output: { dist: lognormal, mean: 150,  cv: 1.0, min: 1, max: 1000 }`;
    let rrSum = 0;
    let lotSum = 0;
    for (const seed of [1, 2, 3]) {
      const rr = run('round-robin', seed, workload, 18, 4000).ttftMs.p99;
      const lot = run('least-outstanding-tokens', seed, workload, 18, 4000).ttftMs.p99;
      expect(lot).toBeLessThan(rr);
      rrSum += rr;
      lotSum += lot;
    }
    expect(lotSum / rrSum).toBeLessThan(0.92);
  });
});
