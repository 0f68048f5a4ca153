/**
 * The theory lines of an LLM stage (src/experiments/theory-llm.ts, through
 * `kindTheories` in theory.ts) against hand values: CodeLlama-34B on H100 TP1 (BLIS
 * coefficients rounded as in the docs, α2 = 0; 2,537 KV blocks), every request
 * P = 1,000 prompt and O = 250 output tokens.
 * Reference: docs/llm-scheduler.md, "Theory", worked example.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.ts';
import { scenarioFromText } from '../../src/config/parse.ts';
import { theoryForRun } from '../../src/experiments/theory.ts';
import { ServingSystem, runScenario } from '../../src/models/index.ts';
import type { TheoryRow } from '../../src/report/model.ts';

/** Runs a scenario (YAML text) and returns its theory rows by quantity, with the result. */
function theoryOf(yaml: string) {
  const scenario = scenarioFromText({ name: 'llm-theory.yaml', text: yaml });
  const result = runScenario(scenario);
  const rows = theoryForRun(scenario, new ServingSystem(scenario), result);
  return { result, rows, row: (quantity: string): TheoryRow => rows.find((r) => r.quantity === quantity)! };
}

const scenario = (qps: number, replicas: number, requests: number) => `name: llm-theory
seed: 3
arrivals: { process: poisson, qps: ${qps} }
stop: { requests: ${requests} }
warmup: { requests: 10 }
tokens:
  input:  { dist: deterministic, value: 1000 }
  output: { dist: deterministic, value: 250 }
stages:
  - name: llm
    replicas: ${replicas}
    llm: { coefficients: { alpha: [13450.51, 0.041814, 0], beta: [26595.28, 96.284, 56.586] }, kvBlocks: 2537, maxNumSeqs: 256, maxBatchedTokens: 4096, chunkedPrefill: true, prefixCaching: false, blockSize: 16 }
`;

/** The rows evaluate the same closed forms as the hand calculation: equal to rounding. */
const expectSame = (actual: number, expected: number) => expect(Math.abs(actual / expected - 1)).toBeLessThan(1e-9);

describe('theory lines of an LLM stage', () => {
  it('a request alone, saturation against the offered load, by hand', () => {
    const { rows, row } = theoryOf(scenario(20, 8, 300));
    expect(rows.map((r) => r.quantity)).toEqual(['mean TTFT (ms)', 'mean E2E (ms)', 'TTFT p99 (ms)', 'output (tokens/s)', 'running sequences (per replica)']);
    // Reference: TTFT = α0 + α1·P + β0 + β1·P + α2 = 13,450.51 + 41.814 + 26,595.28 + 96,284 + 0 µs.
    expectSame(row('mean TTFT (ms)').analytic, 136.371604);
    // E2E = TTFT + (O − 1)(β0 + β2 + α2) = 136,371.604 + 249 · 26,651.866 µs.
    expectSame(row('mean E2E (ms)').analytic, 6772.686238);
    // Saturation, KV-bound: a sequence holds (1/250) Σ_{j<250} ceil((1000 + j)/16) = 70.744
    // blocks on average, so B = 2,537 / 70.744 = 35.8617; a step is β0 + β1·B·P/O +
    // β2·B·(O − 1)/O = 42,428.064 µs; one replica emits B / step = 845.2353 tokens/s, and
    // 8 replicas 6,761.883 tokens/s, 27.0475 req/s.
    const sat = row('output (tokens/s)');
    expect(sat.analytic).toBeCloseTo(6761.8826, 3);
    expect(sat.model).toBe('saturation, 8 replicas');
    // 20 req/s offered of 27.0475: 73.9%, printed whole.
    expect(sat.note).toContain('offered load is 74% of the saturation throughput (20 of 27 req/s)');
    expect(sat.note).toContain('B = 35.9 sequences a step (bound by the KV cache)');
    expect(sat.note).toContain('an upper bound: KV-bound');
    // Every prompt is 1,000 tokens, so its p99 too: the floor of TTFT's p99 is the alone TTFT.
    expectSame(row('TTFT p99 (ms)').analytic, 136.371604);
    expect(row('TTFT p99 (ms)').simulated.value).toBeGreaterThanOrEqual(136.371604 * 0.99); // the sketch's 1%
    // Equal requests: the alone TTFT is a floor for every request.
    expect(row('mean TTFT (ms)').note).toContain('the floor of every request');
  });

  it('the alone times are a floor the simulated means reach at a light load', () => {
    // 0.02 req/s on 4 replicas against a 6.8 s E2E: a request finds its replica busy with
    // probability about 1 − e^{−0.005·6.8} ≈ 3.3% (least-outstanding routing makes it
    // rarer still), so almost every request runs alone and the means sit on the floor:
    // company only adds, and a few percent of requests sharing a replica for part of
    // their life move the mean by well under 1%.
    const { row, result } = theoryOf(scenario(0.02, 4, 80));
    for (const r of [row('mean TTFT (ms)'), row('mean E2E (ms)')]) {
      expect(r.simulated.value).toBeGreaterThanOrEqual(r.analytic * (1 - 1e-9));
      expect(r.simulated.value / r.analytic - 1).toBeLessThan(0.01);
    }
    // The run's own p50 is the alone E2E (the sketch's relative accuracy is 1%): nothing else is on the path.
    expect(Math.abs(result.latencyMs.p50 / row('mean E2E (ms)').analytic - 1)).toBeLessThan(0.01);
  });

  it('with varied token counts the alone time at the means stays under the simulated means', () => {
    // Lognormal prompts (cv 0.5, p99 about 2,700 < the 4,096 budget: one prefill step) and
    // outputs, no truncation that matters (max 4,000 and 20,000: far tails), 70% of
    // saturation: the floor argument holds request by request.
    const yaml = scenario(5, 2, 1500)
      .replace('{ dist: deterministic, value: 1000 }', '{ dist: lognormal, mean: 1000, cv: 0.5, max: 4000 }')
      .replace('{ dist: deterministic, value: 250 }', '{ dist: lognormal, mean: 250, cv: 1.0, max: 20000 }');
    const { row } = theoryOf(yaml);
    expect(row('mean TTFT (ms)').simulated.value).toBeGreaterThan(row('mean TTFT (ms)').analytic);
    expect(row('mean E2E (ms)').simulated.value).toBeGreaterThan(row('mean E2E (ms)').analytic);
    expect(row('mean TTFT (ms)').note).toContain('the floor of the simulated mean');
  });

  it("Little's law: λ·W over the replicas beside the mean batch, from the run's figures", () => {
    const { row, result } = theoryOf(scenario(5, 2, 1500));
    const little = row('running sequences (per replica)');
    const llm = result.llm!;
    const st = result.stages.llm!;
    // Reference: L = λ·W / replicas, λ = completed / measured span, W = mean E2E − mean wait.
    const expected = ((st.completed / result.measuredS) * ((llm.e2eMs.mean - st.queueWaitMs.mean) / 1000)) / 2;
    expectSame(little.analytic, expected);
    expect(little.simulated.value).toBe(llm.batch.seqs.mean);
    // The two differ by the per-step versus per-second averaging (a step with a prompt
    // chunk lasts ~4× a decode step but holds about as many sequences) and the window's
    // edges; at 5 req/s on 2 replicas (74% of the 6.76 req/s saturation, no preemption)
    // they were measured 0.5% apart. 5% still fails a missing ÷ replicas (×2) or λ
    // taken as the offered rate over a drain-diluted span.
    expect(Math.abs(little.analytic / little.simulated.value - 1)).toBeLessThan(0.05);
  });

  it('the TTFT floor at the objective\'s percentile says whether the objective is within reach', () => {
    const withSlo = (ttft: string) => scenario(5, 2, 300).replace('seed: 3', `seed: 3\nslo: { ttft: "${ttft}" }`);
    // 136.4 ms alone: an objective of 100 ms cannot be met by any number of replicas.
    const out = theoryOf(withSlo('p90 < 100ms')).row('TTFT p90 (ms)');
    expectSame(out.analytic, 136.371604);
    expect(out.note).toContain('the objective TTFT p90 < 100ms is out of reach with any number of replicas');
    // 200 ms leaves 200 − 136.4 = 63.6 ms.
    expect(theoryOf(withSlo('p99 < 200ms')).row('TTFT p99 (ms)').note).toContain('leaves 63.6 ms above the floor');
  });

  it('compare of an LLM scenario shows its token columns and every variant\'s theory lines', async () => {
    const f = join(mkdtempSync(join(tmpdir(), 'servesim-llm-compare-')), 'chat.yaml');
    writeFileSync(f, `${scenario(5, 2, 200).replace('seed: 3', 'seed: 3\nslo: { ttft: "p99 < 500ms", tpot: "p99 < 50ms" }')}variants:\n  three: { stages.llm.replicas: 3 }\n`);
    const r = await cli('run', f);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/TTFT p99 ms +TPOT p99 ms +TTFT\+TPOT met/);
    expect(r.stdout).toContain('Theory beside simulation\n');
    for (const v of ['base', 'three']) for (const q of ['mean TTFT', 'mean E2E', 'output', 'running sequences']) expect(r.stdout).toContain(`${v} · llm (${q}):`);
    // 3 replicas saturate at 3 × 3.38 = 10.1 req/s: 5 req/s is 49% of it (2 replicas: 74%).
    expect(r.stdout).toContain('offered load is 49% of the saturation throughput (5 of 10.1 req/s)');
  });
});
