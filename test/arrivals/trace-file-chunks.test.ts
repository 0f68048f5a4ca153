import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTraceFile } from '../../src/cli/trace-file.ts';
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
});
