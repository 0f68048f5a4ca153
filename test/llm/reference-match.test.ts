/**
 * The event-driven `LlmReplica` against the plain reference loop (test/llm/reference.ts,
 * written from docs/llm-scheduler.md alone), request for request, on random workloads
 * small enough to force preemptions and prefix-cache hits (fast-check, fixed seed).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coefficientStepTime, type LlmSchedulerConfig } from '../../src/models/llm/index.ts';
import { referenceRun, type RefRequest } from './reference.ts';
import { runReplica } from './run-replica.ts';

const configArb: fc.Arbitrary<LlmSchedulerConfig> = fc.record({
  maxBatchedTokens: fc.integer({ min: 1, max: 300 }),
  maxNumSeqs: fc.integer({ min: 1, max: 12 }),
  chunkedPrefill: fc.boolean(),
  prefixCaching: fc.boolean(),
  blockSize: fc.constantFrom(1, 2, 4, 8, 16),
  kvBlocks: fc.integer({ min: 1, max: 120 }),
});

const requestArb = fc
  .record({
    gapUs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 20_000 })),
    P: fc.integer({ min: 1, max: 160 }),
    O: fc.integer({ min: 1, max: 40 }),
    group: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined, freq: 4 }),
    prefixShare: fc.double({ min: 0.3, max: 1, noNaN: true }),
  })
  .map((r) => ({ ...r, T: r.group === undefined ? 0 : Math.floor(r.prefixShare * r.P) }));

const workloadArb = fc.record({
  config: configArb,
  // Integer microseconds keep every time a short sum, but the comparison below is exact either way.
  alpha: fc.tuple(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 50 })),
  beta: fc.tuple(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 200 })),
  requests: fc.array(requestArb, { minLength: 1, maxLength: 40 }),
});

describe('LlmReplica = the reference loop', () => {
  it('on random workloads: every request\'s first-token and finish times, rejections, preemptions, step sizes, cache hits', () => {
    let withPreemption = 0;
    let withHits = 0;
    let runs = 0;
    fc.assert(
      fc.property(workloadArb, ({ config, alpha, beta, requests }) => {
        const time = coefficientStepTime({ alpha, beta });
        let t = 0;
        const reqs: RefRequest[] = requests.map((r) => {
          t += r.gapUs * 1e-6;
          return { arrivalS: t, P: r.P, O: r.O, ...(r.group !== undefined ? { group: r.group, T: r.T } : {}) };
        });
        const ref = referenceRun(reqs, config, time);
        const run = runReplica(reqs, config, time);
        expect(run.rejected).toEqual(ref.rejected);
        expect(run.firstS).toEqual(ref.firstS);
        expect(run.finishS).toEqual(ref.finishS);
        expect(run.steps.map((s) => ({ t: s.t, p: s.p, d: s.d }))).toEqual(ref.steps);
        const c = run.replica.counters;
        expect(c.preemptions).toBe(ref.preemptions);
        expect([c.prefixQueryTokens, c.prefixHitTokens]).toEqual([ref.queryTokens, ref.hitTokens]);
        // Every accepted request finished, and the replica is empty.
        expect(c.finished + c.rejected).toBe(reqs.length);
        expect(run.replica.usedBlocks).toBe(0);
        runs++;
        if (c.preemptions > 0) withPreemption++;
        if (c.prefixHitTokens > 0) withHits++;
      }),
      { seed: 14, numRuns: 500 },
    );
    // The property must have exercised preemption and the prefix cache, not only easy cases.
    expect(withPreemption).toBeGreaterThan(runs / 10);
    expect(withHits).toBeGreaterThan(runs / 10);
    process.stdout.write(`reference match: ${runs} runs, ${withPreemption} with preemptions, ${withHits} with prefix-cache hits\n`);
  });
});
