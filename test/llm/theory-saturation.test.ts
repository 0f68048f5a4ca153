/**
 * `saturationThroughput` (src/models/llm/theory.ts) against an overloaded replica: equal
 * requests arriving at 1.5× the predicted saturation rate, so the waiting queue only
 * grows and the replica is never idle after the first step. Output tokens per second
 * are counted as tokens emitted between two step ends (the instants of the 20% and 80%
 * completions), so the window's edges cut no step: the edge error is under one step's
 * tokens in thousands of steps (< 0.05%).
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/engine/index.ts';
import { LlmReplica, coefficientStepTime, saturationThroughput, type LlmCounters, type LlmRequestSpec, type LlmSchedulerConfig, type StepCoefficients } from '../../src/models/llm/index.ts';

/** CodeLlama-34B on H100 TP1 (BLIS defaults.yaml, rounded as in docs/llm-scheduler.md); α2 = 0, so tokens are emitted at step ends. */
const coef: StepCoefficients = { alpha: [13450.51, 0.041814, 0], beta: [26595.28, 96.284, 56.586] };
const base: LlmSchedulerConfig = { maxBatchedTokens: 4096, maxNumSeqs: 256, chunkedPrefill: true, prefixCaching: false, blockSize: 16, kvBlocks: 2537 };

interface Measured {
  outputTokensPerS: number;
  /**
   * Prompt tokens recomputed per request (after preemptions), from the window's counters:
   * prefill tokens per decode token × (O − 1), less P. Counted on the work done in the
   * window rather than on the requests finished in it: preemptions come in bursts, and
   * the requests finishing in a window need not be the ones whose work it did.
   */
  recomputedPerRequest: number;
  preemptionsPerRequest: number;
}

function overloaded(config: LlmSchedulerConfig, P: number, O: number, requests: number): Measured {
  const predicted = saturationThroughput(coef, config, P, O);
  const sim = new Simulation({ seed: 1 });
  let finished = 0;
  let tokens = 0;
  const replica = new LlmReplica<LlmRequestSpec>(
    sim,
    config,
    coefficientStepTime(coef),
    {
      firstToken: () => tokens++,
      finish: () => finished++,
      reject: () => {
        throw new Error('no request of this test is rejected');
      },
    },
    { onInterToken: () => tokens++ },
  );
  const gapS = 1 / (1.5 * predicted.requestsPerS);
  for (let i = 0; i < requests; i++) sim.scheduleAt(i * gapS, () => replica.submit({ inputTokens: P, outputTokens: O }));
  const snap = (c: LlmCounters) => ({ t: sim.now, tokens, finished: c.finished, prefill: c.prefillTokensComputed, decode: c.decodeTokens, preemptions: c.preemptions });
  sim.runWhile(() => finished < 0.2 * requests);
  const a = snap(replica.counters);
  sim.runWhile(() => finished < 0.8 * requests);
  const b = snap(replica.counters);
  expect(replica.waitingCount).toBeGreaterThan(0); // still overloaded at the end of the window
  const done = b.finished - a.finished;
  return {
    outputTokensPerS: (b.tokens - a.tokens) / (b.t - a.t),
    recomputedPerRequest: ((b.prefill - a.prefill) * (O - 1)) / (b.decode - a.decode) - P,
    preemptionsPerRequest: (b.preemptions - a.preemptions) / done,
  };
}

const rel = (x: number, y: number): number => x / y - 1;

describe('saturation throughput of one replica', () => {
  it('maxNumSeqs-bound (KV cache ample): within 0.5%', () => {
    const config = { ...base, maxNumSeqs: 64, kvBlocks: 100_000 };
    const th = saturationThroughput(coef, config, 1000, 250);
    expect(th.bound).toBe('maxNumSeqs');
    const m = overloaded(config, 1000, 250, 3000);
    // Every step holds exactly 64 sequences, each emitting one token per step (one
    // prefill step, then 249 decode steps), so only the mix of prefill and decode tokens
    // per step varies, periodically; over ~7,000 steps that averages out. 0.5% leaves
    // room for one period of admissions at the edges; measured: −0.12%.
    expect(m.preemptionsPerRequest).toBe(0);
    expect(Math.abs(rel(m.outputTokensPerS, th.outputTokensPerS))).toBeLessThan(0.005);
  });

  it('token-budget-bound with chunked prefill: within 0.5%', () => {
    const config = { ...base, maxNumSeqs: 1024, maxBatchedTokens: 512, kvBlocks: 100_000 };
    const th = saturationThroughput(coef, config, 300, 50);
    expect(th.bound).toBe('token-budget');
    const m = overloaded(config, 300, 50, 5000);
    // Every step is full (512 tokens) and the mix of prefill and decode tokens follows
    // the requests' P : (O − 1); chunking splits prompts without wasting budget. Same
    // edge argument as above; measured: −0.002%.
    expect(Math.abs(rel(m.outputTokensPerS, th.outputTokensPerS))).toBeLessThan(0.005);
  });

  it('token-budget-bound without chunked prefill: an upper bound (whole prompts leave budget unused)', () => {
    const config = { ...base, chunkedPrefill: false, maxNumSeqs: 1024, maxBatchedTokens: 2048, kvBlocks: 100_000 };
    const th = saturationThroughput(coef, config, 300, 50);
    expect(th.bound).toBe('token-budget');
    const m = overloaded(config, 300, 50, 5000);
    // A prompt of 300 is admitted only if 300 tokens of budget are left: up to 299 of
    // the 2,048 go unused per step. Measured: −1.9%, within that 299 / 2048 = 15%.
    expect(m.outputTokensPerS).toBeLessThan(th.outputTokensPerS);
    expect(rel(m.outputTokensPerS, th.outputTokensPerS)).toBeGreaterThan(-299 / 2048);
  });

  for (const [P, O] of [
    [1000, 250],
    [200, 100],
  ] as const) {
    it(`KV-cache-bound (2,537 blocks, P = ${P}, O = ${O}): an upper bound, and within the admission slack once recomputation is counted`, () => {
      const th = saturationThroughput(coef, base, P, O);
      expect(th.bound).toBe('kv-cache');
      const m = overloaded(base, P, O, 3000);
      // Admission looks only at the prompt's blocks, so the cache overfills and the
      // youngest sequences are preempted and recompute their tokens (measured: 0.22
      // and 0.28 preemptions per request): the plain formula is an upper bound (measured
      // −8.0% and −10.6%).
      expect(m.preemptionsPerRequest).toBeGreaterThan(0);
      expect(m.outputTokensPerS).toBeLessThan(th.outputTokensPerS);
      // With the recomputed prefill tokens taken from the run's counters, what is left is
      // the batch. It falls short of kvBlocks / m̄ by the blocks free when steps are
      // planned: admission stops with fewer free than the head of the queue needs, and a
      // step that preempts frees the victim's blocks and admits nobody. Measured: 41 and
      // 32 blocks free on average (1.6%, 1.3% of the cache), and output/s = B / (β0 + κB)
      // moves by β0 / step (0.63, 0.36) of that: −1.0% and −0.45% expected; measured
      // −1.0% and −0.35%. Bounds: +0.5% (the formula should never be beaten by more than
      // the window's edge error) and −2% (twice the worst batch shortfall measured).
      const corrected = saturationThroughput(coef, base, P, O, { recomputedTokensPerRequest: m.recomputedPerRequest });
      const r = rel(m.outputTokensPerS, corrected.outputTokensPerS);
      expect(r).toBeLessThan(0.005);
      expect(r).toBeGreaterThan(-0.02);
    });
  }

  it('the worked example of docs/llm-scheduler.md: CodeLlama-34B/H100, P = 1000, O = 250', () => {
    const th = saturationThroughput(coef, base, 1000, 250);
    // Reference: m̄ = (1/250) Σ_{j<250} ceil((1000 + j)/16) = 17,686 / 250 = 70.744 blocks;
    // B = 2537 / 70.744 = 35.862; per step 35.862 × 1000/250 = 143.447 prefill and
    // 35.862 × 249/250 = 35.718 decode tokens; step = 26595.28 + 96.284 × 143.447
    // + 56.586 × 35.718 = 26595.28 + 13811.63 + 2021.15 = 42,428.06 µs;
    // output/s = 35.862 / 0.042428 = 845.2; requests/s = 845.2 / 250 = 3.381.
    expect(th.blocksPerSequence).toBe(70.744);
    expect(th.batch).toBeCloseTo(35.862, 3);
    expect(th.stepUs).toBeCloseTo(42428.06, 1);
    expect(th.requestsPerS).toBeCloseTo(3.381, 3);
    expect(th.outputTokensPerS).toBeCloseTo(845.2, 1);
  });
});
