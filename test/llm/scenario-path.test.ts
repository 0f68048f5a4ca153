/**
 * The LLM stage built from a scenario file (`llm:` + `tokens:`, src/models/stations/llm.ts)
 * is the same engine as `LlmReplica` driven directly (test/llm/run-replica.ts): with one
 * replica and the requests of the measured vLLM run (examples/llm-ground-truth) replayed
 * from its CSV through the scenario path (trace arrivals, token counts from its columns),
 * every engine counter (steps, sequences and tokens per step, preemptions, prefix hits)
 * is equal, and so is every per-request figure: the sketches hold the same multiset of
 * TTFTs and E2Es (equal quantiles, exactly) and the same count. Means may differ in the
 * last bits only because sums are taken in another order (finish order against row
 * order), hence `toBeCloseTo` at 1e-9 ms there and exact equality everywhere else.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LLM_PROFILES } from '../../src/catalog/llm-profiles.ts';
import { openTraceFile } from '../../src/cli/trace-file.ts';
import { scenarioFromText } from '../../src/config/parse.ts';
import { QuantileSketch } from '../../src/engine/index.ts';
import { coefficientStepTime } from '../../src/models/llm/index.ts';
import { ServingSystem } from '../../src/models/index.ts';
import type { LlmStation } from '../../src/models/stations/llm.ts';
import { loadRun } from './ground-truth.ts';
import { runReplica } from './run-replica.ts';

const CSV = resolve('examples/llm-ground-truth/codellama-34b-h100-run.csv');
const openTrace = (path: string, o: { timestampColumn: string | undefined }) => openTraceFile(path, path, o.timestampColumn);

const SCENARIO = `name: ground-truth-replay
arrivals: { process: trace, file: ${JSON.stringify(CSV)} }
tokens:
  input:  { dist: trace, column: prompt_tokens }
  output: { dist: trace, column: output_tokens }
stages:
  - name: llm
    replicas: 1
    llm: { profile: codellama-34b/h100/tp1, maxNumSeqs: 256, maxBatchedTokens: 4096, chunkedPrefill: true, prefixCaching: true, blockSize: 16 }
`;

describe('an llm stage from a scenario is LlmReplica driven directly', () => {
  const { rows, phases } = loadRun();
  const profile = LLM_PROFILES['codellama-34b/h100/tp1'];
  const direct = runReplica(
    rows.map((r) => ({ arrivalS: r.arrivalS, P: r.promptTokens, O: r.outputTokens })),
    { maxBatchedTokens: 4096, maxNumSeqs: 256, chunkedPrefill: true, prefixCaching: true, blockSize: 16, kvBlocks: profile.kvBlocks },
    coefficientStepTime(profile),
  );
  const sys = new ServingSystem(scenarioFromText({ name: 'replay.yaml', text: SCENARIO }), { openTrace });
  const result = sys.run();
  const station = sys.stages[0] as LlmStation;
  const engine = station.engines[0]!;

  it('runs every request of the measured run, none rejected', () => {
    expect(result.requests.completed).toBe(rows.length);
    expect(result.llm!.rejected).toBe(0);
  });

  it('the same steps: equal engine counters', () => {
    const a = direct.replica.counters;
    const b = engine.counters;
    for (const k of ['submitted', 'finished', 'steps', 'batchSeqsSum', 'batchSeqsMax', 'batchTokensSum', 'batchTokensMax', 'prefillTokensComputed', 'decodeTokens', 'preemptions', 'prefixQueryTokens', 'prefixHitTokens', 'inputTokens', 'outputTokens'] as const) {
      expect(b[k], k).toBe(a[k]);
    }
    expect(result.llm!.preemptions).toBe(a.preemptions);
    expect(result.llm!.prefixHitRatio).toBe(a.prefixHitRatio);
  });

  it('the same TTFT and E2E for every request (equal sketches), and the run ends at the last token', () => {
    const ttft = new QuantileSketch();
    const e2e = new QuantileSketch();
    rows.forEach((r, i) => {
      ttft.record(direct.firstS[i]! - r.arrivalS);
      e2e.record(direct.finishS[i]! - r.arrivalS);
    });
    const c = station.llm;
    expect(c.ttft.count).toBe(rows.length);
    for (const q of [0, 0.1, 0.5, 0.9, 0.99, 1]) {
      expect(c.ttft.quantile(q), `ttft q${q}`).toBe(ttft.quantile(q));
      expect(c.e2e.quantile(q), `e2e q${q}`).toBe(e2e.quantile(q));
    }
    expect(result.llm!.ttftMs.mean).toBeCloseTo(ttft.mean * 1000, 9);
    expect(result.llm!.e2eMs.mean).toBeCloseTo(e2e.mean * 1000, 9);
    // With one stage, a request's latency through the system is its E2E.
    expect(result.latencyMs.mean).toBeCloseTo(e2e.mean * 1000, 9);
    expect(result.endS).toBe(Math.max(...direct.finishS.map((t) => t!)));
  });

  it('so the replay through the scenario path keeps the direct replay\'s bound: every phase within 10% (test/llm/real-run.test.ts)', () => {
    // Per-phase means come from the direct run, which the tests above show is the same run.
    for (const ph of phases) {
      const [lo, hi] = ph.csv_rows;
      let t = 0;
      for (let i = lo; i <= hi; i++) t += direct.finishS[i]! - rows[i]!.arrivalS;
      expect(Math.abs(t / (hi - lo + 1) / ph.e2e_s.mean - 1), ph.phase).toBeLessThan(0.1);
    }
  });
});
