import { SingleBar } from 'cli-progress';

/**
 * A progress bar on stderr for long runs (cli-progress): shown only when stderr is a
 * terminal and the work has lasted `afterMs`, so pipes, CI logs and quick runs stay
 * silent and stdout is never touched.
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
        bar = new SingleBar({ stream, format: `${label} [{bar}] {percentage}% · eta {eta_formatted}`, hideCursor: true, clearOnComplete: true, fps: 10 });
        bar.start(1000, 0);
      }
      bar.update(Math.round(Math.min(1, Math.max(0, f)) * 1000));
    },
    done() {
      bar?.stop();
    },
  };
}
