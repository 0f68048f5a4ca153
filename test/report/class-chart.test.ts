/**
 * The per-class latency chart (src/report/class-charts.ts, issue 16): a report of a
 * scenario with request classes gains a latency CDF per class, read off each class's own
 * sketch (so the Markdown table's p99 is the run's `classes.<name>.latencyMs.p99`), which
 * compiles without Vega-Lite warnings and draws in a browser; a report of a scenario without
 * classes has neither the chart nor the table.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregate } from '../../src/experiments/aggregate.ts';
import { runScenarioDetailed } from '../../src/models/index.ts';
import { buildReport } from '../../src/report/build.ts';
import { classCdfRows } from '../../src/report/class-charts.ts';
import { fmtNumShort } from '../../src/report/figures.ts';
import { compileCharts } from '../../src/report/html.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import type { Scenario } from '../../src/config/schema.ts';
import { cli } from '../support/cli.ts';
import { launchChromium, type Browser } from './browser.ts';
import { fixtureReport } from './fixture.ts';

const small: Scenario = {
  name: 'two-classes',
  seed: 7,
  arrivals: { process: 'poisson', qps: 40 },
  stop: { requests: 4_000 },
  warmup: { requests: 400 },
  stages: [{ name: 'gpu', replicas: 2, service: { dist: 'exponential', mean: 0.045 }, discipline: { policy: 'priority' } }],
  classes: [
    { name: 'interactive', share: 0.3, priority: 0 },
    { name: 'batch', share: 0.7, priority: 1 },
  ],
};

describe('per-class latency CDF in the reports', () => {
  const run = runScenarioDetailed(small);
  const report = buildReport('two classes', 'one run', [{ name: 'base', aggregate: aggregate([run]) }], [], []);

  it('has each class’s CDF from its own sketch, and the Markdown table reads p50/p90/p99 off it', () => {
    const rows = classCdfRows(report, (x) => x);
    for (const name of ['interactive', 'batch']) {
      const mine = rows.filter((r) => r.cls === name);
      expect(mine.length).toBeGreaterThan(5);
      for (let i = 1; i < mine.length; i++) expect(mine[i]!.latencyMs).toBeGreaterThan(mine[i - 1]!.latencyMs);
    }
    const md = renderMarkdown(report);
    expect(md).toContain('## Latency per request class');
    for (const name of ['interactive', 'batch']) {
      const l = run.result.classes![name]!.latencyMs;
      expect(md).toContain(`| base | ${name} | ${[l.p50, l.p90, l.p99].map(fmtNumShort).join(' | ')} |`);
    }
  });

  it('compiles without warnings; a report without classes has no class chart and no class table', () => {
    const { charts, warnings } = compileCharts(report);
    expect(warnings).toEqual([]);
    expect(charts.map((c) => c.id)).toContain('chart-classes');
    const plainRun = runScenarioDetailed({ ...small, classes: undefined, stages: [{ ...small.stages[0]!, discipline: undefined }] } as Scenario);
    const plain = buildReport('plain', 'one run', [{ name: 'base', aggregate: aggregate([plainRun]) }], [], []);
    for (const r of [plain, fixtureReport()]) {
      expect(compileCharts(r).charts.map((c) => c.id)).not.toContain('chart-classes');
      expect(renderMarkdown(r)).not.toContain('per request class');
    }
  });

  let browser: Browser | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'servesim-class-chart-'));
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('servesim run interactive-and-batch --report draws a CDF per class for every variant; mm4 (no classes) has none', async () => {
    const html = join(dir!, 'ib.html');
    const r = await cli('run', 'interactive-and-batch', '--replications', '1', '--workers', '1', '--report', html);
    expect(r.code, r.stderr).toBe(0);
    const page = await browser!.context.newPage();
    await page.goto(pathToFileURL(html).href);
    await page.waitForSelector('#chart-classes[data-drawn]', { timeout: 30_000 });
    expect(await page.locator('#chart-classes').getAttribute('data-drawn')).toBe('true');
    // Two panels (interactive, batch), three variants each: at least one vertex per line.
    expect(Number(await page.locator('#chart-classes').getAttribute('data-marks'))).toBeGreaterThanOrEqual(6);
    const text = await page.locator('#chart-classes').innerText();
    expect(text).toContain('interactive');
    expect(text).toContain('batch');

    const plainHtml = join(dir!, 'mm4.html');
    expect((await cli('run', 'mm4', '--replications', '1', '--report', plainHtml)).code).toBe(0);
    expect(readFileSync(plainHtml, 'utf8')).not.toContain('chart-classes');
  }, 120_000);
});
