import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, resolve, sep } from 'node:path';
import { InputError } from '../config/errors.ts';
import type { Override } from '../config/overrides.ts';
import { shownField } from '../config/shown.ts';
import { traceReaderOfLines, type LineCursor, type TraceOpener, type TraceReader } from '../config/trace-csv.ts';

/**
 * Bytes per read. PERF: 64 KiB, not 1 MiB: a chunk's text, its lines and their array
 * now die young, consumed within about 2,600 arrivals, where a 1 MiB chunk's 40,000 lines
 * outlived several scavenges and were promoted, so the old generation filled with them
 * between full collections and peak memory grew with the trace's length: peak RSS 220
 * MiB for 10M rows against 166 MiB for 1M (1.32x, over the 1.2x bound) became 131
 * against 133, and replay went from 1.54M to 1.76M rows a second (bench/trace.ts); with
 * each chunk parsed in place (TraceCsvParser.parseRange), 1.91M-1.93M.
 */
const CHUNK = 1 << 16;
/** Longest line a trace may have: a CSV row of numbers is far shorter; a binary file is not a trace. */
const MAX_LINE = 1 << 20;

/**
 * Which trace files a command may open (the trust model's path rule, see the README):
 * a path the scenario gives resolves against the scenario's folder and must stay,
 * symlinks resolved, inside that folder's tree or the `--trace-root` folder; a path the
 * user typed on the command line (`--set arrivals.file=...`) resolves against the
 * working directory and may be anywhere. Plain data, so it can go to worker threads.
 */
export interface TraceAccess {
  /** Scenario reference, for messages. */
  scenario: string;
  /** The scenario file's folder; null when the scenario came from a part file (merge opens no trace). */
  baseDir: string | null;
  /** `--trace-root`: one more folder whose tree the scenario's traces may come from. */
  root?: string | undefined;
  /** Paths given on the command line, trusted as typed. */
  named: readonly string[];
}

/** Trace paths the user named on the command line: the values of `--set arrivals.file=...`. */
export function namedTracePaths(set: readonly Override[]): string[] {
  return set.filter((o) => o.path.replace(/\s+/g, '') === 'arrivals.file' && typeof o.value === 'string').map((o) => o.value as string);
}

/** Checks `--trace-root` names a folder; returns it absolute. */
export function checkTraceRoot(root: string | undefined): string | undefined {
  if (root === undefined) return undefined;
  let ok = false;
  try {
    ok = statSync(root).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok) throw new InputError([`--trace-root ${shownField(root)}: no such folder`]);
  return resolve(root);
}

/** The access rule of a command: its scenario's folder, `--trace-root`, and the paths named with --set. */
export function traceAccess(scenario: { ref: string; baseDir: string; fromPart?: string | undefined }, opts: { traceRoot?: string | undefined; set: readonly Override[]; namedTraces?: readonly string[] | undefined }): TraceAccess {
  return {
    scenario: scenario.ref,
    baseDir: scenario.fromPart !== undefined ? null : scenario.baseDir,
    root: checkTraceRoot(opts.traceRoot),
    named: opts.namedTraces ?? namedTracePaths(opts.set),
  };
}

const inside = (path: string, dir: string): boolean => path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);

function realOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

/**
 * Where a trace path leads, if the access rule allows it: the real path (symlinks
 * resolved). Throws an InputError naming the field and the path otherwise, before any
 * byte of the file is read.
 */
export function resolveTracePath(access: TraceAccess, path: string): string {
  const field = `${shownField(access.scenario, 200)}: arrivals.file: ${shownField(path)}`;
  const named = access.named.includes(path);
  if (!named && access.baseDir === null) {
    throw new InputError([`${field}: a scenario carried by a part file cannot open a trace (merge never reads a file named inside a part)`]);
  }
  const full = named || isAbsolute(path) ? resolve(path) : resolve(access.baseDir!, path);
  let real: string;
  try {
    real = realpathSync(full);
  } catch {
    throw new InputError([`${field}: no such trace file${named ? '' : ` (relative paths are read from the scenario's folder, ${shownField(access.baseDir!, 200)})`}`]);
  }
  if (!named) {
    const roots = [access.baseDir!, ...(access.root !== undefined ? [access.root] : [])].map(realOrSelf);
    if (!roots.some((r) => inside(real, r))) {
      throw new InputError([
        `${field}: resolves outside the scenario's folder${access.root !== undefined ? ' and --trace-root' : ''}; a scenario may read traces only inside its own folder: allow another folder with --trace-root <dir>, or name the file yourself with --set arrivals.file=<path>`,
      ]);
    }
  }
  return real;
}

/**
 * Opens a trace for reading: a regular file only (a FIFO or a device such as /dev/zero
 * would hang or never end; O_NONBLOCK keeps the open itself from waiting).
 */
function openRegular(real: string, shown: string): number {
  let fd: number;
  try {
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError([`${shown}: cannot read the trace file (${code === 'EACCES' ? 'permission denied' : (code ?? 'unreadable')})`]);
  }
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw new InputError([`${shown}: not a regular file (a trace is a CSV file)`]);
  }
  return fd;
}

/** The one way the CLI opens traces: the access rule, then a streamed reader. */
export function traceOpener(access: TraceAccess): TraceOpener {
  return (path, o) => {
    const real = resolveTracePath(access, path);
    return openTraceFile(real, shownField(path), o.timestampColumn);
  };
}

/**
 * `servesim validate`'s check of a trace: allowed, a readable regular file, a header
 * with a timestamp column and at least one readable row.
 */
export function checkTraceFile(access: TraceAccess, path: string, timestampColumn: string | undefined): void {
  traceOpener(access)(path, { timestampColumn }).close?.();
}

/**
 * Streams a CSV trace from disk with synchronous 64 KiB reads, so the simulation
 * loop stays synchronous and memory stays flat whatever the trace's length. `path`
 * must already have passed the access rule (see traceOpener).
 */
export function openTraceFile(path: string, shownAs: string, timestampColumn: string | undefined): TraceReader {
  const fd = openRegular(path, shownAs);
  // The bytes after the chunk's last newline stay at the front of `buf` and the next
  // read lands after them, so every chunk decodes to one flat string of whole lines.
  let buf = Buffer.alloc(2 * CHUNK);
  let kept = 0;
  // The chunk being read: text[pos, text.length) holds whole lines, each ending in '\n'.
  let text = '';
  let pos = 0;
  let noQuote = true;
  let lineNo = 0;
  let eof = false;
  const close = () => {
    if (!eof) {
      eof = true;
      closeSync(fd);
    }
  };
  /** Reads until text[pos, …) holds a line; false at the end of the file. */
  const fill = (): boolean => {
    while (pos >= text.length) {
      if (eof) return false;
      if (buf.length - kept < CHUNK) {
        const bigger = Buffer.alloc(2 * buf.length);
        buf.copy(bigger, 0, 0, kept);
        buf = bigger;
      }
      const n = readSync(fd, buf, kept, CHUNK, null);
      let total = kept + n;
      let cut: number;
      if (n === 0) {
        close();
        if (kept === 0) return false;
        // The last line, without a newline after it.
        buf[total++] = 10;
        cut = total - 1;
      } else {
        cut = buf.lastIndexOf(10, total - 1);
        if (cut < 0) {
          kept = total;
          if (kept > MAX_LINE) {
            close();
            throw new InputError([`${shownAs}:${lineNo + 1}: a line over ${MAX_LINE / 2 ** 20} MiB long: not a CSV trace`]);
          }
          continue;
        }
      }
      // A newline byte is never inside a UTF-8 sequence: the cut splits no character.
      text = buf.toString('utf8', 0, cut + 1);
      noQuote = text.indexOf('"') < 0;
      pos = 0;
      buf.copyWithin(0, cut + 1, total);
      kept = total - cut - 1;
    }
    return true;
  };
  const advance = (cur: LineCursor): boolean => {
    if (!fill()) return false;
    const nl = text.indexOf('\n', pos);
    // PERF: a char-code check instead of a regex replace on every line.
    cur.text = text;
    cur.start = pos;
    cur.end = nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    cur.mayQuote = !noQuote;
    pos = nl + 1;
    lineNo++;
    return true;
  };
  try {
    return traceReaderOfLines(advance, shownAs, timestampColumn, close);
  } catch (err) {
    close();
    throw err;
  }
}
