/**
 * How an SLO result reads, in the terminal and in the playground alike:
 * "SLO p99 < 100ms: MISSED · 87.5% of requests within target".
 */
import type { SloResult } from '../models/result.ts';
import { fmtPct } from './numbers.ts';

/** The parts of the SLO line: the objective, the verdict, and the attainment sentence. */
export interface SloText {
  /** "SLO p99 < 100ms". */
  title: string;
  verdict: 'MET' | 'MISSED';
  /** "87.5% of requests within target", with fmtPct's rule (99.95 % never reads 100.0 %). */
  attainment: string;
  /** The whole line: "SLO p99 < 100ms: MISSED · 87.5% of requests within target". */
  line: string;
}

/** The SLO verdict and attainment as the CLI prints them. */
export function sloText(slo: SloResult): SloText {
  const title = `SLO ${slo.target}`;
  const verdict = slo.met ? 'MET' : 'MISSED';
  const attainment = `${fmtPct(slo.attainment)} of requests within target`;
  return { title, verdict, attainment, line: `${title}: ${verdict} · ${attainment}` };
}
