import type { Request } from '../request.ts';
import type { WaitingLine } from './waiting-line.ts';

/**
 * A binary min-heap of waiting requests by a numeric key, ties in arrival order at this
 * queue (a sequence number), so equal keys are served FIFO: the shape every keyed
 * discipline shares (priority, shortest-first, earliest-deadline-first). The key is
 * read once, when the request joins.
 *
 * PERF: keys and sequence numbers live in arrays beside the requests, so a comparison
 * reads no request field.
 */
export class RequestHeap implements WaitingLine {
  private readonly items: Request[] = [];
  private readonly keys: number[] = [];
  private readonly seqs: number[] = [];
  private seq = 0;
  /** Sequence numbers of put-back requests: below every pushed one, later put-backs lower still. */
  private backSeq = 0;

  constructor(
    /** The request's key: smaller is served first. */
    private readonly keyOf: (req: Request) => number,
  ) {}

  get length(): number {
    return this.items.length;
  }

  push(req: Request): void {
    this.insert(req, this.seq++);
  }

  /** A put-back request goes before every waiting one with an equal key. */
  unshift(req: Request): void {
    this.insert(req, --this.backSeq);
  }

  private insert(req: Request, seq: number): void {
    const items = this.items;
    const keys = this.keys;
    const seqs = this.seqs;
    const key = this.keyOf(req);
    let i = items.length;
    items.push(req);
    keys.push(key);
    seqs.push(seq);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pk = keys[p]!;
      if (pk < key || (pk === key && seqs[p]! < seq)) break;
      items[i] = items[p]!;
      keys[i] = pk;
      seqs[i] = seqs[p]!;
      i = p;
    }
    items[i] = req;
    keys[i] = key;
    seqs[i] = seq;
  }

  peek(): Request | undefined {
    return this.items[0];
  }

  shift(): Request | undefined {
    const items = this.items;
    const n = items.length;
    if (n === 0) return undefined;
    const top = items[0]!;
    const lastItem = items.pop()!;
    const lastKey = this.keys.pop()!;
    const lastSeq = this.seqs.pop()!;
    if (n === 1) return top;
    const keys = this.keys;
    const seqs = this.seqs;
    const m = n - 1;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= m) break;
      const r = c + 1;
      if (r < m && (keys[r]! < keys[c]! || (keys[r] === keys[c] && seqs[r]! < seqs[c]!))) c = r;
      if (lastKey < keys[c]! || (lastKey === keys[c] && lastSeq < seqs[c]!)) break;
      items[i] = items[c]!;
      keys[i] = keys[c]!;
      seqs[i] = seqs[c]!;
      i = c;
    }
    items[i] = lastItem;
    keys[i] = lastKey;
    seqs[i] = lastSeq;
    return top;
  }
}
