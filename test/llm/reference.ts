/**
 * A second, independent implementation of docs/llm-scheduler.md: a plain loop over
 * steps, written from the document's text alone, with the simplest data structures
 * (arrays with shift/splice, string content identities, every full block identified as
 * soon as it is scheduled). Slow on purpose; the event-driven `LlmReplica` must match it
 * request for request.
 */
import type { StepTimeModel } from '../../src/models/llm/index.ts';

/** One request of a reference run. */
export interface RefRequest {
  arrivalS: number;
  P: number;
  O: number;
  group?: number;
  T?: number;
}

/** Settings, as in `LlmSchedulerConfig`. */
export interface RefConfig {
  maxBatchedTokens: number;
  maxNumSeqs: number;
  chunkedPrefill: boolean;
  prefixCaching: boolean;
  blockSize: number;
  kvBlocks: number;
}

/** What happened to each request, and the totals. */
export interface RefOutcome {
  firstS: (number | undefined)[];
  finishS: (number | undefined)[];
  rejected: (string | undefined)[];
  preemptions: number;
  steps: { t: number; p: number; d: number }[];
  hitTokens: number;
  queryTokens: number;
}

interface Seq {
  i: number;
  P: number;
  O: number;
  G: number | undefined;
  T: number;
  g: number;
  c: number;
  k: number;
  decoding: boolean;
  blocks: number[];
  readyS: number;
}

export function referenceRun(reqs: RefRequest[], cfg: RefConfig, model: StepTimeModel): RefOutcome {
  const B = cfg.blockSize;
  const out: RefOutcome = {
    firstS: reqs.map(() => undefined),
    finishS: reqs.map(() => undefined),
    rejected: reqs.map(() => undefined),
    preemptions: 0,
    steps: [],
    hitTokens: 0,
    queryTokens: 0,
  };
  // Submission and rejection.
  const pending: Seq[] = [];
  reqs.forEach((r, i) => {
    const T = r.T ?? 0;
    if (Math.ceil((r.P + r.O - 1) / B) > cfg.kvBlocks) out.rejected[i] = 'kv-capacity';
    else if (!cfg.chunkedPrefill && r.P + r.O - 1 > cfg.maxBatchedTokens) out.rejected[i] = 'token-budget';
    else pending.push({ i, P: r.P, O: r.O, G: r.group, T, g: 0, c: 0, k: 0, decoding: false, blocks: [], readyS: r.arrivalS + model.preQueueS(r.P) });
  });
  pending.sort((a, b) => a.readyS - b.readyS || a.i - b.i);

  // KV blocks: holders, content identity, the free queue, the cache.
  const holders: number[] = new Array<number>(cfg.kvBlocks).fill(0);
  const content: (string | null)[] = new Array<string | null>(cfg.kvBlocks).fill(null);
  const freeQ: number[] = [];
  for (let b = 0; b < cfg.kvBlocks; b++) freeQ.push(b);
  const cache = new Map<string, number>();
  const identity = (s: Seq, j: number): string => (s.G !== undefined && (j + 1) * B <= s.T ? `g${s.G}:${j}` : `r${s.i}:${j}`);
  const take = (): number => {
    const b = freeQ.shift()!;
    const id = content[b] ?? null;
    if (id !== null && cache.get(id) === b) cache.delete(id);
    content[b] = null;
    holders[b] = 1;
    return b;
  };
  const release = (s: Seq): void => {
    for (let j = s.blocks.length - 1; j >= 0; j--) {
      const b = s.blocks[j]!;
      holders[b]!--;
      if (holders[b] === 0) freeQ.push(b);
    }
    s.blocks = [];
  };
  const identify = (s: Seq, from: number, to: number): void => {
    if (!cfg.prefixCaching) return;
    for (let j = Math.floor(from / B); j < Math.floor(to / B); j++) {
      const b = s.blocks[j]!;
      const id = identity(s, j);
      const old = cache.get(id);
      if (old !== undefined && old !== b) content[old] = null;
      cache.set(id, b);
      content[b] = id;
    }
  };

  const waiting: Seq[] = [];
  let running: Seq[] = [];
  let t = 0;
  for (;;) {
    if (running.length === 0 && waiting.length === 0) {
      if (pending.length === 0) break;
      t = Math.max(t, pending[0]!.readyS);
    }
    while (pending.length > 0 && pending[0]!.readyS <= t) waiting.push(pending.shift()!);

    // Plan one step.
    let budget = cfg.maxBatchedTokens;
    let p = 0;
    let d = 0;
    let preempted = false;
    const inStep: Seq[] = [];
    let idx = 0;
    while (idx < running.length && budget > 0) {
      const s = running[idx]!;
      const k = Math.min(s.P + s.g - s.c, budget);
      const need = Math.ceil((s.c + k) / B) - s.blocks.length;
      let selfOut = false;
      while (need > freeQ.length) {
        const v = running.pop()!;
        release(v);
        v.c = 0;
        v.decoding = false;
        waiting.unshift(v);
        out.preemptions++;
        preempted = true;
        if (v === s) {
          selfOut = true;
          break;
        }
      }
      if (selfOut) break;
      for (let x = 0; x < need; x++) s.blocks.push(take());
      identify(s, s.c, s.c + k);
      s.k = k;
      budget -= k;
      if (s.decoding) d += k;
      else p += k;
      inStep.push(s);
      idx++;
    }
    if (!preempted) {
      while (budget > 0 && running.length < cfg.maxNumSeqs && waiting.length > 0) {
        const r = waiting[0]!;
        const n = r.P + r.g;
        const hitBlocks: number[] = [];
        if (cfg.prefixCaching) {
          while (hitBlocks.length < Math.floor((n - 1) / B)) {
            const b = cache.get(identity(r, hitBlocks.length));
            if (b === undefined) break;
            hitBlocks.push(b);
          }
        }
        const h = hitBlocks.length * B;
        let k = n - h;
        if (k > budget) {
          if (!cfg.chunkedPrefill) break;
          k = budget;
        }
        const need = Math.ceil((h + k) / B) - hitBlocks.length;
        const freeHits = hitBlocks.filter((b) => holders[b] === 0).length;
        if (need > freeQ.length - freeHits) break;
        waiting.shift();
        for (const b of hitBlocks) {
          if (holders[b] === 0) freeQ.splice(freeQ.indexOf(b), 1);
          holders[b]!++;
        }
        r.blocks = [...hitBlocks];
        for (let x = 0; x < need; x++) r.blocks.push(take());
        if (cfg.prefixCaching) {
          out.queryTokens += n;
          out.hitTokens += h;
        }
        r.c = h;
        identify(r, h, h + k);
        r.k = k;
        budget -= k;
        p += k;
        running.push(r);
        inStep.push(r);
      }
    }
    if (inStep.length === 0) throw new Error('reference: empty step with work pending');
    out.steps.push({ t, p, d });

    // End the step.
    const tEnd = t + model.stepS(p, d);
    const a2 = model.perOutputTokenS;
    for (const s of inStep) {
      s.c += s.k;
      if (s.c === s.P + s.g) {
        s.g++;
        s.decoding = true;
        const tokenS = a2 === 0 ? tEnd : tEnd + s.g * a2;
        if (s.g === 1) out.firstS[s.i] = tokenS;
        if (s.g === s.O) {
          out.finishS[s.i] = tokenS;
          release(s);
        }
      }
    }
    running = running.filter((s) => s.g < s.O);
    t = tEnd;
  }
  return out;
}
