/**
 * What a plan must meet: the `--slo` given on the command line, else the scenario's own
 * `slo:`. An end-to-end latency objective ("p99 < 100ms") is met when the run's
 * `slo.attainment` reaches its percentile; the TTFT/TPOT objectives of an LLM scenario
 * (`slo: { ttft, tpot }`) when the share of requests meeting both, `llm.slo.attainment`
 * (DistServe's goodput share), reaches the stricter of their percentiles; a scenario
 * giving `latency` beside them must meet that too. A waiting-time objective ("wait < 20s for
 * 80%", `slo: { wait }`) is met when `waitSlo.attainment` reaches its share.
 */
import { isWaitSloText, parseSlo, parseWaitSlo, type Slo, type TokenSlo, type WaitSlo } from '../config/slo.ts';
import { estimateAt, type EstimateTree } from './aggregate.ts';

/** One share a run must reach: the figure at `path` at least `fraction`. */
export interface AttainmentCheck {
  /** A figure of the run, e.g. `slo.attainment` or `llm.slo.attainment`. */
  readonly path: string;
  readonly fraction: number;
  /** What the share counts, for messages ("within target", "within both TTFT and TPOT"). */
  readonly within: string;
}

/** A plan's objective. */
export interface PlanObjective {
  /** As shown: "p99 < 100ms", or "TTFT p99 < 500ms and TPOT p99 < 50ms". */
  readonly target: string;
  /** Every share that must be reached. */
  readonly checks: readonly AttainmentCheck[];
  /**
   * The end-to-end latency objective when it is the only one (the closed-form bracket and
   * the early stop of a probe know only that); null otherwise.
   */
  readonly latencyOnly: Slo | null;
  /** True when it came from `--slo` (which then replaces the scenario's `slo:`). */
  readonly given: boolean;
}

const latencyCheck = (s: Slo): AttainmentCheck => ({ path: 'slo.attainment', fraction: s.fraction, within: 'within target' });
const waitCheck = (s: WaitSlo): AttainmentCheck => ({ path: 'waitSlo.attainment', fraction: s.fraction, within: 'within the wait' });

/**
 * The objective of a plan, from `--slo` (`given`) or the scenario's `slo:`; a message
 * instead when neither gives one or `--slo` does not parse.
 */
export function planObjective(given: string | undefined, scenarioSlo: Slo | TokenSlo | null | undefined): PlanObjective | string {
  if (given !== undefined && isWaitSloText(given)) {
    const w = parseWaitSlo(given);
    if (typeof w === 'string') return `--slo: ${w}`;
    return { target: w.target, checks: [waitCheck(w)], latencyOnly: null, given: true };
  }
  if (given !== undefined) {
    const s = parseSlo(given);
    if (typeof s === 'string') return `--slo: ${s}`;
    return { target: s.target, checks: [latencyCheck(s)], latencyOnly: s, given: true };
  }
  if (scenarioSlo === undefined || scenarioSlo === null) return 'plan needs an objective: give --slo (e.g. "p99<100ms") or an slo: in the scenario';
  if ('target' in scenarioSlo) return { target: scenarioSlo.target, checks: [latencyCheck(scenarioSlo)], latencyOnly: scenarioSlo, given: false };
  const token = [scenarioSlo.ttft && `TTFT ${scenarioSlo.ttft.target}`, scenarioSlo.tpot && `TPOT ${scenarioSlo.tpot.target}`].filter((x): x is string => typeof x === 'string');
  const checks: AttainmentCheck[] = [];
  if (scenarioSlo.latency !== null) checks.push(latencyCheck(scenarioSlo.latency));
  if (token.length > 0) {
    const fraction = Math.max(scenarioSlo.ttft?.fraction ?? 0, scenarioSlo.tpot?.fraction ?? 0);
    checks.push({ path: 'llm.slo.attainment', fraction, within: `within ${token.length === 2 ? 'both TTFT and TPOT' : token[0]!.split(' ')[0]} targets` });
  }
  if (scenarioSlo.wait !== undefined) checks.push(waitCheck(scenarioSlo.wait));
  const targets = [...(scenarioSlo.latency !== null ? [scenarioSlo.latency.target] : []), ...token, ...(scenarioSlo.wait !== undefined ? [scenarioSlo.wait.target] : [])];
  return { target: targets.join(' and '), checks, latencyOnly: token.length === 0 && scenarioSlo.wait === undefined ? scenarioSlo.latency : null, given: false };
}

/** Whether a run's (or replications' mean) figures meet every check; NaN shares fail. */
export function meetsObjective(figures: EstimateTree, checks: readonly AttainmentCheck[]): boolean {
  return checks.every((c) => (estimateAt(figures, c.path)?.mean ?? NaN) >= c.fraction);
}
