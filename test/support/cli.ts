import { main } from '../../src/cli/main.ts';

/** Result of one in-process CLI call. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output (same code path as the binary). */
export async function cli(...argv: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

/**
 * Runs the CLI on bad input and checks the promise every bad input keeps: exit code
 * 2, nothing on stdout, each expected message on stderr, no stack trace. Returns stderr.
 */
export async function expectInputError(argv: string[], ...messages: string[]): Promise<string> {
  const { expect } = await import('vitest');
  const r = await cli(...argv);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  for (const m of messages) expect(r.stderr).toContain(m);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  return r.stderr;
}
