/**
 * Autoscaling an LLM stage (issue 15): the model-load cold start by hand, Kubernetes' HPA
 * decisions on the LLM metrics replayed step by step, the KV-utilization metric against
 * the engines' own counters, and conservation while replicas come and drain.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scenarioFromText } from '../../src/config/parse.ts';
import { resolveScenario } from '../../src/config/resolve.ts';
import { ServingSystem } from '../../src/models/index.ts';
import type { ScalingDecision } from '../../src/models/autoscaler.ts';
import type { LlmStation } from '../../src/models/stations/llm.ts';

/** Codellama 34B on H100 (BLIS coefficients: deterministic steps, α2 = 0 so a request leaves with its last step). */
const PROFILE = 'codellama-34b/h100/tp1';

function scenario(autoscale: string, opts: { llm?: string; steps?: string; stop?: string } = {}): string {
  return `name: llm-autoscale
seed: 7
arrivals:
  process: schedule
  steps: ${opts.steps ?? '[{ at: "0s", qps: 2 }, { at: "60s", qps: 12 }, { at: "300s", qps: 1 }]'}
stop: { duration: "${opts.stop ?? '10m'}" }
tokens:
  input:  { dist: lognormal, mean: 1000, cv: 1.0, max: 8000 }
  output: { dist: lognormal, mean: 250, cv: 1.2, max: 2000 }
stages:
  - name: llm
    replicas: 1
    llm: ${opts.llm ?? `{ profile: ${PROFILE} }`}
    autoscale: ${autoscale}
`;
}

/** What probes saw at each sync that made a decision (run right after it, at the same instant). */
interface Probe {
  t: number;
  /** Lifetime integrals of the station's counters at t. */
  ready: number;
  slots: number;
  waiting: number;
  /** Σ over the engines in place of their own KV utilization's lifetime integral. */
  engineKv: number;
  /** Requests in the engines' waiting queues now, counted from the engines. */
  enginesWaitingNow: number;
  /** The station's running count of the same. */
  stationWaitingNow: number;
  /** Requests in the system, and held at the station (waiting + in service), and by the engines. */
  inFlight: number;
  held: number;
  enginesHeld: number;
}

/** Runs `text`, probing at every sync of the stage's autoscaler, and recording when replicas became ready. */
function run(text: string) {
  const sys = new ServingSystem(scenarioFromText({ name: 'llm-autoscale.yaml', text }));
  const station = sys.stages[0] as LlmStation;
  const scaler = sys.autoscalers.get('llm')!;
  const syncS = resolveScenario(scenarioFromText({ name: 'llm-autoscale.yaml', text })).stages[0]!.autoscale!.syncS;
  const probes: Probe[] = [];
  const readyAt: number[] = [];
  const removedAt: number[] = [];
  const ready = station.replicaReady.bind(station);
  station.replicaReady = () => {
    readyAt.push(sys.sim.now);
    ready();
  };
  const remove = station.removeReplica.bind(station);
  station.removeReplica = () => {
    removedAt.push(sys.sim.now);
    remove();
  };
  const probe = (): void => {
    const now = sys.sim.now;
    const last = scaler.decisions.at(-1);
    // The autoscaler stopped (the run is draining to its end): so do the probes.
    if (last === undefined || last.timeS !== now) return;
    const c = station.counters;
    probes.push({
      t: now,
      ready: c.readyReplicas.lifetimeIntegral(now),
      slots: c.slots.lifetimeIntegral(now),
      waiting: station.engineWaiting.lifetimeIntegral(now),
      engineKv: station.engines.reduce((a, e) => a + e.counters.kvUtilization.lifetimeIntegral(now), 0),
      enginesWaitingNow: station.engines.reduce((a, e) => a + e.waitingCount, 0),
      stationWaitingNow: station.engineWaiting.current,
      inFlight: sys.inFlight,
      held: station.waiting + station.inService,
      enginesHeld: station.engines.reduce((a, e) => a + e.counters.submitted - e.counters.rejected - e.counters.finished, 0),
    });
    sys.sim.schedule(syncS, probe);
  };
  sys.sim.schedule(syncS, probe);
  const result = sys.run();
  return { sys, station, result, decisions: scaler.decisions, probes, readyAt, removedAt, syncS };
}

/**
 * Kubernetes' HPA replayed from the decisions' own metrics: recommendation =
 * ceil(ready × metric / target) unless within the tolerance (0.1), stabilized (scale up
 * to the lowest recommendation of the last scaleUpWindow, 0 s here; down to the highest
 * of the last scaleDownWindow), clamped to [min, max]; no `behavior`, so no rate limit.
 */
function replayHpa(ds: readonly ScalingDecision[], target: number, min: number, max: number, downWindowS: number): Array<{ recommendation: number; desired: number }> {
  const recs: Array<{ t: number; r: number }> = [];
  return ds.map((d) => {
    const current = d.ready + d.provisioning;
    const ratio = d.metric / target;
    const recommendation = Math.abs(ratio - 1) <= 0.1 ? current : Math.ceil(d.ready * ratio - 1e-9);
    recs.push({ t: d.timeS, r: recommendation });
    const up = recommendation;
    const down = Math.max(...recs.filter((x) => x.t >= d.timeS - downWindowS).map((x) => x.r));
    let desired = current < up ? up : current > down ? down : current;
    desired = Math.min(max, Math.max(min, desired));
    return { recommendation, desired };
  });
}

describe('the model-load cold start', () => {
  const coldStartOf = (llm: string, autoscale = '{ metric: waiting, target: 2, min: 1, max: 4 }') =>
    resolveScenario(scenarioFromText({ name: 'cold.yaml', text: scenario(autoscale, { llm }) })).stages[0]!.autoscale!.coldStart;

  it('is Llama 3.1 8B fp16 weights / 1,000 MiB/s by default: 16,060,522,496 B / 1,048,576,000 B/s = 15.3165 s', () => {
    // Llama 3.1 8B has 8,030,261,248 parameters (roofline-params.ts, exact for its config);
    // at 2 bytes each (fp16: every weight 16-bit) that is 16,060,522,496 bytes. The default
    // bandwidth is 1,000 MiB/s = 1,048,576,000 B/s (src/config/llm-load.ts), so
    // 16,060,522,496 / 1,048,576,000 = 15.31650... s.
    const cs = coldStartOf('{ roofline: { model: llama-3.1-8b, gpu: h100-sxm, weights: fp16 } }');
    expect(cs).toEqual({ dist: 'deterministic', value: 16_060_522_496 / 1_048_576_000 });
    expect((cs as { value: number }).value).toBeCloseTo(15.3165, 4);
  });

  it('follows the weight format: fp8 quantizes only the decoder layers (9,080,938,496 B → 8.660 s)', () => {
    // Embeddings (2 × 128,256 × 4,096 = 1,050,673,152) and the final norm (4,096) stay
    // 16-bit: 1,050,677,248 × 2 = 2,101,354,496 B; the layers' 6,979,584,000 parameters at
    // 1 byte: 9,080,938,496 B in all; / 1,048,576,000 = 8.66026... s.
    const cs = coldStartOf('{ roofline: { model: llama-3.1-8b, gpu: h100-sxm, weights: fp8 } }') as { value: number };
    expect(cs.value).toBe(9_080_938_496 / 1_048_576_000);
  });

  it('reads llm.loadBandwidthGBps (a local NVMe at 8 GB/s: 2.0076 s), and TP does not change it (one volume per replica)', () => {
    const tp1 = coldStartOf('{ roofline: { model: llama-3.1-8b, gpu: h100-sxm }, loadBandwidthGBps: 8 }') as { value: number };
    const tp2 = coldStartOf('{ roofline: { model: llama-3.1-8b, gpu: h100-sxm, tp: 2 }, loadBandwidthGBps: 8 }') as { value: number };
    expect(tp1.value).toBe(16_060_522_496 / 8e9);
    expect(tp2.value).toBe(tp1.value);
  });

  it('is the given coldStart when there is one, and a profile of a catalog model loads that model in bf16', () => {
    expect(coldStartOf(`{ profile: ${PROFILE} }`, '{ metric: waiting, target: 2, min: 1, max: 4, coldStart: { dist: deterministic, value: "90s" } }')).toEqual({ dist: 'deterministic', value: 90 });
    // CodeLlama 34B: its catalog parameters × 2 bytes / 1,048,576,000 B/s (about a minute).
    const cs = coldStartOf(`{ profile: ${PROFILE} }`) as { value: number };
    expect(cs.value).toBeGreaterThan(60);
    expect(cs.value).toBeLessThan(66);
  });

  it('is how long a requested replica takes to serve in a run', () => {
    const text = scenario('{ metric: waiting, target: 2, min: 1, max: 6 }');
    const { decisions, readyAt } = run(text);
    // Every replica asked for at a decision is ready one model load later, in request order.
    const asked = decisions.flatMap((d) => Array.from({ length: Math.max(0, d.desired - d.ready - d.provisioning) }, () => d.timeS));
    expect(asked.length).toBeGreaterThan(0);
    const loadS = resolveScenario(scenarioFromText({ name: 'x.yaml', text })).stages[0]!.autoscale!.coldStart as { value: number };
    expect(readyAt.length).toBe(asked.length);
    readyAt.forEach((t, k) => expect(t).toBeCloseTo(asked[k]! + loadS.value, 9));
  });
});

describe('HPA on waiting requests, a step from 2 to 12 req/s', () => {
  const { decisions, probes, result, syncS, readyAt, removedAt } = run(scenario('{ metric: waiting, target: 2, min: 1, max: 8, scaleDownWindow: "2m" }'));
  const loadS = (resolveScenario(scenarioFromText({ name: 'x.yaml', text: scenario('{ metric: waiting, target: 2, min: 1, max: 8 }') })).stages[0]!.autoscale!.coldStart as { value: number }).value;

  it('scales up, and every decision is the HPA formula on its metric (replayed by hand)', () => {
    expect(Math.max(...decisions.map((d) => d.desired))).toBeGreaterThan(1);
    const replay = replayHpa(decisions, 2, 1, 8, 120);
    decisions.forEach((d, k) => {
      expect(d.recommendation).toBe(replay[k]!.recommendation);
      expect(d.desired).toBe(replay[k]!.desired);
    });
  });

  it("measures the engines' waiting requests per ready replica over each sync period", () => {
    expect(probes.length).toBe(decisions.length);
    let prev = { t: 0, ready: 0, waiting: 0 };
    probes.forEach((p, k) => {
      expect(p.t).toBe(decisions[k]!.timeS);
      expect(p.t - prev.t).toBeCloseTo(syncS, 9);
      // The station's running sum is the engines' own queues at every sync.
      expect(p.stationWaitingNow).toBe(p.enginesWaitingNow);
      const metric = p.ready - prev.ready > 0 ? (p.waiting - prev.waiting) / (p.ready - prev.ready) : 0;
      // The same integrals, read at the same instant: equal but for the last bits of the subtraction.
      expect(decisions[k]!.metric).toBeCloseTo(metric, 12);
      prev = p;
    });
    // The load was real: some sync saw more than the target waiting per replica.
    expect(Math.max(...decisions.map((d) => d.metric))).toBeGreaterThan(2);
  });

  it('the replicas figures follow the scaled count, and the bill counts loading replicas too', () => {
    const st = result.stages['llm']!;
    // Ready replicas by hand: 1 from 0, +1 at each replica's readiness, −1 at each removal.
    const end = result.endS;
    const changes = [...readyAt.map((t) => ({ t, d: 1 })), ...removedAt.map((t) => ({ t, d: -1 }))].sort((a, b) => a.t - b.t);
    expect(removedAt.length).toBeGreaterThan(0);
    let area = 0;
    let n = 1;
    let most = 1;
    let t = 0;
    for (const c of changes) {
      area += n * (c.t - t);
      n += c.d;
      most = Math.max(most, n);
      t = c.t;
    }
    area += n * (end - t);
    expect(st.meanReplicas).toBeCloseTo(area / end, 9);
    expect(st.maxReplicas).toBe(most);
    expect(st.scalingDecisions).toBe(decisions.filter((d) => d.desired !== d.ready + d.provisioning).length);
    // The bill: the H100's price per replica-hour × billed replicas, which include each new replica's model load.
    const price = resolveScenario(scenarioFromText({ name: 'x.yaml', text: scenario('{ metric: waiting, target: 2, min: 1, max: 8, scaleDownWindow: "2m" }') })).stages[0]!.hardware!.entry.usdPerHour;
    const billedMean = st.costPerHourUsd / price;
    expect(billedMean).toBeGreaterThanOrEqual(st.meanReplicas + (readyAt.length * loadS) / end - 1e-9);
  });
});

describe('HPA on KV-cache utilization', () => {
  const { decisions, probes, result, station, readyAt, removedAt } = run(scenario('{ metric: kv-utilization, target: 0.3, min: 1, max: 6 }'));

  it("equals the mean over serving replicas of the engines' own KV utilization, period by period", () => {
    expect(Math.max(...decisions.map((d) => d.desired))).toBeGreaterThan(1);
    let prev = { slots: 0, engineKv: 0 };
    probes.forEach((p, k) => {
      // Engines added since the previous sync started their integrals at 0 (no slot was reused: max ≥ replicas reached, no scale-down within 300 s).
      const fromEngines = (p.engineKv - prev.engineKv) / (p.slots - prev.slots);
      // Two bookkeepings (the station's integer block sum ÷ blocks, each engine's share): 1e-9 covers their rounding.
      expect(decisions[k]!.metric).toBeCloseTo(fromEngines, 9);
      prev = p;
    });
    const replay = replayHpa(decisions, 0.3, 1, 6, 300);
    decisions.forEach((d, k) => expect(d.desired).toBe(replay[k]!.desired));
  });

  it('per window, the KV utilization is over the serving replica-seconds: weighted back, the windows give the engines\' whole integral', () => {
    // This run only grows (no removal), so the serving replicas are 1, then +1 at each readiness.
    expect(removedAt).toEqual([]);
    const series = result.llm!.series['llm']!;
    const w = series.windowS;
    const end = result.endS;
    const served = new Array<number>(series.startS.length).fill(0);
    const edges = [0, ...readyAt, end];
    for (let k = 0; k + 1 < edges.length; k++) {
      // 1 + k replicas serve over [edges[k], edges[k + 1]): spread over the windows it covers.
      for (let a = edges[k]!; a < edges[k + 1]!; ) {
        const i = Math.floor(a / w);
        const b = Math.min(edges[k + 1]!, (i + 1) * w);
        served[i] = served[i]! + (1 + k) * (b - a);
        a = b;
      }
    }
    const weighted = series.kvUtilization.reduce((a, u, i) => a + u * served[i]!, 0);
    const area = station.engines.reduce((a, e) => a + e.counters.kvUtilization.integral(end), 0);
    // Two summations of the same steps (per window, per engine): equal to rounding.
    expect(weighted).toBeCloseTo(area, 6);
    expect(Math.max(...series.kvUtilization)).toBeLessThanOrEqual(1);
  });

  it("the run's reported KV utilization is the same mean over the whole span (replica-seconds)", () => {
    // No warm-up: the measured span is the whole run, [0, endS].
    const end = result.endS;
    expect(result.measuredS).toBe(end);
    const area = station.engines.reduce((a, e) => a + e.counters.kvUtilization.integral(end), 0);
    expect(result.llm!.kvUtilization.mean).toBeCloseTo(area / station.slots.integral(end), 12);
  });
});

describe('conservation while replicas come and drain', () => {
  // Up at 60 s, down at 300 s, up at 450 s, down at 600 s; a 30 s scale-down window lets it
  // shrink between, so replicas drain and freed slots get fresh engines.
  const { result, probes, decisions, station, readyAt, removedAt } = run(
    scenario('{ metric: tokens-per-second, target: 600, min: 1, max: 6, scaleDownWindow: "30s", coldStart: { dist: deterministic, value: "20s" } }', {
      steps: '[{ at: "0s", qps: 2 }, { at: "60s", qps: 12 }, { at: "300s", qps: 0.5 }, { at: "450s", qps: 12 }, { at: "600s", qps: 0.5 }]',
      stop: '13m',
    }),
  );

  it('scales up and back down, twice, reusing drained slots', () => {
    const counts = decisions.map((d) => d.desired);
    expect(Math.max(...counts)).toBeGreaterThan(2);
    expect(counts.at(-1)).toBeLessThan(Math.max(...counts));
    expect(removedAt.length).toBeGreaterThan(2);
    // More replicas became ready than there are slots: some slot got a fresh engine.
    expect(1 + readyAt.length).toBeGreaterThan(station.engines.length);
  });

  it('arrived = completed + dropped + in flight, at the end and at every sync', () => {
    const r = result.requests;
    expect(r.arrived).toBe(r.completed + r.dropped + r.inFlight);
    expect(r.inFlight).toBe(0);
    for (const p of probes) {
      // One stage, α2 = 0: a request in the system is held by the station, and by exactly one engine.
      expect(p.held).toBe(p.inFlight);
      expect(p.enginesHeld).toBe(p.inFlight);
    }
  });

  it('counts every output token once, engines replaced or not', () => {
    const out = station.measuredCounts().outputTokens;
    expect(station.generatedTokens).toBe(out);
    expect(result.llm!.outputTokensPerS * result.measuredS).toBeCloseTo(out, 6);
  });
});

describe('examples/llm-autoscale.yaml: Kubernetes scaling policies on an LLM stage', () => {
  const text = readFileSync('examples/llm-autoscale.yaml', 'utf8');
  const { result, decisions } = run(text);
  const log = result.stages['llm']!.scalingLog!;

  it('logs every sync in --json (behavior given), as for a pool', () => {
    expect(log.length).toBe(decisions.length);
    log.forEach((e, k) => {
      expect(e.timeS).toBe(decisions[k]!.timeS);
      expect(e.metric).toBe(decisions[k]!.metric);
      expect(e.replicas).toBe(decisions[k]!.desired);
    });
  });

  it('grows 1 → 5 → 10 → 12 after the step at 120 s, each step the bound worked out by hand', () => {
    // The first sync after the step (135 s) sees a backlog of hundreds waiting per replica:
    // the recommendation is far above 12. Kubernetes' default scale-up allows the larger of
    // +4 pods or +100 % per 15 s from the count at the period's start (the previous sync's
    // change is exactly 15 s old, outside the period): 1 → max(5, 2) = 5 (Pods),
    // 5 → max(9, 10) = 10 (Percent), 10 → max(14, 20) capped at max 12.
    const at = (t: number) => log.find((e) => e.timeS === t)!;
    expect([120, 135, 150, 165].map((t) => at(t).replicas)).toEqual([1, 5, 10, 12]);
    expect([135, 150, 165].map((t) => at(t).limitedBy)).toEqual(['scaleUp Pods 4 per 15s', 'scaleUp Percent 100 per 15s', 'max']);
    for (const t of [135, 150, 165]) expect(at(t).recommendation).toBeGreaterThan(12);
  });
});
