import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { InputError } from '../config/errors.ts';
import { traceReader, type TraceReader } from '../config/trace-csv.ts';

const CHUNK = 1 << 20;

/**
 * Streams a CSV trace from disk with synchronous 1 MiB reads, so the simulation
 * loop stays synchronous and memory stays flat whatever the trace's length.
 */
export function openTraceFile(path: string, shownAs: string, timestampColumn: string | undefined): TraceReader {
  if (!existsSync(path) || !statSync(path).isFile()) throw new InputError([`${shownAs}: no such trace file`]);
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(CHUNK);
  let carry = '';
  let lines: string[] = [];
  let li = 0;
  let eof = false;
  const fill = (): boolean => {
    while (li >= lines.length) {
      if (eof) return false;
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) {
        eof = true;
        closeSync(fd);
        lines = carry === '' ? [] : [carry];
        carry = '';
        li = 0;
        if (lines.length === 0) return false;
        continue;
      }
      const text = carry + buf.toString('utf8', 0, n);
      const cut = text.lastIndexOf('\n');
      if (cut < 0) {
        carry = text;
        lines = [];
      } else {
        carry = text.slice(cut + 1);
        lines = text.slice(0, cut).split('\n');
      }
      li = 0;
    }
    return true;
  };
  const nextLine = (): string | undefined => {
    if (!fill()) return undefined;
    const l = lines[li++]!;
    // PERF: a char-code check instead of a regex replace on every line.
    return l.length > 0 && l.charCodeAt(l.length - 1) === 13 ? l.slice(0, -1) : l;
  };

  return traceReader(nextLine, shownAs, timestampColumn);
}
