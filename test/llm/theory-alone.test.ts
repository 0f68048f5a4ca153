/**
 * `aloneOnIdleReplica` (src/models/llm/theory.ts) against the event-driven replica: one
 * request on an idle replica, TTFT and E2E to the nanosecond (the only difference is
 * floating-point rounding of sums of a few thousand steps, far below 1 ns at these times).
 */
import { describe, expect, it } from 'vitest';
import { LLM_PROFILES } from '../../src/catalog/llm-profiles.ts';
import { aloneOnIdleReplica, aloneOnIdleReplicaS, coefficientStepTime, rooflineDeployment, rooflineStepTime, tableStepTime, type LlmSchedulerConfig, type StepCoefficients } from '../../src/models/llm/index.ts';
import { runReplica } from './run-replica.ts';

const codellama = LLM_PROFILES['codellama-34b/h100/tp1'];
const profiles: [string, StepCoefficients][] = [
  ['codellama-34b/h100/tp1', { alpha: codellama.alpha as [number, number, number], beta: codellama.beta as [number, number, number] }],
  // A non-zero α2, to check where the per-output-token overhead lands.
  ['α2 = 50 µs', { alpha: [500, 1, 50], beta: [1000, 10, 100] }],
];
const base: LlmSchedulerConfig = { maxBatchedTokens: 4096, maxNumSeqs: 256, chunkedPrefill: true, prefixCaching: false, blockSize: 16, kvBlocks: 100_000 };

/** [P, O, maxBatchedTokens, chunkedPrefill, prefill steps expected]. */
const cases: [number, number, number, boolean, number][] = [
  [1000, 250, 4096, true, 1],
  [1000, 250, 4096, false, 1],
  [1, 1, 16, false, 1],
  [4096, 3, 4096, true, 1], // exactly the budget: one step
  [4097, 1, 4096, true, 2], // one token over: a second step of 1 token
  [5000, 20, 2048, true, 3], // chunks 2048, 2048, 904
  [150, 2, 64, true, 3], // chunks 64, 64, 22
  [63, 2, 64, false, 1], // P + O − 1 = 64 = budget: accepted whole
  [10_000, 40, 512, true, 20],
];

describe('a request alone on an idle replica: the closed form equals the simulation', () => {
  for (const [name, coef] of profiles) {
    for (const [P, O, budget, chunked, steps] of cases) {
      it(`${name}: P=${P}, O=${O}, budget ${budget}, chunked ${chunked}`, () => {
        const config = { ...base, maxBatchedTokens: budget, chunkedPrefill: chunked };
        const arrivalS = 0.125;
        const run = runReplica([{ arrivalS, P, O }], config, coefficientStepTime(coef));
        const th = aloneOnIdleReplica(coef, config, P, O);
        expect(th.prefillSteps).toBe(steps);
        expect(run.steps.filter((s) => s.p > 0).length).toBe(steps);
        expect(Math.abs(run.firstS[0]! - arrivalS - th.ttftUs * 1e-6)).toBeLessThan(1e-9);
        expect(Math.abs(run.finishS[0]! - arrivalS - th.e2eUs * 1e-6)).toBeLessThan(1e-9);
      });
    }
  }

  it('the worked example of docs/llm-scheduler.md ("Theory"): CodeLlama-34B/H100, P = 1000, O = 250', () => {
    const coef: StepCoefficients = { alpha: [13450.51, 0.041814, 0], beta: [26595.28, 96.284, 56.586] };
    const th = aloneOnIdleReplica(coef, { ...base, kvBlocks: 2537 }, 1000, 250);
    // Reference: 13450.51 + 41.814 + 26595.28 + 96284 + 0 = 136371.604 µs;
    // E2E adds 249 × (26595.28 + 56.586 + 0) = 249 × 26651.866 = 6636314.634 µs.
    expect(th.ttftUs).toBeCloseTo(136371.604, 6);
    expect(th.e2eUs).toBeCloseTo(6772686.238, 6);
    // P = 10,000: chunks 4096, 4096, 1808; 13450.51 + 418.14 + 3 × 26595.28 + 962840 = 1056494.49 µs.
    const long = aloneOnIdleReplica(coef, { ...base, kvBlocks: 2537 }, 10_000, 250);
    expect(long.prefillSteps).toBe(3);
    expect(long.ttftUs).toBeCloseTo(1056494.49, 6);
  });

  it('refuses a request the replica would reject', () => {
    const coef = profiles[0]![1];
    expect(() => aloneOnIdleReplica(coef, { ...base, chunkedPrefill: false, maxBatchedTokens: 512 }, 500, 20)).toThrow(/token-budget/);
    expect(() => aloneOnIdleReplica(coef, { ...base, kvBlocks: 10 }, 500, 20)).toThrow(/kv-capacity/);
  });
});

describe('a request alone under any deterministic step model (aloneOnIdleReplicaS)', () => {
  const models = [
    ['coefficients', coefficientStepTime({ alpha: [500, 1, 50], beta: [1000, 10, 100] })],
    // A table whose step time is not linear in the tokens (interpolated between grid points).
    ['table', tableStepTime({ prefillTokens: [0, 512, 4096], decodeTokens: [0, 1, 64], stepUs: [[8000, 9000, 12000], [20000, 21000, 25000], [150000, 151000, 160000]], alpha: [300, 0.5, 20] })],
    // The roofline model reads the attention context of every step.
    ['roofline llama-3.1-8b/h100-sxm', rooflineStepTime(rooflineDeployment({ model: 'llama-3.1-8b', gpu: 'h100-sxm' }))],
  ] as const;
  for (const [name, model] of models) {
    for (const [P, O, budget, chunked] of [
      [1000, 50, 4096, true],
      [5000, 20, 2048, true],
      [300, 30, 512, false],
    ] as const) {
      it(`${name}: P=${P}, O=${O}, budget ${budget}, chunked ${chunked}`, () => {
        const config = { ...base, maxBatchedTokens: budget, chunkedPrefill: chunked };
        const run = runReplica([{ arrivalS: 0.5, P, O }], config, model);
        const th = aloneOnIdleReplicaS(model, config, P, O);
        expect(th.prefillSteps).toBe(run.steps.filter((s) => s.p > 0).length);
        expect(Math.abs(run.firstS[0]! - 0.5 - th.ttftS)).toBeLessThan(1e-9);
        expect(Math.abs(run.finishS[0]! - 0.5 - th.e2eS)).toBeLessThan(1e-9);
      });
    }
  }

  it('with the coefficient model it is the closed form', () => {
    const coef = profiles[0]![1];
    const closed = aloneOnIdleReplica(coef, base, 5000, 20);
    const summed = aloneOnIdleReplicaS(coefficientStepTime(coef), { ...base }, 5000, 20);
    expect(summed.ttftS * 1e6).toBeCloseTo(closed.ttftUs, 6);
    expect(summed.e2eS * 1e6).toBeCloseTo(closed.e2eUs, 6);
  });
});
