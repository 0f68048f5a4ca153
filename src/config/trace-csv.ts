import { InputError } from './errors.ts';
import { parseTimestamp } from './timestamp.ts';

/** One arrival of a trace: its timestamp (split for precision) and numeric attributes. */
export interface TraceRecord {
  wholeS: number;
  fracS: number;
  /** Values of the trace's attribute columns, in `attributeNames` order. */
  attrs: Float64Array;
  /** 1-based line number in the file, for messages. */
  line: number;
}

/** A stream of trace records, read in order. */
export interface TraceReader {
  /** Names of the numeric columns kept as request attributes. */
  readonly attributeNames: readonly string[];
  /** The next record, or undefined at the end. Throws InputError naming the line on bad data. */
  next(): TraceRecord | undefined;
}

/** Opens a trace by the path a scenario gives (resolved by whoever opens it). */
export type TraceOpener = (path: string, options: { timestampColumn: string | undefined }) => TraceReader;

const AUTO_TIMESTAMP = /^(timestamp|time|ts|arrival|arrival_?time|arrival_?s|t)$/i;

/**
 * Parses the lines of a CSV arrival trace: a header, then one arrival per line, a
 * timestamp column (ISO date-time or seconds) and numeric columns kept as
 * attributes (columns that are not numbers on the first row are ignored).
 *
 * PERF: a split on commas rather than a general CSV parser: traces are numeric
 * columns with no quoting, and this path must replay millions of rows at the
 * simulator's speed. A quoted field is refused with a clear message, never misread.
 */
export class TraceCsvParser {
  private header: string[] | undefined;
  private tsCol = -1;
  private attrCols: number[] = [];
  private attrNames: string[] = [];
  private lineNo = 0;
  private classified = false;

  constructor(
    private readonly source: string,
    private readonly timestampColumn: string | undefined,
  ) {}

  /** Attribute column names (known once the header and first row are read). */
  get attributeNames(): readonly string[] {
    return this.attrNames;
  }

  private fail(line: number, msg: string): never {
    throw new InputError([`${this.source}:${line}: ${msg}`]);
  }

  /** Reads the header line. */
  readHeader(line: string): void {
    this.lineNo++;
    if (line.includes('"')) this.fail(this.lineNo, 'quoted CSV fields are not supported in traces');
    const cols = line.split(',').map((c) => c.trim());
    this.header = cols;
    if (this.timestampColumn !== undefined) {
      this.tsCol = cols.indexOf(this.timestampColumn);
      if (this.tsCol < 0) this.fail(this.lineNo, `no column named "${this.timestampColumn}" (columns: ${cols.join(', ')})`);
    } else {
      this.tsCol = cols.findIndex((c) => AUTO_TIMESTAMP.test(c));
      if (this.tsCol < 0) {
        this.fail(this.lineNo, `has no timestamp column (columns: ${cols.join(', ')}); name a column TIMESTAMP or time, or set arrivals.timestamp`);
      }
    }
  }

  /** Decides which columns are attributes from the first data row. */
  private classify(fields: string[]): void {
    const header = this.header!;
    header.forEach((name, i) => {
      if (i === this.tsCol) return;
      const v = fields[i];
      if (v !== undefined && v.trim() !== '' && Number.isFinite(Number(v))) {
        this.attrCols.push(i);
        this.attrNames.push(name);
      }
    });
  }

  /** Parses one data line (empty lines are skipped: returns undefined). */
  parseLine(line: string): TraceRecord | undefined {
    this.lineNo++;
    if (line.trim() === '') return undefined;
    if (line.includes('"')) this.fail(this.lineNo, 'quoted CSV fields are not supported in traces');
    const fields = line.split(',');
    if (fields.length !== this.header!.length) {
      this.fail(this.lineNo, `expected ${this.header!.length} fields like the header, got ${fields.length}`);
    }
    if (!this.classified) {
      this.classified = true;
      this.classify(fields);
    }
    const ts = parseTimestamp(fields[this.tsCol]!);
    if (ts === undefined) this.fail(this.lineNo, `cannot read the timestamp ${JSON.stringify(fields[this.tsCol]!.trim())} (expected seconds or an ISO date-time like 2023-11-16 18:17:03.98)`);
    const attrs = new Float64Array(this.attrCols.length);
    for (let k = 0; k < this.attrCols.length; k++) {
      const raw = fields[this.attrCols[k]!]!;
      const v = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(v)) this.fail(this.lineNo, `column "${this.attrNames[k]}" should be a number, got ${JSON.stringify(raw.trim())}`);
      attrs[k] = v;
    }
    return { wholeS: ts.wholeS, fracS: ts.fracS, attrs, line: this.lineNo };
  }
}

/** A reader over a whole trace held in memory (tests, the browser). */
export function traceFromText(text: string, source: string, timestampColumn?: string): TraceReader {
  const lines = text.split(/\r?\n/);
  const parser = new TraceCsvParser(source, timestampColumn);
  if (lines.length === 0 || lines[0]!.trim() === '') throw new InputError([`${source}: the trace is empty (expected a header line)`]);
  parser.readHeader(lines[0]!);
  let i = 1;
  // Read the first record eagerly so attribute names are known before the run starts.
  let first: TraceRecord | undefined;
  while (i < lines.length && first === undefined) first = parser.parseLine(lines[i++]!);
  return {
    attributeNames: parser.attributeNames,
    next() {
      if (first !== undefined) {
        const r = first;
        first = undefined;
        return r;
      }
      while (i < lines.length) {
        const r = parser.parseLine(lines[i++]!);
        if (r !== undefined) return r;
      }
      return undefined;
    },
  };
}
