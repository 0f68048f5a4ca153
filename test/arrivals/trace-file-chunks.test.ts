import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTraceFile } from '../../src/cli/trace-file.ts';
import { InputError } from '../../src/config/errors.ts';
import { traceFromText, type TraceReader } from '../../src/config/trace-csv.ts';

/** Every record a reader gives, copied (a reader may reuse its record object). */
function all(r: TraceReader): string[] {
  const out: string[] = [];
  for (let x = r.next(); x !== undefined; x = r.next()) out.push(`${x.line}:${x.wholeS}+${x.fracS}:${x.attrs.join('/')}`);
  return out;
}

describe('a trace streamed from disk in chunks', () => {
  it('gives every row the in-memory reader gives, whatever the chunk boundaries cut (CRLF, rows of every length)', () => {
    // About 1.3 MB: twenty 64 KiB reads, and rows from 10 to 40 bytes long, so boundaries
    // fall inside a number, between CR and LF, and right after a newline.
    const rows = ['time,ctx,gen'];
    let t = 0;
    for (let i = 0; i < 60_000; i++) {
      t += (i % 7) * 0.001;
      rows.push(`${t.toFixed(1 + (i % 9))},${(i * 7919) % 100_003},${'9'.repeat(1 + (i % 13))}`);
    }
    const text = `${rows.join('\r\n')}\r\n`;
    const dir = mkdtempSync(join(tmpdir(), 'servesim-chunks-'));
    try {
      const file = join(dir, 'trace.csv');
      writeFileSync(file, text);
      const fromDisk = all(openTraceFile(file, 'trace.csv', undefined));
      const inMemory = all(traceFromText(text, 'trace.csv'));
      expect(fromDisk.length).toBe(60_000);
      expect(fromDisk).toEqual(inMemory);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a line longer than a chunk, a last line without a newline, and names a quote found chunks later', () => {
    const dir = mkdtempSync(join(tmpdir(), 'servesim-chunks-'));
    try {
      // A 200 kB note (an ignored text column) makes one line three reads long; the file ends without a newline.
      const rows = ['time,note,tokens'];
      for (let i = 0; i < 5_000; i++) rows.push(`${i * 0.01},${i === 2_500 ? 'x'.repeat(200_000) : 'ok'},${i}`);
      const long = join(dir, 'long.csv');
      writeFileSync(long, rows.join('\n'));
      const records = all(openTraceFile(long, 'long.csv', undefined));
      expect(records.length).toBe(5_000);
      expect(records).toEqual(all(traceFromText(rows.join('\n'), 'long.csv')));
      expect(records.at(-1)).toBe('5001:49.99+0:4999');

      // A quote on line 40,001, some ten chunks into the file: refused, with its line.
      const quoted = ['time,tokens'];
      for (let i = 0; i < 50_000; i++) quoted.push(i === 39_999 ? '399.99,"7"' : `${i * 0.01},${i % 100}`);
      const q = join(dir, 'quoted.csv');
      writeFileSync(q, `${quoted.join('\n')}\n`);
      const reader = openTraceFile(q, 'quoted.csv', undefined);
      let err: unknown;
      try {
        all(reader);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).problems).toEqual(['quoted.csv:40001: quoted CSV fields are not supported in traces']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
