import { closest } from 'fastest-levenshtein';

/**
 * Every leaf path of a raw scenario as `--set`/`--vary` accept them: dots between
 * keys, stages by name (`stages.ranker.replicas`), other lists by index.
 */
export function leafPaths(raw: unknown, prefix = ''): Array<{ path: string; value: unknown }> {
  const out: Array<{ path: string; value: unknown }> = [];
  if (Array.isArray(raw)) {
    raw.forEach((v, i) => {
      const name = v && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string' ? (v as { name: string }).name : undefined;
      out.push(...leafPaths(v, name !== undefined ? `${prefix}.${name}` : `${prefix}[${i}]`));
    });
  } else if (raw !== null && typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw)) out.push(...leafPaths(v, prefix === '' ? k : `${prefix}.${k}`));
  } else {
    out.push({ path: prefix, value: raw });
  }
  return out;
}

/** The existing path closest to `path` (edit distance), for "did you mean" hints. */
export function closestPath(path: string, raw: unknown): string | undefined {
  const paths = leafPaths(raw).map((p) => p.path);
  return paths.length > 0 ? closest(path, paths) : undefined;
}
