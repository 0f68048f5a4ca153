/**
 * The token-level figures of one LLM stage (issue 14): TTFT, TPOT, inter-token latency and
 * E2E per request, batch sizes per step, rejections, and the requests meeting the TTFT
 * and TPOT objectives together. The LLM station (`../stations/llm.ts`) reports to it; the
 * warm-up rule is applied here once: request figures count measured requests
 * (`req.measured`), step and token figures count what happens after measurement starts.
 * `llm-result.ts` merges the collectors of every LLM stage into the run's `llm` section.
 */
import { QuantileSketch } from '../../engine/index.ts';
import type { Request } from '../request.ts';

/** Per-request objectives in seconds (Infinity when not set). */
export interface LlmSloTargets {
  ttftS: number;
  tpotS: number;
}

/** What one LLM stage measured, in seconds and counts (merged across stages by `llmRunResult`). */
export class LlmCollector {
  /** Step and token figures count from now on (set at the end of warm-up). */
  measuring = false;
  readonly ttft = new QuantileSketch();
  readonly tpot = new QuantileSketch();
  readonly itl = new QuantileSketch();
  readonly e2e = new QuantileSketch();
  readonly batchSeqs = new QuantileSketch();
  readonly batchTokens = new QuantileSketch();
  /** Measured requests that reached the stage (the objectives' denominator). */
  arrived = 0;
  /** Measured requests refused because they can never fit (KV cache, token budget). */
  rejected = 0;
  /** Measured requests finished, and those meeting both the TTFT and TPOT objectives. */
  finished = 0;
  withinTtft = 0;
  withinTpot = 0;
  withinBoth = 0;
  /** Measured requests the cache in front answered instead of the engine, and their token counts. */
  cacheHits = 0;
  cacheInputTokens = 0;
  cacheOutputTokens = 0;

  constructor(readonly slo: LlmSloTargets) {}

  /** A request reached the stage. */
  requestArrived(req: Request): void {
    if (req.measured) this.arrived++;
  }

  /**
   * A request left with its last token: `ttftS` and `e2eS` from its arrival at the stage.
   * TPOT = (E2E − TTFT) / (O − 1), defined for O > 1 only (a one-token answer has no TPOT
   * and meets any TPOT objective).
   */
  requestFinished(req: Request, ttftS: number, e2eS: number, outputTokens: number): void {
    if (!req.measured) return;
    this.finished++;
    this.ttft.record(ttftS);
    this.e2e.record(e2eS);
    let tpotOk = true;
    if (outputTokens > 1) {
      const tpot = (e2eS - ttftS) / (outputTokens - 1);
      this.tpot.record(tpot);
      tpotOk = tpot < this.slo.tpotS;
    }
    const ttftOk = ttftS < this.slo.ttftS;
    if (ttftOk) this.withinTtft++;
    if (tpotOk) this.withinTpot++;
    if (ttftOk && tpotOk) this.withinBoth++;
  }

  /** The cache in front answered a request of `inputTokens` and `outputTokens` tokens: counted as served from cache, never as the engine's. */
  answeredByCache(req: Request, inputTokens: number, outputTokens: number): void {
    if (!req.measured) return;
    this.cacheHits++;
    this.cacheInputTokens += inputTokens;
    this.cacheOutputTokens += outputTokens;
  }

  /** A request can never be served here (refused at submission). */
  requestRejected(req: Request): void {
    if (req.measured) this.rejected++;
  }

  /**
   * A token after a request's first, `itlS` after the previous one.
   * PERF: this runs once per token. Sequences decoding in consecutive steps emit tokens
   * with the very same gap (the step's length), so equal values in a row are counted and
   * recorded at once (`recordMany`: the same sketch); read `itl` after `flush()`.
   */
  interToken(itlS: number): void {
    if (!this.measuring) return;
    if (itlS === this.itlValue) {
      this.itlCount++;
      return;
    }
    if (this.itlCount > 0) this.itl.recordMany(this.itlValue, this.itlCount);
    this.itlValue = itlS;
    this.itlCount = 1;
  }

  /** Records the inter-token gaps still being counted (before `itl` is read). */
  flush(): void {
    if (this.itlCount > 0) this.itl.recordMany(this.itlValue, this.itlCount);
    this.itlCount = 0;
    this.itlValue = NaN;
  }

  private itlValue = NaN;
  private itlCount = 0;

  /** A step was planned with `seqs` sequences and `tokens` tokens. */
  step(seqs: number, tokens: number): void {
    if (!this.measuring) return;
    this.batchSeqs.record(seqs);
    this.batchTokens.record(tokens);
  }
}
