/**
 * The report's charts (src/report/charts.ts, the same Vega-Lite specs as `--report
 * out.html`) compiled and drawn in the page. Loaded on demand, after the first result, so
 * the page shows its controls before Vega (the largest part of the bundle) is parsed.
 */
import { parse, View, type Spec as VgSpec } from 'vega';
import { compile } from 'vega-lite';
import { buildCharts, type ChartDef, type ChartId } from '../../src/report/charts.ts';
import type { Report } from '../../src/report/model.ts';
import { WarningLog } from '../../src/report/compile-log.ts';

/** Data items drawn under a scenegraph node (points, line vertices, bars), as the HTML report counts them. */
function countMarks(node: { marktype?: string; role?: string; items?: unknown[] }): number {
  let n = 0;
  const visit = (mark: { marktype?: string; role?: string; items?: Array<{ items?: unknown[] }> }) => {
    if (mark.role === 'mark' && mark.marktype !== 'group') n += mark.items?.length ?? 0;
    for (const item of mark.items ?? []) for (const sub of (item.items ?? []) as Array<typeof mark>) visit(sub);
  };
  visit(node as Parameters<typeof visit>[0]);
  return n;
}

const views = new Map<ChartId, View>();

/**
 * Draws every chart of the report into `#<chart id>` inside `root`, replacing what was
 * there. Each container gets data-drawn ("true", "empty" or "error") and data-marks, so a
 * test can see that every chart shows data. Returns Vega-Lite's warnings.
 */
export async function drawCharts(root: HTMLElement, report: Report): Promise<string[]> {
  const log = new WarningLog();
  for (const chart of buildCharts(report)) {
    const el = root.querySelector<HTMLElement>(`#${chart.id}`);
    if (el === null) continue;
    views.get(chart.id)?.finalize();
    views.delete(chart.id);
    el.replaceChildren();
    if (chart.spec === null) {
      el.append(Object.assign(document.createElement('p'), { className: 'no-data', textContent: chart.emptyNote }));
      el.dataset.drawn = 'empty';
      el.dataset.marks = '0';
      continue;
    }
    await drawOne(el, chart, log);
  }
  return log.warnings;
}

async function drawOne(el: HTMLElement, chart: ChartDef, log: WarningLog): Promise<void> {
  const canvas = document.createElement('div');
  canvas.className = 'chart-canvas';
  el.append(canvas);
  try {
    const vega = compile(chart.spec!, { logger: log }).spec as VgSpec;
    chart.patchVega?.(vega);
    const view = new View(parse(vega), { renderer: 'svg', container: canvas, hover: true });
    views.set(chart.id, view);
    await view.runAsync();
    // Vega's typings leave the scenegraph's root out; it is there at runtime.
    const root = (view.scenegraph() as unknown as { root: Parameters<typeof countMarks>[0] }).root;
    el.dataset.marks = String(countMarks(root));
    el.dataset.drawn = 'true';
  } catch (err) {
    el.dataset.marks = '0';
    el.dataset.drawn = 'error';
    canvas.className = 'error';
    canvas.textContent = `This chart could not be drawn: ${err instanceof Error ? err.message : String(err)}`;
    throw err;
  }
}
