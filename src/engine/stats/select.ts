/**
 * The k-th smallest of a[0..n) (0-based), moving elements in place (or, given `from`,
 * the element that belongs at index k when a[from..n) holds the largest n − from and
 * k >= from: a[0..from) is then left alone): quickselect with a
 * median-of-three pivot, O(n) on average against O(n log n) for a full sort. Exact: the
 * same value a sort would put at index k.
 *
 * PERF: the partition is branchless (Lomuto's, each element swapped into place and the
 * boundary moved by the comparison's 0 or 1): on latencies in random order a partition
 * that branches on each comparison mispredicts about half of them, and this one ran the
 * time series' two window quantiles in about half the time (12 against 23 ns an element,
 * windows of 190). Elements equal to the pivot all go right of it, so when a partition
 * leaves nearly everything on one side, a second branchless pass gathers the pivot's
 * equals beside it: a window of identical latencies takes two passes, not n.
 */
export function selectKth(a: Float64Array, n: number, k: number, from = 0): number {
  let lo = from;
  let hi = n - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    const x = a[lo]!;
    const y = a[mid]!;
    const z = a[hi]!;
    // Median of three as the pivot keeps sorted and reversed inputs linear.
    const p = x < y ? (y < z ? mid : x < z ? hi : lo) : x < z ? lo : y < z ? hi : mid;
    const pivot = a[p]!;
    a[p] = a[hi]!;
    a[hi] = pivot;
    let store = lo;
    for (let i = lo; i < hi; i++) {
      const v = a[i]!;
      a[i] = a[store]!;
      a[store] = v;
      store += +(v < pivot);
    }
    a[hi] = a[store]!;
    a[store] = pivot;
    // a[lo..store) < pivot = a[store] <= a(store..hi].
    if (k === store) return pivot;
    if (k < store) {
      hi = store - 1;
      continue;
    }
    const below = store - lo;
    lo = store + 1;
    if (below < (hi - lo) >> 3) {
      // Lopsided: many may equal the pivot. Move them to the front of the right part.
      let eq = lo;
      for (let i = lo; i <= hi; i++) {
        const v = a[i]!;
        a[i] = a[eq]!;
        a[eq] = v;
        eq += +(v === pivot);
      }
      if (k < eq) return pivot;
      lo = eq;
    }
  }
  return a[k]!;
}
