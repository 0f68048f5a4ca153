/** Test helper: the measured vLLM run in examples/llm-ground-truth (CSV rows and the JSON's phases). */
import { readFileSync } from 'node:fs';

const DIR = new URL('../../examples/llm-ground-truth/', import.meta.url);

/** One measured request. */
export interface MeasuredRequest {
  arrivalS: number;
  promptTokens: number;
  outputTokens: number;
  ttftS: number;
  e2eS: number;
}

/** One phase of the run: its name and inclusive CSV row range. */
export interface Phase {
  phase: string;
  csv_rows: [number, number];
  ttft_s: { mean: number };
  e2e_s: { mean: number };
}

export function loadRun(): { rows: MeasuredRequest[]; phases: Phase[]; json: Record<string, unknown> } {
  const lines = readFileSync(new URL('codellama-34b-h100-run.csv', DIR), 'utf8').trim().split('\n');
  const header = lines[0]!.split(',');
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`column ${name} missing`);
    return i;
  };
  const [a, p, o, t, e] = ['arrival_s', 'prompt_tokens', 'output_tokens', 'ttft_s', 'e2e_s'].map(col) as [number, number, number, number, number];
  const rows = lines.slice(1).map((line) => {
    const f = line.split(',').map(Number);
    return { arrivalS: f[a]!, promptTokens: f[p]!, outputTokens: f[o]!, ttftS: f[t]!, e2eS: f[e]! };
  });
  const json = JSON.parse(readFileSync(new URL('codellama-34b-h100-run.json', DIR), 'utf8')) as Record<string, unknown>;
  const phases = (json.measured as { phases: Phase[] }).phases;
  return { rows, phases, json };
}
