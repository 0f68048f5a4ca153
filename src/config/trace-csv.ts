import { InputError } from './errors.ts';
import { shownField } from './shown.ts';
import { parseTimestamp } from './timestamp.ts';

/** One arrival of a trace: its timestamp (split for precision) and numeric attributes. */
export interface TraceRecord {
  wholeS: number;
  fracS: number;
  /** Values of the trace's attribute columns, in `attributeNames` order. */
  attrs: number[];
  /** 1-based line number in the file, for messages. */
  line: number;
}

/** A stream of trace records, read in order. */
export interface TraceReader {
  /** Names of the numeric columns kept as request attributes. */
  readonly attributeNames: readonly string[];
  /**
   * The next record, or undefined at the end. Throws InputError naming the line on bad
   * data. The record object may be reused by the following call: copy what you keep
   * (its `attrs` array is fresh each time and may be kept).
   */
  next(): TraceRecord | undefined;
  /** Releases the file early (a reader closes itself at the end of its rows). */
  close?(): void;
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
  private readonly rec: TraceRecord = { wholeS: 0, fracS: 0, attrs: [], line: 0 };
  private starts = new Int32Array(0);
  private ends = new Int32Array(0);

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

  /** The header's columns for a message: names cleaned and cut, never the raw line. */
  private columnsShown(): string {
    const cols = this.header!;
    return shownField(cols.slice(0, 12).map((c) => shownField(c, 24)).join(', ') + (cols.length > 12 ? `, … (${cols.length} columns)` : ''), 80);
  }

  /** Reads the header line. */
  readHeader(line: string): void {
    this.lineNo++;
    // A NUL is never in a CSV header: the file is binary (an image, an archive, /proc data).
    if (line.includes('\u0000')) this.fail(this.lineNo, 'is not a text CSV file (it holds binary data)');
    if (line.includes('"')) this.fail(this.lineNo, 'quoted CSV fields are not supported in traces');
    const cols = line.split(',').map((c) => c.trim());
    this.header = cols;
    this.starts = new Int32Array(cols.length);
    this.ends = new Int32Array(cols.length);
    if (this.timestampColumn !== undefined) {
      this.tsCol = cols.indexOf(this.timestampColumn);
      if (this.tsCol < 0) this.fail(this.lineNo, `no column named "${shownField(this.timestampColumn, 40)}" (columns: ${this.columnsShown()})`);
    } else {
      this.tsCol = cols.findIndex((c) => AUTO_TIMESTAMP.test(c));
      if (this.tsCol < 0) {
        this.fail(this.lineNo, `has no timestamp column (columns: ${this.columnsShown()}); name a column TIMESTAMP or time, or set arrivals.timestamp`);
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
    // PERF: this runs once per replayed request. Plain comparisons and unary + instead
    // of trim()/regexes on the common path; the slow, careful checks run only when the
    // fast reading fails, to produce the message.
    if (line.length === 0 || (line.length < 3 && line.trim() === '')) return undefined;
    if (line.indexOf('"') >= 0) this.fail(this.lineNo, 'quoted CSV fields are not supported in traces');
    const nCols = this.header!.length;
    if (!this.classified) {
      const fields = line.split(',');
      if (fields.length !== nCols) this.fail(this.lineNo, `expected ${nCols} fields like the header, got ${fields.length}`);
      this.classified = true;
      this.classify(fields);
    }
    // PERF: fields are found with indexOf and read in place (no split, no substrings)
    // with a decimal reader; anything it cannot read falls back to the careful path.
    const ends = this.ends;
    let from = 0;
    for (let c = 0; c < nCols; c++) {
      const end = c === nCols - 1 ? line.length : line.indexOf(',', from);
      if (end < 0 || (c === nCols - 1 && line.indexOf(',', from) >= 0)) {
        this.fail(this.lineNo, `expected ${nCols} fields like the header, got ${line.split(',').length}`);
      }
      this.starts[c] = from;
      ends[c] = end;
      from = end + 1;
    }
    let wholeS: number;
    let fracS: number;
    const n = readDecimal(line, this.starts[this.tsCol]!, ends[this.tsCol]!);
    if (n === n) {
      // Seconds as a plain number: already as precise as a double can hold it.
      wholeS = n;
      fracS = 0;
    } else {
      const raw = line.slice(this.starts[this.tsCol]!, ends[this.tsCol]!);
      const plain = raw.trim() === '' ? NaN : Number(raw);
      if (Number.isFinite(plain)) {
        wholeS = plain;
        fracS = 0;
      } else {
        const ts = parseTimestamp(raw);
        if (ts === undefined) this.fail(this.lineNo, `cannot read the timestamp ${JSON.stringify(shownField(raw.trim(), 40))} (expected seconds or an ISO date-time like 2023-11-16 18:17:03.98)`);
        wholeS = ts.wholeS;
        fracS = ts.fracS;
      }
    }
    const cols = this.attrCols;
    // PERF: a plain array: V8 allocates it several times faster than a Float64Array.
    const attrs: number[] = [];
    for (let k = 0; k < cols.length; k++) {
      const c = cols[k]!;
      let v = readDecimal(line, this.starts[c]!, ends[c]!);
      if (!(v === v)) {
        const f = line.slice(this.starts[c]!, ends[c]!);
        v = f.trim() === '' ? NaN : Number(f);
        if (!Number.isFinite(v)) this.fail(this.lineNo, `column "${shownField(this.attrNames[k]!, 40)}" should be a number, got ${JSON.stringify(shownField(f.trim(), 40))}`);
      }
      // Attributes are amounts (tokens, bytes, items) that scale service times: a
      // negative one would schedule work in the past.
      if (v < 0) this.fail(this.lineNo, `column "${shownField(this.attrNames[k]!, 40)}" is ${v}: trace attributes (token counts, sizes) must not be negative`);
      attrs.push(v);
    }
    // PERF: one record object per parser, refilled for every line (no garbage per row).
    const rec = this.rec;
    rec.wholeS = wholeS;
    rec.fracS = fracS;
    rec.attrs = attrs;
    rec.line = this.lineNo;
    return rec;
  }
}

/**
 * Reads a plain decimal (`-12.5`, `3`, `0.25`) from line[start, end) without making a
 * substring; NaN for anything else (exponents, spaces, dates), which callers then
 * read the careful way. Digits beyond 15 are rare in traces and also fall back.
 */
function readDecimal(line: string, start: number, end: number): number {
  if (end <= start || end - start > 17) return NaN;
  let i = start;
  let neg = false;
  if (line.charCodeAt(i) === 45) {
    neg = true;
    i++;
  }
  let intPart = 0;
  let digits = 0;
  for (; i < end; i++) {
    const d = line.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    intPart = intPart * 10 + d;
    digits++;
  }
  let value = intPart;
  if (i < end) {
    if (line.charCodeAt(i) !== 46) return NaN; // not '.'
    i++;
    let frac = 0;
    let scale = 1;
    for (; i < end; i++) {
      const d = line.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return NaN;
      frac = frac * 10 + d;
      scale *= 10;
      digits++;
    }
    // One division of two exact integers: the nearest double, as Number() gives.
    value = (intPart * scale + frac) / scale;
    if (intPart * scale + frac > Number.MAX_SAFE_INTEGER) return NaN;
  }
  if (digits === 0) return NaN;
  return neg ? -value : value;
}

/**
 * A trace reader over any source of lines: the header, then records. The first record
 * is read at once so that attribute names are known before the run starts.
 */
export function traceReader(nextLine: () => string | undefined, source: string, timestampColumn?: string, close?: () => void): TraceReader {
  const parser = new TraceCsvParser(source, timestampColumn);
  const header = nextLine();
  if (header === undefined || header.trim() === '') throw new InputError([`${source}: the trace is empty (expected a header line)`]);
  parser.readHeader(header);
  let first: TraceRecord | undefined;
  let l: string | undefined;
  while (first === undefined && (l = nextLine()) !== undefined) first = parser.parseLine(l);
  if (first === undefined) throw new InputError([`${source}: has no rows (only a header): a trace needs at least one arrival`]);
  first = { ...first }; // the parser reuses its record object
  return {
    ...(close !== undefined ? { close } : {}),
    attributeNames: parser.attributeNames,
    next() {
      if (first !== undefined) {
        const r = first;
        first = undefined;
        return r;
      }
      for (let line = nextLine(); line !== undefined; line = nextLine()) {
        const r = parser.parseLine(line);
        if (r !== undefined) return r;
      }
      return undefined;
    },
  };
}

/** A reader over a whole trace held in memory (tests, the browser). */
export function traceFromText(text: string, source: string, timestampColumn?: string): TraceReader {
  const lines = text.split(/\r?\n/);
  let i = 0;
  return traceReader(() => (i < lines.length ? lines[i++] : undefined), source, timestampColumn);
}
