/**
 * The HTML report: one self-contained file that opens offline and makes no network request.
 *
 * Charting library: Vega-Lite, compiled to Vega here in Node, with only the Vega runtime
 * (vega.min.js, about 0.5 MB) inlined in the page. Why this one:
 * - declarative specs: each chart is plain JSON built and type-checked in TypeScript
 *   (src/report/charts.ts), not drawing code in a string; compiling in Node means the
 *   Vega-Lite compiler (another 0.25 MB) never ships in the page;
 * - offline: the UMD build is one file with no fonts, images or other assets to fetch,
 *   and it draws SVG that the browser renders as is;
 * - size: Observable Plot plus d3 would be a little smaller (about 0.45 MB), but its
 *   charts are JavaScript calls, so they would live untyped in the inline script.
 * A Content-Security-Policy (default-src 'none') makes any request the page might try fail
 * loudly instead of reaching the network, and runs only the page's own scripts, allowed
 * by their SHA-256 hashes: no 'unsafe-inline', no 'unsafe-eval'. Vega would compile its
 * expressions with `new Function`; the page parses specs with `{ ast: true }` and
 * evaluates expressions with Vega's CSP-safe interpreter (vega-interpreter) instead.
 * Styles: the one <style> element is allowed by its hash too (Vega's SVG renderer sets
 * styles through the DOM, which CSP does not restrict), so no 'unsafe-inline' anywhere.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { compile } from 'vega-lite';
import type { Report } from './model.ts';
import { buildCharts, FONT, type ChartDef } from './charts.ts';
import { WarningLog } from './compile-log.ts';
import { escapeHtml, isNumericColumn, jsonForScript, theoryTable } from './format.ts';

/** A chart compiled to a Vega spec, ready for the page's draw script. */
export interface CompiledChart {
  id: ChartDef['id'];
  vega: unknown;
}

/**
 * The report's charts compiled from Vega-Lite to Vega, and the compiler's warnings (a spec
 * that compiles with warnings usually draws something other than meant; tests keep it empty).
 */
export function compileCharts(report: Report): { charts: ChartDef[]; compiled: CompiledChart[]; warnings: string[] } {
  const charts = buildCharts(report);
  const log = new WarningLog();
  const compiled = charts.flatMap((c) => {
    if (c.spec === null) return [];
    const vega = compile(c.spec, { logger: log }).spec;
    c.patchVega?.(vega);
    return [{ id: c.id, vega }];
  });
  return { charts, compiled, warnings: log.warnings };
}

/** The Vega runtime's minified UMD build, from the installed package. */
function vegaRuntime(): string {
  // The package's exports map does not list build/vega.min.js, so find it beside the entry point.
  const entry = createRequire(import.meta.url).resolve('vega');
  const js = readFileSync(join(dirname(entry), 'vega.min.js'), 'utf8');
  // A literal "</script" would end the inline element early; vega.min.js has none today.
  return js.replace(/<\/script/gi, '<\\/script');
}

/**
 * Vega's CSP-safe expression interpreter as a classic script: its ES module imports three
 * helpers of vega-util, which the Vega runtime's global (`vega`) exports, and exports the
 * interpreter, which becomes `window.vegaExpressionInterpreter`.
 */
function interpreterRuntime(): string {
  const file = createRequire(import.meta.url).resolve('vega-interpreter');
  const src = readFileSync(file, 'utf8');
  const imports = /^import \{([^}]*)\} from 'vega-util';$/m;
  const exported = /^export \{ expression as expressionInterpreter \};$/m;
  if (!imports.test(src) || !exported.test(src)) throw new Error(`${file}: unexpected module shape; update interpreterRuntime()`);
  const body = src.replace(imports, (_, names: string) => `const {${names}} = vega;`).replace(exported, 'window.vegaExpressionInterpreter = expression;');
  return `(function () {\n'use strict';\n${body}\n})();`.replace(/<\/script/gi, '<\\/script');
}

/** The CSP source allowing exactly one inline script or style element's text. */
function sha256Source(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * A numeric cell's text, breakable only before its "± half-width" (each part stays whole),
 * so a wide table wraps the interval under its value instead of scrolling out of view.
 */
function numericCell(text: string): string {
  const at = text.indexOf(' ± ');
  if (at < 0) return escapeHtml(text);
  return `<span class="v">${escapeHtml(text.slice(0, at))}</span> <span class="ci">${escapeHtml(text.slice(at + 1))}</span>`;
}

function htmlTable(columns: string[], rows: string[][], className: string): string {
  const numeric = columns.map((_, c) => c > 0 && isNumericColumn(rows.map((r) => r[c] ?? '')));
  const cls = (c: number) => (numeric[c] ? ' class="num"' : '');
  const head = columns.map((h, c) => `<th${cls(c)}>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${columns.map((_, c) => `<td${cls(c)}>${numeric[c] ? numericCell(r[c] ?? '') : escapeHtml(r[c] ?? '')}</td>`).join('')}</tr>`)
    .join('\n');
  return `<div class="table-wrap"><table class="${className}">\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table></div>`;
}

function chartBlock(chart: ChartDef, heading: 'h2' | 'h3'): string {
  const state = chart.spec === null ? ' data-drawn="empty" data-marks="0"' : '';
  const inner =
    chart.spec === null
      ? `<p class="no-data">${escapeHtml(chart.emptyNote)}</p>`
      : '<div class="chart-canvas"></div>';
  return [
    `<${heading}>${escapeHtml(chart.title)}</${heading}>`,
    `<p class="caption">${escapeHtml(chart.caption)}</p>`,
    `<div class="chart" id="${chart.id}" data-chart${state}>${inner}</div>`,
  ].join('\n');
}

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f6f7f9; color: #1f2933; font: 15px/1.5 ${FONT}; }
main { max-width: 1000px; margin: 0 auto; padding: 32px 28px 48px; }
@media (min-width: 1280px) { main { max-width: 1180px; } }
header { margin-bottom: 8px; }
.kicker { margin: 0; color: #6b7280; font-size: 12px; letter-spacing: .08em; text-transform: uppercase; }
h1 { margin: 4px 0 10px; font-size: 26px; line-height: 1.25; }
h2 { margin: 0 0 4px; font-size: 18px; }
h3 { margin: 24px 0 4px; font-size: 15px; }
/* The paragraph only: the summary table shares the class name, and 75ch made it scroll. */
p.summary { margin: 0; max-width: 75ch; color: #374151; }
section { background: #fff; border: 1px solid #e3e6ea; border-radius: 8px; padding: 20px 24px; margin-top: 20px; }
.caption { margin: 0 0 12px; color: #6b7280; font-size: 13px; max-width: 90ch; }
.chart { overflow-x: auto; min-height: 40px; }
.chart-canvas svg { display: block; }
.no-data { margin: 8px 0; padding: 14px 16px; background: #f6f7f9; border-radius: 6px; color: #6b7280; font-style: italic; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; }
th, td { padding: 7px 10px; text-align: left; vertical-align: top; border-bottom: 1px solid #eceef1; }
th { font-weight: 600; color: #374151; border-bottom: 2px solid #d5d9de; }
td:first-child { font-weight: 500; overflow-wrap: break-word; min-width: 14ch; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num .v, td.num .ci { white-space: nowrap; }
td.num .ci { color: #6b7280; font-size: 12px; }
table.summary { font-size: 13px; }
table.summary th, table.summary td { padding: 6px 8px; }
tbody tr:hover { background: #f9fafb; }
table.theory td:last-child { color: #4b5563; min-width: 24ch; }
.notes { margin: 14px 0 0; padding-left: 20px; color: #374151; font-size: 13.5px; }
.notes li { margin: 3px 0; }
.error { color: #b91c1c; }
footer { margin-top: 24px; color: #9ca3af; font-size: 12px; text-align: center; }
`;

/**
 * Draws each chart from its compiled Vega spec, then marks its container with
 * data-drawn="true" and data-marks (the data items drawn: points, line vertices, bars),
 * so a test can tell that every chart shows data. Axes, legends and titles are not counted.
 */
const DRAW_SCRIPT = `
(async function () {
  'use strict';
  var charts = JSON.parse(document.getElementById('servesim-charts').textContent);
  function countMarks(node) {
    var n = 0;
    (function visit(mark) {
      if (mark.role === 'mark' && mark.marktype !== 'group') n += mark.items.length;
      for (var i = 0; i < mark.items.length; i++) {
        var item = mark.items[i];
        if (item.items) for (var j = 0; j < item.items.length; j++) visit(item.items[j]);
      }
    })(node);
    return n;
  }
  for (var k = 0; k < charts.length; k++) {
    var chart = charts[k];
    var el = document.getElementById(chart.id);
    var canvas = el.querySelector('.chart-canvas');
    try {
      // ast: true keeps expressions as syntax trees for the interpreter: no eval, so the
      // page's Content-Security-Policy needs no 'unsafe-eval'.
      var runtime = vega.parse(chart.vega, null, { ast: true });
      var view = new vega.View(runtime, { expr: window.vegaExpressionInterpreter, renderer: 'svg', container: canvas, hover: true });
      await view.runAsync();
      el.setAttribute('data-marks', String(countMarks(view.scenegraph().root)));
      el.setAttribute('data-drawn', 'true');
    } catch (err) {
      el.setAttribute('data-marks', '0');
      el.setAttribute('data-drawn', 'error');
      canvas.className = 'error';
      canvas.textContent = 'This chart could not be drawn: ' + (err && err.message ? err.message : String(err));
      console.error(err);
    }
  }
})();
`;

/**
 * Renders a report as one self-contained HTML page: summary table, notes, charts (latency
 * CDFs, p99 and throughput over time with replicas and queues beneath, cost against p99 with
 * the Pareto frontier, per-stage breakdown) and the theory table. The report itself is
 * embedded as JSON (id "servesim-report") so the file also carries its data.
 */
export function renderHtml(report: Report): string {
  const { charts, compiled } = compileCharts(report);
  const byId = new Map(charts.map((c) => [c.id, c]));
  const chart = (id: ChartDef['id'], heading: 'h2' | 'h3') => chartBlock(byId.get(id)!, heading);
  const theory = theoryTable(report);

  const notes =
    report.notes.length === 0
      ? ''
      : `<ul class="notes">\n${report.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('\n')}\n</ul>`;
  const theoryBody =
    theory.rows.length === 0
      ? `<p class="no-data">No closed-form model applies to ${report.sweep ? "this sweep's stages" : 'this run'}.</p>`
      : htmlTable(theory.columns, theory.rows, 'theory');

  const scripts = [vegaRuntime(), interpreterRuntime(), DRAW_SCRIPT];
  const csp = [
    "default-src 'none'",
    `script-src ${scripts.map(sha256Source).join(' ')}`,
    `style-src ${sha256Source(STYLE)}`,
    'img-src data:',
  ].join('; ');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="generator" content="servesim">
<title>${escapeHtml(report.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<p class="kicker">servesim report</p>
<h1>${escapeHtml(report.title)}</h1>
<p class="summary">${escapeHtml(report.summary)}</p>
</header>
<section id="summary">
<h2>Summary</h2>
${htmlTable(report.table.columns, report.table.rows, 'summary')}
${notes}
</section>
${report.sweep ? `<section>\n${chart('chart-sweep', 'h2')}\n</section>\n` : ''}<section>
${chart('chart-cdf', 'h2')}
</section>
${byId.has('chart-classes') ? `<section>\n${chart('chart-classes', 'h2')}\n</section>\n` : ''}${byId.has('chart-llm') ? `<section>\n${chart('chart-llm', 'h2')}\n${chart('chart-llm-time', 'h3')}\n</section>\n` : ''}<section>
${chart('chart-timeline', 'h2')}
${chart('chart-resources', 'h3')}
</section>
<section>
${chart('chart-tradeoff', 'h2')}
</section>
<section>
${chart('chart-stages', 'h2')}
</section>
<section id="theory">
<h2>Theory against simulation</h2>
<p class="caption">Closed-form estimates beside the simulated figures, and why they agree or differ.</p>
${theoryBody}
</section>
<footer>Made by servesim. This file is self-contained: it opens offline and loads nothing.</footer>
</main>
<script type="application/json" id="servesim-report">${jsonForScript(report)}</script>
<script type="application/json" id="servesim-charts">${jsonForScript(compiled)}</script>
${scripts.map((js) => `<script>${js}</script>`).join('\n')}
</body>
</html>
`;
}
