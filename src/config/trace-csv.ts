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
  /** The first comma at or after `commaFrom` in `commaText` (its length + 1 when none): see parseRange. */
  private commaText = '';
  private commaFrom = 0;
  private commaAt = 0;

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

  /** The first comma in `text` at or after `from`; text.length + 1 when there is none. */
  private commaAfter(text: string, from: number): number {
    // PERF: a chunk's next comma is searched once and kept until the parse passes it, so
    // the native search never rescans: linear in the chunk even if it has no comma.
    if (text !== this.commaText || from < this.commaFrom || from > this.commaAt) {
      const i = text.indexOf(',', from);
      this.commaText = text;
      this.commaAt = i < 0 ? text.length + 1 : i;
    }
    this.commaFrom = from;
    return this.commaAt;
  }

  /**
   * Parses the data line text[lineStart, lineEnd) (empty lines are skipped: returns
   * undefined). `mayQuote` is false when the caller knows `text` holds no '"'.
   *
   * PERF: a file's reader passes its whole chunk and each line's bounds, so no line
   * becomes a string of its own (a split made 2,600 sliced strings a 64 KiB chunk, each
   * read through its parent): 70 against 100-130 ns a line.
   */
  parseRange(text: string, lineStart: number, lineEnd: number, mayQuote: boolean): TraceRecord | undefined {
    this.lineNo++;
    // PERF: this runs once per replayed request. Plain comparisons and unary + instead
    // of trim()/regexes on the common path; the slow, careful checks run only when the
    // fast reading fails, to produce the message.
    const len = lineEnd - lineStart;
    if (len === 0 || (len < 3 && text.slice(lineStart, lineEnd).trim() === '')) return undefined;
    if (mayQuote) {
      const q = text.indexOf('"', lineStart);
      if (q >= 0 && q < lineEnd) this.fail(this.lineNo, 'quoted CSV fields are not supported in traces');
    }
    const nCols = this.header!.length;
    if (!this.classified) {
      const fields = text.slice(lineStart, lineEnd).split(',');
      if (fields.length !== nCols) this.fail(this.lineNo, `expected ${nCols} fields like the header, got ${fields.length}`);
      this.classified = true;
      this.classify(fields);
    }
    // PERF: fields are found by their commas and read in place (no split, no
    // substrings) with a decimal reader; anything it cannot read falls back to the careful path.
    const ends = this.ends;
    let from = lineStart;
    for (let c = 0; c < nCols; c++) {
      const comma = this.commaAfter(text, from);
      const last = c === nCols - 1;
      if (last ? comma < lineEnd : comma > lineEnd) {
        this.fail(this.lineNo, `expected ${nCols} fields like the header, got ${text.slice(lineStart, lineEnd).split(',').length}`);
      }
      const end = last ? lineEnd : comma;
      this.starts[c] = from;
      ends[c] = end;
      from = end + 1;
    }
    let wholeS: number;
    let fracS: number;
    const n = readDecimal(text, this.starts[this.tsCol]!, ends[this.tsCol]!);
    if (n === n) {
      // Seconds as a plain number: already as precise as a double can hold it.
      wholeS = n;
      fracS = 0;
    } else {
      const raw = text.slice(this.starts[this.tsCol]!, ends[this.tsCol]!);
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
      let v = readDecimal(text, this.starts[c]!, ends[c]!);
      if (!(v === v)) {
        const f = text.slice(this.starts[c]!, ends[c]!);
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
  return traceReaderOfLines(
    (cur) => {
      const line = nextLine();
      if (line === undefined) return false;
      cur.text = line;
      cur.start = 0;
      cur.end = line.length;
      cur.mayQuote = true;
      return true;
    },
    source,
    timestampColumn,
    close,
  );
}

/** Where the next line is: text[start, end), without its line ending. */
export interface LineCursor {
  text: string;
  start: number;
  end: number;
  /** False when `text` is known to hold no '"' (the reader checked its chunk once). */
  mayQuote: boolean;
}

/**
 * A trace reader over lines given as bounds in a larger text (`advance` moves the cursor
 * to the next line and returns false at the end): a file's reader passes its chunks
 * whole instead of cutting every line out of them.
 */
export function traceReaderOfLines(advance: (cur: LineCursor) => boolean, source: string, timestampColumn?: string, close?: () => void): TraceReader {
  const parser = new TraceCsvParser(source, timestampColumn);
  const cur: LineCursor = { text: '', start: 0, end: 0, mayQuote: true };
  const header = advance(cur) ? cur.text.slice(cur.start, cur.end) : undefined;
  if (header === undefined || header.trim() === '') throw new InputError([`${source}: the trace is empty (expected a header line)`]);
  parser.readHeader(header);
  let first: TraceRecord | undefined;
  while (first === undefined && advance(cur)) first = parser.parseRange(cur.text, cur.start, cur.end, cur.mayQuote);
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
      while (advance(cur)) {
        const r = parser.parseRange(cur.text, cur.start, cur.end, cur.mayQuote);
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
