/**
 * A progress line on stderr for long runs: shown only when stderr is a terminal
 * and the run has lasted `afterMs`, so pipes, CI logs and quick runs stay silent.
 */
export function progressReporter(label: string, afterMs = 2000): { update: (f: number) => void; done: () => void } {
  const stream = process.stderr;
  if (!stream.isTTY) return { update: () => {}, done: () => {} };
  const start = Date.now();
  let shown = false;
  let lastDraw = 0;
  return {
    update(f) {
      const now = Date.now();
      if (now - start < afterMs || now - lastDraw < 100) return;
      lastDraw = now;
      shown = true;
      const width = 30;
      const fill = Math.round(f * width);
      const etaS = f > 0 ? ((now - start) / f - (now - start)) / 1000 : NaN;
      stream.write(`\r${label} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${(f * 100).toFixed(0)}%  eta ${Number.isFinite(etaS) ? etaS.toFixed(0) : '?'}s `);
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
    },
  };
}
