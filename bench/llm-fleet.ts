/**
 * The LLM chat workload of the token benchmark (issue 14): Poisson arrivals over a fleet
 * of `LlmReplica`s, each request sent to the replica with the fewest requests in it,
 * lognormal prompt and output lengths (means 1,000 and 250 tokens). Arrivals are chained
 * (one pending at a time) and finished requests are forgotten, so memory follows the
 * requests in flight, not the run length.
 */
import { type RandomStreams, Simulation, lognormal, type Rng } from '../src/engine/index.ts';
import { LLM_PROFILES, type LlmProfileName } from '../src/catalog/llm-profiles.ts';
import { LlmReplica, coefficientStepTime, type LlmRequestSpec, type LlmSchedulerConfig } from '../src/models/llm/index.ts';

/** The workload and fleet. */
export interface FleetSpec {
  profile: LlmProfileName;
  replicas: number;
  requests: number;
  /** Arrival rate, requests per second (all replicas). */
  qps: number;
  seed: number;
  /** Lognormal means and coefficients of variation of prompt and output tokens. */
  inputMean: number;
  inputCv: number;
  outputMean: number;
  outputCv: number;
  prefixCaching: boolean;
}

/** What a fleet run did. */
export interface FleetResult {
  finished: number;
  rejected: number;
  inputTokens: number;
  outputTokens: number;
  steps: number;
  preemptions: number;
  meanTtftS: number;
  meanE2eS: number;
  simulatedS: number;
  meanBatchSeqs: number;
}

interface Req extends LlmRequestSpec {
  arrivalS: number;
  replica: number;
}

/**
 * Token counts: a lognormal draw rounded to the nearest integer, at least 1 (the only
 * change to the distribution: P(draw < 0.5) is below 1e-6 for these means and cvs).
 */
function tokens(mean: number, cv: number, rng: Rng): () => number {
  const draw = lognormal(mean, cv).source(rng);
  return () => Math.max(1, Math.round(draw()));
}

/** The vLLM settings of the benchmark (vLLM's defaults for an H100-class GPU, chunked prefill). */
export function fleetConfig(profile: LlmProfileName, prefixCaching: boolean): LlmSchedulerConfig {
  return { maxBatchedTokens: 8192, maxNumSeqs: 256, chunkedPrefill: true, prefixCaching, blockSize: 16, kvBlocks: LLM_PROFILES[profile].kvBlocks };
}

/** Runs the fleet until every request has finished (or been rejected). */
export function runFleet(spec: FleetSpec, onProgress?: () => void): FleetResult {
  const sim = new Simulation({ seed: spec.seed });
  const random: RandomStreams = sim.random;
  const input = tokens(spec.inputMean, spec.inputCv, random.stream('llm:input'));
  const output = tokens(spec.outputMean, spec.outputCv, random.stream('llm:output'));
  const gapRng = random.stream('llm:arrivals');
  const time = coefficientStepTime(LLM_PROFILES[spec.profile]);
  const config = fleetConfig(spec.profile, spec.prefixCaching);
  const inFlight = new Int32Array(spec.replicas);
  let finished = 0;
  let rejected = 0;
  let ttftSum = 0;
  let e2eSum = 0;
  const listener = {
    firstToken(r: Req, t: number) {
      ttftSum += t - r.arrivalS;
    },
    finish(r: Req, t: number) {
      e2eSum += t - r.arrivalS;
      finished++;
      inFlight[r.replica]!--;
    },
    reject(r: Req) {
      rejected++;
      inFlight[r.replica]!--;
    },
  };
  const replicas = Array.from({ length: spec.replicas }, () => new LlmReplica<Req>(sim, config, time, listener));
  let sent = 0;
  const arrive = (): void => {
    // Least outstanding requests; ties to the lowest index.
    let best = 0;
    for (let i = 1; i < inFlight.length; i++) if (inFlight[i]! < inFlight[best]!) best = i;
    inFlight[best]!++;
    const req: Req = { inputTokens: input(), outputTokens: output(), arrivalS: sim.now, replica: best };
    replicas[best]!.submit(req);
    sent++;
    if ((sent & 0xffff) === 0) onProgress?.();
    if (sent < spec.requests) sim.schedule(-Math.log(1 - gapRng()) / spec.qps, arrive);
  };
  sim.schedule(0, arrive);
  sim.run();
  let inputTokens = 0;
  let outputTokens = 0;
  let steps = 0;
  let seqs = 0;
  let preemptions = 0;
  for (const r of replicas) {
    inputTokens += r.counters.inputTokens;
    outputTokens += r.counters.outputTokens;
    steps += r.counters.steps;
    seqs += r.counters.batchSeqsSum;
    preemptions += r.counters.preemptions;
  }
  return {
    finished,
    rejected,
    inputTokens,
    outputTokens,
    steps,
    preemptions,
    meanTtftS: ttftSum / finished,
    meanE2eS: e2eSum / finished,
    simulatedS: sim.now,
    meanBatchSeqs: seqs / steps,
  };
}

/**
 * The requests per second one replica sustains on this workload: `n` requests all
 * submitted at time 0, completions counted between the 20th and the 80th percentile
 * of finish times (leaving out the ramp-up and the drain).
 */
export function saturationQps(spec: Omit<FleetSpec, 'replicas' | 'requests' | 'qps'>, n = 4000): number {
  const sim = new Simulation({ seed: spec.seed });
  const input = tokens(spec.inputMean, spec.inputCv, sim.random.stream('llm:input'));
  const output = tokens(spec.outputMean, spec.outputCv, sim.random.stream('llm:output'));
  const finishes: number[] = [];
  const replica = new LlmReplica<LlmRequestSpec>(sim, fleetConfig(spec.profile, spec.prefixCaching), coefficientStepTime(LLM_PROFILES[spec.profile]), {
    firstToken() {},
    finish(_r, t) {
      finishes.push(t);
    },
    reject() {},
  });
  for (let i = 0; i < n; i++) replica.submit({ inputTokens: input(), outputTokens: output() });
  sim.run();
  const lo = Math.floor(0.2 * finishes.length);
  const hi = Math.floor(0.8 * finishes.length);
  return (hi - lo) / (finishes[hi]! - finishes[lo]!);
}
