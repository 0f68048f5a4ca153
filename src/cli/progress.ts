import { SingleBar } from 'cli-progress';

/**
 * A progress bar on stderr for long runs (cli-progress): shown only when stderr is a
 * terminal and the work has lasted `afterMs`, so pipes, CI logs and quick runs stay
 * silent and stdout is never touched.
 *
 * The bar leaves the terminal's modes alone: the cursor stays visible and line wrap on
 * (cli-progress cuts each line to the terminal's width itself). A plain run simulates
 * synchronously, so a SIGINT handler could not run until the simulation ended; instead
 * Ctrl-C keeps its default meaning (the process ends at once, status 130) and there is
 * no hidden cursor or disabled wrap to restore.
 */
export function progressReporter(label: string, afterMs = 2000): { update: (f: number) => void; done: () => void } {
  const stream = process.stderr;
  if (!stream.isTTY) return { update: () => {}, done: () => {} };
  const start = Date.now();
  let bar: SingleBar | undefined;
  return {
    update(f) {
      if (bar === undefined) {
        if (Date.now() - start < afterMs) return;
        bar = new SingleBar({ stream, format: `${label} [{bar}] {percentage}% · eta {eta_formatted}`, ...TERMINAL_MODES_UNTOUCHED, clearOnComplete: true, fps: 10 });
        bar.start(1000, 0);
      }
      bar.update(Math.round(Math.min(1, Math.max(0, f)) * 1000));
    },
    done() {
      bar?.stop();
    },
  };
}

/**
 * cli-progress options that keep the terminal's modes as they are: no hidden cursor
 * (`\x1b[?25l`), no disabled line wrap (`\x1b[?7l`), and no SIGINT handler of its own
 * (which would swallow Ctrl-C, then leave the process running).
 */
export const TERMINAL_MODES_UNTOUCHED = { hideCursor: false, linewrap: true, gracefulExit: false } as const;
