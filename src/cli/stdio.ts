import { describeIoError } from './write-file.ts';

/** The parts of `process` the guard uses (tests pass their own). */
export interface GuardedProcess {
  stdout: NodeJS.EventEmitter;
  stderr: NodeJS.EventEmitter & { write(text: string): unknown };
  exitCode?: number | string | undefined | null;
  exit(code?: number): never;
}

/**
 * Errors on the standard streams, which Node otherwise reports as an uncaught 'error'
 * event with a stack trace. A reader that went away (EPIPE: `servesim ... | head -1`)
 * ends the process quietly with the command's own status, as a pipe's writer should; any
 * other failure of stdout (a full disk, `> /dev/full`) is one clear line on stderr and
 * exit 1. Errors on stderr itself are dropped: there is nowhere left to report them.
 */
export function guardStdio(proc: GuardedProcess = process as unknown as GuardedProcess): void {
  proc.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') proc.exit(typeof proc.exitCode === 'number' ? proc.exitCode : 0);
    try {
      proc.stderr.write(`servesim: cannot write to standard output: ${describeIoError(err)}\n`);
    } catch {
      // stderr is gone too.
    }
    proc.exit(1);
  });
  proc.stderr.on('error', () => {});
}
