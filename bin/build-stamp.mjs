// The checkout's rule for whether dist/ holds a build of the current src/: a build stamp
// (dist/.built, written last by `npm run build`) newer than every file of src/. Shared by
// bin/servesim.mjs, which runs the build only while it is fresh, and the benchmarks,
// which refuse to time a stale one.
import { readdirSync, statSync } from 'node:fs';

/** Whether any file under `dir` was modified after `since` (ms). ~130 stats: about a millisecond. */
function newerThan(dir, since) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory() ? newerThan(p, since) : statSync(p).mtimeMs > since) return true;
  }
  return false;
}

/** Whether `root` (a folder path ending in `/`) has a build stamp and no file of `src/` newer than it. */
export function buildIsFresh(root) {
  const stamp = statSync(`${root}dist/.built`, { throwIfNoEntry: false });
  return stamp !== undefined && !newerThan(`${root}src`, stamp.mtimeMs);
}
