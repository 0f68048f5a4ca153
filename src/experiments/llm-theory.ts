/**
 * Theory beside an LLM stage's simulation (issue 14), where it holds: a request alone on
 * an idle replica (docs/llm-scheduler.md, "Time": with coefficients TTFT = α0 + α1·P + β0 +
 * β1·P + α2 when P fits the step budget, E2E adds (O − 1)(β0 + β2 + α2); from any step model
 * by `loneRequest`) and a saturation estimate of the stage (`saturationRps`). With
 * coefficients both lone formulas are linear in P and O, so their mean over requests is the
 * formula at the mean token counts (the nominal means: truncation by `max` lowers the real
 * ones a little); the simulated means sit above them by what queueing and batching add.
 */
import type { RunResult } from '../models/index.ts';
import type { LlmTheory } from '../models/stations/station.ts';
import type { TheoryRow } from '../report/model.ts';

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(0)}%`;
const num = (x: number) => (Number.isFinite(x) ? String(+x.toPrecision(3)) : String(x));

/** The theory rows of one LLM stage at arrival rate `lambda` (requests/s). */
export function llmTheoryRows(stage: string, t: LlmTheory, lambda: number, result: RunResult): TheoryRow[] {
  const llm = result.llm;
  const rho = lambda / t.capacityRps;
  const load = Number.isFinite(rho) ? ` The offered ${num(lambda)} req/s is ${(rho * 100).toFixed(0)}% of the saturation estimate.` : '';
  const gap = (sim: number, analytic: number) => (Number.isFinite(sim) && analytic > 0 ? `the simulation is ${pct(sim / analytic - 1)} from it` : 'not comparable');
  const p = num(t.meanInputTokens);
  const o = num(t.meanOutputTokens);
  const ttftSim = llm?.ttftMs.mean ?? NaN;
  const e2eSim = llm?.e2eMs.mean ?? NaN;
  return [
    {
      stage,
      model: 'lone request',
      quantity: 'mean TTFT (ms)',
      analytic: t.ttftAloneS * 1000,
      simulated: { value: ttftSim },
      note:
        `a request alone on an idle replica at the mean prompt (${p} tokens), from the stage's step model (with coefficients: α0 + α1·P + β0 + β1·P + α2 when the prompt fits one step's budget); ` +
        `${gap(ttftSim, t.ttftAloneS * 1000)}: waiting for KV blocks and sequence slots, prompts chunked over several steps, and steps shared with other requests' decodes.${load}`,
    },
    {
      stage,
      model: 'lone request',
      quantity: 'mean E2E (ms)',
      analytic: t.e2eAloneS * 1000,
      simulated: { value: e2eSim },
      note:
        `the same request's E2E, one decode step per further token at the mean output (${o} tokens; with coefficients: TTFT + (O − 1)(β0 + β2 + α2)); ` +
        `${gap(e2eSim, t.e2eAloneS * 1000)}: a step of a batch costs more for every sequence in it and for the prefills of new requests, so decoding slows as the batch grows.`,
    },
    {
      stage,
      model: 'saturation estimate',
      quantity: 'capacity (req/s)',
      analytic: t.capacityRps,
      simulated: { value: NaN },
      note:
        `every replica busy at its saturated batch (B = ${num(t.kvBatch)} sequences, the smallest of maxNumSeqs, what the KV cache holds and the token budget allows at the mean token counts; docs/llm-scheduler.md, "Theory"): ` +
        `replicas × B / (O · step), a step carrying B·P/O prefill and B·(O − 1)/O decode tokens; when the KV cache binds it is an upper bound (preemptions recompute prompts), so read it as a first estimate.${load}`,
    },
  ];
}
