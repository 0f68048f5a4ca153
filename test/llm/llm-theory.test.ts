/**
 * Theory beside an LLM stage (src/experiments/theory-llm.ts): the lone-request formulas
 * hold exactly for one request on an idle replica run through the scenario path, and the
 * saturation estimate lands near the completion rate of an overloaded stage.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioFromText } from '../../src/config/parse.ts';
import { ServingSystem } from '../../src/models/index.ts';
import type { LlmStation } from '../../src/models/stations/llm.ts';
import { theoryForRun } from '../../src/experiments/theory.ts';

const scenario = (body: string) => scenarioFromText({ name: resolve('t.yaml'), text: body });

describe('LLM theory rows', () => {
  it('a request alone: TTFT = α0 + α1·P + β0 + β1·P + α2 and E2E = TTFT + (O − 1)(β0 + β2 + α2), to the nanosecond', () => {
    // granite-3.1-8b/h100/tp1 has α2 ≠ 0, so the per-token term is exercised too.
    const text = `name: lone
arrivals: { process: constant, qps: 1 }
stop: { requests: 1 }
tokens: { input: { dist: deterministic, value: 1000 }, output: { dist: deterministic, value: 250 } }
stages:
  - name: llm
    replicas: 1
    llm: { profile: granite-3.1-8b/h100/tp1, maxBatchedTokens: 4096 }
`;
    const sys = new ServingSystem(scenario(text));
    const r = sys.run();
    const rows = theoryForRun(scenario(text), new ServingSystem(scenario(text)), r);
    const [a0, a1, a2] = [2247.789307383601, 4.366709277206167, 2026.846223138372];
    const [b0, b1, b2] = [8721.044757226877, 4.483158878859319, 0.5577916481502001];
    const ttftMs = (a0 + a1 * 1000 + b0 + b1 * 1000 + a2) / 1000;
    const e2eMs = ttftMs + (249 * (b0 + b2 + a2)) / 1000;
    expect(rows[0]!.analytic).toBeCloseTo(ttftMs, 9);
    expect(rows[1]!.analytic).toBeCloseTo(e2eMs, 9);
    expect(r.llm!.ttftMs.mean).toBeCloseTo(ttftMs, 6);
    expect(r.llm!.e2eMs.mean).toBeCloseTo(e2eMs, 6);
    // The request's latency through the system is its E2E, α2 per token included.
    expect(r.latencyMs.mean).toBeCloseTo(e2eMs, 6);
    expect((sys.stages[0] as LlmStation).engines[0]!.counters.finished).toBe(1);
  });

  it('the saturation estimate is within 15% of the completion rate of an overloaded stage', () => {
    // Seeded run at 1.5 times the estimate: the middle windows complete at the stage's real
    // capacity. The estimate ignores the step budget and lets the batch sit at its KV
    // limit (theory.ts's saturationThroughput, an upper bound when the KV cache binds);
    // measured 2.2% above the simulation here (13.52 against 13.23 req/s) and 6% above with
    // 8 replicas at 40 req/s (27.0 against 25.4), hence 15%.
    const text = `name: saturated
seed: 1
arrivals: { process: poisson, qps: 20 }
stop: { requests: 6000 }
timeSeries: { window: 50s }
tokens:
  input:  { dist: lognormal, mean: 1000, cv: 1.0, min: 1, max: 8000 }
  output: { dist: lognormal, mean: 250, cv: 1.2, min: 1, max: 2000 }
stages:
  - name: llm
    replicas: 4
    llm: { profile: codellama-34b/h100/tp1, maxBatchedTokens: 4096 }
`;
    const sys = new ServingSystem(scenario(text));
    const r = sys.run();
    const capacity = sys.stages[0]!.theory.llm!.capacityRps;
    const ts = r.timeSeries;
    // Windows 2..5 (50-250 s): arrivals (20/s) far above capacity (about 13.5/s), the queue never empties.
    const rates = ts.completions.slice(1, 5).map((c) => c / ts.windowS);
    const measured = rates.reduce((a, b) => a + b, 0) / rates.length;
    if (process.env.LLM_THEORY_PRINT) process.stdout.write(`capacity estimate ${capacity} req/s, measured ${measured} req/s\n`);
    expect(Math.abs(capacity / measured - 1)).toBeLessThan(0.15);
  });
});
