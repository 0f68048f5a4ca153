/**
 * The LLM charts (src/report/llm-charts.ts): a report of a scenario with an LLM stage gains
 * TTFT and TPOT CDFs and KV utilization / TTFT p99 over time, which compile without
 * Vega-Lite warnings and draw in a browser; a report without one has no such chart.
 */
import { resolve } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarioFromText } from '../../src/config/parse.ts';
import { runScenarioDetailed } from '../../src/models/index.ts';
import { aggregate } from '../../src/experiments/aggregate.ts';
import { buildReport } from '../../src/report/build.ts';
import { compileCharts, renderHtml } from '../../src/report/html.ts';
import { llmCdfRows } from '../../src/report/llm-charts.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { fmtNumShort } from '../../src/report/figures.ts';
import { launchChromium, type Browser } from './browser.ts';
import { fixtureReport } from './fixture.ts';

const TEXT = `name: chat
seed: 3
arrivals: { process: poisson, qps: 4 }
stop: { requests: 300 }
tokens:
  input:  { dist: lognormal, mean: 500, cv: 1, max: 4000 }
  output: { dist: lognormal, mean: 100, cv: 1, max: 1000 }
stages:
  - name: llm
    replicas: 2
    llm: { profile: codellama-34b/h100/tp1, maxBatchedTokens: 4096 }
`;

describe('LLM chart in the HTML report', () => {
  const run = runScenarioDetailed(scenarioFromText({ name: resolve('chat.yaml'), text: TEXT }));
  const report = buildReport('chat', 'one run', [{ name: 'base', aggregate: aggregate([run]) }], [], []);

  it('the series keeps every window of this short run (no merging below 250 points)', () => {
    const v = report.variants[0]!.llm!;
    expect(v.series!.startS).toEqual(run.result.llm!.series.llm!.startS);
    expect(v.series!.kvUtilization).toEqual(run.result.llm!.series.llm!.kvUtilization);
    expect(v.series!.batchSeqs).toEqual(run.result.llm!.series.llm!.batchSeqs);
  });

  it('the Markdown report has the TTFT and TPOT quantiles of the run (p50, p90, p99), none without an LLM stage', () => {
    const md = renderMarkdown(report);
    const l = run.result.llm!;
    const row = ['base', l.ttftMs.p50, l.ttftMs.p90, l.ttftMs.p99, l.tpotMs.p50, l.tpotMs.p90, l.tpotMs.p99].map((x) => (typeof x === 'number' ? fmtNumShort(x) : x));
    expect(md).toContain('## LLM serving: time to first token and per output token');
    expect(md).toContain(`| ${row.join(' | ')} |`);
    expect(renderMarkdown(fixtureReport())).not.toContain('LLM serving');
  });

  it('has rows for both CDFs, increasing in ms', () => {
    const rows = llmCdfRows(report, (x) => x);
    for (const metric of ['TTFT', 'TPOT'] as const) {
      const mine = rows.filter((r) => r.metric === metric);
      expect(mine.length).toBeGreaterThan(5);
      for (let i = 1; i < mine.length; i++) expect(mine[i]!.ms).toBeGreaterThan(mine[i - 1]!.ms);
    }
  });

  it('compiles without warnings; a report without an LLM stage has no LLM chart', () => {
    const { charts, warnings } = compileCharts(report);
    expect(warnings).toEqual([]);
    expect(charts.map((c) => c.id)).toEqual(expect.arrayContaining(['chart-llm', 'chart-llm-time']));
    const plain = compileCharts(fixtureReport()).charts.map((c) => c.id);
    expect(plain).not.toContain('chart-llm');
    expect(plain).not.toContain('chart-llm-time');
  });

  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('draws in a browser', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'servesim-llm-chart-'));
    const file = join(dir, 'r.html');
    writeFileSync(file, renderHtml(report));
    const page = await browser!.context.newPage();
    await page.goto(pathToFileURL(file).href);
    for (const id of ['chart-llm', 'chart-llm-time']) {
      await page.waitForSelector(`#${id}[data-drawn]`, { timeout: 30_000 });
      expect(await page.locator(`#${id}`).getAttribute('data-drawn')).toBe('true');
    }
  }, 60_000);
});
