/** The replica's counters and observer hooks, on cases small enough to check by hand. */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/engine/index.ts';
import { LlmReplica, coefficientStepTime, type LlmRequestSpec } from '../../src/models/llm/index.ts';

const time = coefficientStepTime({ alpha: [0, 0, 0], beta: [1000, 10, 100] });
const config = { maxBatchedTokens: 4096, maxNumSeqs: 256, chunkedPrefill: true, prefixCaching: false, blockSize: 16, kvBlocks: 1000 };
const quiet = { firstToken() {}, finish() {}, reject() {} };

describe('LlmReplica counters', () => {
  it('KV utilization is time-weighted over the blocks held; inter-token latencies are the decode steps', () => {
    const sim = new Simulation({ seed: 1 });
    const itl: number[] = [];
    const steps: number[][] = [];
    const r = new LlmReplica<LlmRequestSpec>(sim, config, time, quiet, {
      onInterToken: (x) => itl.push(Math.round(x * 1e9) / 1e3),
      onStep: (_t, dur, seqs, p, d) => steps.push([Math.round(dur * 1e9) / 1e3, seqs, p, d]),
    });
    r.submit({ inputTokens: 100, outputTokens: 5 });
    sim.run();
    // P + O − 1 = 104 tokens: 7 blocks of 16 from the first step to the finish, on 1,000.
    expect(r.counters.kvUtilization.mean(sim.now)).toBeCloseTo(0.007, 12);
    expect(r.counters.kvUtilization.max).toBeCloseTo(0.007, 12);
    expect(itl).toEqual([1100, 1100, 1100, 1100]);
    expect(steps).toEqual([[2000, 1, 100, 0], [1100, 1, 0, 1], [1100, 1, 0, 1], [1100, 1, 0, 1], [1100, 1, 0, 1]]);
    const c = r.counters;
    expect([c.steps, c.batchSeqsSum, c.batchSeqsMax, c.batchTokensSum, c.batchTokensMax, c.prefillTokensComputed, c.decodeTokens]).toEqual([5, 5, 1, 104, 100, 100, 4]);
    expect(r.usedBlocks).toBe(0);
  });

  it('two runs with the same inputs give identical outputs, and runs do not share state', () => {
    const once = (): number[] => {
      const sim = new Simulation({ seed: 3 });
      const out: number[] = [];
      const r = new LlmReplica<LlmRequestSpec & { i: number }>(sim, { ...config, kvBlocks: 20, prefixCaching: true }, time, {
        firstToken: (q, t) => out.push(q.i, t),
        finish: (q, t) => out.push(-q.i, t),
        reject() {},
      });
      for (let i = 0; i < 30; i++) sim.scheduleAt(i * 0.001, () => r.submit({ i, inputTokens: 20 + ((i * 37) % 100), outputTokens: 1 + ((i * 11) % 30), prefixGroup: i % 3, prefixTokens: 16 }));
      sim.run();
      return out;
    };
    expect(once()).toEqual(once());
  });
});
