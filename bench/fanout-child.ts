/**
 * Child process of the fan-out benchmark: runs one configuration of the 100-shard
 * fan-out once, in a fresh process, and prints one JSON line with its wall time, peak
 * RSS and the figures that check it (so a fast broken model cannot pass).
 *
 *   node --expose-gc --import tsx bench/fanout-child.ts plain 1000000
 *   node --expose-gc --import tsx bench/fanout-child.ts everything 100000
 *
 * Only `plain` and `hedged` are written in keys that older code reads too, so the same
 * child measures the plain fan-out before and after a change (copy it into the old tree).
 */
import { scenarioFromText } from '../src/config/parse.ts';
import type { Scenario } from '../src/config/schema.ts';
import { runScenario } from '../src/models/index.ts';
import { isMain } from './harness.ts';

/** What the child reports; sizes in bytes. */
export interface FanoutReport {
  config: string;
  requests: number;
  maxRssBytes: number;
  runS: number;
  /**
   * CPU seconds this process spent in the run (user + system): on a shared machine,
   * wall time also counts the time other processes held the CPUs, CPU time much less.
   */
  cpuS: number;
  completed: number;
  dropped: number;
  inFlight: number;
  arrived: number;
  /** Share of measured requests answered within 1 s (drops count as misses). */
  within1s: number;
  hedgeExtraLoad: number;
  availability: number | null;
  lostToFailures: number | null;
  events: number;
}

/**
 * The tail-at-scale fan-out: 100 shards of 4 replicas, each call 10 ms or (1 in 100)
 * 1 s, 20 requests/s (shards about 10 % busy). Each configuration adds to it.
 */
const BASE = `
seed: 1
arrivals: { process: poisson, qps: 20 }
slo: "p99 < 1s"
stages:
  - name: shards
    replicas: 4
    service: { dist: empirical, values: ["10ms", "1s"], weights: [99, 1] }
`;

/**
 * Random failures (each replica up 10 min on average, 30 s to repair: 95.2 % up) and,
 * at 10 min, a zone outage of a quarter of the replicas (one of each shard) for 5 min.
 */
const FAULTS = `
    faults:
      failures: { between: { dist: exponential, mean: 10m }, repair: { dist: exponential, mean: 30s } }
      outages: [{ at: 10m, duration: 5m, share: 0.25 }]
      inFlight: FLIGHT
`;

/** The configurations: the fan-out line of each, and its faults (or none). */
export const CONFIGS: Record<string, { fanout: string; faults: string | null }> = {
  plain: { fanout: '{ shards: 100 }', faults: null },
  hedged: { fanout: '{ shards: 100, hedgeAfter: "50ms" }', faults: null },
  tied: { fanout: '{ shards: 100, tied: { cancel: onFinish } }', faults: null },
  'faults-hedged': { fanout: '{ shards: 100, hedgeAfter: "50ms", hedgeBudget: 0.05 }', faults: 'retry' },
  'tied-delayed': { fanout: '{ shards: 100, hedgeAfter: "50ms", tied: { cancel: onStart } }', faults: null },
  everything: { fanout: '{ shards: 100, keys: 1000, hedgeAfter: "50ms", hedgeBudget: 0.05 }', faults: 'lost' },
};

/** The scenario of configuration `name` with `requests` arrivals. */
export function fanoutScenario(name: string, requests: number): Scenario {
  const c = CONFIGS[name];
  if (c === undefined) throw new Error(`unknown configuration ${name}; there are: ${Object.keys(CONFIGS).join(', ')}`);
  const text = `${BASE}    fanout: ${c.fanout}\n${c.faults === null ? '' : FAULTS.replace('FLIGHT', c.faults)}`;
  return scenarioFromText({ name: `fanout-${name}.yaml`, text }, [{ path: 'stop.requests', value: requests }]);
}

/** Runs configuration `config` with `n` requests in this process and reports it. */
export function runFanoutChild(config: string, n: number): FanoutReport {
  const scenario = fanoutScenario(config, n);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = runScenario(scenario, { seed: 1 });
  const runS = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const f = r.stages['shards']?.faults;
  return {
    config,
    requests: n,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    runS,
    cpuS: (c.user + c.system) / 1e6,
    completed: r.requests.completed,
    dropped: r.requests.dropped,
    inFlight: r.requests.inFlight,
    arrived: r.requests.arrived,
    within1s: r.slo?.attainment ?? NaN,
    hedgeExtraLoad: r.hedgeExtraLoad ?? 0,
    availability: f?.availability ?? null,
    lostToFailures: f?.lostToFailures ?? null,
    events: r.events,
  };
}

if (isMain(import.meta.url)) {
  const [config, n] = [process.argv[2] ?? '', Number(process.argv[3] ?? NaN)];
  if (!Number.isInteger(n) || n <= 0) throw new Error(`usage: fanout-child.ts <config> <requests>, got ${process.argv.slice(2).join(' ')}`);
  process.stdout.write(JSON.stringify(runFanoutChild(config, n)) + '\n');
}
