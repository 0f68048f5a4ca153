/**
 * The 100-shard fan-out of issue 17 at 1M requests (100M sub-requests), each
 * configuration in its own fresh process (`fanout-child.ts`): plain, hedged, tied
 * (`onFinish`), faults with budgeted hedging (failed work retried), a delayed tie
 * (`onStart`, second copy after 50 ms), and everything at once (1,000 keys on the 100
 * servers, faults with lost work, budgeted hedging). Figures: simulated requests per
 * second of wall time, and peak RSS at 1M against 100k requests (memory must follow
 * requests in flight, not the run's length). Each run is checked against theory where
 * one applies (the tail-at-scale share over 1 s: 1 − 0.99^100 = 63.4 % plain), and for
 * conservation, so a fast broken model cannot pass.
 *
 *   npm run bench -- fanout
 *   FANOUT_CONFIGS=plain,hedged npm run bench -- fanout
 */
import { compact, isMain, runChildJson, runStandalone, type Benchmark, type Figure } from './harness.ts';
import { CONFIGS, type FanoutReport } from './fanout-child.ts';

/** Requests of the timed run, and of the short run the memory ratio compares it with. */
export const REQUESTS = 1_000_000;
export const SHORT = 100_000;

const CHILD = new URL('./fanout-child.ts', import.meta.url);

/** Throws unless the run conserved its requests and looks like its configuration. */
function check(r: FanoutReport): void {
  if (r.arrived !== r.completed + r.dropped + r.inFlight || r.inFlight !== 0) throw new Error(`${r.config}: requests not conserved: ${JSON.stringify(r)}`);
  // 1M requests: the share's standard error is 0.05 %; 0.5 % is 10 of them.
  if (r.config === 'plain' && Math.abs(1 - r.within1s - (1 - 0.99 ** 100)) > 0.005) throw new Error(`plain: ${1 - r.within1s} over 1 s, theory 0.634`);
  // Hedged: a shard is slow only if both copies are: 1 − (1 − 1e-4)^100 = 1 %, plus queueing.
  if (r.config === 'hedged' && 1 - r.within1s > 0.02) throw new Error(`hedged: ${1 - r.within1s} over 1 s, expected about 0.01`);
  if (r.availability !== null && !(r.availability > 0.8 && r.availability < 1)) throw new Error(`${r.config}: availability ${r.availability}`);
  if (r.config === 'faults-hedged' && r.lostToFailures !== 0) throw new Error(`faults-hedged retries: ${r.lostToFailures} lost`);
}

export const fanout: Benchmark = {
  name: 'fanout',
  description: `100-shard fan-out (4 replicas each), ${REQUESTS / 1e6}M requests per configuration, faults, hedging, tied requests, keys`,
  run(): Figure[] {
    const wanted = process.env['FANOUT_CONFIGS']?.split(',') ?? Object.keys(CONFIGS);
    const figures: Figure[] = [];
    for (const name of wanted) {
      const long = runChildJson<FanoutReport>(CHILD, [name, String(REQUESTS)]);
      check(long);
      const short = runChildJson<FanoutReport>(CHILD, [name, String(SHORT)]);
      check(short);
      const mib = (b: number) => b / 2 ** 20;
      const extra = long.availability === null ? '' : `, availability ${(long.availability * 100).toFixed(1)} %, ${long.lostToFailures} lost to failures`;
      figures.push(
        {
          name: `${name}: simulated requests`,
          value: REQUESTS / long.runS,
          unit: 'req/s',
          note: `run ${long.runS.toFixed(1)} s, ${compact(long.events)} events (${compact(long.events / long.runS)}/s); ${((1 - long.within1s) * 100).toFixed(2)} % over 1 s, hedge load ${(long.hedgeExtraLoad * 100).toFixed(2)} %${extra}`,
        },
        {
          name: `${name}: simulated requests per CPU second`,
          value: REQUESTS / long.cpuS,
          unit: 'req/s',
          note: `${long.cpuS.toFixed(1)} CPU s (user + system) in a ${long.runS.toFixed(1)} s run: on a busy machine the fairer figure`,
        },
        { name: `${name}: peak RSS, 1M requests`, value: mib(long.maxRssBytes), unit: 'MiB' },
        {
          name: `${name}: peak RSS 1M / 100k`,
          value: long.maxRssBytes / short.maxRssBytes,
          unit: 'x',
          target: { op: '<=', value: 1.2 },
          note: `peak RSS ${mib(short.maxRssBytes).toFixed(1)} MiB at 100k, ${mib(long.maxRssBytes).toFixed(1)} MiB at 1M`,
        },
      );
    }
    return figures;
  },
};

if (isMain(import.meta.url)) await runStandalone(fanout);
