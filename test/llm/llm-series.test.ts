/**
 * The per-window LLM series (src/models/metrics/llm-series.ts) add up to the run's
 * figures: on the measured vLLM run replayed through one replica (no warm-up), the
 * windows' KV utilization integrates to the engine's own time-weighted KV integral, and
 * their output tokens to its count; a 1 s window and a 60 s window give the same totals.
 * Tolerance 1e-9 relative: the same products summed in another grouping (per window).
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTraceFile } from '../../src/cli/trace-file.ts';
import { scenarioFromText } from '../../src/config/parse.ts';
import { ServingSystem } from '../../src/models/index.ts';
import type { LlmStation } from '../../src/models/stations/llm.ts';

const CSV = resolve('examples/llm-ground-truth/codellama-34b-h100-run.csv');
const openTrace = (path: string, o: { timestampColumn: string | undefined }) => openTraceFile(path, path, o.timestampColumn);

const scenario = (window: string) => `name: series
arrivals: { process: trace, file: ${JSON.stringify(CSV)} }
timeSeries: { window: ${window} }
tokens:
  input:  { dist: trace, column: prompt_tokens }
  output: { dist: trace, column: output_tokens }
stages:
  - name: llm
    replicas: 1
    llm: { profile: codellama-34b/h100/tp1, maxBatchedTokens: 4096 }
`;

describe('per-window LLM series', () => {
  for (const window of ['1s', '60s']) {
    it(`add up to the run's KV integral and output tokens (window ${window})`, () => {
      const sys = new ServingSystem(scenarioFromText({ name: 's.yaml', text: scenario(window) }), { openTrace });
      const r = sys.run();
      const s = r.llm!.series.llm!;
      const engine = (sys.stages[0] as LlmStation).engines[0]!;
      expect(s.startS.length).toBe(r.timeSeries.startS.length);
      const len = (i: number) => Math.min(s.windowS, r.endS - s.startS[i]!);
      const kv = s.kvUtilization.reduce((a, u, i) => a + u * len(i), 0);
      expect(kv / engine.counters.kvUtilization.integral(r.endS)).toBeCloseTo(1, 9);
      const out = s.outputTokensPerS.reduce((a, x, i) => a + x * len(i), 0);
      expect(out / engine.counters.outputTokens).toBeCloseTo(1, 9);
      expect(Math.max(...s.ttftP99Ms.filter((x): x is number => x !== null))).toBeGreaterThan(0);
    });
  }
});
